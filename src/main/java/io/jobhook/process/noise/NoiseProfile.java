package io.jobhook.process.noise;

/**
 * Per-channel noise and long-term mean power spectra of a whole input, taken with frames of {@code
 * frameSize} samples (the frames the denoiser then uses, see {@link SpectralDenoiser#profile}), the
 * noise level over time relative to that noise spectrum (see {@link LevelTrack}: an entry per
 * {@code levelSpan} frames of the profile pass, the same for every channel), what kind of noise
 * each channel holds ({@link NoiseKind}), and the input's length in frames.
 */
public record NoiseProfile(
    int sampleRate,
    int frameSize,
    int channels,
    double[][] noise,
    double[][] mean,
    float[][] noiseLevel,
    NoiseKind[] noiseKind,
    int levelSpan,
    long frames) {}
