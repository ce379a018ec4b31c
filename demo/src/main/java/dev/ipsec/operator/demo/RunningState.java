package dev.ipsec.operator.demo;

import dev.ipsec.operator.api.v1alpha1.GatewayPodStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What runs, as the status says, in the terms a fault must not change once it has recovered from:
 * each peer's running and observed generation, each gateway's loaded configuration revision,
 * connections loaded and established peers. A pod's name and IP, SA times and counters may change;
 * these may not. {@code demo --chaos} takes it before a fault and after, and calls every difference
 * lost.
 */
final class RunningState {
  private RunningState() {}

  /** The state of these peers and gateways, one entry per fact: {@code ipsecpeers/a running}. */
  static Map<String, String> of(List<IpsecPeer> peers, List<IpsecGlobal> gateways) {
    Map<String, String> state = new TreeMap<>();
    for (IpsecPeer peer : peers) {
      String key = "ipsecpeers/" + peer.getMetadata().getName();
      var status = peer.getStatus();
      state.put(
          key + " runningGeneration",
          String.valueOf(status == null ? null : status.getRunningGeneration()));
      state.put(
          key + " observedGeneration",
          String.valueOf(status == null ? null : status.getObservedGeneration()));
    }
    for (IpsecGlobal gateway : gateways) {
      String key = "ipsecglobals/" + gateway.getMetadata().getName();
      var status = gateway.getStatus();
      List<GatewayPodStatus> pods =
          status == null || status.getPods() == null ? List.of() : status.getPods();
      state.put(
          key + " configRevision",
          pods.stream()
              .map(p -> String.valueOf(p.getConfigRevision()))
              .sorted()
              .distinct()
              .collect(Collectors.joining(",")));
      state.put(
          key + " connectionsLoaded",
          String.valueOf(
              pods.stream()
                  .map(GatewayPodStatus::getConnectionsLoaded)
                  .filter(Objects::nonNull)
                  .mapToInt(Integer::intValue)
                  .sum()));
      state.put(
          key + " peersEstablished",
          String.valueOf(
              status == null || status.getPeers() == null
                  ? null
                  : status.getPeers().getEstablished()));
    }
    return state;
  }

  /** Every fact that differs, in words: {@code ipsecpeers/a runningGeneration 1 -> null}. */
  static List<String> lost(Map<String, String> before, Map<String, String> after) {
    List<String> lost = new ArrayList<>();
    before.forEach(
        (fact, was) -> {
          String now = after.getOrDefault(fact, "(gone)");
          if (!was.equals(now)) {
            lost.add(fact + " " + was + " -> " + now);
          }
        });
    return lost;
  }
}
