package io.jobhook.audio;

/**
 * One channel's streaming stage (the denoiser, the resampler): samples pushed in blocks of any
 * size, the samples that became final appended to {@code out}. Not thread-safe.
 */
public interface SampleStage {

  void push(float[] x, int off, int len, FloatBlock out);

  /** Ends the input; appends what remains. */
  void finish(FloatBlock out);
}
