package io.jobhook.console;

import io.jobhook.access.Sessions;

/**
 * The frame of every page: landmarks, navigation, the sign-out form, and the page's own style and
 * script under the response's CSP nonce. Fits a 390 px phone as well as a desktop.
 */
final class Layout {
  private Layout() {}

  static final String STYLE =
      """
      :root { color-scheme: light dark; --accent: #0b62c4; --bad: #b3261e; --ok: #1b7f3b;
        --muted: #666; --line: #ccc6; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 15px/1.45 system-ui, sans-serif; }
      header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem;
        padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
      header strong { font-size: 1.1rem; margin-right: .5rem; }
      nav ul { display: flex; flex-wrap: wrap; gap: .25rem .9rem; list-style: none; margin: 0;
        padding: 0; }
      nav a[aria-current] { font-weight: 700; text-decoration: none; }
      header form { margin-left: auto; }
      main { padding: 1rem; max-width: 1200px; }
      a { color: var(--accent); }
      a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible {
        outline: 3px solid var(--accent); outline-offset: 2px; }
      table { border-collapse: collapse; width: 100%; }
      .scroll { overflow-x: auto; }
      th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
        vertical-align: top; }
      td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
      .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
        gap: .6rem; margin: 0 0 1rem; padding: 0; list-style: none; }
      .cards li { border: 1px solid var(--line); border-radius: .4rem; padding: .5rem .7rem; }
      .cards b { display: block; font-size: 1.5rem; }
      form.inline { display: inline; }
      form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end;
        margin-bottom: 1rem; }
      form.filters label, form.stack label { display: flex; flex-direction: column;
        font-size: .85rem; }
      form.stack { display: grid; gap: .6rem; max-width: 24rem; }
      input, select, button { font: inherit; padding: .3rem .5rem; }
      button { cursor: pointer; }
      .state-Success { color: var(--ok); } .state-Failed, .state-Cancel { color: var(--bad); }
      .error { color: var(--bad); font-weight: 600; }
      .muted { color: var(--muted); }
      progress { width: 8rem; }
      pre { white-space: pre-wrap; word-break: break-all; max-width: 100%; }
      svg text { fill: currentColor; font-size: 10px; }
      #topology { max-width: 100%; height: auto; }
      .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
        clip: rect(0 0 0 0); }
      @media (max-width: 600px) { main { padding: .6rem; } .wide { display: none; } }
      """;

  /** A whole page. {@code active} names the navigation entry to mark. */
  static String page(
      String title,
      String active,
      Sessions.Session session,
      String nonce,
      String body,
      String script) {
    StringBuilder out = new StringBuilder(body.length() + 4096);
    out.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>")
        .append(Html.esc(title))
        .append(" - jobhook</title><style nonce=\"")
        .append(nonce)
        .append("\">")
        .append(STYLE)
        .append("</style></head><body>");
    out.append("<header><strong>jobhook</strong>");
    if (session != null) {
      out.append("<nav aria-label=\"Console\"><ul>");
      link(out, "/console/", "Overview", active);
      link(out, "/console/jobs", "Jobs", active);
      link(out, "/console/queues", "Queues", active);
      link(out, "/console/workflows", "Workflows", active);
      link(out, "/console/templates", "Templates", active);
      link(out, "/console/callbacks", "Callbacks", active);
      if (session.key().scope().administrator()) {
        link(out, "/console/keys", "Access keys", active);
      }
      out.append("</ul></nav><form class=\"inline\" method=\"post\" action=\"/console/signout\">")
          .append(csrf(session))
          .append("<span class=\"muted\">")
          .append(Html.esc(session.key().secretId()))
          .append("</span> <button type=\"submit\">Sign out</button></form>");
    }
    out.append("</header><main id=\"main\"><h1>").append(Html.esc(title)).append("</h1>");
    out.append(body).append("</main>");
    if (script != null) {
      out.append("<script nonce=\"").append(nonce).append("\">").append(script).append("</script>");
    }
    out.append("</body></html>");
    return out.toString();
  }

  /** The hidden CSRF field every form of a signed-in page carries. */
  static String csrf(Sessions.Session session) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.esc(session.csrf()) + "\">";
  }

  private static void link(StringBuilder out, String href, String label, String active) {
    out.append("<li><a href=\"").append(href).append('"');
    if (label.equals(active)) {
      out.append(" aria-current=\"page\"");
    }
    out.append('>').append(label).append("</a></li>");
  }
}
