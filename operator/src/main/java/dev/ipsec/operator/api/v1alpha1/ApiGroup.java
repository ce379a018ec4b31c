package dev.ipsec.operator.api.v1alpha1;

/** Names shared by the four kinds of the API. */
public final class ApiGroup {
  public static final String GROUP = "ipsec.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** The kubectl category that lists all four kinds: {@code kubectl get ipsec}. */
  public static final String CATEGORY = "ipsec";

  private ApiGroup() {}
}
