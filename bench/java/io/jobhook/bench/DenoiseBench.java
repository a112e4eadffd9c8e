package io.jobhook.bench;

import io.jobhook.audio.PcmAudio;
import io.jobhook.process.noise.InMemoryAudio;
import io.jobhook.process.noise.KnownNoise;
import io.jobhook.process.noise.ResamplerAccess;
import io.jobhook.support.SpeechMetrics;
import io.jobhook.support.TestAudio;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * NoiseReduction quality and speed against SoX noisered and FFmpeg afftdn, on the same mixtures in
 * one run (driven by bench/denoise.sh, which makes the speech, the noises and single sounds with
 * espeak-ng and SoX). Prints one line per mixture and method; then per rate and input SNR the mean
 * SNR gain of jobhook and of each peer's best setting, and STOI, for the synthetic noises and for
 * the noises nearer to recordings; the mean per noise kind; every mixture a peer won; the speed of
 * all three on the same five-minute files; and per mixture what jobhook's noise estimate costs (the
 * {@code estimate} lines: its output against the same denoiser told the noise).
 *
 * <pre>  DenoiseBench WORKDIR JAR   (WORKDIR holds speech-RATE.wav, noise-KIND-RATE.wav and
 *                              event-KIND-RATE.wav; JAR is target/jobhook.jar)</pre>
 */
public final class DenoiseBench {
  static final int[] RATES = {16000, 44100};
  static final List<String> SYNTHETIC = List.of("white", "pink", "brown", "hum", "modpink");

  /**
   * Nearer to what users record: babble (six other talkers), a fan, reverberant room tone (air and
   * distant voices), a cafe (babble with clinks and knocks) and typing (key clicks on a faint
   * floor).
   */
  static final List<String> RECORDED = List.of("babble", "fan", "room", "cafe", "keys");

  static final double[] SNRS = {0, 5, 10};

  record Score(double snr, double siSdr, double segSnr, double stoi) {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Path jar = Path.of(args[1]).toAbsolutePath();
    // method -> rate/snr -> list of (snr gain), and stoi
    Map<String, Map<String, List<double[]>>> results = new TreeMap<>();
    List<String> estimates = new ArrayList<>();
    System.out.println("rate noise input_snr method snr si_sdr seg_snr stoi");
    for (int rate : RATES) {
      float[] clean = mono(Files.readAllBytes(work.resolve("speech-" + rate + ".wav")));
      for (String kind : concat(SYNTHETIC, RECORDED)) {
        float[] noise = noise(work, kind, rate, clean.length);
        for (double target : SNRS) {
          float[] noisy = TestAudio.mix(clean, noise, target);
          Path in = work.resolve("mix.wav");
          Files.write(in, TestAudio.wav(rate, 32, true, noisy));
          Score input = score(clean, noisy, rate);
          Map<String, float[]> outputs = new LinkedHashMap<>();
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          InMemoryAudio.denoise(Files.readAllBytes(in), null, out, f -> {});
          outputs.put("jobhook", mono(out.toByteArray()));
          sh(work, "sox", "mix.wav", "-n", "trim", "0", "0.9", "noiseprof", "prof");
          for (String strength : List.of("0.1", "0.2", "0.3", "0.5")) {
            sh(work, "sox", "mix.wav", "-b", "16", "out.wav", "noisered", "prof", strength);
            outputs.put(
                "sox-noisered-" + strength, mono(Files.readAllBytes(work.resolve("out.wav"))));
          }
          // the default, then a profile sampled from the lead-in as SoX takes it, then set levels
          Map<String, String> ffmpegSettings = new LinkedHashMap<>();
          ffmpegSettings.put("ffmpeg-afftdn", "afftdn");
          ffmpegSettings.put("ffmpeg-afftdn-sampled", SAMPLED + "afftdn");
          ffmpegSettings.put("ffmpeg-afftdn-sampled-nr30", SAMPLED + "afftdn=nr=30");
          for (String setting : List.of("afftdn=nf=-20", "afftdn=nr=30:nf=-25", "afftdn=tn=1")) {
            ffmpegSettings.put("ffmpeg-" + setting, setting);
          }
          for (var setting : ffmpegSettings.entrySet()) {
            sh(
                work,
                "ffmpeg",
                "-y",
                "-loglevel",
                "error",
                "-i",
                "mix.wav",
                "-af",
                setting.getValue(),
                "-c:a",
                "pcm_s16le",
                "out.wav");
            outputs.put(setting.getKey(), mono(Files.readAllBytes(work.resolve("out.wav"))));
          }
          print(rate, kind, input.snr(), "input", input);
          for (var e : outputs.entrySet()) {
            Score s = score(clean, e.getValue(), rate);
            print(rate, kind, input.snr(), e.getKey(), s);
            if (e.getKey().equals("jobhook")) {
              estimates.add(estimateLine(rate, kind, target, clean, noisy, input, s));
            }
            results
                .computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                .computeIfAbsent(rate + "/" + (int) target + "/" + kind, k -> new ArrayList<>())
                .add(new double[] {s.snr() - input.snr(), s.stoi() - input.stoi()});
          }
        }
      }
    }
    summary(results, SYNTHETIC);
    summary(results, RECORDED);
    perKind(results);
    lost(results);
    speed(work, jar);
    System.out.println(
        "estimate rate noise input_snr jobhook_snr_gain jobhook_stoi_change"
            + " known_noise_snr_gain known_noise_stoi_change");
    estimates.forEach(System.out::println);
  }

