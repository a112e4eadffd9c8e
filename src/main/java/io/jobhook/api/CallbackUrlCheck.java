package io.jobhook.api;

import io.jobhook.callback.CallbackUrl;
import io.jobhook.callback.http.AddressGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses at submit time what delivery would refuse anyway: URLs that do not parse and literal
 * private addresses. Names are resolved at delivery, where the guard checks every address.
 */
final class CallbackUrlCheck {
  private final AddressGuard guard;

  CallbackUrlCheck(AddressGuard guard) {
    this.guard = guard;
  }

  /** {@code field} names the request element in the error, e.g. {@code CallBack}. */
  void check(String field, String url) {
    CallbackUrl parsed;
    try {
      parsed = CallbackUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument(field + ": " + e.getMessage());
    }
    if (!parsed.isLiteral()) {
      return;
    }
    try {
      if (!guard.allows(InetAddress.getByName(parsed.host()))) { // a literal: no lookup
        throw ApiException.invalidArgument(
            field
                + " address "
                + parsed.host()
                + " is private or loopback; start jobhook with --allow-private-callbacks for local development");
      }
    } catch (UnknownHostException e) {
      throw ApiException.invalidArgument(
          field + " host '" + parsed.host() + "' is not a valid address");
    }
  }
}
