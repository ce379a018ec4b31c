package dev.ipsec.operator.api.v1alpha1;

/** The Diffie-Hellman groups VyOS accepts: 1, 2, 5 and 14 to 32. */
public final class DhGroups {
  /** The CEL expression that checks an integer field holding a DH group. */
  public static final String CEL_RULE =
      "self == 1 || self == 2 || self == 5 || (self >= 14 && self <= 32)";

  private DhGroups() {}

  public static boolean isValid(int group) {
    return group == 1 || group == 2 || group == 5 || (group >= 14 && group <= 32);
  }
}
