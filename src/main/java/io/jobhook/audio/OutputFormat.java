package io.jobhook.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** The output formats of NoiseReduction ({@code Operation/NoiseReduction/Format}). */
public enum OutputFormat {
  /** 16-bit PCM WAV with TPDF dither. */
  WAV("audio/wav"),
  /**
   * MPEG-1/2 layer III by LAME (jump3r, pure Java, LGPL-2.1+): 1-2 channels, 8-48 kHz standard
   * rates.
   */
  MP3("audio/mpeg");

  public final String contentType;

  OutputFormat(String contentType) {
    this.contentType = contentType;
  }

  /**
   * The format a {@code Format} setting names (case-insensitive; empty or null is WAV), or null.
   */
  public static OutputFormat parse(String format) {
    if (format == null || format.isBlank()) {
      return WAV;
    }
    return switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "wav" -> WAV;
      case "mp3" -> MP3;
      default -> null;
    };
  }

  public AudioSink open(OutputStream out, int sampleRate, int channels, long frames)
      throws IOException, AudioFormatException {
    return switch (this) {
      case WAV -> new WavCodec.Writer(out, sampleRate, channels, frames);
      case MP3 -> new Mp3Encoder(out, sampleRate, channels);
    };
  }
}
