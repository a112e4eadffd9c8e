package io.jobhook.process.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two real frames through one complex FFT give what each gives through its own. */
class FftTest {
  private static final int N = 512;

  @Test
  void two_frames_packed_together_separate_into_their_own_spectra_and_powers() {
    double[] a = randomFrame(1);
    double[] b = randomFrame(2);
    double[][] alone = {transformAlone(a), transformAlone(b)};

    double[] re = a.clone();
    double[] im = b.clone();
    Fft.of(N).transform(re, im, false);
    int bins = N / 2 + 1;
    double[] aRe = new double[bins];
    double[] aIm = new double[bins];
    double[] bRe = new double[bins];
    double[] bIm = new double[bins];
    Fft.unpack(re, im, aRe, aIm, bRe, bIm);
    double[] powerA = new double[bins];
    double[] powerB = new double[bins];
    Fft.unpackPowers(re, im, powerA, powerB);

    for (int k = 0; k < bins; k++) {
      assertThat(aRe[k] * aRe[k] + aIm[k] * aIm[k]).isCloseTo(alone[0][k], within(1e-9));
      assertThat(bRe[k] * bRe[k] + bIm[k] * bIm[k]).isCloseTo(alone[1][k], within(1e-9));
      // the powers are those of the separated spectra, bit for bit
      assertThat(powerA[k]).isEqualTo(aRe[k] * aRe[k] + aIm[k] * aIm[k]);
      assertThat(powerB[k]).isEqualTo(bRe[k] * bRe[k] + bIm[k] * bIm[k]);
    }
  }

  private static double[] transformAlone(double[] frame) {
    double[] re = frame.clone();
    double[] im = new double[N];
    Fft.of(N).transform(re, im, false);
    double[] power = new double[N / 2 + 1];
    for (int k = 0; k < power.length; k++) {
      power[k] = re[k] * re[k] + im[k] * im[k];
    }
    return power;
  }

  private static double[] randomFrame(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = random.nextDouble(-1, 1);
    }
    return x;
  }
}
