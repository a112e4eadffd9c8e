package io.jobhook.bench;

import io.jobhook.audio.PcmAudio;
import io.jobhook.process.noise.InMemoryAudio;
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
 * one run (driven by bench/denoise.sh, which makes the speech with espeak-ng and the noises with
 * SoX). Prints one line per mixture and method, then per rate and input SNR the mean SNR gain of
 * jobhook and of each peer's best setting, STOI, and jobhook's speed.
 *
 * <pre>  DenoiseBench WORKDIR   (holds speech-RATE.wav and noise-KIND-RATE.wav)</pre>
 */
public final class DenoiseBench {
  static final int[] RATES = {16000, 44100};
  static final String[] NOISES = {"white", "pink", "brown", "hum", "modpink"};
  static final double[] SNRS = {0, 5, 10};

  record Score(double snr, double siSdr, double segSnr, double stoi) {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    // method -> rate/snr -> list of (snr gain), and stoi
    Map<String, Map<String, List<double[]>>> results = new TreeMap<>();
    System.out.println("rate noise input_snr method snr si_sdr seg_snr stoi");
    for (int rate : RATES) {
      float[] clean = mono(Files.readAllBytes(work.resolve("speech-" + rate + ".wav")));
      for (String kind : NOISES) {
        float[] noise =
            mono(Files.readAllBytes(work.resolve("noise-" + kind + "-" + rate + ".wav")));
        noise = java.util.Arrays.copyOf(noise, clean.length);
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
          sh(
              work,
              "ffmpeg",
              "-y",
              "-loglevel",
              "error",
              "-i",
              "mix.wav",
              "-af",
              "afftdn",
              "-c:a",
              "pcm_s16le",
              "out.wav");
          outputs.put("ffmpeg-afftdn", mono(Files.readAllBytes(work.resolve("out.wav"))));
          sh(
              work,
              "ffmpeg",
              "-y",
              "-loglevel",
              "error",
              "-i",
              "mix.wav",
              "-af",
              "asendcmd=c='0.0 afftdn sn start; 0.9 afftdn sn stop',afftdn",
              "-c:a",
              "pcm_s16le",
              "out.wav");
          outputs.put("ffmpeg-afftdn-sampled", mono(Files.readAllBytes(work.resolve("out.wav"))));
          sh(
              work,
              "ffmpeg",
              "-y",
              "-loglevel",
              "error",
              "-i",
              "mix.wav",
              "-af",
              "asendcmd=c='0.0 afftdn sn start; 0.9 afftdn sn stop',afftdn=nr=30",
              "-c:a",
              "pcm_s16le",
              "out.wav");
          outputs.put(
              "ffmpeg-afftdn-sampled-nr30", mono(Files.readAllBytes(work.resolve("out.wav"))));
          for (String setting : List.of("afftdn=nf=-20", "afftdn=nr=30:nf=-25", "afftdn=tn=1")) {
            sh(
                work,
                "ffmpeg",
                "-y",
                "-loglevel",
                "error",
                "-i",
                "mix.wav",
                "-af",
                setting,
                "-c:a",
                "pcm_s16le",
                "out.wav");
            outputs.put("ffmpeg-" + setting, mono(Files.readAllBytes(work.resolve("out.wav"))));
          }
          print(rate, kind, input.snr(), "input", input);
          for (var e : outputs.entrySet()) {
            Score s = score(clean, e.getValue(), rate);
            print(rate, kind, input.snr(), e.getKey(), s);
            results
                .computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                .computeIfAbsent(rate + "/" + (int) target, k -> new ArrayList<>())
                .add(new double[] {s.snr() - input.snr(), s.stoi() - input.stoi()});
          }
        }
      }
    }
    summary(results);
    speed(work);
  }

  static void summary(Map<String, Map<String, List<double[]>>> results) {
    System.out.println();
    System.out.println(
        "mean SNR gain (dB) and mean STOI change per rate/input SNR; peers: best setting");
    Map<String, String> family = new LinkedHashMap<>();
    for (String m : results.keySet()) {
      family.put(m, m.startsWith("sox") ? "sox" : m.startsWith("ffmpeg") ? "ffmpeg" : m);
    }
    for (int rate : RATES) {
      for (double target : SNRS) {
        String key = rate + "/" + (int) target;
        StringBuilder line =
            new StringBuilder(String.format(Locale.ROOT, "%5d Hz %2.0f dB:", rate, target));
        for (String fam : List.of("jobhook", "sox", "ffmpeg")) {
          String best = null;
          double bestGain = -1e9;
          double bestStoi = 0;
          for (var e : results.entrySet()) {
            if (!family.get(e.getKey()).equals(fam) || !e.getValue().containsKey(key)) {
              continue;
            }
            double g = e.getValue().get(key).stream().mapToDouble(v -> v[0]).average().orElse(-1e9);
            if (g > bestGain) {
              bestGain = g;
              best = e.getKey();
              bestStoi = e.getValue().get(key).stream().mapToDouble(v -> v[1]).average().orElse(0);
            }
          }
          line.append(
              String.format(
                  Locale.ROOT, "  %s %+.2f dB (STOI %+.3f, %s)", fam, bestGain, bestStoi, best));
        }
        System.out.println(line);
      }
    }
  }

  static void speed(Path work) throws Exception {
    for (int rate : RATES) {
      float[] clean = mono(Files.readAllBytes(work.resolve("speech-" + rate + ".wav")));
      float[] noise = mono(Files.readAllBytes(work.resolve("noise-pink-" + rate + ".wav")));
      float[] mix = TestAudio.mix(clean, java.util.Arrays.copyOf(noise, clean.length), 5);
      int copies = (int) Math.ceil(60.0 * rate / mix.length);
      float[] minute = new float[mix.length * copies];
      for (int i = 0; i < copies; i++) {
        System.arraycopy(mix, 0, minute, i * mix.length, mix.length);
      }
      byte[] wav = TestAudio.wav16(rate, minute);
      double audioSeconds = (double) minute.length / rate;
      for (int warm = 0; warm < 2; warm++) {
        InMemoryAudio.denoise(wav, null, new ByteArrayOutputStream(), f -> {});
      }
      long start = System.nanoTime();
      int runs = 3;
      for (int r = 0; r < runs; r++) {
        InMemoryAudio.denoise(wav, null, new ByteArrayOutputStream(), f -> {});
      }
      double seconds = (System.nanoTime() - start) / 1e9 / runs;
      System.out.printf(
          Locale.ROOT,
          "speed %d Hz mono: %.1f s of audio in %.3f s = %.0fx realtime (one thread, warm)%n",
          rate,
          audioSeconds,
          seconds,
          audioSeconds / seconds);
    }
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
