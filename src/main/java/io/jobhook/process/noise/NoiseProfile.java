package io.jobhook.process.noise;

/**
 * Per-channel noise and long-term mean power spectra of a whole input, the noise level over time
 * relative to that noise spectrum (see {@link LevelTrack}: an entry per {@code levelSpan} frames of
 * the profile pass, the same for every channel), whether each channel's noise is speech-like (its
 * spectrum taken from the voice's pauses, and no slow swing of its own behind that: see {@link
 * NoiseProfiler#SWINGING_SHARE}), and the input's length in frames.
 */
public record NoiseProfile(
    int sampleRate,
    int channels,
    double[][] noise,
    double[][] mean,
    float[][] noiseLevel,
    boolean[] speechLikeNoise,
    int levelSpan,
    long frames) {}
