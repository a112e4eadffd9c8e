package io.jobhook.audio;

/**
 * Band-limited sample-rate conversion: windowed-sinc interpolation (Kaiser window, 32 zero
 * crossings each side) with the cut-off at the lower of the two Nyquist frequencies, so that
 * down-sampling does not alias. Streaming and polyphase: see {@link Stream}.
 */
public final class Resampler {
  private static final int HALF_TAPS = 32;
  private static final double KAISER_BETA = 8.6;
  private static final int WINDOW_TABLE = 4096;

  /** Kaiser window sampled over r = 0..1 (distance from centre over half-width). */
  private static final double[] KAISER = kaiserTable();

  private Resampler() {}

  public static PcmAudio resample(PcmAudio in, int targetRate) {
    if (targetRate == in.sampleRate()) {
      return in;
    }
    float[][] out = new float[in.channelCount()][];
    for (int ch = 0; ch < in.channelCount(); ch++) {
      out[ch] = resample(in.channels()[ch], in.sampleRate(), targetRate);
    }
    return new PcmAudio(targetRate, out);
  }

  public static float[] resample(float[] x, int fromRate, int toRate) {
    Stream stream = new Stream(fromRate, toRate);
    FloatBlock out = new FloatBlock();
    stream.push(x, 0, x.length, out);
    stream.finish(out);
    return java.util.Arrays.copyOf(out.data, out.size);
  }

  /**
   * The same conversion over a stream pushed block by block: it keeps only the input the next
   * output samples need, so memory does not grow with the length. With L/M the ratio in lowest
   * terms, output sample m sits at input time m*M/L, whose fractional part takes one of L values:
   * the filter taps of each such phase are computed once (polyphase), unless that table would be
   * large (rates with a huge common multiple), when they are computed as needed. There are
   * floor(inputLength * L / M) output samples. Not thread-safe.
   */
  /** How many samples {@code frames} input samples become: floor(frames * to / from), exactly. */
  public static long outputLength(long frames, int fromRate, int toRate) {
    long g = Stream.gcd(fromRate, toRate);
    return frames * (toRate / g) / (fromRate / g);
  }

  public static final class Stream implements SampleStage {
    private static final int MAX_TABLE = 1 << 20;
    private static final java.util.Map<Long, double[][]> TABLES =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final long up;
    private final long down;
    private final double cutoff;
    private final double halfWidth;

    /**
     * Taps per phase p for input offsets j from {@code firstOffset[p]}; null: computed as needed.
     */
    private final double[][] taps;

    private final int[] firstOffset;
    private float[] buf = new float[8192];

    /** Input index of buf[0]. */
    private long bufBase;

    private int bufLen;
    private long received;
    private long nextOut;

    public Stream(int fromRate, int toRate) {
      long g = gcd(fromRate, toRate);
      this.up = toRate / g;
      this.down = fromRate / g;
      this.cutoff = Math.min(1.0, (double) toRate / fromRate) * 0.97;
      this.halfWidth = HALF_TAPS / cutoff; // in input samples
      this.firstOffset = up * (2 * halfWidth + 2) <= MAX_TABLE ? new int[(int) up] : null;
      if (firstOffset != null) {
        for (int p = 0; p < up; p++) {
          firstOffset[p] = (int) Math.ceil((double) p / up - halfWidth);
        }
        this.taps = TABLES.computeIfAbsent(up << 32 | down, k -> table());
      } else {
        this.taps = null;
      }
    }

    private double[][] table() {
      double[][] table = new double[(int) up][];
      for (int p = 0; p < up; p++) {
        double frac = (double) p / up;
        int last = (int) Math.floor(frac + halfWidth);
        table[p] = new double[last - firstOffset[p] + 1];
        for (int j = firstOffset[p]; j <= last; j++) {
          table[p][j - firstOffset[p]] = tap(frac - j);
        }
      }
      return table;
    }

    private double tap(double d) {
      return cutoff * sinc(cutoff * d) * kaiser(Math.abs(d / halfWidth));
    }

    @Override
    public void push(float[] x, int off, int len, FloatBlock out) {
      if (bufLen + len > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(bufLen + len, buf.length * 2));
      }
      System.arraycopy(x, off, buf, bufLen, len);
      bufLen += len;
      received += len;
      emit(false, out);
    }

    @Override
    public void finish(FloatBlock out) {
      emit(true, out);
    }

    private void emit(boolean end, FloatBlock out) {
      long total = end ? received * up / down : Long.MAX_VALUE;
      while (nextOut < total) {
        long whole = nextOut * down / up;
        int phase = (int) (nextOut * down % up);
        double frac = (double) phase / up;
        long first =
            whole + (firstOffset != null ? firstOffset[phase] : (long) Math.ceil(frac - halfWidth));
        long last = whole + (long) Math.floor(frac + halfWidth);
        if (!end && last >= received) {
          break; // needs input that has not arrived yet
        }
        double acc = 0;
        long from = Math.max(0, first);
        long to = Math.min(received - 1, last);
        if (taps != null) {
          double[] row = taps[phase];
          for (long k = from; k <= to; k++) {
            acc += buf[(int) (k - bufBase)] * row[(int) (k - first)];
          }
        } else {
          for (long k = from; k <= to; k++) {
            acc += buf[(int) (k - bufBase)] * tap(frac - (k - whole));
          }
        }
        out.add((float) acc);
        nextOut++;
      }
      // drop input no later output sample reaches
      long nextWhole = nextOut * down / up;
      long keepFrom = Math.max(0, Math.min(received, nextWhole + (long) Math.ceil(-halfWidth)));
      int drop = (int) (keepFrom - bufBase);
      if (drop > 0) {
        System.arraycopy(buf, drop, buf, 0, bufLen - drop);
        bufLen -= drop;
        bufBase = keepFrom;
      }
    }

    static long gcd(long a, long b) {
      return b == 0 ? a : gcd(b, a % b);
    }
  }

  private static double kaiser(double r) {
    double pos = Math.min(r, 1.0) * WINDOW_TABLE;
    int i = (int) pos;
    if (i >= WINDOW_TABLE) {
      return KAISER[WINDOW_TABLE];
    }
    double frac = pos - i;
    return KAISER[i] * (1 - frac) + KAISER[i + 1] * frac;
  }

  private static double[] kaiserTable() {
    double[] table = new double[WINDOW_TABLE + 1];
    double i0Beta = besselI0(KAISER_BETA);
    for (int i = 0; i <= WINDOW_TABLE; i++) {
      double r = (double) i / WINDOW_TABLE;
      table[i] = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
    }
    return table;
  }

  private static double sinc(double x) {
    if (Math.abs(x) < 1e-9) {
      return 1;
    }
    double px = Math.PI * x;
    return Math.sin(px) / px;
  }

  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 50; k++) {
      term *= q / (k * k);
      sum += term;
      if (term < 1e-12 * sum) {
        break;
      }
    }
    return sum;
  }
}
