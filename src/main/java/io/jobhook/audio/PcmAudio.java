package io.jobhook.audio;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Decoded audio: one float array per channel, samples in [-1, 1]. */
public record PcmAudio(int sampleRate, float[][] channels) {
  public int channelCount() {
    return channels.length;
  }

  public int frames() {
    return channels.length == 0 ? 0 : channels[0].length;
  }

  /**
   * Runs {@code work} for each channel; channels are independent, so several run on the cores there
   * are.
   */
  public static void eachChannel(int channelCount, IntConsumer work) {
    if (channelCount == 1) {
      work.accept(0);
    } else {
      IntStream.range(0, channelCount).parallel().forEach(work);
    }
  }
}
