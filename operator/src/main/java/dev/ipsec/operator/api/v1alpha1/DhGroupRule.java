package dev.ipsec.operator.api.v1alpha1;

/**
 * Which Diffie-Hellman group numbers a proposal may name: those VyOS accepts, 1, 2, 5 and 14 to 32,
 * as a CEL rule for the CRD and as a check. Their strongSwan keywords are the renderer's ({@code
 * render.DhGroupKeywords}).
 */
public final class DhGroupRule {
  /** The CEL expression that checks an integer field holding a DH group. */
  public static final String CEL_RULE =
      "self == 1 || self == 2 || self == 5 || (self >= 14 && self <= 32)";

  private DhGroupRule() {}

  public static boolean isValid(int group) {
    return group == 1 || group == 2 || group == 5 || (group >= 14 && group <= 32);
  }
}
