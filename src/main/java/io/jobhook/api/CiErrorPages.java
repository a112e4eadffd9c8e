package io.jobhook.api;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to a request Jetty refuses before any route sees it (a malformed request line or
 * header, a header block too large, an ambiguous URI): a CI {@code <Error>} document like every
 * other error, with a request id in its body and headers, never Jetty's HTML page, and never a
 * stack trace.
 */
final class CiErrorPages extends ErrorHandler {
  private final Supplier<String> requestIds;

  CiErrorPages(Supplier<String> requestIds) {
    this.requestIds = requestIds;
  }

  /** Every method gets the document (Jetty's default writes bodies for GET and POST only). */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String requestId = requestIds.get();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
    response.getHeaders().put("x-cos-request-id", requestId);
    response.getHeaders().put("x-ci-request-id", requestId);
    String reason =
        message == null || message.isBlank() || message.contains("Exception")
            ? org.eclipse.jetty.http.HttpStatus.getMessage(code)
            : message;
    response.write(
        true, ByteBuffer.wrap(CiDocuments.error(codeOf(code), reason, requestId)), callback);
  }

  private static String codeOf(int status) {
    return switch (status) {
      case 400 -> "InvalidRequest";
      case 404 -> "NoSuchResource";
      case 405 -> "MethodNotAllowed";
      case 408 -> "RequestTimeout";
      case 413 -> "EntityTooLarge";
      case 414 -> "RequestURITooLong";
      case 431 -> "RequestHeaderFieldsTooLarge";
      case 501 -> "NotImplemented";
      case 503 -> "ServiceUnavailable";
      case 505 -> "HttpVersionNotSupported";
      default -> status >= 500 ? "InternalError" : "InvalidRequest";
    };
  }
}
