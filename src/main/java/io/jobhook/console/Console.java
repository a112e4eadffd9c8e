package io.jobhook.console;

import io.javalin.http.Context;
import io.jobhook.access.AccessKey;
import io.jobhook.access.AccessKeys;
import io.jobhook.access.Sessions;
import io.jobhook.callback.CallbackLog;
import io.jobhook.callback.Circuits;
import io.jobhook.callback.Redelivery;
import io.jobhook.callback.SigningSecrets;
import io.jobhook.job.JobService;
import io.jobhook.job.QueueService;
import io.jobhook.object.ObjectStore;
import io.jobhook.template.TemplateService;
import io.jobhook.wire.CiTimes;
import io.jobhook.workflow.WorkflowService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes {@code /console/...}: the sign-in and sign-out, then every page for a signed-in key only,
 * every form checked against its session's CSRF token, every bucket against the key's scope.
 * Answers in HTML, errors included; never a CI document.
 */
public final class Console {
  private static final Logger log = LoggerFactory.getLogger(Console.class);
  static final String COOKIE = "jobhook_console";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What the console's pages read and change. */
  public record Services(
      Sessions sessions,
      AccessKeys keys,
      JobService jobs,
      QueueService queues,
      CallbackLog callbackLog,
      Redelivery redelivery,
      SigningSecrets secrets,
      WorkflowService workflows,
      TemplateService templates,
      Circuits circuits,
      ObjectStore objects,
      CiTimes times,
      InstantSource clock,
      NotifyUrlCheck notifyUrls) {}

  /**
   * The API's check of a notification URL (scheme, literal private addresses): throws if refused.
   */
  @FunctionalInterface
  public interface NotifyUrlCheck {
    void check(String url);
  }

  private final Services services;
  private final boolean secureCookies;
  private final Pages pages;

  public Console(Services services, boolean secureCookies) {
    this.services = services;
    this.secureCookies = secureCookies;
    this.pages = new Pages(services);
  }

  /** Whether a path is the console's. */
  public static boolean owns(String rawPath) {
    return rawPath.equals("/console") || rawPath.startsWith("/console/");
  }

  public void handle(Context ctx) throws IOException {
    String path = ctx.req().getRequestURI();
    String method = ctx.method().name();
    String nonce = nonce();
    ctx.header(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'nonce-"
            + nonce
            + "'; style-src 'nonce-"
            + nonce
            + "'; img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    Sessions.Session session = null;
    try {
      if (path.equals("/console")) {
        ctx.redirect("/console/", io.javalin.http.HttpStatus.SEE_OTHER);
        return;
      }
      if (path.equals("/console/signin")) {
        signIn(ctx, method, nonce);
        return;
      }
      session = services.sessions().find(ctx.cookie(COOKIE)).orElse(null);
      if (session == null) {
        if (method.equals("GET")) {
          ctx.redirect("/console/signin", io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
          page(ctx, 403, Layout.page("Signed out", "", null, nonce, signedOutBody(), null));
        }
        return;
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        String sent = ctx.formParam("csrf");
        if (sent == null
            || !MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8),
                session.csrf().getBytes(StandardCharsets.UTF_8))) {
          page(
              ctx,
              403,
              Layout.page(
                  "Refused",
                  "",
                  session,
                  nonce,
                  "<p class=\"error\" role=\"alert\">This form's security token is missing or"
                      + " wrong (CSRF). Nothing was changed. Open the page again and retry.</p>",
                  null));
          return;
        }
        if (path.equals("/console/signout")) {
          services.sessions().signOut(session);
          ctx.cookie(cookie("", 0, ctx.req().isSecure()));
          ctx.redirect("/console/signin", io.javalin.http.HttpStatus.SEE_OTHER);
          return;
        }
      }
      pages.serve(ctx, session, path.substring("/console".length()), method, nonce);
    } catch (Pages.NotFound e) {
      page(ctx, 404, Layout.page("Not found", "", session, nonce, message(e.getMessage()), null));
    } catch (Pages.Forbidden e) {
      page(ctx, 403, Layout.page("Not allowed", "", session, nonce, message(e.getMessage()), null));
    } catch (Pages.Invalid e) {
      page(
          ctx, 400, Layout.page("Not accepted", "", session, nonce, message(e.getMessage()), null));
    }
  }

