package io.jobhook.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Generated test audio: speech-like voiced syllables with pauses, noise, WAV bytes, SNR. */
public final class TestAudio {
  private TestAudio() {}

  /**
   * A speech-like signal: a lead-in silence, then syllables of a gliding harmonic tone (pitch
   * 110-220 Hz) shaped by a few formant-like resonances, separated by short pauses.
   */
  public static float[] speechLike(int rate, double seconds) {
    int n = (int) (rate * seconds);
    float[] x = new float[n];
    double phase = 0;
    int lead = rate / 2;
    for (int i = lead; i < n; i++) {
      double t = (double) (i - lead) / rate;
      double syllable = t % 0.45;
      double envelope = syllable < 0.3 ? Math.sin(Math.PI * syllable / 0.3) : 0;
      double pitch =
          140 + 40 * Math.sin(2 * Math.PI * 0.7 * t) + 20 * Math.sin(2 * Math.PI * 3.1 * t);
      phase += 2 * Math.PI * pitch / rate;
      double v = 0;
      for (int h = 1; h <= 25; h++) {
        double f = h * pitch;
        if (f > rate / 2.0 - 200) {
          break;
        }
        double formant =
            Math.exp(-Math.pow((f - 600) / 250, 2))
                + 0.6 * Math.exp(-Math.pow((f - 1700) / 400, 2))
                + 0.3 * Math.exp(-Math.pow((f - 2600) / 500, 2))
                + 0.05;
        v += formant * Math.sin(h * phase) / h;
      }
      x[i] = (float) (0.3 * envelope * v);
    }
    return x;
  }

  /**
   * The benchmarks' tiny job's input: 0.05 s at 8 kHz, 16-bit WAV. Every sample is zero: the
   * speech-like signal starts with half a second of silence, and the noise is scaled to its power.
   */
  public static byte[] tinyNoisyWav() {
    return wav16(8000, mix(speechLike(8000, 0.05), whiteNoise(400, 0.1, 1), 5));
  }

  /**
   * Typing: key clicks (12 ms of white noise, its first difference for a click's bright spectrum)
   * at random times, {@code perSecond} on average at random strengths, over a floor of white noise
   * a thousand times fainter than the clicks' peaks.
   */
  public static float[] typing(int rate, int length, double perSecond, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = whiteNoise(length, 0.0003, seed + 1);
    int click = rate * 12 / 1000;
    double t = 0;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) / perSecond;
      int at = (int) (t * rate);
      if (at + click >= length) {
        return x;
      }
      double strength = random.nextDouble(0.3, 1);
      double previous = 0;
      for (int i = 0; i < click; i++) {
        double sample = random.nextGaussian() * strength * 0.3 * (1 - (double) i / click);
        x[at + i] += (float) (sample - previous);
        previous = sample;
      }
    }
  }

  public static float[] whiteNoise(int n, double rms, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rnd.nextGaussian() * rms);
    }
    return x;
  }

  /** Adds noise scaled so that the mixture has exactly {@code snrDb} against the clean signal. */
  public static float[] mix(float[] clean, float[] noise, double snrDb) {
    double ps = power(clean);
    double pn = power(noise);
    double scale = Math.sqrt(ps / (pn * Math.pow(10, snrDb / 10)));
    float[] out = new float[clean.length];
    for (int i = 0; i < clean.length; i++) {
      out[i] = (float) (clean[i] + noise[i] * scale);
    }
    return out;
  }

  public static double power(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return s / x.length;
  }

  /** SNR in dB of {@code estimate} against {@code reference}, over their common length. */
  public static double snrDb(float[] reference, float[] estimate) {
    int n = Math.min(reference.length, estimate.length);
    double signal = 0;
    double error = 0;
    for (int i = 0; i < n; i++) {
      signal += (double) reference[i] * reference[i];
      double e = estimate[i] - reference[i];
      error += e * e;
    }
    return 10 * Math.log10(signal / error);
  }

  /** 16-bit PCM WAV of the given channels. */
  public static byte[] wav16(int rate, float[]... channels) {
    return wav(rate, 16, false, channels);
  }

  /** WAV with PCM 8/16/24/32-bit or float 32/64-bit samples. */
  public static byte[] wav(int rate, int bits, boolean isFloat, float[]... channels) {
    int frames = channels[0].length;
    ByteBuffer data = withHeader(rate, channels.length, bits, isFloat, frames);
    for (int f = 0; f < frames; f++) {
      for (float[] ch : channels) {
        double v = Math.max(-1, Math.min(1, ch[f]));
        if (isFloat && bits == 64) {
          data.putDouble(v);
        } else if (isFloat) {
          data.putFloat((float) v);
        } else {
          switch (bits) {
            case 8 -> data.put((byte) (Math.round(v * 127) + 128));
            case 16 -> data.putShort((short) Math.round(v * 32767));
            case 24 -> {
              int s = (int) Math.round(v * 8388607);
              data.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
            }
            default -> data.putInt((int) Math.round(v * 2147483647.0));
          }
        }
      }
    }
    return data.array();
  }

  /** 16-bit PCM WAV of the given samples as they are, the full range -32768..32767 included. */
  public static byte[] wav16(int rate, short[]... channels) {
    int frames = channels[0].length;
    ByteBuffer data = withHeader(rate, channels.length, 16, false, frames);
    for (int f = 0; f < frames; f++) {
      for (short[] ch : channels) {
        data.putShort(ch[f]);
      }
    }
    return data.array();
  }

  /** A WAV file of {@code frames} frames: its 44-byte header written, the samples to follow. */
  private static ByteBuffer withHeader(
      int rate, int channels, int bits, boolean isFloat, int frames) {
    int bytes = bits / 8;
    int dataBytes = frames * channels * bytes;
    ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII))
        .putInt(36 + dataBytes)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(StandardCharsets.US_ASCII))
        .putInt(16)
        .putShort((short) (isFloat ? 3 : 1))
        .putShort((short) channels)
        .putInt(rate)
        .putInt(rate * channels * bytes)
        .putShort((short) (channels * bytes))
        .putShort((short) bits)
        .put("data".getBytes(StandardCharsets.US_ASCII))
        .putInt(dataBytes);
    return wav;
  }

  /** Reads back mono 16-bit WAV (as jobhook writes it) into floats. */
  public static float[] readWav16Mono(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int n = (wav.length - 44) / 2;
    float[] x = new float[n];
    b.position(44);
    for (int i = 0; i < n; i++) {
      x[i] = b.getShort() / 32768f;
    }
    return x;
  }
}
