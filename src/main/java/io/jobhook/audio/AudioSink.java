package io.jobhook.audio;

import java.io.IOException;

/** Where processed audio goes, block by block: an encoder writing a container. Not thread-safe. */
public interface AudioSink {

  /** Writes {@code count} frames of {@code samples[channel][offset..]}. */
  void write(float[][] samples, int offset, int count) throws IOException;

  /** Writes what remains and flushes; the output is complete afterwards. */
  void finish() throws IOException;
}
