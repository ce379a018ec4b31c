package dev.ipsec.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.e2e.E2eCluster.IkeSa;
import java.util.List;
import java.util.Optional;

/** What the e2e scenarios wait for in an IpsecPeer's status. */
final class PeerStatuses {

  private PeerStatuses() {}

  static Optional<Condition> condition(IpsecPeer peer, String type) {
    return peer.getStatus() == null
        ? Optional.empty()
        : peer.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst();
  }

  /** The reason of condition {@code type} when it is False. */
  static Optional<String> falseReason(IpsecPeer peer, String type) {
    return condition(peer, type)
        .filter(c -> "False".equals(c.getStatus()))
        .map(Condition::getReason);
  }

  /**
   * The one ESTABLISHED IKE SA of {@code connection} on a gateway; fails if there is not exactly
   * one.
   */
  static IkeSa establishedSa(E2eCluster cluster, String gateway, String connection) {
    List<IkeSa> sas =
        cluster.ikeSas(gateway).stream()
            .filter(sa -> sa.connection().equals(connection) && sa.state().equals("ESTABLISHED"))
            .toList();
    assertThat(sas).as("ESTABLISHED IKE SAs of %s on %s", connection, gateway).hasSize(1);
    return sas.get(0);
  }
}
