package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jobhook.audio.AudioStream;
import io.jobhook.audio.FloatBlock;
import io.jobhook.audio.OutputFormat;
import io.jobhook.audio.PcmAudio;
import io.jobhook.audio.Resampler;
import io.jobhook.audio.SampleStage;
import io.jobhook.audio.TempFiles;
import io.jobhook.support.TestAudio;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streaming changes nothing: the result does not depend on how the input is cut into blocks; nor do
 * the speed-ups.
 */
class StreamingTest {
  static final int RATE = 16000;

  final float[] noisy =
      TestAudio.mix(TestAudio.speechLike(RATE, 3), TestAudio.whiteNoise(3 * RATE, 0.05, 5), 5);

  @Test
  void the_denoiser_gives_the_same_samples_whatever_the_block_sizes() {
    SpectralDenoiser denoiser = new SpectralDenoiser();
    PcmAudio in = new PcmAudio(RATE, new float[][] {noisy});
    float[] whole = InMemoryAudio.denoise(in).channels()[0];
    NoiseProfile profile = profileOf(denoiser, in);
    for (int blockSize : new int[] {1, 7, 128, 511, 4096, 40000}) {
      assertThat(inBlocks(denoiser.channels(profile)[0], blockSize))
          .as("blocks of %d", blockSize)
          .isEqualTo(whole);
    }
  }

  /**
   * Loud white noise and a tone, with the tone alone for the first or the last quarter: the
   * quietest tenth of the frames lie there, and their spectra all have the tone's power at its bin
   * (so do the voice's pauses: more than a fifth of the frames, and as loud as the quietest). The
   * count of frames ({@code hops} + 1) is odd, so the last frame waits for a partner that never
   * comes; the last quiet frame at the start shares its FFT with a loud one. With 190 hops every
   * frame is kept; with 2,500 the heap of kept frames is full and replaces.
   */
  @ParameterizedTest
  @CsvSource({"190, true", "190, false", "2500, true"})
  void the_noise_profile_is_the_spectrum_of_the_quietest_frames(int hops, boolean quietAtEnd) {
    int n = SpectralDenoiser.frameSize(RATE);
    int bin = 40;
    double amplitude = 0.01;
    float[] x = TestAudio.whiteNoise(n + hops * (n / 4), 0.1, 9);
    int quietFrom = quietAtEnd ? x.length - x.length / 4 : 0;
    int quietTo = quietAtEnd ? x.length : x.length / 4;
    for (int i = 0; i < x.length; i++) {
      double tone = amplitude * Math.sin(2 * Math.PI * bin * i / n + 0.3);
      x[i] = (float) ((i >= quietFrom && i < quietTo ? 0 : x[i]) + tone);
    }
    double[] noise =
        profileOf(new SpectralDenoiser(), new PcmAudio(RATE, new float[][] {x})).noise()[0];
    // a bin-centred tone through the square-root Hann window: |X| = (A / 2) * sum(w) = A * n / pi
    double tonePower = Math.pow(amplitude * n / Math.PI, 2);
    assertThat(noise[bin] / tonePower).isCloseTo(1, within(0.01));
    assertThat(noise[bin + 100] / tonePower).as("no noise from the loud part").isLessThan(1e-6);
  }

