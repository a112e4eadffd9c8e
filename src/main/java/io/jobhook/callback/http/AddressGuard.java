package io.jobhook.callback.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides whether a callback may connect to an address. By default only public unicast addresses
 * are allowed: loopback, private, link-local (cloud metadata included), CGNAT, multicast,
 * unspecified, IPv6 unique-local and the IPv6 forms that reach an IPv4 address (IPv4-mapped and
 * -compatible, NAT64, 6to4) of these are refused. An allow-list of CIDR blocks opens chosen ranges
 * (an internal receiver, say); {@code allowPrivate} (the {@code --allow-private-callbacks} flag,
 * for local development) allows everything. Thread-safe.
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
        throw new IllegalArgumentException(
            "not a CIDR block: '" + t + "' (e.g. 10.0.0.0/8 or fd00::/8)");
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
        throw new IllegalArgumentException(
            "not a CIDR block: '" + t + "' (e.g. 10.0.0.0/8 or fd00::/8)");
      }
    }

    public static List<Cidr> parseList(String text) {
      return java.util.Arrays.stream(text.split(","))
          .filter(s -> !s.isBlank())
          .map(Cidr::parse)
          .toList();
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

  private static boolean isPublicV4(byte a, byte b, byte c, byte d) {
    try {
      return isPublic(InetAddress.getByAddress(new byte[] {a, b, c, d}));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The NAT64 prefixes: the well-known 64:ff9b::/96 and the local-use 64:ff9b:1::/48. */
  private static boolean isNat64(byte[] b) {
    if (b[0] != 0 || b[1] != 0x64 || b[2] != (byte) 0xFF || b[3] != (byte) 0x9B) {
      return false;
    }
    boolean wellKnown = true;
    for (int i = 4; i < 12; i++) {
      wellKnown &= b[i] == 0;
    }
    return wellKnown || (b[4] == 0 && b[5] == 1);
  }

  static boolean isPublic(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped
          && ((b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) || (b[10] == 0 && b[11] == 0))) {
        return isPublicV4(b[12], b[13], b[14], b[15]);
      }
      if (isNat64(b)) {
        return isPublicV4(
            b[12], b[13], b[14],
            b[15]); // 64:ff9b::/96 and 64:ff9b:1::/48 reach the IPv4 address they end with
      }
      if (b[0] == 0x20 && b[1] == 0x02) {
        return isPublicV4(
            b[2], b[3], b[4], b[5]); // 6to4, 2002::/16, reaches the IPv4 address that follows
      }
      if ((b[0] & 0xFE) == 0xFC) {
        return false; // fc00::/7 unique local
      }
    }
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
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
