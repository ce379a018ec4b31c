package dev.ipsec.operator.agent;

import dev.ipsec.operator.agent.tls.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the agent serves: the state API ({@code state}, over TLS with {@code tls}, else plain HTTP
 * and only on a loopback address) and the plain port of probes and metrics ({@code probes}), with
 * the bound of long-polls waiting at once on the state API.
 */
public record AgentEndpoints(
    InetSocketAddress state, Optional<TlsFiles> tls, InetSocketAddress probes, int maxLongPolls) {

  /** The default bound: one operator polls once per pod; the rest is slack for its restarts. */
  public static final int DEFAULT_MAX_LONG_POLLS = 32;

  public AgentEndpoints {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(probes, "probes");
    if (maxLongPolls < 1) {
      throw new IllegalArgumentException("maxLongPolls must be at least 1: " + maxLongPolls);
    }
    if (tls.isEmpty() && (state.getAddress() == null || !state.getAddress().isLoopbackAddress())) {
      // without TLS anyone who reaches the port could read the gateway's state or pose as it
      throw new IllegalArgumentException(
          "without TLS the state API serves only on a loopback address, not "
              + state
              + " (give --tls-cert, --tls-key and --client-ca)");
    }
  }

  /** Both servers on ephemeral loopback ports, plain HTTP: for tests and trials by hand. */
  public static AgentEndpoints loopback() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    return new AgentEndpoints(
        new InetSocketAddress(loopback, 0),
        Optional.empty(),
        new InetSocketAddress(loopback, 0),
        DEFAULT_MAX_LONG_POLLS);
  }
}
