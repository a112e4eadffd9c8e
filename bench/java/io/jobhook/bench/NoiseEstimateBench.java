package io.jobhook.bench;

import io.jobhook.process.noise.InMemoryAudio;
import io.jobhook.process.noise.KnownNoise;
import io.jobhook.support.TestAudio;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What jobhook's noise estimate costs, on the mixtures of {@link DenoiseBench} (run by
 * bench/denoise.sh after it): per mixture, the SNR gain and the change of STOI of jobhook's output,
 * and of the same denoiser told the noise (the noise alone's mean spectrum, see {@link
 * KnownNoise}). Where the two differ, the estimate, not the gain, is what loses.
 *
 * <pre>  NoiseEstimateBench WORKDIR   (the files bench/denoise.sh makes)</pre>
 */
public final class NoiseEstimateBench {
  private NoiseEstimateBench() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    System.out.println(
        "estimate rate noise input_snr jobhook_snr_gain jobhook_stoi_change"
            + " known_noise_snr_gain known_noise_stoi_change");
    for (int rate : DenoiseBench.RATES) {
      float[] clean =
          DenoiseBench.mono(Files.readAllBytes(work.resolve("speech-" + rate + ".wav")));
      for (String kind : DenoiseBench.concat(DenoiseBench.SYNTHETIC, DenoiseBench.RECORDED)) {
        float[] noise = DenoiseBench.noise(work, kind, rate, clean.length);
        for (double target : DenoiseBench.SNRS) {
          float[] noisy = TestAudio.mix(clean, noise, target);
          float[] noisePart = new float[noisy.length];
          for (int i = 0; i < noisy.length; i++) {
            noisePart[i] = noisy[i] - clean[i];
          }
          // jobhook as a job runs it: from the 32-bit WAV DenoiseBench writes
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          InMemoryAudio.denoise(TestAudio.wav(rate, 32, true, noisy), null, out, f -> {});
          DenoiseBench.Score input = DenoiseBench.score(clean, noisy, rate);
          DenoiseBench.Score own =
              DenoiseBench.score(clean, DenoiseBench.mono(out.toByteArray()), rate);
          DenoiseBench.Score known =
              DenoiseBench.score(clean, KnownNoise.denoise(rate, noisy, noisePart), rate);
          System.out.printf(
              Locale.ROOT,
              "estimate %d %s %.0f %+.2f %+.4f %+.2f %+.4f%n",
              rate,
              kind,
              target,
              own.snr() - input.snr(),
              own.stoi() - input.stoi(),
              known.snr() - input.snr(),
              known.stoi() - input.stoi());
        }
      }
    }
  }
}
