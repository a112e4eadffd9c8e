package io.jobhook.audio;

import java.io.Closeable;
import java.io.IOException;

/** Decoded audio read block by block: planar float samples in [-1, 1]. Not thread-safe. */
public interface AudioStream extends Closeable {

  int sampleRate();

  int channelCount();

  /** Frames in the whole stream when the container says, else -1. */
  long frameCount();

  /**
   * Reads up to {@code max} frames into {@code dst[channel][0..]}; returns how many, or -1 at the
   * end. {@code dst} has at least {@link #channelCount()} arrays of at least {@code max} samples.
   */
  int read(float[][] dst, int max) throws IOException, AudioFormatException;

  /** Audio that can be read more than once (analysis passes, then the processing pass). */
  @FunctionalInterface
  interface Source {
    AudioStream open() throws IOException, AudioFormatException;
  }

  /** Decoded audio already in memory, as a stream. */
  static AudioStream of(PcmAudio audio) {
    return new AudioStream() {
      private int position;

      @Override
      public int sampleRate() {
        return audio.sampleRate();
      }

      @Override
      public int channelCount() {
        return audio.channelCount();
      }

      @Override
      public long frameCount() {
        return audio.frames();
      }

      @Override
      public int read(float[][] dst, int max) {
        int n = Math.min(max, audio.frames() - position);
        if (n <= 0) {
          return -1;
        }
        for (int ch = 0; ch < audio.channelCount(); ch++) {
          System.arraycopy(audio.channels()[ch], position, dst[ch], 0, n);
        }
        position += n;
        return n;
      }

      @Override
      public void close() {}
    };
  }
}
