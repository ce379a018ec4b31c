package dev.ipsec.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ipsec.operator.reconcile.tls.CaSecret;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator in a JVM of its own ({@code demo --chaos}): {@code ipsec-operator run} against the
 * embedded API server becomes ready, dies of SIGKILL, and a new one takes over what the first left
 * in the cluster.
 */
class OperatorJvmTest {
  private static final String NS = "operator-jvm";

  @TempDir Path work;
  private EmbeddedApiServer server;
  private OperatorJvm operator;

  @BeforeEach
  void start() {
    server = new EmbeddedApiServer().start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    server.close();
  }

  @Test
  void startsAnswersReadyDiesOfSigkillAndANewOneKeepsTheSameCa() throws Exception {
    Path kubeconfig = server.writeKubeconfig(work.resolve("kubeconfig"));
    operator = new OperatorJvm(kubeconfig, NS, work.resolve("operator.log")).start();
    await().atMost(Duration.ofSeconds(90)).until(operator::isReady);
    Secret ca = caSecret();
    assertThat(ca).as("the operator created its CA in its namespace").isNotNull();

    operator.kill();
    assertThat(operator.exitValue()).as("killed by SIGKILL, no orderly exit").isEqualTo(128 + 9);
    assertThat(operator.isReady()).isFalse();
    assertThat(Files.readString(work.resolve("operator.log"))).as("its log").isNotEmpty();

    operator.start();
    await().atMost(Duration.ofSeconds(90)).until(operator::isReady);
    assertThat(caSecret().getMetadata().getUid())
        .as("the new operator reads the CA the first one made")
        .isEqualTo(ca.getMetadata().getUid());
    assertThat(server.requests().byUserAgent("ipsec-operator/"))
        .as("it speaks with the operator's own User-Agent")
        .isNotEmpty();
  }

  private Secret caSecret() {
    return server.client().secrets().inNamespace(NS).withName(CaSecret.DEFAULT_NAME).get();
  }
}
