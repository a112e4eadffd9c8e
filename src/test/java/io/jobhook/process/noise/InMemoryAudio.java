package io.jobhook.process.noise;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.AudioStream;
import io.jobhook.audio.FloatBlock;
import io.jobhook.audio.OutputFormat;
import io.jobhook.audio.PcmAudio;
import io.jobhook.audio.TempFiles;
import io.jobhook.audio.WavCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Audio held in memory through the production streaming path: what tests and benchmarks feed it.
 */
public final class InMemoryAudio {
  private InMemoryAudio() {}

  /** {@code audio} as a stream that tells {@code told} as its length (-1: none). */
  public static AudioStream telling(PcmAudio audio, long told) {
    return new TellingStream(AudioStream.of(audio), told);
  }

  private record TellingStream(AudioStream whole, long told) implements AudioStream {
    @Override
    public int sampleRate() {
      return whole.sampleRate();
    }

    @Override
    public int channelCount() {
      return whole.channelCount();
    }

    @Override
    public long frameCount() {
      return told;
    }

    @Override
    public int read(float[][] dst, int max) throws IOException, AudioFormatException {
      return whole.read(dst, max);
    }

    @Override
    public void close() {}
  }

  /** Decodes WAV or MP3 bytes through the same path jobs take, into memory. */
  public static PcmAudio decode(byte[] data) throws AudioFormatException {
    try (TempFiles temps = new TempFiles(null);
        AudioStream stream =
            NoiseReductionProcessor.prepare(() -> new ByteArrayInputStream(data), temps).open()) {
      return WavCodec.readAll(stream);
    } catch (IOException e) {
      throw AudioFormatException.corrupt("input cannot be read: " + e.getMessage());
    }
  }

  /** Denoises WAV or MP3 bytes to WAV, as a job does. */
  public static void denoise(
      byte[] data, Integer targetRate, OutputStream out, SpectralDenoiser.Progress progress)
      throws AudioFormatException, IOException {
    try (TempFiles temps = new TempFiles(null)) {
      new NoiseReductionProcessor(null, null)
          .denoise(
              NoiseReductionProcessor.prepare(() -> new ByteArrayInputStream(data), temps),
              targetRate,
              OutputFormat.WAV,
              out,
              progress);
    }
  }

  /** Denoises decoded audio: the profile pass, then each channel's stream in one block. */
  public static PcmAudio denoise(PcmAudio in) {
    try {
      SpectralDenoiser denoiser = new SpectralDenoiser();
      NoiseProfile profile = denoiser.profile(() -> AudioStream.of(in), f -> {});
      float[][] out = new float[in.channelCount()][];
      DenoiseChannel[] channels = denoiser.channels(profile);
      PcmAudio.eachChannel(
          channels.length,
          ch -> {
            FloatBlock o = new FloatBlock();
            channels[ch].push(in.channels()[ch], 0, in.frames(), o);
            channels[ch].finish(o);
            out[ch] = Arrays.copyOf(o.data(), o.size());
          });
      return new PcmAudio(in.sampleRate(), out);
    } catch (IOException | AudioFormatException e) {
      throw new IllegalArgumentException("audio cannot be denoised: " + e.getMessage(), e);
    }
  }
}
