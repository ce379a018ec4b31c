package dev.ipsec.operator.reconcile.ownership;

/**
 * Words of the cluster (an API server's refusal, a controller's or the kubelet's condition message)
 * quoted in a condition: on one line and cut short, so that a status stays readable whatever the
 * other side wrote. Here, the lowest of the reconcile packages, because both a refused write
 * ({@link WriteFailure}) and the gateway's pod failures ({@code status.PodFailures}) quote them.
 */
public final class ClusterMessages {
  /** Characters of a quoted message kept. */
  public static final int MESSAGE_CHARS = 300;

  private ClusterMessages() {}

  /** {@code message} on one line, cut to {@link #MESSAGE_CHARS}; empty for null. */
  public static String oneLine(String message) {
    if (message == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    message
        .codePoints()
        .limit(MESSAGE_CHARS)
        .forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    if (message.codePointCount(0, message.length()) > MESSAGE_CHARS) {
      b.append("...");
    }
    return b.toString().strip();
  }
}
