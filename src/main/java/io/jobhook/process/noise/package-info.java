/**
 * The NoiseReduction job kind: its Processor and the spectral denoiser (noise profile, level track,
 * STFT channel, log-MMSE gain). Codecs and the resampler come from {@code audio}. No HTTP, no SQL.
 */
package io.jobhook.process.noise;