  /**
   * What jobhook's noise estimate costs on one mixture: the SNR gain and the change of STOI of its
   * output, and of the same denoiser told the noise (the noise alone's mean spectrum, see {@link
   * KnownNoise}). Where the two differ, the estimate, not the gain, is what loses.
   */
  static String estimateLine(
      int rate, String kind, double target, float[] clean, float[] noisy, Score input, Score own) {
    float[] noisePart = new float[noisy.length];
    for (int i = 0; i < noisy.length; i++) {
      noisePart[i] = noisy[i] - clean[i];
    }
    Score known = score(clean, KnownNoise.denoise(rate, noisy, noisePart), rate);
    return String.format(
        Locale.ROOT,
        "estimate %d %s %.0f %+.2f %+.4f %+.2f %+.4f",
        rate,
        kind,
        target,
        own.snr() - input.snr(),
        own.stoi() - input.stoi(),
        known.snr() - input.snr(),
        known.stoi() - input.stoi());
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The noise of a kind, as long as the speech: a file the script made, or for the cafe and typing,
   * single sounds scattered over time at random (the same draw every run).
   */
  static float[] noise(Path work, String kind, int rate, int length) throws Exception {
    return switch (kind) {
      case "cafe" ->
          sum(
              scale(read(work, "noise-babble-" + rate, length), 0.5f),
              scattered(read(work, "event-clink-" + rate, -1), 0.8, rate, length, 11),
              scattered(read(work, "event-knock-" + rate, -1), 1.2, rate, length, 12));
      case "keys" ->
          sum(
              scattered(read(work, "event-key-" + rate, -1), 6, rate, length, 13),
              read(work, "keys-floor-" + rate, length));
      default -> read(work, "noise-" + kind + "-" + rate, length);
    };
  }

  static float[] read(Path work, String name, int length) throws Exception {
    float[] x = mono(Files.readAllBytes(work.resolve(name + ".wav")));
    return length < 0 ? x : java.util.Arrays.copyOf(x, length);
  }

  /** {@code event} at Poisson-distributed times, {@code perSecond} on average, gains 0.3-1. */
  static float[] scattered(float[] event, double perSecond, int rate, int length, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    float[] out = new float[length];
    double t = 0;
    while (true) {
      t += -Math.log(1 - random.nextDouble()) / perSecond;
      int at = (int) (t * rate);
      if (at >= length) {
        return out;
      }
      float gain = (float) random.nextDouble(0.3, 1);
      for (int i = 0; i < event.length && at + i < length; i++) {
        out[at + i] += gain * event[i];
      }
    }
  }

  static float[] sum(float[]... parts) {
    float[] out = new float[parts[0].length];
    for (float[] part : parts) {
      for (int i = 0; i < out.length; i++) {
        out[i] += part[i];
      }
    }
    return out;
  }

  static float[] scale(float[] x, float gain) {
    float[] out = x.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= gain;
    }
    return out;
  }

