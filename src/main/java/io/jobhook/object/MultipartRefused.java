package io.jobhook.object;

/** A multipart upload call that cannot be done as asked; nothing was changed. */
public final class MultipartRefused extends RuntimeException {
  /** Why, named by the COS error code a client gets. */
  public enum Reason {
    NO_SUCH_UPLOAD("NoSuchUpload"),
    INVALID_ARGUMENT("InvalidArgument"),
    INVALID_PART("InvalidPart"),
    INVALID_PART_ORDER("InvalidPartOrder"),
    ENTITY_TOO_SMALL("EntityTooSmall");

    public final String code;

    Reason(String code) {
      this.code = code;
    }
  }

  public final Reason reason;

  public MultipartRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  static MultipartRefused noSuchUpload(String uploadId) {
    return new MultipartRefused(
        Reason.NO_SUCH_UPLOAD,
        "the multipart upload "
            + uploadId
            + " does not exist: it was completed, aborted or never"
            + " initiated for this key");
  }
}
