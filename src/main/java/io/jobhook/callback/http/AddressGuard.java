package io.jobhook.callback.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Decides whether a callback may connect to an address. By default only public unicast addresses
 * are allowed: loopback, private, link-local (cloud metadata included), CGNAT, multicast,
 * unspecified, IPv6 unique-local and IPv4-mapped or -compatible forms of these are refused.
 * {@code allowPrivate} (the {@code --allow-private-callbacks} flag, for local development) allows
 * everything. Thread-safe.
 */
public final class AddressGuard {
  private final boolean allowPrivate;

  public AddressGuard(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  public boolean allows(InetAddress address) {
    return allowPrivate || isPublic(address);
  }

  static boolean isPublic(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && ((b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) || (b[10] == 0 && b[11] == 0))) {
        byte[] v4 = {b[12], b[13], b[14], b[15]};
        try {
          return isPublic(InetAddress.getByAddress(v4));
        } catch (java.net.UnknownHostException e) {
          return false;
        }
      }
      if ((b[0] & 0xFE) == 0xFC) {
        return false; // fc00::/7 unique local
      }
    }
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    if (address instanceof Inet4Address) {
      byte[] b = address.getAddress();
      int first = b[0] & 0xFF;
      int second = b[1] & 0xFF;
      if (first == 0 || first == 127 || first >= 240) {
        return false;
      }
      if (first == 100 && second >= 64 && second <= 127) {
        return false; // 100.64.0.0/10 carrier-grade NAT
      }
      if (first == 192 && second == 0 && (b[2] & 0xFF) == 0) {
        return false; // 192.0.0.0/24 IETF protocol assignments
      }
      if (first == 198 && (second == 18 || second == 19)) {
        return false; // benchmarking
      }
    }
    return true;
  }
}
