package dev.ipsec.operator.render;

import dev.ipsec.operator.settings.SettingsWriter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The strict grammars every user string must match before it may reach a rendered file. They are
 * deliberately narrower than what strongSwan accepts: anything that is not plainly an address, a
 * name or an identity is refused, so no value can carry settings syntax.
 */
public final class Grammar {

  /**
   * Longest value accepted anywhere; far above any real identity, far below a denial of service.
   */
  public static final int MAX_VALUE_LENGTH = 255;

  /** Linux interface names: at most 15 characters (IFNAMSIZ - 1), no slash, no whitespace. */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,15}");

  private static final Pattern VTI_NAME = Pattern.compile("vti(0|[1-9][0-9]{0,5})");

  private static final Pattern EMAIL_LOCAL = Pattern.compile("[A-Za-z0-9._%+=!~'-]{1,64}");

  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** Attribute type of a DN: a short name (C, CN, emailAddress) or a dotted OID. */
  private static final Pattern DN_TYPE =
      Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,31}|[0-9]+(\\.[0-9]+)+");

  /** Attribute value of a DN: printable ASCII without the characters the DN syntax reserves. */
  private static final Pattern DN_VALUE = Pattern.compile("[A-Za-z0-9 '()+./:?@_*&!~%=-]{1,128}");

  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{2,128}");

  private Grammar() {}

  public static boolean isConnectionName(String s) {
    return s != null && s.length() <= 100 && SettingsWriter.isName(s);
  }

  public static boolean isInterfaceName(String s) {
    return s != null && INTERFACE_NAME.matcher(s).matches() && !s.equals(".") && !s.equals("..");
  }

  /** A VTI interface as VyOS names them ({@code vti\d+}); the number becomes an XFRM if_id. */
  public static boolean isVtiName(String s) {
    return s != null && VTI_NAME.matcher(s).matches();
  }

  /** Dotted quad, each part 0-255 without leading zeros (hand-written: it runs very often). */
  public static boolean isIpv4(String s) {
    if (s == null || s.length() < 7 || s.length() > 15) {
      return false;
    }
    int parts = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i == s.length() ? '.' : s.charAt(i);
      if (c == '.') {
        if (digits == 0 || value > 255) {
          return false;
        }
        parts++;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return false; // leading zero
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
        if (digits > 3) {
          return false;
        }
      } else {
        return false;
      }
    }
    return parts == 4;
  }

  /** An IPv6 literal without zone index, checked without any name resolution. */
  public static boolean isIpv6(String s) {
    if (s == null || !IPV6_CHARS.matcher(s).matches() || s.indexOf(':') < 0) {
      return false;
    }
    int gap = s.indexOf("::");
    if (gap < 0) {
      return words(s, true) == 8;
    }
    if (s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    int head = words(s.substring(0, gap), false);
    int tail = words(s.substring(gap + 2), true);
    return head >= 0 && tail >= 0 && head + tail <= 7;
  }

  /** The number of 16-bit words in a colon-separated run, -1 if malformed. */
  private static int words(String run, boolean dottedQuadLast) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] groups = run.split(":", -1);
    int words = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (dottedQuadLast && i == groups.length - 1 && g.indexOf('.') >= 0) {
        if (!isIpv4(g)) {
          return -1;
        }
        words += 2;
      } else if (g.isEmpty() || g.length() > 4 || g.indexOf('.') >= 0) {
        return -1;
      } else {
        words++;
      }
    }
    return words;
  }

  public static boolean isIpAddress(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  /** A DNS name: labels of letters, digits, {@code -} and {@code _}; not all-numeric. */
  public static boolean isFqdn(String s) {
    if (s == null || s.isEmpty() || s.length() > 253) {
      return false;
    }
    String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    if (name.isEmpty()) {
      return false;
    }
    int start = 0;
    boolean lastAllDigits = false;
    while (start <= name.length()) {
      int end = name.indexOf('.', start);
      if (end < 0) {
        end = name.length();
      }
      if (!isLabel(name, start, end)) {
        return false;
      }
      lastAllDigits = true;
      for (int i = start; i < end; i++) {
        lastAllDigits &= Character.isDigit(name.charAt(i));
      }
      start = end + 1;
    }
    // "192.0.2.1"-like strings are addresses, never names
    return !lastAllDigits;
  }

  /** One DNS label: 1-63 of letters, digits, '-' and '_', not starting or ending with '-'. */
  private static boolean isLabel(String s, int start, int end) {
    int length = end - start;
    if (length < 1 || length > 63 || s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
      return false;
    }
    // letters, digits, '-' and '_' are just what a settings name may hold: one check serves both
    return SettingsWriter.isName(s, start, end);
  }

  /** {@code user@fqdn} (an RFC 822 identity). */
  public static boolean isEmailIdentity(String s) {
    int at = s == null ? -1 : s.lastIndexOf('@');
    return at > 0
        && EMAIL_LOCAL.matcher(s.substring(0, at)).matches()
        && isFqdn(s.substring(at + 1));
  }

  /**
   * A distinguished name as strongSwan parses it: {@code C=CH, O=Example, CN=gw}. Relative
   * distinguished names are separated by {@code ,} or {@code /}.
   */
  public static boolean isDistinguishedName(String s) {
    if (s == null || s.length() > MAX_VALUE_LENGTH || s.indexOf('=') < 0 || !isPrintableAscii(s)) {
      return false;
    }
    String body = s.startsWith("/") ? s.substring(1) : s;
    String[] parts = body.split(body.indexOf(',') >= 0 ? "," : "/", -1);
    for (String part : parts) {
      String rdn = part.strip();
      int eq = rdn.indexOf('=');
      if (eq <= 0) {
        return false;
      }
      String type = rdn.substring(0, eq).strip();
      String value = rdn.substring(eq + 1).strip();
      if (!DN_TYPE.matcher(type).matches() || !DN_VALUE.matcher(value).matches()) {
        return false;
      }
    }
    return true;
  }

  /**
   * An IKE identity: {@code %any}, an address, an FQDN (optionally {@code @}-prefixed), {@code
   * user@fqdn}, a DN, or one of strongSwan's typed prefixes ({@code fqdn:}, {@code email:}, {@code
   * ipv4:}, {@code keyid:#hex}, ...).
   */
  public static boolean isIdentity(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_VALUE_LENGTH || !isPrintableAscii(s)) {
      return false;
    }
    if (s.equals("%any") || s.equals("%any6")) {
      return true;
    }
    if (isIpAddress(s) || isFqdn(s) || isEmailIdentity(s)) {
      return true;
    }
    if (s.startsWith("@#")) {
      return HEX.matcher(s.substring(2)).matches();
    }
    if (s.startsWith("@")) {
      return isFqdn(s.substring(1)) || isEmailIdentity(s.substring(1));
    }
    int colon = s.indexOf(':');
    if (colon > 0 && !isIpv6(s)) {
      String type = s.substring(0, colon).toLowerCase(Locale.ROOT);
      String rest = s.substring(colon + 1);
      switch (type) {
        case "fqdn", "dns":
          return isFqdn(rest);
        case "email", "rfc822", "userfqdn":
          return isEmailIdentity(rest);
        case "ipv4", "ipv4net":
          return isIpv4(rest) || type.equals("ipv4net") && isPrefix(rest);
        case "ipv6", "ipv6net":
          return isIpv6(rest) || type.equals("ipv6net") && isPrefix(rest);
        case "keyid", "asn1dn", "asn1gn":
          return rest.startsWith("#") && HEX.matcher(rest.substring(1)).matches();
        default:
          // not a prefix we know: it may still be a DN with a colon in a value
          break;
      }
    }
    return isDistinguishedName(s);
  }

  /** Only characters from space to tilde: no control character, no unicode look-alike. */
  public static boolean isPrintableAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** An address prefix in CIDR form, with no host bits set beyond the mask. */
  public static boolean isPrefix(String s) {
    return Prefix.parse(s) != null;
  }

  /**
   * A remote address as VyOS allows it: an IP address or an FQDN ({@code any} handled by callers).
   */
  public static boolean isHost(String s) {
    return isIpAddress(s) || isFqdn(s);
  }
}
