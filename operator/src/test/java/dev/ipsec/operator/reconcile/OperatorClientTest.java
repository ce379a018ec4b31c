package dev.ipsec.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/**
 * The operator's User-Agent names the product, and with leader election the replica, so that an
 * audit log tells the operator from other clients and one replica from another.
 */
class OperatorClientTest {

  private static final Config CONFIG =
      new ConfigBuilder(Config.empty())
          .withMasterUrl("https://192.0.2.1:6443")
          .withUserAgent("fabric8")
          .build();

  @Test
  void aClientCarriesTheOperatorsUserAgentAndTheConfigIsLeftAsItWas() {
    try (KubernetesClient client = OperatorClient.build(CONFIG)) {
      assertThat(client.getConfiguration().getUserAgent())
          .isEqualTo(OperatorClient.userAgent())
          .startsWith(OperatorClient.PRODUCT + "/");
    }
    assertThat(CONFIG.getUserAgent()).isEqualTo("fabric8");
  }

  @Test
  void aReplicasClientNamesTheReplicaAfterTheProduct() {
    try (KubernetesClient client = OperatorClient.build(CONFIG, "ipsec-operator-7d9f-x2k4q")) {
      assertThat(client.getConfiguration().getUserAgent())
          .isEqualTo(OperatorClient.userAgent() + " (ipsec-operator-7d9f-x2k4q)");
    }
  }
}
