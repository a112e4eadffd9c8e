package io.jobhook.callback.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides whether a callback may connect to an address. By default only public unicast addresses
 * are allowed: loopback, private, link-local (cloud metadata included), CGNAT, multicast,
 * unspecified, IPv6 unique-local and IPv4-mapped or -compatible forms of these are refused.
 * An allow-list of CIDR blocks opens chosen ranges (an internal receiver, say);
 * {@code allowPrivate} (the {@code --allow-private-callbacks} flag, for local development) allows
 * everything. Thread-safe.
 */
public final class AddressGuard {
  private final boolean allowPrivate;
  private final List<Cidr> allowList;

  public AddressGuard(boolean allowPrivate) {
    this(allowPrivate, List.of());
  }

  public AddressGuard(boolean allowPrivate, List<Cidr> allowList) {
    this.allowPrivate = allowPrivate;
    this.allowList = List.copyOf(allowList);
  }

  public boolean allows(InetAddress address) {
    if (allowPrivate || isPublic(address)) {
      return true;
    }
    for (Cidr cidr : allowList) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** A block of addresses such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
  public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
      String t = text.trim();
      int slash = t.indexOf('/');
      String literal = slash < 0 ? t : t.substring(0, slash);
      if (!literal.matches("[0-9a-fA-F:.]+")) { // a literal only: never a name lookup
        throw new IllegalArgumentException("not a CIDR block: '" + t + "' (e.g. 10.0.0.0/8 or fd00::/8)");
      }
      try {
        InetAddress base = InetAddress.getByName(literal);
        byte[] bytes = base.getAddress();
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException("prefix out of range in " + t);
        }
        return new Cidr(bytes, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not a CIDR block: '" + t + "' (e.g. 10.0.0.0/8 or fd00::/8)");
      }
    }

    public static List<Cidr> parseList(String text) {
      return java.util.Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    }

    public boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        if (address instanceof Inet6Address && network.length == 4 && isMapped(a)) {
          a = java.util.Arrays.copyOfRange(a, 12, 16);
        } else {
          return false;
        }
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (network[full] & mask);
    }

    private static boolean isMapped(byte[] b) {
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return false;
        }
      }
      return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }
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
        } catch (UnknownHostException e) {
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
