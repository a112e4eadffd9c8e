package io.jobhook.callback;

import java.net.URI;
import java.util.Locale;

/** The destination of a callback URL, {@code scheme://host:port}: what limits and circuits apply to. */
public final class Destinations {
  private Destinations() {}

  public static String of(String url) {
    try {
      URI uri = URI.create(url);
      String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
      String host = uri.getHost() == null ? "invalid" : uri.getHost().toLowerCase(Locale.ROOT);
      int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
      return scheme + "://" + host + ":" + port;
    } catch (IllegalArgumentException e) {
      return "invalid://invalid:0";
    }
  }
}
