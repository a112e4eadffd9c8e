package io.jobhook.process.noise;

/** Decoded audio: one float array per channel, samples in [-1, 1]. */
public record PcmAudio(int sampleRate, float[][] channels) {
  public int channelCount() {
    return channels.length;
  }

  public int frames() {
    return channels.length == 0 ? 0 : channels[0].length;
  }
}
