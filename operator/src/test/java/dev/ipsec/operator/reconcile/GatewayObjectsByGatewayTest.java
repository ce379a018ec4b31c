package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway's own objects are found through the owned caches' index by gateway (namespace and
 * name), not by a scan of the namespace: what one gateway no longer plans is deleted, the same
 * object of another gateway in the namespace is not.
 */
class GatewayObjectsByGatewayTest {

  OperatorHarness k8s;

  @BeforeEach
  void start() {
    k8s = new OperatorHarness().start();
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void whatOneGatewayNoLongerPlansIsDeletedAndTheOthersStays() {
    k8s.create(TestResources.gateway("gw-a"));
    k8s.create(TestResources.gateway("gw-b"));
    eventually(
        () -> {
          assertThat(service("gw-a-gateway")).isNotNull();
          assertThat(service("gw-b-gateway")).isNotNull();
        });

    // gw-a drops its Service: its reconcile deletes its own, found by index
    k8s.client
        .resources(IpsecGlobal.class)
        .inNamespace(OperatorHarness.NS)
        .withName("gw-a")
        .edit(
            gw -> {
              gw.getSpec().getGateway().setService(null);
              return gw;
            });
    eventually(() -> assertThat(service("gw-a-gateway")).isNull());
    assertThat(service("gw-b-gateway")).isNotNull();
  }

  private Service service(String name) {
    return k8s.client.services().inNamespace(OperatorHarness.NS).withName(name).get();
  }
}
