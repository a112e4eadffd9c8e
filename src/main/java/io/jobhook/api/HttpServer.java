package io.jobhook.api;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.jobhook.api.auth.SignatureVerifier;
import io.jobhook.api.auth.SignedRequest;
import io.jobhook.engine.StorageUnavailableException;
import io.jobhook.job.JobsException;
import io.jobhook.template.TemplatesException;
import io.jobhook.workflow.WorkflowsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: one catch-all route per method, because the service is chosen by the {@code Host}
 * header (contract §1, §8), not by the path; an object key may well be {@code jobs}. Every request
 * but {@code /healthz} must carry a valid q-sign signature. Errors become CI {@code <Error>}
 * documents here and only here.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
  private static final HandlerType[] METHODS = {
    HandlerType.GET,
    HandlerType.PUT,
    HandlerType.POST,
    HandlerType.DELETE,
    HandlerType.HEAD,
    HandlerType.PATCH,
    HandlerType.OPTIONS
  };

  private final Javalin app;
  private final SignatureVerifier verifier;
  private final boolean allowAnonymous;
  private final CiRouter ci;
  private final ObjectApi objects;
  private final ApiServices services;
  private final Supplier<String> health;
  private final Supplier<String> readiness;
  private final AtomicLong requestCounter = new AtomicLong();
  private final long bootId;
  private final ConnectionGuard connectionGuard;

  public HttpServer(
      String host,
      int port,
      HttpLimits limits,
      SignatureVerifier verifier,
      boolean allowAnonymous,
      ApiServices services,
      Supplier<String> health,
      Supplier<String> readiness) {
    this.verifier = verifier;
    this.allowAnonymous = allowAnonymous;
    this.services = services;
    this.bootId = services.clock().millis();
    CiDocuments documents = new CiDocuments(services.times());
    CallbackUrlCheck callbackUrls =
        new CallbackUrlCheck(services.callbackGuard(), Set.copyOf(services.kafkaClusters()));
    this.ci =
        new CiRouter(
            new JobsApi(services.jobs(), documents, callbackUrls),
            new QueuesApi(services.queues(), documents, callbackUrls),
            new WorkflowApi(services.workflows(), services.times(), callbackUrls),
            new TemplatesApi(services.templates(), services.times()),
            new CallbacksApi(
                services.callbackLog(),
                services.redelivery(),
                services.secrets(),
                services.times()));
    this.objects = new ObjectApi(services.objects(), services.queues(), services.disk());
    this.health = health;
    this.readiness = readiness;
    this.connectionGuard = new ConnectionGuard(limits);
    this.app =
        Javalin.create(
            cfg -> {
              cfg.concurrency.useVirtualThreads = true;
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.http.maxRequestSize = CiXml.MAX_BODY_BYTES;
              cfg.http.generateEtags = false;
              // CI documents are small and audio does not compress: no compression layer
              cfg.http.compressionStrategy = CompressionStrategy.NONE;
              cfg.router.treatMultipleSlashesAsSingleSlash = false;
              cfg.jetty.addConnector(
                  (server, http) -> {
                    ServerConnector connector =
                        new ServerConnector(server, new HttpConnectionFactory(http));
                    connector.setHost(host);
                    connector.setPort(port);
                    connector.setIdleTimeout(limits.idleTimeout().toMillis());
                    connector.addBean(connectionGuard);
                    return connector;
                  });
              cfg.jetty.modifyHttpConfiguration(
                  http -> {
                    // Object keys may contain encoded slashes and dot segments (the SDK sends
                    // "/%2F" for "//").
                    http.setUriCompliance(UriCompliance.LEGACY);
                    http.setSendServerVersion(false);
                  });
              cfg.jetty.modifyServletContextHandler(
                  h -> h.getServletHandler().setDecodeAmbiguousURIs(true));
              cfg.jetty.modifyServer(server -> server.setErrorHandler(new CiErrorPages()));
              for (HandlerType method : METHODS) {
                cfg.routes.addHttpHandler(method, "/", this::handle);
                cfg.routes.addHttpHandler(method, "/<path>", this::handle);
              }
              cfg.routes.exception(Exception.class, this::error);
            });
  }

  public HttpServer start() {
    app.start();
    return this;
  }

  public int port() {
    return app.port();
  }

  private void handle(Context ctx) throws Exception {
    String requestId = nextRequestId();
    ctx.attribute("requestId", requestId);
    ctx.header("x-cos-request-id", requestId);
    ctx.header("x-ci-request-id", requestId);
    String rawPath = ctx.req().getRequestURI();
    String hostHeader = ctx.header("Host");
    // jobhook's own paths live on hosts that name no bucket: they never shadow an object key
    if (!VirtualHost.namesBucket(hostHeader) && ownPath(ctx, rawPath)) {
      return;
    }
    VirtualHost host = VirtualHost.parse(hostHeader);
    RequestTarget target = authenticate(ctx, RequestTarget.of(rawPath, ctx.req().getQueryString()));
    if ((ctx.method() == HandlerType.PUT || ctx.method() == HandlerType.POST)
        && services.disk().low()) {
      // new data would eat the room that deletes, running jobs and callbacks need
      throw new ApiException(
          503, "ServiceUnavailable", services.disk().shortage().orElse("the disk is low on space"));
    }
    switch (host.service()) {
      case CI -> ci.handle(ctx, host, target, requestId);
      case COS -> objects.handle(ctx, host, target);
    }
  }

  /** Answers {@code /healthz}, {@code /readyz} and {@code /metrics}; false for any other path. */
  private boolean ownPath(Context ctx, String rawPath) {
    boolean read = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
    if (rawPath.equals("/healthz") && read) {
      status(ctx, health.get());
      return true;
    }
    if (rawPath.equals("/readyz") && read) {
      String alive = health.get();
      String engines = "ok".equals(alive) ? readiness.get() : alive;
      status(ctx, "ok".equals(engines) ? services.disk().shortage().orElse("ok") : engines);
      return true;
    }
    if (rawPath.equals("/metrics") && ctx.method() == HandlerType.GET) {
      ctx.status(200)
          .contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(
              MetricsText.render(
                  services.callbackMetrics(),
                  services.circuits(),
                  services.callbackLog(),
                  services.workflows().eventBacklog(),
                  connectionGuard.counts(),
                  services.clock().instant()));
      return true;
    }
    return false;
  }

  private static void status(Context ctx, String status) {
    ctx.status("ok".equals(status) ? 200 : 503)
        .contentType("application/json")
        .result("{\"status\":\"" + status.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }

  /** The target with the parameters its signature covers; throws when the signature is refused. */
  private RequestTarget authenticate(Context ctx, RequestTarget target) {
    if (allowAnonymous && ctx.header("Authorization") == null) {
      return target;
    }
    return target.signedBy(
        verifier.verify(
            new SignedRequest(ctx.method().name(), target.path(), target.pairs(), ctx::header)));
  }

  private void error(Exception e, Context ctx) {
    String requestId = ctx.attribute("requestId");
    if (requestId == null) {
      requestId = nextRequestId();
    }
    String id = requestId;
    CiError error =
        switch (e) {
          case ApiException api -> new CiError(api.status, api.code, e.getMessage());
          case SignatureVerifier.SignatureRejectedException s ->
              new CiError(403, s.rejection().code, e.getMessage());
          case JobsException.NoSuchJob n -> new CiError(404, "NoSuchJob", e.getMessage());
          case JobsException.NoSuchQueue n -> new CiError(404, "NoSuchQueue", e.getMessage());
          case JobsException.InvalidJob i -> new CiError(400, "InvalidArgument", e.getMessage());
          case JobsException.NotCancelable n -> new CiError(400, "InvalidJobState", e.getMessage());
          case TemplatesException.NoSuchTemplate n ->
              new CiError(404, "NoSuchTemplate", e.getMessage());
          case TemplatesException.InvalidTemplate i ->
              new CiError(400, "InvalidArgument", e.getMessage());
          case TemplatesException.InUse u -> new CiError(400, "TemplateInUse", e.getMessage());
          case WorkflowsException.NoSuchWorkflow n ->
              new CiError(404, "NoSuchWorkflow", e.getMessage());
          case WorkflowsException.NoSuchRun n ->
              new CiError(404, "NoSuchWorkflowExecution", e.getMessage());
          case WorkflowsException.NoSuchObject n -> new CiError(404, "NoSuchKey", e.getMessage());
          case WorkflowsException.InvalidWorkflow i ->
              new CiError(400, "InvalidArgument", e.getMessage());
          case WorkflowsException.NotActive n ->
              new CiError(400, "WorkflowNotActive", e.getMessage());
          case Exception full when diskFull(full) -> {
            log.warn(
                "{} {} failed: the disk is full ({})", ctx.method(), ctx.path(), full.toString());
            yield new CiError(
                503, "ServiceUnavailable", "the server's disk is full; retry once space is freed");
          }
          case StorageUnavailableException s -> {
            log.error("storage failure on {} {}", ctx.method(), ctx.path(), e);
            yield new CiError(
                503, "ServiceUnavailable", "storage is temporarily unavailable; retry");
          }
          default -> {
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            yield new CiError(500, "InternalError", "internal error; request id " + id);
          }
        };
    ctx.header("x-cos-request-id", requestId);
    ctx.header("x-ci-request-id", requestId);
    ctx.status(error.status());
    if (ctx.method() == HandlerType.HEAD) {
      return;
    }
    ctx.contentType("application/xml")
        .result(CiDocuments.error(error.code(), error.message(), requestId));
  }

  /** Whether a failure is a full disk: ENOSPC from a file write, SQLITE_FULL from the database. */
  private static boolean diskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null
          && (message.contains("No space left on device") || message.contains("SQLITE_FULL"))) {
        return true;
      }
    }
    return false;
  }

  /** What a failure becomes on the wire: HTTP status, CI error code, message. */
  private record CiError(int status, String code, String message) {}

  /** Reads at most {@code limit} bytes of the request body, refusing larger ones. */
  static byte[] readBody(Context ctx, int limit) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(limit + 1);
      if (body.length > limit) {
        throw new ApiException(413, "EntityTooLarge", "request body exceeds " + limit + " bytes");
      }
      BodyDigests.of(ctx.header("Content-MD5"), ctx.header("x-cos-content-sha1")).check(body);
      return body;
    } catch (IOException e) {
      throw new ApiException(
          400, "IncompleteBody", "could not read the request body: " + e.getMessage());
    }
  }

  private String nextRequestId() {
    ByteBuffer b =
        ByteBuffer.allocate(16).putLong(bootId).putLong(requestCounter.incrementAndGet());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  @Override
  public void close() {
    app.stop();
  }
}
