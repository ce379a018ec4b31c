package dev.ipsec.operator.render;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files one gateway loads, split by sensitivity.
 *
 * <ul>
 *   <li>{@code configFiles}: the swanctl directory's public part (for ConfigMaps): {@code
 *       swanctl.conf} with only includes, {@code conf.d/<peer>.conf}, {@code x509/}, {@code
 *       x509ca/}, {@code pubkey/}.
 *   <li>{@code secretFiles}: what only ever goes to Secrets: {@code secrets.d/<peer>.conf} and
 *       {@code private/}.
 *   <li>{@code strongswanConf}: charon's strongswan.conf, absent when the IpsecGlobal itself is
 *       invalid ({@code gatewayErrors}).
 *   <li>{@code connections}: for each rendered peer, its connection name and child names (what
 *       charon will list), for status and tests.
 *   <li>{@code peerErrors}: the peers that were left out, with every reason.
 * </ul>
 *
 * All maps are sorted by key, so iteration order is stable.
 */
public record RenderedGateway(
    SortedMap<String, String> configFiles,
    SortedMap<String, byte[]> secretFiles,
    Optional<String> strongswanConf,
    SortedMap<String, RenderedConnection> connections,
    SortedMap<String, List<FieldError>> peerErrors,
    List<FieldError> gatewayErrors) {

  public RenderedGateway {
    configFiles = Collections.unmodifiableSortedMap(new TreeMap<>(configFiles));
    secretFiles = Collections.unmodifiableSortedMap(new TreeMap<>(secretFiles));
    connections = Collections.unmodifiableSortedMap(new TreeMap<>(connections));
    peerErrors = Collections.unmodifiableSortedMap(new TreeMap<>(peerErrors));
    gatewayErrors = List.copyOf(gatewayErrors);
  }

  public boolean hasErrors() {
    return !peerErrors.isEmpty() || !gatewayErrors.isEmpty();
  }

  /** The connection and child names one peer renders to. */
  /**
   * @param children the CHILD SA names
   * @param algorithms what its proposals need from charon, to tell a gateway that lacks one
   */
  public record RenderedConnection(
      String name, List<String> children, List<ProposalAlgorithms.Needed> algorithms) {
    public RenderedConnection {
      children = List.copyOf(children);
      algorithms = List.copyOf(algorithms);
    }
  }

  @Override
  public String toString() {
    // secretFiles deliberately left out: only their names
    return "RenderedGateway[configFiles="
        + configFiles.keySet()
        + ", secretFiles="
        + secretFiles.keySet()
        + ", connections="
        + connections.keySet()
        + ", peerErrors="
        + peerErrors
        + ", gatewayErrors="
        + gatewayErrors
        + "]";
  }
}
