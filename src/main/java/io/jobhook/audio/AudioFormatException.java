package io.jobhook.audio;

/** The input cannot be decoded; {@code code} is the CI job code reported to the user. */
public final class AudioFormatException extends Exception {
  public final String code;

  public AudioFormatException(String code, String message) {
    super(message);
    this.code = code;
  }

  public static AudioFormatException unsupported(String message) {
    return new AudioFormatException("InvalidInputFormat", message);
  }

  public static AudioFormatException corrupt(String message) {
    return new AudioFormatException("InputDecodeFailed", message);
  }
}
