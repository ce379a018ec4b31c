package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.CryptoGroupStatus;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.status.Conditions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer reads only the spec of the groups it names: a group's status write (its count of the peers
 * that use it, which changes while a starting operator's informers fill) reconciles none of them, a
 * spec change reconciles each. Before, each status write of a group reconciled every peer of it
 * once more: 10,000 reconciles at once for a large gateway's start.
 */
class GroupStatusReconcilesNoPeerTest {

  static final int PEERS = 5;

  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final OperatorHarness k8s = new OperatorHarness();

  @AfterEach
  void stop() {
    k8s.close();
  }

  /** Peer reconciles started so far, from JOSDK's metrics. */
  double peerReconciles() {
    return metrics.getMeters().stream()
        .filter(m -> m.getId().getName().endsWith("reconciliations.started"))
        .filter(m -> m.getId().getTags().toString().toLowerCase().contains("ipsecpeer"))
        .mapToDouble(
            m -> metrics.get(m.getId().getName()).tags(m.getId().getTags()).counter().count())
        .sum();
  }

  IkeGroup group() {
    return k8s.client.resources(IkeGroup.class).inNamespace("vpn").withName("ike").get();
  }

  @Test
  void aGroupsStatusWriteReconcilesNoPeerAndItsSpecChangeReconcilesEach() throws Exception {
    k8s.start(OperatorHarness.settings().withMetrics(metrics));
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "group-status-test-psk"));
    k8s.create(TestResources.gateway("gw"));
    for (int i = 0; i < PEERS; i++) {
      k8s.create(TestResources.pskPeer("peer-" + i, "gw", "ike", "esp", "psk", i));
    }
    eventually(
        () -> {
          assertThat(k8s.client.resources(IpsecPeer.class).inNamespace("vpn").list().getItems())
              .hasSize(PEERS)
              .allMatch(
                  p ->
                      p.getStatus() != null
                          && Conditions.isTrue(p.getStatus().getConditions(), "Valid"));
          assertThat(group().getStatus()).isNotNull();
          assertThat(group().getStatus().getUsedBy()).isEqualTo(PEERS);
        });
    Thread.sleep(2000); // whatever the start left to do
    double settled = peerReconciles();

    // a status write, no spec change (as the group's own reconciler makes when its count changes)
    IkeGroup group = group();
    CryptoGroupStatus status = group.getStatus();
    status.setUsedBy(PEERS + 40);
    k8s.client.resource(group).updateStatus();
    assertThat(group().getStatus().getUsedBy()).isEqualTo(PEERS + 40);
    Thread.sleep(2000); // its event has reached the informers

    assertThat(peerReconciles()).as("peer reconciles after a status write").isEqualTo(settled);

    IkeGroup edited = group();
    edited.getSpec().getProposals().get(0).setDhGroup(19);
    k8s.client.resource(edited).update();

    eventually(() -> assertThat(peerReconciles()).isGreaterThanOrEqualTo(settled + PEERS));
  }
}