  static String family(String method) {
    return method.startsWith("sox") ? "sox" : method.startsWith("ffmpeg") ? "ffmpeg" : method;
  }

  /** The mean of the SNR gains (index 0) or the STOI changes (index 1) of some mixtures. */
  static double mean(List<double[]> all, int index) {
    return all.stream().mapToDouble(v -> v[index]).average().orElse(Double.NaN);
  }

  /** The scores of one method on the mixtures whose key ("rate/snr/kind") is accepted. */
  static List<double[]> over(
      Map<String, List<double[]>> byKey, java.util.function.Predicate<String> accept) {
    List<double[]> all = new ArrayList<>();
    byKey.forEach(
        (key, values) -> {
          if (accept.test(key)) {
            all.addAll(values);
          }
        });
    return all;
  }

  /** Per family, the method with the highest mean SNR gain over the keys accepted. */
  static String bestOf(
      Map<String, Map<String, List<double[]>>> results,
      String fam,
      java.util.function.Predicate<String> accept) {
    String best = null;
    double bestGain = -1e9;
    double bestStoi = 0;
    for (var e : results.entrySet()) {
      List<double[]> all = over(e.getValue(), accept);
      if (!family(e.getKey()).equals(fam) || all.isEmpty()) {
        continue;
      }
      double g = mean(all, 0);
      if (g > bestGain) {
        bestGain = g;
        best = e.getKey();
        bestStoi = mean(all, 1);
      }
    }
    return String.format(
        Locale.ROOT, "  %s %+.2f dB (STOI %+.3f, %s)", fam, bestGain, bestStoi, best);
  }

  static void summary(Map<String, Map<String, List<double[]>>> results, List<String> kinds) {
    System.out.println();
    System.out.println(
        "mean SNR gain (dB) and mean STOI change per rate/input SNR over "
            + String.join(", ", kinds)
            + "; peers: best setting");
    for (int rate : RATES) {
      for (double target : SNRS) {
        String prefix = rate + "/" + (int) target + "/";
        StringBuilder line =
            new StringBuilder(String.format(Locale.ROOT, "%5d Hz %2.0f dB:", rate, target));
        for (String fam : List.of("jobhook", "sox", "ffmpeg")) {
          line.append(
              bestOf(
                  results,
                  fam,
                  key -> key.startsWith(prefix) && kinds.contains(key.substring(prefix.length()))));
        }
        System.out.println(line);
      }
    }
  }

