package io.jobhook.api;

import static io.jobhook.wire.Document.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jobhook.object.CorsRule;
import io.jobhook.object.CorsStore;
import io.jobhook.wire.Document;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cross-origin calls from browsers, as COS answers them: a bucket's CORS configuration ({@code
 * PUT}, {@code GET}, {@code DELETE /?cors}), the preflight a browser sends before a call it may not
 * make unasked ({@code OPTIONS}, unsigned, as browsers send it), and the headers that let a page's
 * script read the answer of a call a rule allows.
 */
final class CorsApi {
  private final CorsStore store;
  private final InstantSource clock;

  CorsApi(CorsStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  /** {@code PUT}, {@code GET} or {@code DELETE /?cors}. */
  void configure(Context ctx, VirtualHost host) {
    switch (ctx.method().name()) {
      case "PUT" -> {
        List<CorsRule> rules = parse(HttpServer.readBody(ctx, CiXml.MAX_BODY_BYTES));
        store.put(host.bucket(), rules, clock.instant());
        ctx.status(200);
      }
      case "GET" -> {
        List<CorsRule> rules =
            rulesOr(
                host.bucket(),
                404,
                "NoSuchCORSConfiguration",
                "the bucket " + host.bucket() + " has no CORS configuration");
        ctx.status(200).contentType("application/xml").result(Document.toXml(document(rules)));
      }
      case "DELETE" -> {
        store.delete(host.bucket());
        ctx.status(204);
      }
      default ->
          throw new ApiException(
              405, "MethodNotAllowed", "?cors on a bucket takes PUT, GET or DELETE");
    }
  }

  /** A deleted bucket's rules go with it. */
  void forget(String bucket) {
    store.delete(bucket);
  }

  /**
   * Answers a preflight: 200 with what the first matching rule allows, or 403 when no rule does
   * (the browser then refuses the call itself).
   */
  void preflight(Context ctx, VirtualHost host) {
    String origin = ctx.header("Origin");
    String method = ctx.header("Access-Control-Request-Method");
    if (origin == null || method == null) {
      throw new ApiException(
          400,
          "InvalidRequest",
          "a CORS preflight (OPTIONS) needs the Origin and Access-Control-Request-Method headers");
    }
    List<String> headers = requestedHeaders(ctx.header("Access-Control-Request-Headers"));
    List<CorsRule> rules =
        rulesOr(
            host.bucket(),
            403,
            "AccessForbidden",
            "CORSResponse: CORS is not configured for the bucket " + host.bucket());
    CorsRule rule =
        CorsRule.first(rules, origin, method, headers)
            .orElseThrow(
                () ->
                    new ApiException(
                        403,
                        "AccessForbidden",
                        "CORSResponse: no CORS rule of the bucket allows "
                            + method
                            + " from "
                            + origin
                            + (headers.isEmpty() ? "" : " with the headers " + headers)));
    allow(ctx, origin, rule);
    ctx.header("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
    if (!headers.isEmpty()) {
      ctx.header("Access-Control-Allow-Headers", String.join(", ", headers));
    }
    if (rule.maxAgeSeconds() != null) {
      ctx.header("Access-Control-Max-Age", rule.maxAgeSeconds().toString());
    }
    ctx.status(200);
  }

  /**
   * For a call that names an {@code Origin}: when a rule allows that origin the call's method, the
   * headers that let the page's script read the answer, errors included. Set before the call is
   * authenticated, so that a page learns why a call was refused.
   */
  void exposeAnswer(Context ctx, VirtualHost host) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    Optional<List<CorsRule>> rules = store.find(host.bucket());
    if (rules.isEmpty()) {
      return;
    }
    CorsRule.first(rules.get(), origin, ctx.method().name(), List.of())
        .ifPresent(rule -> allow(ctx, origin, rule));
  }

  /** The bucket's rules, or the error a call answers when it has none. */
  private List<CorsRule> rulesOr(String bucket, int status, String code, String message) {
    return store.find(bucket).orElseThrow(() -> new ApiException(status, code, message));
  }

  private static void allow(Context ctx, String origin, CorsRule rule) {
    // the origin itself, never "*": the answer then also serves calls made with credentials
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Vary", "Origin");
    if (!rule.exposeHeaders().isEmpty()) {
      ctx.header("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
    }
  }

  private static List<String> requestedHeaders(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    return Arrays.stream(header.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
  }

  private static List<CorsRule> parse(byte[] body) {
    JsonNode doc = CiXml.parse(body, "CORSConfiguration");
    List<JsonNode> items = CiXml.repeated(doc, "CORSRule");
    if (items.isEmpty() || items.size() > CorsRule.MAX_RULES) {
      throw ApiException.malformedXml(
          "a <CORSConfiguration> holds 1 to " + CorsRule.MAX_RULES + " rules, not " + items.size());
    }
    List<CorsRule> rules = new ArrayList<>();
    for (JsonNode item : items) {
      String maxAge = CiXml.text(item, "MaxAgeSeconds");
      try {
        rules.add(
            new CorsRule(
                CiXml.text(item, "ID"),
                texts(item, "AllowedOrigin"),
                texts(item, "AllowedMethod").stream()
                    .map(m -> m.toUpperCase(java.util.Locale.ROOT))
                    .toList(),
                texts(item, "AllowedHeader"),
                texts(item, "ExposeHeader"),
                maxAge == null ? null : Integer.valueOf(maxAge)));
      } catch (IllegalArgumentException e) {
        throw ApiException.malformedXml(e.getMessage());
      }
    }
    return rules;
  }

  private static List<String> texts(JsonNode rule, String name) {
    List<String> values = new ArrayList<>();
    for (JsonNode n : CiXml.repeated(rule, name)) {
      if (!n.isValueNode()) {
        throw ApiException.malformedXml("<" + name + "> must hold text");
      }
      String v = n.asText().trim();
      if (!v.isEmpty()) {
        values.add(v);
      }
    }
    return values;
  }

  private static Document.Node document(List<CorsRule> rules) {
    List<Document> items = new ArrayList<>();
    for (CorsRule rule : rules) {
      List<Document> fields = new ArrayList<>();
      if (!rule.id().isEmpty()) {
        fields.add(text("ID", rule.id()));
      }
      rule.allowedOrigins().forEach(o -> fields.add(text("AllowedOrigin", o)));
      rule.allowedMethods().forEach(m -> fields.add(text("AllowedMethod", m)));
      rule.allowedHeaders().forEach(h -> fields.add(text("AllowedHeader", h)));
      rule.exposeHeaders().forEach(h -> fields.add(text("ExposeHeader", h)));
      if (rule.maxAgeSeconds() != null) {
        fields.add(text("MaxAgeSeconds", rule.maxAgeSeconds().toString()));
      }
      items.add(new Document.Node("CORSRule", fields));
    }
    return new Document.Node("CORSConfiguration", items);
  }
}