  private void signIn(Context ctx, String method, String nonce) {
    if (method.equals("POST")) {
      String secretId = trim(ctx.formParam("secretId"));
      String secretKey = trim(ctx.formParam("secretKey"));
      var outcome = services.sessions().signIn(secretId, secretKey, ctx.ip());
      switch (outcome) {
        case Sessions.SignIn.SignedIn in -> {
          ctx.cookie(
              cookie(
                  in.cookie(),
                  (int) services.sessions().lifetime().toSeconds(),
                  ctx.req().isSecure()));
          log.info("console sign-in by {}", secretId);
          ctx.redirect("/console/", io.javalin.http.HttpStatus.SEE_OTHER);
        }
        case Sessions.SignIn.Refused refused -> {
          log.warn("console sign-in refused for {} from {}", secretId, ctx.ip());
          page(ctx, 401, signInPage(nonce, refused.reason(), secretId));
        }
        case Sessions.SignIn.HeldOff held ->
            page(
                ctx,
                429,
                signInPage(
                    nonce,
                    "Too many failed sign-ins: try again after "
                        + services.times().format(held.until()),
                    secretId));
      }
      return;
    }
    page(ctx, 200, signInPage(nonce, null, ""));
  }

  private static String signInPage(String nonce, String error, String secretId) {
    StringBuilder body = new StringBuilder();
    if (error != null) {
      body.append("<p class=\"error\" role=\"alert\" id=\"signin-error\">")
          .append(Html.esc(error))
          .append("</p>");
    }
    body.append("<form class=\"stack\" method=\"post\" action=\"/console/signin\">")
        .append("<label for=\"secretId\">SecretId")
        .append(
            "<input id=\"secretId\" name=\"secretId\" autocomplete=\"username\" required value=\"")
        .append(Html.esc(secretId))
        .append("\"></label><label for=\"secretKey\">SecretKey")
        .append(
            "<input id=\"secretKey\" name=\"secretKey\" type=\"password\""
                + " autocomplete=\"current-password\" required></label>")
        .append("<button type=\"submit\">Sign in</button></form>")
        .append(
            "<p class=\"muted\">Sign in with an access key pair: the administrator's"
                + " (JOBHOOK_SECRET_ID) or one made with <code>keys create</code>.</p>");
    return Layout.page("Sign in", "", null, nonce, body.toString(), null);
  }

  private static String signedOutBody() {
    return "<p role=\"alert\">Your session has ended. <a href=\"/console/signin\">Sign in</a>"
        + " again.</p>";
  }

  private static String message(String text) {
    return "<p class=\"error\" role=\"alert\">"
        + Html.esc(text)
        + "</p><p>Go back to correct it, or to <a href=\"/console/\">the overview</a>.</p>";
  }

  /** The session cookie; {@code Secure} over TLS or with {@code --secure-cookies}. */
  private io.javalin.http.Cookie cookie(String value, int maxAge, boolean overTls) {
    var cookie =
        new io.javalin.http.Cookie(
            COOKIE,
            value,
            "/console",
            maxAge,
            secureCookies,
            true,
            null,
            io.javalin.http.SameSite.STRICT);
    cookie.setPath("/console");
    cookie.setHttpOnly(true);
    cookie.setSecure(secureCookies || overTls);
    cookie.setMaxAge(maxAge);
    cookie.setSameSite(io.javalin.http.SameSite.STRICT);
    return cookie;
  }

  static void page(Context ctx, int status, String html) {
    ctx.status(status).contentType("text/html; charset=utf-8").result(html);
  }

  private static String trim(String s) {
    return s == null ? "" : s.trim();
  }

  private static String nonce() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The buckets a key may see, of those that exist. */
  static List<String> visibleBuckets(AccessKey key, List<String> all) {
    return key.scope().buckets().isEmpty()
        ? all
        : all.stream().filter(b -> key.scope().buckets().contains(b)).toList();
  }
}
