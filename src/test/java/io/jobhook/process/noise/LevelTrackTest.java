package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The noise level over time: frame energies at the profile pass's hop (n/4) of 16 kHz audio with
 * 1,024-sample frames, 62.5 per second; each entry of the track spans two of them at first.
 */
class LevelTrackTest {
  private static final int RATE = 16000;
  private static final int N = 1024;
  private static final double FRAMES_PER_SECOND = RATE / (N / 4.0);

  @Test
  void stationary_noise_keeps_the_level_at_one() {
    float[] level = track(seconds(30), t -> 1.0);
    assertThat(level).containsOnly(1f);
  }

  @Test
  void bursts_shorter_than_the_window_are_speech_not_noise() {
    // syllables: 0.3 s at 30 times the noise's energy, every 0.45 s
    float[] level = track(seconds(30), t -> t % 0.45 < 0.3 ? 30.0 : 1.0);
    assertThat(level).containsOnly(1f);
  }

  @Test
  void a_noise_that_stays_louder_for_seconds_is_followed_with_a_margin() {
    float[] level = track(seconds(30), t -> t >= 10 && t < 20 ? 6.0 : 1.0);
    double perEntry = 2 / FRAMES_PER_SECOND;
    assertThat(level[(int) (5 / perEntry)]).as("before").isEqualTo(1f);
    assertThat((double) level[(int) (15 / perEntry)])
        .as("inside: 6 over the margin")
        .isCloseTo(6 / LevelTrack.MARGIN, within(0.2));
    assertThat(level[(int) (25 / perEntry)]).as("after").isEqualTo(1f);
  }

  @Test
  void a_track_longer_than_its_capacity_merges_neighbours_and_still_finds_the_louder_stretch() {
    int frames = 10 * LevelTrack.CAPACITY * 2; // 10 times as many entries as it holds
    double seconds = frames / FRAMES_PER_SECOND; // about 5.8 hours
    double from = seconds / 2;
    LevelTrack track = feed(frames, t -> t >= from && t < from + 60 ? 6.0 : 1.0);
    float[] level = track.relativeTo(quietestTenthOf(0.8), RATE, N);
    assertThat(level.length).isLessThanOrEqualTo(LevelTrack.CAPACITY);
    assertThat(track.span()).isEqualTo(32); // 2, then doubled at each of four merges
    double perEntry = track.span() / FRAMES_PER_SECOND;
    assertThat((double) level[(int) ((from + 30) / perEntry)])
        .isCloseTo(6 / LevelTrack.MARGIN, within(0.2));
    assertThat(level[(int) ((from - 60) / perEntry)]).isEqualTo(1f);
    assertThat(level[(int) ((from + 120) / perEntry)]).isEqualTo(1f);
  }

  @Test
  void a_track_that_never_lifts_past_the_stationary_level_is_that_of_stationary_noise() {
    assertThat(LevelTrack.isStationary(track(seconds(30), t -> 1.0))).isTrue();
    assertThat(LevelTrack.isStationary(track(seconds(30), t -> t % 0.45 < 0.3 ? 30.0 : 1.0)))
        .as("syllables over the noise")
        .isTrue();
    assertThat(LevelTrack.isStationary(track(seconds(30), t -> t >= 10 && t < 12 ? 3.0 : 1.0)))
        .as("two louder seconds")
        .isFalse();
  }

  @Test
  void a_slow_swing_reaches_its_mean_where_short_bursts_do_not() {
    // both average 2.5 times the quiet level: one over a 0.3 Hz swing, one by bursts of 0.1 s
    LevelTrack swinging = feed(seconds(30), t -> 2.5 + 2.4 * Math.sin(2 * Math.PI * 0.3 * t));
    LevelTrack bursts = feed(seconds(30), t -> t % 0.5 < 0.1 ? 8.5 : 1.0);
    assertThat(swinging.shareReaching(2.5, RATE, N)).isGreaterThan(0.3);
    assertThat(bursts.shareReaching(2.5, RATE, N)).isZero();
  }

  private static int seconds(double s) {
    return (int) (s * FRAMES_PER_SECOND);
  }

  /** Energies of stationary noise (mean 1 times {@code level}, +-20% frame to frame). */
  private static float[] track(int frames, java.util.function.DoubleUnaryOperator level) {
    return feed(frames, level).relativeTo(quietestTenthOf(0.8), RATE, N);
  }

  private static LevelTrack feed(int frames, java.util.function.DoubleUnaryOperator level) {
    SplittableRandom random = new SplittableRandom(7);
    LevelTrack track = new LevelTrack();
    for (int f = 0; f < frames; f++) {
      track.offer(level.applyAsDouble(f / FRAMES_PER_SECOND) * random.nextDouble(0.8, 1.2));
    }
    return track;
  }

  /**
   * The mean of the quietest tenth of energies uniform on [low, 1.2]: the noise profile's energy.
   */
  private static double quietestTenthOf(double low) {
    return low + (1.2 - low) * 0.05;
  }
}
