package io.jobhook.process.noise;

import io.jobhook.job.Job;
import io.jobhook.job.JobOperation;
import io.jobhook.job.JobsException;
import io.jobhook.job.ObjectRef;
import io.jobhook.job.run.ProcessingOutcome;
import io.jobhook.job.run.Processor;
import io.jobhook.object.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code NoiseReduction} job: decode the input (WAV or MP3), denoise, optionally resample,
 * write WAV to the job's output. The same {@link #denoise} runs from the {@code denoise} command.
 */
public final class NoiseReductionProcessor implements Processor {
  public static final String TAG = "NoiseReduction";
  /** Settings keys, as they appear under {@code Operation/NoiseReduction}. */
  public static final String FORMAT = "Format";
  public static final String SAMPLE_RATE = "SampleRate";

  private final ObjectStore objects;
  private final SpectralDenoiser denoiser = new SpectralDenoiser();

  public NoiseReductionProcessor(ObjectStore objects) {
    this.objects = objects;
  }

  @Override
  public String tag() {
    return TAG;
  }

  /** Rejects, at submit time, settings this processor cannot honour. */
  public static void validate(JobOperation operation) {
    String format = operation.settings().get(FORMAT);
    if (format != null && !format.isEmpty() && !format.equalsIgnoreCase("wav")) {
      throw new JobsException.InvalidJob("NoiseReduction Format '" + format + "' is not supported (supported: wav)");
    }
    String rate = operation.settings().get(SAMPLE_RATE);
    if (rate != null && !rate.isEmpty()) {
      try {
        int r = Integer.parseInt(rate.trim());
        if (r < 8000 || r > 192000) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new JobsException.InvalidJob("NoiseReduction SampleRate '" + rate + "' must be an integer from 8000 to 192000");
      }
    }
    if (operation.output().key() == null || operation.output().key().isBlank()) {
      throw new JobsException.InvalidJob("Operation/Output/Object is required");
    }
  }

  @Override
  public ProcessingOutcome process(Job job, ProgressListener progress) throws IOException {
    ObjectRef input = job.input();
    byte[] data;
    Optional<ObjectStore.OpenObject> opened = objects.open(input.bucket(), input.key());
    if (opened.isEmpty()) {
      return new ProcessingOutcome.Failed("InputObjectNotFound",
          "input object " + input.key() + " does not exist in bucket " + input.bucket());
    }
    try (ObjectStore.OpenObject object = opened.get()) {
      data = object.content().readAllBytes();
    }
    progress.progress(5);
    String rate = job.operation().settings().get(SAMPLE_RATE);
    Integer targetRate = rate == null || rate.isBlank() ? null : Integer.valueOf(rate.trim());
    ByteArrayOutputStream wav = new ByteArrayOutputStream(data.length + 1024);
    try {
      denoise(data, targetRate, wav, f -> progress.progress(5 + (int) (f * 85)));
    } catch (AudioFormatException e) {
      return new ProcessingOutcome.Failed(e.code, e.getMessage());
    }
    ObjectRef output = job.operation().output();
    byte[] bytes = wav.toByteArray();
    try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
      // null upload: a job's output never starts workflows (a workflow writing where it
      // watches would otherwise run forever)
      objects.put(output.bucket(), output.key(), in, bytes.length, null, "audio/wav", java.util.Map.of(), null);
    }
    return new ProcessingOutcome.Succeeded();
  }

  /** Decodes {@code data}, denoises it and writes 16-bit WAV at the input or target rate. */
  public void denoise(byte[] data, Integer targetRate, java.io.OutputStream out,
      SpectralDenoiser.Progress progress) throws AudioFormatException, IOException {
    PcmAudio audio = decode(data);
    PcmAudio clean = denoiser.denoise(audio, progress);
    if (targetRate != null) {
      clean = Resampler.resample(clean, targetRate);
    }
    WavCodec.encode16(clean, out);
  }

  static PcmAudio decode(byte[] data) throws AudioFormatException {
    if (data.length == 0) {
      throw AudioFormatException.corrupt("input is empty");
    }
    byte[] head = java.util.Arrays.copyOf(data, Math.min(16, data.length));
    if (WavCodec.looksLikeWav(head)) {
      return WavCodec.decode(data);
    }
    if (Mp3Decoder.looksLikeMp3(head)) {
      return Mp3Decoder.decode(data);
    }
    throw AudioFormatException.unsupported("input is neither WAV nor MP3 (first bytes: "
        + java.util.HexFormat.of().formatHex(head, 0, Math.min(4, head.length)).toUpperCase(Locale.ROOT) + ")");
  }
}
