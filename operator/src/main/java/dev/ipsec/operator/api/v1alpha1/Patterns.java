package dev.ipsec.operator.api.v1alpha1;

/**
 * Anchored regular expressions used as OpenAPI {@code pattern}s in the CRDs.
 *
 * <p>They must be valid both for the API server (Go RE2: no look-around) and for Java, because the
 * same schema is checked offline by {@code ipsec-operator validate} and by the tests.
 */
public final class Patterns {
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final String H = "[0-9a-fA-F]{1,4}";

  public static final String IPV4_BODY = OCTET + "(\\." + OCTET + "){3}";
  public static final String IPV6_BODY =
      "(("
          + H
          + ":){7}"
          + H
          + "|("
          + H
          + ":){1,7}:"
          + "|("
          + H
          + ":){1,6}:"
          + H
          + "|("
          + H
          + ":){1,5}(:"
          + H
          + "){1,2}"
          + "|("
          + H
          + ":){1,4}(:"
          + H
          + "){1,3}"
          + "|("
          + H
          + ":){1,3}(:"
          + H
          + "){1,4}"
          + "|("
          + H
          + ":){1,2}(:"
          + H
          + "){1,5}"
          + "|"
          + H
          + ":(:"
          + H
          + "){1,6}"
          + "|:((:"
          + H
          + "){1,7}|:))";
  private static final String FQDN_BODY =
      "([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)*[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.?";
  private static final String CIDR4_BODY = IPV4_BODY + "/(3[0-2]|[12]?[0-9])";
  private static final String CIDR6_BODY = IPV6_BODY + "/(12[0-8]|1[01][0-9]|[1-9]?[0-9])";

  /** An IPv4 or IPv6 address, or {@code any}. */
  public static final String LOCAL_ADDRESS = "^(any|" + IPV4_BODY + "|" + IPV6_BODY + ")$";

  /** An IPv4 or IPv6 address, a host name, or {@code any}. */
  public static final String REMOTE_ADDRESS =
      "^(any|" + IPV4_BODY + "|" + IPV6_BODY + "|" + FQDN_BODY + ")$";

  /** An IPv4 or IPv6 address. */
  public static final String IP_ADDRESS = "^(" + IPV4_BODY + "|" + IPV6_BODY + ")$";

  /** An IPv4 or IPv6 prefix in CIDR notation, or {@code any}. */
  public static final String PREFIX = "^(any|" + CIDR4_BODY + "|" + CIDR6_BODY + ")$";

  /** A Linux interface name (at most 15 characters). */
  public static final String INTERFACE = "^[a-zA-Z0-9][a-zA-Z0-9._-]{0,14}$";

  /** A VTI interface bound by a peer: {@code vti0}, {@code vti12}. */
  public static final String VTI_INTERFACE = "^vti[0-9]{1,5}$";

  /** An IP protocol by name (as in /etc/protocols) or number. */
  public static final String PROTOCOL = "^([a-zA-Z][a-zA-Z0-9-]{0,31}|[0-9]{1,3})$";

  /** An IKE identity: printable text without the characters that would end a quoted value. */
  public static final String IDENTITY = "^[^\\x00-\\x1f\\x7f\"\\\\]{1,255}$";

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public static final String OBJECT_NAME =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A namespace name (DNS-1123 label). */
  public static final String NAMESPACE_NAME = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  /** A key inside a Secret or ConfigMap. */
  public static final String DATA_KEY = "^[-._a-zA-Z0-9]+$";

  private Patterns() {}
}