  static void perKind(Map<String, Map<String, List<double[]>>> results) {
    System.out.println();
    System.out.println(
        "mean SNR gain (dB) and STOI change per noise, over both rates and 0/5/10 dB");
    for (String kind : concat(SYNTHETIC, RECORDED)) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s", kind));
      for (String fam : List.of("jobhook", "sox", "ffmpeg")) {
        line.append(bestOf(results, fam, key -> key.endsWith("/" + kind)));
      }
      System.out.println(line);
    }
  }

  /** Every mixture where some peer setting's SNR gain beat jobhook's, and by how much. */
  static void lost(Map<String, Map<String, List<double[]>>> results) {
    System.out.println();
    int mixtures = 0;
    List<String> lost = new ArrayList<>();
    for (var mixture : results.get("jobhook").entrySet()) {
      mixtures++;
      double ours = mean(mixture.getValue(), 0);
      for (var e : results.entrySet()) {
        List<double[]> theirs = e.getValue().get(mixture.getKey());
        if (!e.getKey().equals("jobhook") && theirs != null && mean(theirs, 0) > ours) {
          lost.add(
              String.format(
                  Locale.ROOT,
                  "  %s: %s by %.2f dB",
                  mixture.getKey(),
                  e.getKey(),
                  mean(theirs, 0) - ours));
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "mixtures where a peer setting won: %d of %d%n",
        lost.stream().map(l -> l.substring(0, l.indexOf(':'))).distinct().count(),
        mixtures);
    lost.forEach(System.out::println);
    long stoiBelow = results.get("jobhook").values().stream().filter(v -> mean(v, 1) < 0).count();
    System.out.printf(
        Locale.ROOT, "mixtures where jobhook's STOI is below the input's: %d%n", stoiBelow);
  }

  /**
   * Speed on five minutes of speech in pink noise at 5 dB, mono: jobhook warm in this JVM on one
   * thread, then jobhook cold through its command, SoX and FFmpeg, each pinned to one core ({@code
   * taskset -c 0}, process start included), the median of three runs.
   */
  static void speed(Path work, Path jar) throws Exception {
    System.out.println();
    for (int rate : RATES) {
      float[] clean = mono(Files.readAllBytes(work.resolve("speech-" + rate + ".wav")));
      float[] noise = mono(Files.readAllBytes(work.resolve("noise-pink-" + rate + ".wav")));
      float[] mix = TestAudio.mix(clean, java.util.Arrays.copyOf(noise, clean.length), 5);
      int frames = 300 * rate;
      float[] fiveMinutes = new float[frames];
      for (int at = 0; at < frames; at += mix.length) {
        System.arraycopy(mix, 0, fiveMinutes, at, Math.min(mix.length, frames - at));
      }
      byte[] wav = TestAudio.wav16(rate, fiveMinutes);
      Path in = work.resolve("speed-" + rate + ".wav");
      Files.write(in, wav);
      double audioSeconds = (double) frames / rate;
      for (int warm = 0; warm < 2; warm++) {
        InMemoryAudio.denoise(wav, null, new ByteArrayOutputStream(), f -> {});
      }
      double[] warmRuns = new double[3];
      for (int r = 0; r < warmRuns.length; r++) {
        long start = System.nanoTime();
        InMemoryAudio.denoise(wav, null, new ByteArrayOutputStream(), f -> {});
        warmRuns[r] = (System.nanoTime() - start) / 1e9;
      }
      String java = Files.isExecutable(Path.of("/usr/bin/java")) ? "/usr/bin/java" : "java";
      double cold =
          timed(
              work,
              "taskset",
              "-c",
              "0",
              java,
              "-jar",
              jar.toString(),
              "denoise",
              in.toString(),
              "out.wav");
      sh(work, "sox", in.toString(), "-n", "trim", "0", "0.9", "noiseprof", "speed.prof");
      double sox =
          timed(
              work,
              "taskset",
              "-c",
              "0",
              "sox",
              in.toString(),
              "-b",
              "16",
              "out.wav",
              "noisered",
              "speed.prof",
              "0.2");
      double ffmpeg =
          timed(
              work,
              "taskset",
              "-c",
              "0",
              "ffmpeg",
              "-y",
              "-loglevel",
              "error",
              "-threads",
              "1",
              "-i",
              in.toString(),
              "-af",
              "afftdn",
              "-c:a",
              "pcm_s16le",
              "out.wav");
      double warm = median(warmRuns);
      System.out.printf(
          Locale.ROOT,
          "speed %d Hz mono, %.0f s of audio, one core: jobhook warm %.3f s = %.0fx realtime;"
              + " jobhook cold (java -jar, JVM start included) %.3f s = %.0fx;"
              + " sox noisered %.3f s = %.0fx; ffmpeg afftdn %.3f s = %.0fx;"
              + " ratios warm/sox %.2f, cold/sox %.2f, warm/ffmpeg %.2f, cold/ffmpeg %.2f%n",
          rate,
          audioSeconds,
          warm,
          audioSeconds / warm,
          cold,
          audioSeconds / cold,
          sox,
          audioSeconds / sox,
          ffmpeg,
          audioSeconds / ffmpeg,
          sox / warm,
          sox / cold,
          ffmpeg / warm,
          ffmpeg / cold);
    }
    tinyJob();
  }

  /**
   * The pipeline benchmarks' job ({@link TestAudio#tinyNoisyWav}, 0.05 s at 8 kHz), decoded,
   * denoised and encoded in one thread, warm: what a job's DSP costs when its fixed part dominates.
   */
  static void tinyJob() throws Exception {
    byte[] wav = TestAudio.tinyNoisyWav();
    int jobs = 20_000;
    double[] rounds = new double[5];
    for (int round = -3; round < rounds.length; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        InMemoryAudio.denoise(wav, null, new ByteArrayOutputStream(), f -> {});
      }
      if (round >= 0) {
        rounds[round] = (System.nanoTime() - start) / 1e3 / jobs;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "tiny job (0.05 s at 8 kHz), warm, one thread: %.1f us per job (median of %d rounds)%n",
        median(rounds),
        rounds.length);
  }

  /** The median wall time of three runs of a command, in seconds. */
  static double timed(Path dir, String... cmd) throws Exception {
    double[] runs = new double[3];
    for (int r = 0; r < runs.length; r++) {
      long start = System.nanoTime();
      sh(dir, cmd);
      runs[r] = (System.nanoTime() - start) / 1e9;
    }
    return median(runs);
  }

  static double median(double[] runs) {
    double[] sorted = runs.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * Shifts {@code est} by the lag (within 100 ms) that best matches {@code clean}: FFmpeg's afftdn,
   * for one, delays its output, and a delay must not count as noise.
   */
  static float[] aligned(float[] clean, float[] est, int rate) {
    int maxLag = rate / 10;
    int from = rate * 2;
    int len = Math.min(rate / 2, clean.length - from - maxLag);
    int bestLag = 0;
    double best = -Double.MAX_VALUE;
    for (int lag = -maxLag; lag <= maxLag; lag++) {
      double dot = 0;
      for (int i = from; i < from + len; i++) {
        int j = i + lag;
        if (j >= 0 && j < est.length) {
          dot += clean[i] * est[j];
        }
      }
      if (dot > best) {
        best = dot;
        bestLag = lag;
      }
    }
    if (bestLag == 0) {
      return est;
    }
    float[] out = new float[clean.length];
    for (int i = 0; i < out.length; i++) {
      int j = i + bestLag;
      out[i] = j >= 0 && j < est.length ? est[j] : 0;
    }
    return out;
  }

  /** FFmpeg's afftdn told to sample the noise over the lead-in (0-0.9 s), as SoX's profile is. */
  private static final String SAMPLED = "asendcmd=c='0.0 afftdn sn start; 0.9 afftdn sn stop',";

  static Score score(float[] clean, float[] raw, int rate) {
    float[] est = aligned(clean, raw, rate);
    return new Score(
        SpeechMetrics.snr(clean, est),
        SpeechMetrics.siSdr(clean, est),
        SpeechMetrics.segmentalSnr(clean, est, rate),
        SpeechMetrics.stoi(clean, est, rate));
  }

  static void print(int rate, String kind, double inputSnr, String method, Score s) {
    System.out.printf(
        Locale.ROOT,
        "%d %s %.1f %s %.2f %.2f %.2f %.3f%n",
        rate,
        kind,
        inputSnr,
        method,
        s.snr(),
        s.siSdr(),
        s.segSnr(),
        s.stoi());
  }

  static float[] mono(byte[] wav) throws Exception {
    PcmAudio a = ResamplerAccess.decode(wav);
    return a.channels()[0];
  }

  static void sh(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
