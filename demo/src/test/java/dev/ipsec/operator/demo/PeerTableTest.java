package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IkeSaStatus;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTableTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @Test
  void showsOneAlignedRowPerPeerSortedByName() {
    IpsecPeer up = peer("site-b", "site-a", "192.0.2.20", "2026-11-26T11:59:30Z");
    IpsecPeerStatus status = new IpsecPeerStatus();
    IkeSaStatus ike = new IkeSaStatus();
    ike.setState("ESTABLISHED");
    status.setIkeSa(ike);
    status.setTunnelSummary("1/1");
    status.setConditions(List.of(new Condition("Ready", "True", "TunnelsUp", "")));
    up.setStatus(status);
    IpsecPeer fresh = peer("site-a", "site-b", "192.0.2.10", "2026-11-26T09:00:00Z");

    String table = PeerTable.render(List.of(up, fresh), NOW);

    assertThat(table.lines().toList())
        .containsExactly(
            "NAME     GATEWAY   REMOTE       STATE         TUNNELS   READY    AGE",
            "site-a   site-b    192.0.2.10   <none>        <none>    <none>   3h",
            "site-b   site-a    192.0.2.20   ESTABLISHED   1/1       True     30s");
    assertThat(PeerTable.isReady(up)).isTrue();
    assertThat(PeerTable.isReady(fresh)).isFalse();
  }

  @Test
  void agesReadLikeKubectl() {
    assertThat(PeerTable.age("2026-11-26T11:58:30Z", NOW)).isEqualTo("90s");
    assertThat(PeerTable.age("2026-11-26T11:30:00Z", NOW)).isEqualTo("30m");
    assertThat(PeerTable.age("2026-11-23T12:00:00Z", NOW)).isEqualTo("3d");
  }

  private static IpsecPeer peer(String name, String gateway, String remote, String created) {
    IpsecPeer peer = new IpsecPeer();
    peer.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp(created).build());
    IpsecPeerSpec spec = new IpsecPeerSpec();
    spec.setGateway(gateway);
    spec.setRemoteAddresses(List.of(remote));
    peer.setSpec(spec);
    return peer;
  }
}
