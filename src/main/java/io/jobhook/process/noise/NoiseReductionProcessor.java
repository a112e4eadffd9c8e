package io.jobhook.process.noise;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.AudioSink;
import io.jobhook.audio.AudioStream;
import io.jobhook.audio.FloatBlock;
import io.jobhook.audio.Mp3Decoder;
import io.jobhook.audio.OutputFormat;
import io.jobhook.audio.PcmAudio;
import io.jobhook.audio.Resampler;
import io.jobhook.audio.TempFiles;
import io.jobhook.audio.WavCodec;
import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobsException;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.ProcessingOutcome;
import io.jobhook.job.Processor;
import io.jobhook.object.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code NoiseReduction} job: decode the input (WAV or MP3), denoise, optionally resample,
 * write WAV to the job's output, all streaming (memory does not grow with the length). The same
 * {@link #denoise} runs from the {@code denoise} command.
 */
public final class NoiseReductionProcessor implements Processor {
  public static final String TAG = "NoiseReduction";

  /** Settings keys, as they appear under {@code Operation/NoiseReduction}. */
  public static final String FORMAT = "Format";

  public static final String SAMPLE_RATE = "SampleRate";

  /** The Go and Python SDKs' and the template documentation's spelling of {@link #SAMPLE_RATE}. */
  public static final String SAMPLE_RATE_LOWER = "Samplerate";

  private final ObjectStore objects;
  private final Path tempDir;
  private final SpectralDenoiser denoiser = new SpectralDenoiser();

  /** {@code tempDir} holds spooled inputs, decoded MP3 and outputs while a job runs. */
  public NoiseReductionProcessor(ObjectStore objects, Path tempDir) {
    this.objects = objects;
    this.tempDir = tempDir;
  }

  @Override
  public String tag() {
    return TAG;
  }

  /** Rejects, at submit time, settings this processor cannot honour. */
  @Override
  public void validate(JobOperation operation) {
    validateSettings(operation.settings());
    if (operation.output().key() == null || operation.output().key().isBlank()) {
      throw new JobsException.InvalidJob("Operation/Output/Object is required");
    }
  }

  @Override
  public void validateSettings(Map<String, String> settings) {
    String format = settings.get(FORMAT);
    if (OutputFormat.parse(format) == null) {
      throw new JobsException.InvalidJob(
          "NoiseReduction Format '" + format + "' is not supported (supported: wav, mp3)");
    }
    sampleRate(settings);
  }

  /**
   * The output's sample rate, null for the input's. Either spelling is read ({@code SampleRate} as
   * the Java SDK writes it, {@code Samplerate} as the Go and Python SDKs do); both at once must
   * agree.
   */
  static Integer sampleRate(Map<String, String> settings) {
    String upper = blankToNull(settings.get(SAMPLE_RATE));
    String lower = blankToNull(settings.get(SAMPLE_RATE_LOWER));
    if (upper != null && lower != null && !upper.equals(lower)) {
      throw new JobsException.InvalidJob(
          "NoiseReduction SampleRate '" + upper + "' and Samplerate '" + lower + "' differ");
    }
    String rate = upper != null ? upper : lower;
    if (rate == null) {
      return null;
    }
    try {
      int r = Integer.parseInt(rate);
      if (r < 8000 || r > 192000) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw new JobsException.InvalidJob(
          "NoiseReduction SampleRate '" + rate + "' must be an integer from 8000 to 192000");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Inputs up to this size are read into memory; larger ones are spooled to a temp file first. */
  private static final long IN_MEMORY_INPUT = 16L << 20;

  /**
   * Inputs up to this size have their output built in memory (even resampled to 96 kHz: 24 MB at
   * most).
   */
  private static final long SMALL_INPUT = 1L << 20;

  @Override
  public ProcessingOutcome process(Job job, ProgressListener progress) throws IOException {
    ObjectRef input = job.input();
    Optional<ObjectStore.OpenObject> opened = objects.open(input.bucket(), input.key());
    if (opened.isEmpty()) {
      return new ProcessingOutcome.Failed(
          "InputObjectNotFound",
          "input object " + input.key() + " does not exist in bucket " + input.bucket());
    }
    try (TempFiles temps = new TempFiles(tempDir)) {
      // Read the input once, so that all passes see the same bytes even if the object is replaced.
      RawInput raw;
      long inputSize;
      boolean small;
      try (ObjectStore.OpenObject object = opened.get()) {
        inputSize = object.info().size();
        small = inputSize <= SMALL_INPUT;
        if (inputSize <= IN_MEMORY_INPUT) {
          byte[] data = object.content().readAllBytes();
          raw = () -> new ByteArrayInputStream(data);
        } else {
          Path spool = temps.create();
          Files.copy(object.content(), spool, StandardCopyOption.REPLACE_EXISTING);
          raw = () -> Files.newInputStream(spool);
        }
      }
      progress.progress(2);
      Integer targetRate = sampleRate(job.operation().settings());
      OutputFormat format = OutputFormat.parse(job.operation().settings().get(FORMAT));
      // A small input's output is small too: in memory, as a temp file costs more than the DSP.
      // Its buffer starts near the input's size and grows if the output is larger: a tiny job
      // should not zero a buffer many times its size.
      ByteArrayOutputStream inMemory =
          small ? new ByteArrayOutputStream((int) Math.min(64 * 1024, inputSize + 1024)) : null;
      Path encoded = small ? null : temps.create();
      try (OutputStream out = small ? inMemory : Files.newOutputStream(encoded)) {
        denoise(
            prepare(raw, temps),
            targetRate,
            format,
            out,
            f -> progress.progress(2 + (int) (f * 93)));
      } catch (AudioFormatException e) {
        return new ProcessingOutcome.Failed(e.code, e.getMessage());
      }
      ObjectRef output = job.operation().output();
      try (InputStream in =
          small
              ? new ByteArrayInputStream(inMemory.toByteArray())
              : Files.newInputStream(encoded)) {
        // Staged, not put: the output is published with the job's final state. A job's output
        // starts no workflow (one writing where it watches would otherwise run forever).
        return new ProcessingOutcome.Succeeded(
            List.of(
                objects.stage(
                    output.bucket(),
                    output.key(),
                    in,
                    small ? inMemory.size() : Files.size(encoded),
                    format.contentType,
                    Map.of())));
      }
    }
  }

  /** Raw input bytes that can be read more than once. */
  @FunctionalInterface
  public interface RawInput {
    InputStream open() throws IOException;
  }

  /**
   * A re-readable decoded source: WAV is decoded as it is read, each pass reading the bytes again;
   * MP3 is decoded once into a file from {@code temps} of 16-bit PCM (the decoder's own precision).
   */
  public static AudioStream.Source prepare(RawInput raw, TempFiles temps)
      throws IOException, AudioFormatException {
    byte[] head;
    try (InputStream in = raw.open()) {
      head = in.readNBytes(16);
    }
    if (head.length == 0) {
      throw AudioFormatException.corrupt("input is empty");
    }
    if (WavCodec.looksLikeWav(head)) {
      return () -> WavCodec.open(raw.open());
    }
    if (Mp3Decoder.looksLikeMp3(head)) {
      Path pcm = temps.create();
      Mp3Decoder.Decoded decoded;
      try (InputStream in = raw.open();
          OutputStream out = Files.newOutputStream(pcm)) {
        decoded = Mp3Decoder.decodeTo(in, out);
      }
      return () -> Mp3Decoder.rawPcm16(Files.newInputStream(pcm), decoded);
    }
    throw AudioFormatException.unsupported(
        "input is neither WAV nor MP3 (first bytes: "
            + HexFormat.of().formatHex(head, 0, Math.min(4, head.length)).toUpperCase(Locale.ROOT)
            + ")");
  }

  /**
   * Denoises {@code source} and writes it in {@code format} at the input or target rate: one
   * analysis pass (the first fifth of the progress), then block by block through the denoiser, the
   * resampler and the encoder. Memory is bounded by the block size whatever the length.
   */
  public void denoise(
      AudioStream.Source source,
      Integer targetRate,
      OutputFormat format,
      OutputStream out,
      SpectralDenoiser.Progress progress)
      throws AudioFormatException, IOException {
    NoiseProfile profile = denoiser.profile(source, f -> progress.done(0.2 * f));
    int channels = profile.channels();
    int rate = profile.sampleRate();
    boolean resample = targetRate != null && targetRate != rate;
    long outFrames =
        resample ? Resampler.outputLength(profile.frames(), rate, targetRate) : profile.frames();
    AudioSink writer = format.open(out, resample ? targetRate : rate, channels, outFrames);
    DenoiseChannel[] denoisers = denoiser.channels(profile);
    Resampler.Stream[] resamplers = new Resampler.Stream[channels];
    FloatBlock[] denoised = new FloatBlock[channels];
    FloatBlock[] resampled = new FloatBlock[channels];
    int blockSize = SpectralDenoiser.blockSize(profile.frames());
    for (int ch = 0; ch < channels; ch++) {
      resamplers[ch] = resample ? new Resampler.Stream(rate, targetRate) : null;
      denoised[ch] = new FloatBlock(blockSize);
      resampled[ch] = new FloatBlock(resample ? blockSize : 1);
    }
    float[][] block = new float[channels][blockSize];
    long done = 0;
    try (AudioStream in = source.open()) {
      int got;
      while ((got = in.read(block, blockSize)) > 0) {
        int n = got;
        PcmAudio.eachChannel(
            channels,
            ch -> {
              denoisers[ch].push(block[ch], 0, n, denoised[ch]);
              if (resample) {
                resamplers[ch].push(denoised[ch].data(), 0, denoised[ch].size(), resampled[ch]);
              }
            });
        write(writer, resample ? resampled : denoised, denoised, resampled);
        done += got;
        progress.done(0.2 + 0.8 * Math.min(1.0, (double) done / profile.frames()));
      }
    }
    if (done != profile.frames()) {
      throw new IOException(
          "the input changed while it was processed ("
              + profile.frames()
              + " frames, then "
              + done
              + ")");
    }
    PcmAudio.eachChannel(
        channels,
        ch -> {
          denoisers[ch].finish(denoised[ch]);
          if (resample) {
            resamplers[ch].push(denoised[ch].data(), 0, denoised[ch].size(), resampled[ch]);
            resamplers[ch].finish(resampled[ch]);
          }
        });
    write(writer, resample ? resampled : denoised, denoised, resampled);
    writer.finish();
    progress.done(1.0);
  }

  private static void write(
      AudioSink writer, FloatBlock[] ready, FloatBlock[] denoised, FloatBlock[] resampled)
      throws IOException {
    float[][] samples = new float[ready.length][];
    for (int ch = 0; ch < ready.length; ch++) {
      samples[ch] = ready[ch].data();
    }
    writer.write(samples, 0, ready[0].size());
    for (int ch = 0; ch < ready.length; ch++) {
      denoised[ch].clear();
      resampled[ch].clear();
    }
  }
}
