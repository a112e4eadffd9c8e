package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.PcmAudio;
import io.jobhook.audio.Resampler;
import io.jobhook.audio.WavCodec;
import io.jobhook.support.SpeechMetrics;
import io.jobhook.support.TestAudio;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseReductionTest {
  private final SpectralDenoiser denoiser = new SpectralDenoiser();

  @ParameterizedTest(name = "{0}-bit float={1}")
  @CsvSource({"8,false", "16,false", "24,false", "32,false", "32,true", "64,true"})
  void decodes_every_supported_wav_sample_format(int bits, boolean isFloat) throws Exception {
    float[] sine = sine(1000, 0.5, 8000, 0.25);
    PcmAudio audio = InMemoryAudio.decode(TestAudio.wav(8000, bits, isFloat, sine));
    assertThat(audio.sampleRate()).isEqualTo(8000);
    assertThat(audio.channelCount()).isEqualTo(1);
    assertThat(audio.frames()).isEqualTo(sine.length);
    double tolerance = bits == 8 ? 1.0 / 64 : 1e-4;
    for (int i = 0; i < sine.length; i++) {
      assertThat((double) audio.channels()[0][i])
          .isCloseTo(sine[i], org.assertj.core.data.Offset.offset(tolerance));
    }
  }

  @Test
  void decodes_wave_format_extensible_with_six_channels() throws Exception {
    float[][] channels = new float[6][];
    for (int c = 0; c < 6; c++) {
      channels[c] = sine(200 + 100 * c, 0.3, 48000, 0.1);
    }
    byte[] plain = TestAudio.wav(48000, 24, false, channels);
    PcmAudio audio = InMemoryAudio.decode(extensible(plain, 24));
    assertThat(audio.channelCount()).isEqualTo(6);
    assertThat(audio.sampleRate()).isEqualTo(48000);
    assertThat(dominantFrequency(audio.channels()[5], 48000))
        .isCloseTo(700, org.assertj.core.data.Offset.offset(15.0));
  }

  @Test
  void decodes_mono_16k_mp3() throws Exception {
    PcmAudio audio = InMemoryAudio.decode(resource("/audio/tone-mono-16k.mp3"));
    assertThat(audio.sampleRate()).isEqualTo(16000);
    assertThat(audio.channelCount()).isEqualTo(1);
    assertThat(audio.frames()).isBetween(15000, 18500);
    assertThat(dominantFrequency(audio.channels()[0], 16000))
        .isCloseTo(300, org.assertj.core.data.Offset.offset(10.0));
  }

  @Test
  void decodes_stereo_44k_mp3() throws Exception {
    PcmAudio audio = InMemoryAudio.decode(resource("/audio/tone-stereo-44k.mp3"));
    assertThat(audio.sampleRate()).isEqualTo(44100);
    assertThat(audio.channelCount()).isEqualTo(2);
    assertThat(audio.frames()).isBetween(44100, 48000);
    assertThat(TestAudio.power(audio.channels()[0])).isGreaterThan(0.01);
  }

  @ParameterizedTest(name = "input SNR {0} dB")
  @ValueSource(doubles = {0, 5, 10})
  void white_noise_is_clearly_reduced_on_speech(double inputSnr) {
    float[] clean = TestAudio.speechLike(16000, 4);
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.1, 3), inputSnr);
    float[] out = InMemoryAudio.denoise(new PcmAudio(16000, new float[][] {noisy})).channels()[0];
    double gain = TestAudio.snrDb(clean, out) - TestAudio.snrDb(clean, noisy);
    System.out.printf("white noise at %.0f dB: SNR gain %.2f dB%n", inputSnr, gain);
    assertThat(gain).isGreaterThan(5.0);
  }

  @Test
  void a_noise_whose_level_swings_slowly_is_followed() {
    int rate = 16000;
    float[] clean = TestAudio.speechLike(rate, 10);
    float[] noise = TestAudio.whiteNoise(clean.length, 0.1, 11);
    for (int i = 0;
        i < noise.length;
        i++) { // a tremolo of 0.3 Hz: the level swings over 8 dB every 3.3 s
      noise[i] *= (float) (1 - 0.6 * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.3 * i / rate)));
    }
    Enhancement e = enhance(clean, TestAudio.mix(clean, noise, 0), rate, "swinging noise at 0 dB");
    // one noise spectrum for the whole file, taken where the noise is quietest, gave 4.5 dB here
    assertThat(e.snrGain()).isGreaterThan(7.0);
    assertThat(e.stoiOut()).isGreaterThanOrEqualTo(e.stoiIn());
  }

  /** The SNR gain and the STOI before and after denoising {@code noisy}. */
  record Enhancement(double snrGain, double stoiIn, double stoiOut) {}

  private Enhancement enhance(float[] clean, float[] noisy, int rate, String what) {
    float[] out = InMemoryAudio.denoise(new PcmAudio(rate, new float[][] {noisy})).channels()[0];
    Enhancement e =
        new Enhancement(
            TestAudio.snrDb(clean, out) - TestAudio.snrDb(clean, noisy),
            SpeechMetrics.stoi(clean, noisy, rate),
            SpeechMetrics.stoi(clean, out, rate));
    System.out.printf(
        "%s: SNR gain %.2f dB, STOI %.4f -> %.4f%n", what, e.snrGain(), e.stoiIn(), e.stoiOut());
    return e;
  }

  @Test
  void mains_hum_with_a_noise_floor_is_reduced() {
    int rate = 44100;
    float[] clean = TestAudio.speechLike(rate, 3);
    float[] hum = new float[clean.length];
    float[] floor = TestAudio.whiteNoise(clean.length, 0.01, 9);
    for (int i = 0; i < hum.length; i++) {
      double t = (double) i / rate;
      hum[i] =
          (float)
                  (Math.sin(2 * Math.PI * 50 * t)
                      + 0.5 * Math.sin(2 * Math.PI * 150 * t)
                      + 0.25 * Math.sin(2 * Math.PI * 250 * t))
              + floor[i] * 10;
    }
    Enhancement e = enhance(clean, TestAudio.mix(clean, hum, 5), rate, "hum at 5 dB");
    assertThat(e.snrGain()).isGreaterThan(5.0);
    assertThat(e.stoiOut())
        .as("intelligibility is not traded for the hum")
        .isGreaterThanOrEqualTo(e.stoiIn());
  }

  @Test
  void the_floor_rises_only_in_bins_where_speech_stands_far_above_the_noise() {
    assertThat(LogMmseGain.cleanBandFloor(10, 1, false)).as("10 dB").isCloseTo(0.1, within(1e-9));
    assertThat(LogMmseGain.cleanBandFloor(Math.pow(10, 1.5), 1, false))
        .as("15 dB")
        .isCloseTo(0.1, within(1e-9));
    assertThat(LogMmseGain.cleanBandFloor(Math.pow(10, 1.7), 1, false))
        .as("17 dB: -10 dB")
        .isCloseTo(Math.pow(10, -0.5), within(1e-9));
    assertThat(LogMmseGain.cleanBandFloor(1e3, 1, false)).as("30 dB: untouched").isEqualTo(1.0);
    assertThat(LogMmseGain.cleanBandFloor(0, 0, false)).as("silence").isCloseTo(0.1, within(1e-9));
  }

  @Test
  void under_stationary_noise_the_floor_rises_from_a_higher_snr() {
    assertThat(LogMmseGain.cleanBandFloor(Math.pow(10, 1.7), 1, true))
        .as("17 dB")
        .isCloseTo(0.1, within(1e-9));
    assertThat(LogMmseGain.cleanBandFloor(Math.pow(10, 2.1), 1, true))
        .as("21 dB: -10 dB")
        .isCloseTo(Math.pow(10, -0.5), within(1e-9));
    assertThat(LogMmseGain.cleanBandFloor(1e3, 1, true)).as("30 dB: untouched").isEqualTo(1.0);
  }

  @Test
  void in_the_pauses_of_speech_under_stationary_noise_the_noise_goes_down_to_the_floor() {
    int rate = 44100;
    float[] clean = TestAudio.speechLike(rate, 10);
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.1, 23), 5);
    float[] out = InMemoryAudio.denoise(new PcmAudio(rate, new float[][] {noisy})).channels()[0];
    double left = 10 * Math.log10(pausePower(out, clean, rate) / pausePower(noisy, clean, rate));
    System.out.printf("white noise at 5 dB, in the pauses: %.2f dB%n", left);
    // the gain's floor is -20 dB; without the speech absence rule, single bins where the noise
    // peaks rise above it, and this noise loses 1 dB less (-17.06 dB)
    assertThat(left).isLessThan(-17.5);
  }

  /** The power of {@code x} where {@code clean} is silent, 50 ms away from any sound. */
  private static double pausePower(float[] x, float[] clean, int rate) {
    int margin = rate / 20;
    int lastSound = -margin - 1;
    int[] nextSound = new int[clean.length + 1];
    nextSound[clean.length] = Integer.MAX_VALUE;
    for (int i = clean.length - 1; i >= 0; i--) {
      nextSound[i] = clean[i] != 0 ? i : nextSound[i + 1];
    }
    double sum = 0;
    for (int i = 0; i < clean.length; i++) {
      if (clean[i] != 0) {
        lastSound = i;
      } else if (i - lastSound > margin && (long) nextSound[i] - i > margin) {
        sum += (double) x[i] * x[i];
      }
    }
    return sum;
  }

  @Test
  void a_band_above_the_input_s_content_is_taken_down_with_a_constant_gain() {
    int rate = 44100;
    // harmonics up to about 5 kHz; long enough for the long-term spectrum to tell an empty band
    float[] clean = TestAudio.speechLike(rate, 10);
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.1, 21), 5);
    float[] out = InMemoryAudio.denoise(new PcmAudio(rate, new float[][] {noisy})).channels()[0];
    double attenuationDb =
        10 * Math.log10(bandPower(out, rate, 9000, 22050) / bandPower(noisy, rate, 9000, 22050));
    // the estimator alone leaves bins above its -20 dB floor wherever the noise peaks
    assertThat(attenuationDb).isBetween(-30.5, -29.5);
  }

  @Test
  void a_band_with_a_signal_of_its_own_is_not_counted_as_empty() {
    int rate = 44100;
    float[] clean = TestAudio.speechLike(rate, 10);
    // a whistle that comes and goes with the syllables (a steady one is noise to the profile)
    float[] tone = sine(12000, 0.05, rate, 10);
    for (int i = 0; i < clean.length; i++) {
      tone[i] *= clean[i] != 0 ? 1 : 0;
      clean[i] += tone[i];
    }
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.1, 22), 5);
    float[] out = InMemoryAudio.denoise(new PcmAudio(rate, new float[][] {noisy})).channels()[0];
    assertThat(bandPower(out, rate, 11900, 12100) / bandPower(tone, rate, 11900, 12100))
        .as("the 12 kHz whistle comes through")
        .isBetween(0.8, 1.1);
  }

  @Test
  void the_empty_band_starts_above_the_last_window_with_a_signal_and_never_below_8_khz() {
    int n = 2048;
    int rate = 44100;
    double[] noise = new double[n / 2 + 1];
    Arrays.fill(noise, 1);
    double[] mean = noise.clone();
    for (int k = 0; k <= 300; k++) { // content up to about 6.5 kHz
      mean[k] = 10;
    }
    assertThat(LogMmseGain.emptyTopFrom(mean, noise, 1, rate, n))
        .as("empty from 8 kHz on")
        .isEqualTo((int) Math.ceil(8000.0 * n / rate));
    mean[600] = 20; // a strong line at 12.9 kHz: its window (1 kHz either side) is not empty
    assertThat(LogMmseGain.emptyTopFrom(mean, noise, 1, rate, n)).isBetween(601 + 46, 601 + 47);
    assertThat(LogMmseGain.emptyTopFrom(mean, noise, 1.25, rate, n))
        .as("a mean noise level above the profile's is the noise's, not a signal")
        .isEqualTo((int) Math.ceil(8000.0 * n / rate));
    Arrays.fill(mean, 10);
    assertThat(LogMmseGain.emptyTopFrom(mean, noise, 1, rate, n))
        .as("no empty band")
        .isEqualTo(n / 2 + 1);
  }

  @Test
  void the_window_at_the_top_of_the_spectrum_is_as_wide_as_any_other() {
    int n = 2048;
    int rate = 44100;
    int bins = n / 2 + 1;
    double[] noise = new double[bins];
    Arrays.fill(noise, 1);
    double[] mean = noise.clone();
    // the last five bins twice the noise, as the long-term estimates of pure noise can come out:
    // 1.106 times the noise over half a window (1 kHz, 47 bins), 1.054 over a whole one
    for (int k = bins - 5; k < bins; k++) {
      mean[k] = 2;
    }
    assertThat(LogMmseGain.emptyTopFrom(mean, noise, 1, rate, n))
        .as("empty from 8 kHz on")
        .isEqualTo((int) Math.ceil(8000.0 * n / rate));
    mean[bins - 1] = 20; // a line at the top: 1.2 times the noise over a whole window
    assertThat(LogMmseGain.emptyTopFrom(mean, noise, 1, rate, n))
        .as("no empty band")
        .isEqualTo(bins);
  }

  @Test
  void the_smoothing_follows_the_long_term_snr_from_noisy_to_clean_input() {
    double[] noise = {1, 1, 2};
    assertThat(LogMmseGain.smoothing(scaled(noise, 2), noise))
        .as("0 dB")
        .isEqualTo(LogMmseGain.ALPHA);
    assertThat(LogMmseGain.smoothing(scaled(noise, 1 + Math.pow(10, 0.75)), noise))
        .as("7.5 dB")
        .isCloseTo(LogMmseGain.ALPHA, within(1e-9));
    assertThat(LogMmseGain.smoothing(scaled(noise, 1 + Math.pow(10, 0.875)), noise))
        .as("8.75 dB: halfway")
        .isCloseTo((LogMmseGain.ALPHA + LogMmseGain.ALPHA_CLEAN) / 2, within(1e-9));
    assertThat(LogMmseGain.smoothing(scaled(noise, 101), noise))
        .as("20 dB")
        .isEqualTo(LogMmseGain.ALPHA_CLEAN);
    assertThat(LogMmseGain.smoothing(new double[3], new double[3]))
        .as("silence")
        .isEqualTo(LogMmseGain.ALPHA);
  }

  @Test
  void the_smoothing_keeps_its_time_constant_at_every_hop() {
    assertThat(LogMmseGain.smoothingPerHop(0.96, 1024, 44100))
        .as("the reference hop")
        .isCloseTo(0.96, within(1e-12));
    // twice the reference hop in seconds: one step of it smooths as much as two steps of the
    // reference
    assertThat(LogMmseGain.smoothingPerHop(0.96, 2048, 44100))
        .isCloseTo(0.96 * 0.96, within(1e-12));
    assertThat(LogMmseGain.smoothingPerHop(0.96, 512, 16000))
        .as("16 kHz, 32 ms")
        .isCloseTo(Math.pow(0.96, (512 / 16000.0) / (1024 / 44100.0)), within(1e-12));
  }

  private static double[] scaled(double[] values, double factor) {
    return java.util.Arrays.stream(values).map(v -> v * factor).toArray();
  }

  @Test
  void silence_stays_silent_and_clean_speech_is_not_mangled() {
    float[] clean = TestAudio.speechLike(16000, 3);
    float[] floor = TestAudio.whiteNoise(clean.length, 1e-4, 5);
    float[] input = TestAudio.mix(clean, floor, 40);
    float[] out = InMemoryAudio.denoise(new PcmAudio(16000, new float[][] {input})).channels()[0];
    assertThat(TestAudio.snrDb(clean, out)).isGreaterThan(25);
    float[] zeros = new float[16000];
    float[] quiet = InMemoryAudio.denoise(new PcmAudio(16000, new float[][] {zeros})).channels()[0];
    assertThat(TestAudio.power(quiet)).isLessThan(1e-12);
  }

  /**
   * Digital silence (every sample zero: a file's padding, an edit's gap) holds no noise to measure.
   * Counted among the quietest frames, a third of the file's length of it made the noise estimate
   * zero, and nothing was taken off the rest.
   */
  @ParameterizedTest(name = "{0} s of digital silence before and after")
  @ValueSource(doubles = {0.5, 2, 4})
  void digital_silence_around_the_audio_changes_nothing_in_the_rest(double seconds) {
    int rate = 16000;
    float[] clean = TestAudio.speechLike(rate, 8);
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.05, 3), 5);
    float[] alone = InMemoryAudio.denoise(new PcmAudio(rate, new float[][] {noisy})).channels()[0];
    int pad = (int) (seconds * rate);
    float[] padded = new float[pad + noisy.length + pad];
    System.arraycopy(noisy, 0, padded, pad, noisy.length);
    float[] out = InMemoryAudio.denoise(new PcmAudio(rate, new float[][] {padded})).channels()[0];
    float[] rest = Arrays.copyOfRange(out, pad, pad + noisy.length);
    double gainAlone = TestAudio.snrDb(clean, alone) - TestAudio.snrDb(clean, noisy);
    double gainPadded = TestAudio.snrDb(clean, rest) - TestAudio.snrDb(clean, noisy);
    System.out.printf(
        "%.1f s of digital silence either side: SNR gain %.2f dB, %.2f dB without%n",
        seconds, gainPadded, gainAlone);
    assertThat(gainPadded).isCloseTo(gainAlone, within(0.2));
  }

  @Test
  void channel_layout_and_length_are_kept() {
    float[][] stereo = {TestAudio.whiteNoise(22050, 0.1, 1), TestAudio.whiteNoise(22050, 0.1, 2)};
    PcmAudio out = InMemoryAudio.denoise(new PcmAudio(22050, stereo));
    assertThat(out.channelCount()).isEqualTo(2);
    assertThat(out.frames()).isEqualTo(22050);
    assertThat(out.sampleRate()).isEqualTo(22050);
  }

  @Test
  void resampling_keeps_a_tone_and_removes_what_would_alias() {
    float[] tone = sine(1000, 0.5, 44100, 1.0);
    float[] down = Resampler.resample(tone, 44100, 16000);
    assertThat(down.length).isEqualTo(16000);
    assertThat(dominantFrequency(down, 16000))
        .isCloseTo(1000, org.assertj.core.data.Offset.offset(5.0));
    assertThat(rms(Arrays.copyOfRange(down, 1000, 15000)))
        .isCloseTo(0.5 / Math.sqrt(2), org.assertj.core.data.Offset.offset(0.01));

    float[] high = sine(7000, 0.5, 44100, 1.0);
    float[] eightK = Resampler.resample(high, 44100, 8000);
    assertThat(rms(Arrays.copyOfRange(eightK, 200, 7800)))
        .as("7 kHz must not alias into an 8 kHz stream")
        .isLessThan(0.005);

    float[] up = Resampler.resample(sine(440, 0.5, 16000, 0.5), 16000, 48000);
    assertThat(up.length).isEqualTo(24000);
    assertThat(dominantFrequency(up, 48000))
        .isCloseTo(440, org.assertj.core.data.Offset.offset(5.0));
  }

  @Test
  void empty_truncated_and_garbage_input_fail_with_clear_codes() {
    assertThatThrownBy(() -> InMemoryAudio.decode(new byte[0]))
        .isInstanceOfSatisfying(
            AudioFormatException.class, e -> assertThat(e.code).isEqualTo("InputDecodeFailed"));
    assertThatThrownBy(() -> InMemoryAudio.decode("GIF89a not audio".getBytes()))
        .isInstanceOfSatisfying(
            AudioFormatException.class, e -> assertThat(e.code).isEqualTo("InvalidInputFormat"));
    byte[] wav = TestAudio.wav16(16000, sine(440, 0.5, 16000, 0.1));
    assertThatThrownBy(() -> InMemoryAudio.decode(Arrays.copyOf(wav, 30)))
        .isInstanceOf(AudioFormatException.class);
    assertThatThrownBy(() -> InMemoryAudio.decode(Arrays.copyOf(wav, 44)))
        .isInstanceOfSatisfying(
            AudioFormatException.class,
            e -> assertThat(e.getMessage()).contains("no audio samples"));
    byte[] adpcm = wav.clone();
    adpcm[20] = 2; // format tag 2 = MS ADPCM
    assertThatThrownBy(() -> InMemoryAudio.decode(adpcm))
        .isInstanceOfSatisfying(
            AudioFormatException.class, e -> assertThat(e.code).isEqualTo("InvalidInputFormat"));
  }

  @ParameterizedTest
  @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void a_float_wav_with_a_sample_that_is_not_a_finite_number_fails_with_a_clear_code(float bad) {
    byte[] wav =
        TestAudio.wav(16000, 32, true, sine(440, 0.5, 16000, 0.5), sine(660, 0.5, 16000, 0.5));
    ByteBuffer.wrap(wav)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putFloat(44 + (1000 * 2 + 1) * 4, bad); // frame 1000, channel 2
    assertThatThrownBy(() -> InMemoryAudio.denoise(wav, null, new ByteArrayOutputStream(), f -> {}))
        .isInstanceOfSatisfying(
            AudioFormatException.class,
            e -> {
              assertThat(e.code).isEqualTo("InputDecodeFailed");
              assertThat(e.getMessage())
                  .contains("sample 1000 of channel 2 is not a finite number");
            });
  }

  @Test
  void a_64_bit_float_sample_beyond_the_range_of_float_fails_with_a_clear_code() {
    byte[] wav = TestAudio.wav(16000, 64, true, sine(440, 0.5, 16000, 0.5));
    ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putDouble(44 + 300 * 8, 1e300);
    assertThatThrownBy(() -> InMemoryAudio.denoise(wav, null, new ByteArrayOutputStream(), f -> {}))
        .isInstanceOfSatisfying(
            AudioFormatException.class,
            e -> assertThat(e.getMessage()).contains("sample 300 of channel 1"));
  }

  @Test
  void a_truncated_mp3_keeps_the_frames_that_decode_and_a_stub_fails() throws Exception {
    byte[] mp3 = resource("/audio/tone-mono-16k.mp3");
    PcmAudio half = InMemoryAudio.decode(Arrays.copyOf(mp3, mp3.length / 2));
    assertThat(half.frames()).isGreaterThan(4000);
    assertThatThrownBy(
            () -> InMemoryAudio.decode(new byte[] {(byte) 0xFF, (byte) 0xFB, 0x10, 0x00, 1, 2}))
        .isInstanceOf(AudioFormatException.class);
  }

  @Test
  void the_processor_writes_16_bit_wav_at_the_requested_rate() throws Exception {
    byte[] in = TestAudio.wav16(44100, sine(500, 0.3, 44100, 0.5), sine(600, 0.3, 44100, 0.5));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InMemoryAudio.denoise(in, 16000, out, f -> {});
    PcmAudio decoded = WavCodec.decode(out.toByteArray());
    assertThat(decoded.sampleRate()).isEqualTo(16000);
    assertThat(decoded.channelCount()).isEqualTo(2);
    assertThat(decoded.frames()).isEqualTo(8000);
  }

  // --- helpers -------------------------------------------------------------------------------

  static float[] sine(double hz, double amplitude, int rate, double seconds) {
    float[] x = new float[(int) (rate * seconds)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return x;
  }

  /** The power of {@code x} between two frequencies, from one FFT of the whole signal. */
  static double bandPower(float[] x, int rate, double fromHz, double toHz) {
    int n = Integer.highestOneBit(x.length - 1) << 1;
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < x.length; i++) {
      re[i] = x[i];
    }
    Fft.of(n).transform(re, im, false);
    double power = 0;
    for (int k = (int) Math.ceil(fromHz * n / rate); k <= Math.min(n / 2, toHz * n / rate); k++) {
      power += re[k] * re[k] + im[k] * im[k];
    }
    return power;
  }

  static double rms(float[] x) {
    return Math.sqrt(TestAudio.power(x));
  }

  /** Frequency of the strongest DFT bin at 1 Hz resolution between 20 Hz and Nyquist. */
  static double dominantFrequency(float[] x, int rate) {
    int n = Math.min(x.length, rate);
    double best = 0;
    double bestHz = 0;
    for (int hz = 20; hz < rate / 2; hz += 1) {
      double re = 0;
      double im = 0;
      for (int i = 0; i < n; i += 1) {
        double a = 2 * Math.PI * hz * i / rate;
        re += x[i] * Math.cos(a);
        im += x[i] * Math.sin(a);
      }
      double p = re * re + im * im;
      if (p > best) {
        best = p;
        bestHz = hz;
      }
      if (hz > 2000) {
        hz += 9; // coarser above 2 kHz: the tones we look for are lower
      }
    }
    return bestHz;
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = NoiseReductionTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  /** Rewrites a plain 44-byte-header WAV as WAVE_FORMAT_EXTENSIBLE. */
  static byte[] extensible(byte[] plain, int bits) {
    ByteBuffer in = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
    short channels = in.getShort(22);
    int rate = in.getInt(24);
    int dataSize = in.getInt(40);
    ByteBuffer out = ByteBuffer.allocate(68 + dataSize).order(ByteOrder.LITTLE_ENDIAN);
    out.put("RIFF".getBytes())
        .putInt(60 + dataSize)
        .put("WAVE".getBytes())
        .put("fmt ".getBytes())
        .putInt(40)
        .putShort((short) 0xFFFE)
        .putShort(channels)
        .putInt(rate)
        .putInt(rate * channels * bits / 8)
        .putShort((short) (channels * bits / 8))
        .putShort((short) bits)
        .putShort((short) 22)
        .putShort((short) bits)
        .putInt(0x3F)
        .putShort((short) 1)
        .putShort((short) 0)
        .putInt(0x00100000)
        .putInt(0xAA000080)
        .putInt(0x719B3800)
        .put("data".getBytes())
        .putInt(dataSize)
        .put(plain, 44, dataSize);
    return out.array();
  }
}
