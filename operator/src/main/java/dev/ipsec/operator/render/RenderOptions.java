package dev.ipsec.operator.render;

/**
 * Settings of the deployment rather than of the resources: where the gateway pod shares charon's
 * VICI socket with the agent.
 */
public record RenderOptions(String viciSocketUri) {

  public static final String DEFAULT_VICI_SOCKET_URI = "unix:///run/vici/charon.vici";

  public RenderOptions {
    if (viciSocketUri == null || !viciSocketUri.matches("unix://[A-Za-z0-9_./-]+")) {
      throw new IllegalArgumentException("VICI socket URI must be unix:// and a plain path");
    }
  }

  public static RenderOptions defaults() {
    return new RenderOptions(DEFAULT_VICI_SOCKET_URI);
  }
}
