package dev.ipsec.operator.render;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 prefix ({@code 192.0.2.0/24}, {@code 2001:db8::/32}). Host bits beyond the mask
 * are tolerated (strongSwan masks them too) but ignored when comparing prefixes.
 */
public record Prefix(boolean ipv6, BigInteger network, int length) {

  /** Parses {@code address/length}; returns {@code null} for anything else. */
  public static Prefix parse(String s) {
    if (s == null) {
      return null;
    }
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1) {
      return null;
    }
    String address = s.substring(0, slash);
    String lengthText = s.substring(slash + 1);
    if (lengthText.length() > 3
        || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')
        || lengthText.length() > 1 && lengthText.charAt(0) == '0') {
      return null;
    }
    int length = Integer.parseInt(lengthText);
    boolean v6;
    if (Grammar.isIpv4(address)) {
      v6 = false;
    } else if (Grammar.isIpv6(address)) {
      v6 = true;
    } else {
      return null;
    }
    int bits = v6 ? 128 : 32;
    if (length > bits) {
      return null;
    }
    byte[] raw = v6 ? literalBytes(address) : ipv4Bytes(address);
    if (v6 && raw.length == 4) {
      // Java folds ::ffff:a.b.c.d into an IPv4 address; keep it in the IPv6 space
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(raw, 0, mapped, 12, 4);
      raw = mapped;
    }
    BigInteger value = new BigInteger(1, raw);
    BigInteger mask =
        BigInteger.ONE
            .shiftLeft(bits)
            .subtract(BigInteger.ONE)
            .xor(BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE));
    return new Prefix(v6, value.and(mask), length);
  }

  /** Whether the two prefixes share at least one address. */
  public boolean overlaps(Prefix other) {
    if (ipv6 != other.ipv6) {
      return false;
    }
    int bits = ipv6 ? 128 : 32;
    int shorter = Math.min(length, other.length);
    return network.shiftRight(bits - shorter).equals(other.network.shiftRight(bits - shorter));
  }

  private static byte[] ipv4Bytes(String dottedQuad) {
    byte[] bytes = new byte[4];
    int part = 0;
    int value = 0;
    for (int i = 0; i < dottedQuad.length(); i++) {
      char c = dottedQuad.charAt(i);
      if (c == '.') {
        bytes[part++] = (byte) value;
        value = 0;
      } else {
        value = value * 10 + (c - '0');
      }
    }
    bytes[3] = (byte) value;
    return bytes;
  }

  private static byte[] literalBytes(String literal) {
    try {
      // Only ever called with a string the grammar accepted as a literal, so no lookup happens.
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address literal", e);
    }
  }
}
