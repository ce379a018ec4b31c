package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.status.Conditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconcile pool knows which controller each of JOSDK's tasks is for, so that each controller
 * has a lane of its own (a gateway's reconcile does not wait behind its peers'): JOSDK describes
 * its task as {@code <controller> -> <resource>}, which a JOSDK upgrade could change.
 */
class ControllerLanesTest {

  OperatorHarness k8s = new OperatorHarness();

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void everyControllerReconcilesInALaneOfItsOwn() {
    k8s.start();
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", "lanes-test-psk-value"));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("peer", "gw", "ike", "esp", "psk", 1));

    eventually(
        () -> {
          IpsecPeer peer =
              k8s.client.resources(IpsecPeer.class).inNamespace("vpn").withName("peer").get();
          assertThat(peer.getStatus()).isNotNull();
          assertThat(Conditions.isTrue(peer.getStatus().getConditions(), "Valid")).isTrue();
          assertThat(k8s.operator().reconcileLanesSeen())
              .containsExactlyInAnyOrder("ikegroup", "espgroup", "ipsecglobal", "ipsecpeer");
        });
  }

  @Test
  void aTaskThatDoesNotNameItsControllerHasTheEmptyLane() {
    Runnable task = () -> {};

    assertThat(ControllerLanes.of(task)).isEmpty();
  }
}
