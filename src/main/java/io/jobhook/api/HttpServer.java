package io.jobhook.api;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.jobhook.access.AccessKey;
import io.jobhook.access.AccessKeys;
import io.jobhook.api.auth.SignatureVerifier;
import io.jobhook.api.auth.SignedRequest;
import io.jobhook.console.Console;
import io.jobhook.engine.StorageUnavailableException;
import io.jobhook.job.JobsException;
import io.jobhook.metrics.HttpSeries;
import io.jobhook.metrics.Metrics;
import io.jobhook.template.TemplatesException;
import io.jobhook.workflow.WorkflowsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP edge: one catch-all route per method, because the service is chosen by the {@code Host}
 * header (contract §1, §8), not by the path; an object key may well be {@code jobs}. Every request
 * but {@code /healthz} and {@code /readyz} must carry a valid q-sign signature ({@code /metrics} a
 * bearer token instead). Errors become CI {@code <Error>} documents here and only here.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** One line per answered request, off unless {@code --log-level jobhook.access=info}. */
  private static final Logger access = LoggerFactory.getLogger("jobhook.access");

  private static final String ROUTE = "route";

  /** The context attribute holding the access key that signed the request; absent if unsigned. */
  static final String CALLER = "caller";

  /** The audit entry of an administrative change under way (see {@link AccessKeys#auditBegin}). */
  private static final String AUDIT_ENTRY = "auditEntry";

  private static final String BUCKET = "bucket";
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
  private final CorsApi cors;
  private final ServiceApi service;
  private final ApiServices services;
  private final Supplier<String> health;
  private final Supplier<String> readiness;
  private final AtomicLong requestCounter = new AtomicLong();
  private final long bootId;
  private final ConnectionGuard connectionGuard;
  private final Metrics metrics;
  private final byte[] metricsToken;
  private final HttpSeries requests;
  private final AccessKeys keys;
  private final AdminApi admin;
  private final Console console;
  private final SignatureVerifier.KeyLookup<AccessKey> keyLookup;

  public HttpServer(
      String host,
      int port,
      HttpLimits limits,
      SignatureVerifier verifier,
      boolean allowAnonymous,
      ApiServices services,
      Supplier<String> health,
      Supplier<String> readiness,
      Metrics metrics,
      String metricsToken,
      boolean secureCookies) {
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
    this.cors = new CorsApi(services.cors(), services.clock());
    this.service = new ServiceApi(services.buckets());
    this.objects =
        new ObjectApi(
            services.objects(),
            services.multipart(),
            services.queues(),
            services.disk(),
            cors,
            services.buckets());
    this.health = health;
    this.readiness = readiness;
    this.connectionGuard = new ConnectionGuard(limits);
    this.metrics = metrics;
    this.metricsToken = metricsToken == null ? null : metricsToken.getBytes(StandardCharsets.UTF_8);
    this.requests = new HttpSeries(metrics);
    this.keys = services.accessKeys();
    this.admin = new AdminApi(keys, services.times());
    this.console =
        new Console(
            new Console.Services(
                services.consoleSessions(),
                keys,
                services.jobs(),
                services.queues(),
                services.callbackLog(),
                services.redelivery(),
                services.secrets(),
                services.workflows(),
                services.templates(),
                services.circuits(),
                services.objects(),
                services.times(),
                services.clock(),
                url -> {
                  try {
                    callbackUrls.check("NotifyConfig/Url", url);
                  } catch (ApiException refused) {
                    throw new IllegalArgumentException(refused.getMessage());
                  }
                }),
            secureCookies);
    this.keyLookup =
        new SignatureVerifier.KeyLookup<>() {
          @Override
          public java.util.Optional<AccessKey> find(String secretId) {
            return keys.find(secretId);
          }

          @Override
          public String secretKey(AccessKey key) {
            return key.secretKey();
          }
        };
    connectionGuard.register(metrics);
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
              cfg.jetty.modifyServer(
                  server -> server.setErrorHandler(new CiErrorPages(this::nextRequestId)));
              for (HandlerType method : METHODS) {
                cfg.routes.addHttpHandler(method, "/", this::handle);
                cfg.routes.addHttpHandler(method, "/<path>", this::handle);
              }
              cfg.routes.exception(Exception.class, this::error);
              cfg.requestLogger.http(this::answered);
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
    MDC.put("requestId", requestId);
    try {
      route(ctx, requestId);
    } finally {
      MDC.remove("requestId");
      MDC.remove("bucket");
    }
  }

  private void route(Context ctx, String requestId) throws Exception {
    String rawPath = ctx.req().getRequestURI();
    String hostHeader = ctx.header("Host");
    // the service host answers at "/" only: other paths never pay for looking at its name
    Optional<String> serviceRegion =
        rawPath.equals("/") ? ServiceApi.region(hostHeader) : Optional.empty();
    if (serviceRegion.isPresent()) {
      ctx.attribute(ROUTE, "cos service");
      RequestTarget target =
          authenticate(ctx, RequestTarget.of(rawPath, ctx.req().getQueryString()));
      service.list(ctx, serviceRegion.get(), ctx.attribute(CALLER), target);
      return;
    }
    // jobhook's own paths live on hosts that name no bucket: they never shadow an object key
    if (!VirtualHost.namesBucket(hostHeader)) {
      if (ownPath(ctx, rawPath)) {
        ctx.attribute(ROUTE, rawPath);
        return;
      }
      if (Console.owns(rawPath)) {
        ctx.attribute(ROUTE, "console");
        console.handle(ctx);
        return;
      }
      if (rawPath.startsWith("/admin/")) {
        ctx.attribute(ROUTE, Routes.admin(rawPath));
        RequestTarget target =
            authenticate(ctx, RequestTarget.of(rawPath, ctx.req().getQueryString()));
        admin.handle(ctx, ctx.attribute(CALLER), target, requestId);
        return;
      }
    }
    VirtualHost host = VirtualHost.parse(hostHeader);
    Routes.Route route = Routes.of(host.service(), rawPath);
    ctx.attribute(ROUTE, route.name());
    ctx.attribute(BUCKET, host.bucket());
    MDC.put("bucket", host.bucket());
    if (host.service() == VirtualHost.Service.COS) {
      if (ctx.method() == HandlerType.OPTIONS) {
        cors.preflight(ctx, host); // browsers send preflights unsigned
        return;
      }
      cors.exposeAnswer(ctx, host);
    }
    RequestTarget target = authenticate(ctx, RequestTarget.of(rawPath, ctx.req().getQueryString()));
    AccessKey caller = ctx.attribute(CALLER);
    if (caller != null && !caller.scope().allows(host.bucket(), writes(ctx.method()))) {
      throw new ApiException(
          403,
          "AccessDenied",
          caller.scope().allows(host.bucket(), false)
              ? "the key " + caller.secretId() + " is read-only"
              : "the key " + caller.secretId() + " may not access bucket " + host.bucket());
    }
    if (caller != null) {
      services.buckets().used(host.bucket(), host.region());
    }
    if ((ctx.method() == HandlerType.PUT || ctx.method() == HandlerType.POST)
        && services.disk().low()) {
      // new data would eat the room that deletes, running jobs and callbacks need
      throw new ApiException(
          503, "ServiceUnavailable", services.disk().shortage().orElse("the disk is low on space"));
    }
    boolean administrative =
        route.administrative()
            || (host.service() == VirtualHost.Service.COS && target.signedFlag("cors"));
    if (caller != null && administrative && writes(ctx.method())) {
      // before the change, so that none is made without its entry; settled once answered
      ctx.attribute(
          AUDIT_ENTRY,
          keys.auditBegin(
              caller.secretId(),
              ctx.method().name() + " " + route.name(),
              host.bucket(),
              rawPath + auditedQuery(ctx.req().getQueryString())));
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
      checkMetricsToken(ctx.header("Authorization"));
      Metrics.Scrape scrape = metrics.scrape(ctx.header("Accept"));
      ctx.status(200).contentType(scrape.contentType()).result(scrape.body());
      return true;
    }
    return false;
  }

  /**
   * Metrics name callback destinations and buckets: only a scraper that holds the token configured
   * with {@code --metrics-token} reads them.
   */
  private void checkMetricsToken(String authorization) {
    if (metricsToken == null) {
      throw new ApiException(
          403,
          "AccessDenied",
          "/metrics is off: start jobhook with --metrics-token TOKEN (or JOBHOOK_METRICS_TOKEN) and"
              + " scrape with Authorization: Bearer TOKEN");
    }
    String prefix = "Bearer ";
    boolean valid =
        authorization != null
            && authorization.regionMatches(true, 0, prefix, 0, prefix.length())
            && MessageDigest.isEqual(
                metricsToken,
                authorization.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8));
    if (!valid) {
      throw new ApiException(
          401, "AccessDenied", "/metrics needs Authorization: Bearer and the --metrics-token");
    }
  }

  /**
   * Counts every answered request, by its route (a family of paths, never the path itself); puts
   * how each administrative change ended in its audit entry.
   */
  private void answered(Context ctx, Float millis) {
    String route = ctx.attribute(ROUTE);
    requests.answered(
        route == null ? "other" : route,
        ctx.method().name(),
        ctx.statusCode(),
        millis == null ? 0 : millis / 1000.0);
    AccessKey caller = ctx.attribute(CALLER);
    if (access.isInfoEnabled()) {
      MDC.put("requestId", ctx.attribute("requestId"));
      MDC.put("bucket", ctx.attribute(BUCKET));
      MDC.put("secretId", caller == null ? null : caller.secretId());
      try {
        access.info(
            "{} {} {} {} {} ms",
            ctx.method().name(),
            ctx.req().getRequestURI(),
            route == null ? "other" : route,
            ctx.statusCode(),
            millis == null ? 0 : String.format(java.util.Locale.ROOT, "%.1f", millis));
      } finally {
        MDC.remove("requestId");
        MDC.remove("bucket");
        MDC.remove("secretId");
      }
    }
    Long auditEntry = ctx.attribute(AUDIT_ENTRY);
    if (auditEntry != null) {
      keys.auditSettle(auditEntry, ctx.statusCode() / 100 == 2);
    }
  }

  /** The query of an audited change, without a presigned URL's signature parameters. */
  private static String auditedQuery(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    StringBuilder kept = new StringBuilder();
    for (String part : query.split("&")) {
      String name = part.toLowerCase(java.util.Locale.ROOT);
      if (!name.startsWith("q-") && !name.startsWith("sign=") && !name.contains("token")) {
        kept.append(kept.isEmpty() ? "?" : "&").append(part);
      }
    }
    return kept.toString();
  }

  private static void status(Context ctx, String status) {
    ctx.status("ok".equals(status) ? 200 : 503)
        .contentType("application/json")
        .result("{\"status\":\"" + status.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }

  /**
   * The target with the parameters its signature covers, the key that signed it in the context's
   * {@code caller}; throws when the signature is refused.
   */
  private RequestTarget authenticate(Context ctx, RequestTarget target) {
    if (allowAnonymous && ctx.header("Authorization") == null) {
      return target;
    }
    SignatureVerifier.Verified<AccessKey> verified =
        verifier.verify(
            new SignedRequest(ctx.method().name(), target.path(), target.pairs(), ctx::header),
            keyLookup);
    ctx.attribute(CALLER, verified.key());
    return target.signedBy(verified.signedParams());
  }

  /** Whether a request may change something: all but reads (GET, HEAD) and CORS preflights. */
  private static boolean writes(HandlerType method) {
    return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
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
