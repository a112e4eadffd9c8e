/**
 * The NoiseReduction job kind: WAV and MP3 decoding, the spectral denoiser, resampling, WAV
 * encoding. No HTTP, no SQL.
 */
package io.jobhook.process.noise;
