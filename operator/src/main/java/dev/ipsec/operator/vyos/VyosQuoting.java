package dev.ipsec.operator.vyos;

/** Single quotes as VyOS prints values: backslash escapes a quote or a backslash inside them. */
final class VyosQuoting {

  private VyosQuoting() {}

  static String quote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