  /**
   * Knowing the length, the profile keeps only a tenth of the frames from the start, and the
   * pauses' estimate transforms only frames that can still be in a pause (under typing, the
   * estimate).
   */
  @ParameterizedTest
  @ValueSource(strings = {"white", "typing"})
  void a_stream_that_tells_its_length_gets_the_same_noise_profile_as_one_that_does_not(
      String noise) {
    float[] input =
        noise.equals("white")
            ? noisy
            : TestAudio.mix(
                TestAudio.speechLike(RATE, 8), TestAudio.typing(RATE, 8 * RATE, 6, 21), 5);
    PcmAudio in = new PcmAudio(RATE, new float[][] {input});
    NoiseProfile told = profileOf(new SpectralDenoiser(), in);
    NoiseProfile untold;
    try {
      untold = new SpectralDenoiser().profile(() -> InMemoryAudio.telling(in, -1), f -> {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(told.noise()[0]).containsExactly(untold.noise()[0]);
    assertThat(told.noiseLevel()[0]).containsExactly(untold.noiseLevel()[0]);
  }

  @Test
  void the_resampler_gives_the_same_samples_whatever_the_block_sizes() {
    float[] whole = Resampler.resample(noisy, RATE, 44100);
    assertThat(whole).hasSize((int) Resampler.outputLength(noisy.length, RATE, 44100));
    assertThat(Resampler.outputLength(noisy.length, RATE, 44100))
        .isEqualTo(noisy.length * 441L / 160);
    for (int blockSize : new int[] {7, 100, 3000}) {
      assertThat(inBlocks(new Resampler.Stream(RATE, 44100), blockSize))
          .as("blocks of %d", blockSize)
          .isEqualTo(whole);
    }
  }

  @Test
  void progress_advances_through_the_passes_to_the_end() throws Exception {
    byte[] wav =
        TestAudio.wav16(
            RATE,
            TestAudio.mix(
                TestAudio.speechLike(RATE, 20), TestAudio.whiteNoise(20 * RATE, 0.05, 9), 5));
    List<Double> seen = new ArrayList<>();
    new NoiseReductionProcessor(null, null)
        .denoise(
            NoiseReductionProcessor.prepare(
                () -> new ByteArrayInputStream(wav), new TempFiles(null)),
            null,
            OutputFormat.WAV,
            new ByteArrayOutputStream(),
            seen::add);
    assertThat(seen).hasSizeGreaterThan(10);
    assertThat(seen).isSorted();
    assertThat(seen.stream().filter(f -> f > 0 && f < 0.2)).as("analysis passes").isNotEmpty();
    assertThat(seen.stream().filter(f -> f > 0.3 && f < 0.9)).as("processing pass").isNotEmpty();
    assertThat(seen.getLast()).isEqualTo(1.0);
  }

  @Test
  void the_tabled_log_mmse_factor_matches_the_exponential_integral() {
    for (double v = 1e-9; v < 1e4; v *= 1.01) {
      double exact = Math.exp(0.5 * LogMmseGain.expIntegral(v));
      assertThat(LogMmseGain.lsaFactor(v))
          .as("v = %g", v)
          .isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(1e-2));
    }
    // below the table, large enough that any gain it makes is clamped to 1
    assertThat(LogMmseGain.lsaFactor(0)).isGreaterThan(1e4);
    assertThat(LogMmseGain.lsaFactor(1e-12)).isGreaterThan(1e4);
    assertThat(LogMmseGain.lsaFactor(Double.MAX_VALUE)).isEqualTo(1, within(1e-12));
  }

  @Test
  void the_fft_matches_a_plain_dft_at_every_size() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    for (int n = 2; n <= 4096; n <<= 1) { // every frame size up to 96 kHz audio's
      double[] re = random.doubles(n, -1, 1).toArray();
      double[] im = random.doubles(n, -1, 1).toArray();
      for (boolean inverse : new boolean[] {false, true}) {
        double[] fr = re.clone();
        double[] fi = im.clone();
        Fft.of(n).transform(fr, fi, inverse);
        double sign = inverse ? 1 : -1;
        for (int k = 0; k < n; k++) {
          double sr = 0;
          double si = 0;
          for (int t = 0; t < n; t++) {
            double angle = sign * 2 * Math.PI * k * t / n;
            sr += re[t] * Math.cos(angle) - im[t] * Math.sin(angle);
            si += re[t] * Math.sin(angle) + im[t] * Math.cos(angle);
          }
          assertThat(fr[k])
              .as("n=%d k=%d inverse=%s", n, k, inverse)
              .isCloseTo(sr, org.assertj.core.data.Offset.offset(1e-9 * n));
          assertThat(fi[k])
              .as("n=%d k=%d inverse=%s", n, k, inverse)
              .isCloseTo(si, org.assertj.core.data.Offset.offset(1e-9 * n));
        }
      }
    }
  }

  /** The noisy signal pushed through {@code stage} in blocks of {@code size}. */
  private float[] inBlocks(SampleStage stage, int size) {
    FloatBlock out = new FloatBlock();
    for (int off = 0; off < noisy.length; off += size) {
      stage.push(noisy, off, Math.min(size, noisy.length - off), out);
    }
    stage.finish(out);
    return Arrays.copyOf(out.data(), out.size());
  }

  private static NoiseProfile profileOf(SpectralDenoiser denoiser, PcmAudio in) {
    try {
      return denoiser.profile(() -> AudioStream.of(in), f -> {});
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
