package dev.ipsec.operator.reconcile.tls;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ipsec.operator.pki.CertificateAuthority;
import dev.ipsec.operator.pki.Pem;
import dev.ipsec.operator.reconcile.OperatorHarness;
import dev.ipsec.operator.reconcile.TestResources;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's CA Secret, in the mock API server: created once, then only read. */
class CaSecretTest {

  final OperatorHarness k8s = new OperatorHarness();
  final CaSecret location = OperatorHarness.settings().caSecret();

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void theFirstStartCreatesTheCaAndEveryRestartReusesIt() {
    k8s.start();
    Secret created = caSecret();
    assertThat(created.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(created.getData()).containsOnlyKeys("tls.crt", "tls.key");
    k8s.create(TestResources.gateway("gw"));
    eventually(() -> assertThat(agentTls()).isNotNull());
    Secret agentTls = agentTls();

    k8s.stopOperator();
    k8s.start();
    k8s.stopOperator();
    k8s.start();
    k8s.client
        .resources(dev.ipsec.operator.api.v1alpha1.IpsecGlobal.class)
        .inNamespace(OperatorHarness.NS)
        .withName("gw")
        .edit(
            g -> {
              g.getMetadata().setLabels(Map.of("touched", "yes")); // a reconcile after the restart
              return g;
            });

    eventually(
        () ->
            assertThat(
                    k8s.client
                        .resources(dev.ipsec.operator.api.v1alpha1.IpsecGlobal.class)
                        .inNamespace(OperatorHarness.NS)
                        .withName("gw")
                        .get()
                        .getStatus())
                .isNotNull());
    Secret after = caSecret();
    assertThat(after.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(after.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(after.getData()).isEqualTo(created.getData());
    // the agents' certificates still chain to it: not reissued by the restarted operator
    assertThat(agentTls().getData()).isEqualTo(agentTls.getData());
    assertThat(agentTls().getMetadata().getResourceVersion())
        .isEqualTo(agentTls.getMetadata().getResourceVersion());
    assertThat(
            CertificateAuthority.fromPem(decoded(after, "tls.crt"), decoded(after, "tls.key"))
                .signed(Pem.readCertificate(decoded(agentTls(), "tls.crt"))))
        .isTrue();
  }

  @Test
  void replicasStartingTogetherAllEndUpWithOneCa() throws Exception {
    int replicas = 6;
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CertificateAuthority>> results = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return location.loadOrCreate(k8s.client, Clock.systemUTC());
              }));
    }
    go.countDown();
    List<CertificateAuthority> cas = new ArrayList<>();
    for (Future<CertificateAuthority> result : results) {
      cas.add(result.get());
    }
    pool.shutdown();

    String stored = decoded(caSecret(), "tls.crt");
    assertThat(cas).allSatisfy(ca -> assertThat(ca.certificatePem()).isEqualTo(stored));
  }

  @Test
  void aSecretOfThatNameThatHoldsNoCaStopsTheOperatorAndIsLeftAlone() {
    k8s.client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(location.name())
                .withNamespace(location.namespace())
                .endMetadata()
                .addToData("password", "c2VjcmV0")
                .build())
        .create();

    assertThatThrownBy(() -> location.loadOrCreate(k8s.client, Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Secret default/ipsec-operator-ca has no tls.crt and tls.key");
    assertThat(caSecret().getData()).containsOnlyKeys("password");
  }

  private Secret caSecret() {
    return k8s.client.secrets().inNamespace(location.namespace()).withName(location.name()).get();
  }

  private Secret agentTls() {
    return k8s.client.secrets().inNamespace(OperatorHarness.NS).withName("gw-agent-tls").get();
  }

  private static String decoded(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.US_ASCII);
  }
}
