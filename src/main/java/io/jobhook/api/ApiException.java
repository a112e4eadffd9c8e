package io.jobhook.api;

/** An error answered as a CI {@code <Error>} document with this status and code. */
public final class ApiException extends RuntimeException {
  public final int status;
  public final String code;

  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public static ApiException invalidArgument(String message) {
    return new ApiException(400, "InvalidArgument", message);
  }

  public static ApiException methodNotAllowed(String method, String path) {
    return new ApiException(405, "MethodNotAllowed", method + " is not allowed on " + path);
  }

  public static ApiException noSuchResource(String path) {
    return new ApiException(404, "NoSuchResource", "no CI API at " + path);
  }

  /** An object key that names no object. */
  public static ApiException noSuchKey(String key) {
    return new ApiException(404, "NoSuchKey", "the object " + key + " does not exist");
  }

  public static ApiException malformedXml(String message) {
    return new ApiException(400, "MalformedXML", message);
  }
}
