package dev.ipsec.operator.reconcile;

import static dev.ipsec.operator.reconcile.OperatorHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ipsec.operator.api.v1alpha1.Condition;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, "API errors reach users": a write of a gateway's object that the API server refuses
 * (403 while a Role is missing, 422 from validation, an admission webhook's denial) shows on the
 * IpsecGlobal as {@code ObjectsWritten} False naming the object and the server's words, with one
 * Warning Event however often the retries meet the same refusal; the objects that do not depend on
 * the refused one are written; once the server takes the write, the condition turns True, the held
 * back objects are written and Ready recovers.
 */
class RefusedWritesTest {

  static final String PSK = "refused-writes-test-psk";

  /**
   * Refuses creates of one kind whose name starts with a prefix, with the Status a real
   * kube-apiserver answers, while {@link #refusing} is set; counts the refusals.
   */
  static final class RefusesCreates extends Dispatcher {
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    private final Dispatcher store;
    private final String collectionPath;
    private final String namePrefix;
    private final int code;
    private final String statusJson;
    final AtomicBoolean refusing = new AtomicBoolean(true);
    final AtomicInteger refused = new AtomicInteger();

    RefusesCreates(
        Dispatcher store, String collectionPath, String namePrefix, int code, String statusJson) {
      this.store = store;
      this.collectionPath = collectionPath;
      this.namePrefix = namePrefix;
      this.code = code;
      this.statusJson = statusJson;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (refusing.get()
          && "POST".equals(request.getMethod())
          && request.getPath().split("\\?")[0].equals(collectionPath)
          && name(request).startsWith(namePrefix)) {
        refused.incrementAndGet();
        return new MockResponse()
            .setResponseCode(code)
            .addHeader("Content-Type", "application/json")
            .setBody(statusJson);
      }
      return store.dispatch(request);
    }

    private static String name(RecordedRequest request) {
      if (request.getBody() == null) {
        return "";
      }
      Matcher m = NAME.matcher(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
      return m.find() ? m.group(1) : "";
    }
  }

  static String status(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\""
        + message.replace("\"", "\\\"")
        + "\","
        + (reason.isEmpty() ? "" : "\"reason\":\"" + reason + "\",")
        + "\"code\":"
        + code
        + "}";
  }

  OperatorHarness k8s;
  RefusesCreates server;

  void start(String collectionPath, String namePrefix, int code, String statusJson) {
    k8s =
        new OperatorHarness(
            store ->
                server = new RefusesCreates(store, collectionPath, namePrefix, code, statusJson));
    k8s.start();
    k8s.create(TestResources.ikeGroup("ike", 14));
    k8s.create(TestResources.espGroup("esp"));
    k8s.create(TestResources.pskSecret("psk", PSK));
    k8s.create(TestResources.gateway("gw"));
    k8s.create(TestResources.pskPeer("alpha", "gw", "ike", "esp", "psk", 1));
  }

  @AfterEach
  void stop() {
    if (k8s != null) {
      k8s.close();
    }
  }

  @Test
  void aForbiddenConfigMapCreateIsShownOnceAndHealsWhenTheRoleComes() {
    String rbac =
        "configmaps \"gw-strongswan\" is forbidden: User"
            + " \"system:serviceaccount:ipsec-system:ipsec-operator\" cannot create resource"
            + " \"configmaps\" in API group \"\" in the namespace \"vpn\"";
    start(
        "/api/v1/namespaces/vpn/configmaps", "gw-strongswan", 403, status(403, "Forbidden", rbac));

    eventually(
        () -> {
          Condition written = condition("ObjectsWritten");
          assertThat(written.getStatus()).isEqualTo("False");
          assertThat(written.getReason()).isEqualTo("Forbidden");
          assertThat(written.getMessage())
              .contains("ConfigMap gw-strongswan: create refused with 403 Forbidden: " + rbac)
              .contains("Not written until then: Deployment gw-gateway");
          assertThat(condition("Ready").getStatus()).isEqualTo("False");
          assertThat(condition("Ready").getReason()).isEqualTo("ObjectsNotWritten");
        });
    // what does not depend on it is written: the volume (strongswan.conf is charon's, not part of
    // the agent's revision), the ServiceAccount, the Service, the agent's TLS Secret
    eventually(
        () -> {
          assertThat(get(ConfigMap.class, "gw-swanctl")).isNotNull();
          assertThat(get(Secret.class, "gw-swanctl")).isNotNull();
          assertThat(get(Secret.class, "gw-agent-tls")).isNotNull();
          assertThat(get(ServiceAccount.class, "gw-gateway")).isNotNull();
          assertThat(get(Service.class, "gw-gateway")).isNotNull();
        });
    assertThat(get(Deployment.class, "gw-gateway")).isNull();

    refusedAgainWithoutASecondEvent("Forbidden");
    healsWhenTheServerTakesTheWrite("Forbidden");
  }

  @Test
  void anInvalidDeploymentIsShownOnceWhileTheConfigurationIsWritten() {
    String invalid =
        "Deployment.apps \"gw-gateway\" is invalid: spec.template.spec.containers[0].resources"
            + ".requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1";
    start(
        "/apis/apps/v1/namespaces/vpn/deployments",
        "gw-gateway",
        422,
        status(422, "Invalid", invalid));

    eventually(
        () -> {
          Condition written = condition("ObjectsWritten");
          assertThat(written.getStatus()).isEqualTo("False");
          assertThat(written.getReason()).isEqualTo("Invalid");
          assertThat(written.getMessage())
              .isEqualTo(
                  "Deployment gw-gateway: create refused with 422 Invalid: "
                      + invalid
                      + ". Retried with back-off.");
        });
    eventually(
        () -> {
          assertThat(get(ConfigMap.class, "gw-swanctl")).isNotNull();
          assertThat(get(ConfigMap.class, "gw-strongswan")).isNotNull();
          assertThat(get(Secret.class, "gw-swanctl")).isNotNull();
        });

    refusedAgainWithoutASecondEvent("Invalid");
    healsWhenTheServerTakesTheWrite("Invalid");
  }

  /**
   * A webhook's denial, in kube-apiserver's words (the code is the webhook's, 400 by default), that
   * quotes what it was sent: the PSK. The message is withheld; the root ConfigMap, the commit point
   * of the revision, waits for the refused shard.
   */
  @Test
  void anAdmissionDenialOfASecretShardNeverRepeatsTheSecret() {
    String denial =
        "admission webhook \"secrets.policy.example.com\" denied the request: value \""
            + PSK
            + "\" looks like a password";
    start("/api/v1/namespaces/vpn/secrets", "gw-secrets-", 400, status(400, "", denial));

    eventually(
        () -> {
          Condition written = condition("ObjectsWritten");
          assertThat(written.getStatus()).isEqualTo("False");
          assertThat(written.getReason()).isEqualTo("AdmissionDenied");
          assertThat(written.getMessage())
              .contains(
                  "Secret gw-secrets-0: create refused with 400: (the server's message about a"
                      + " Secret is not repeated")
              .contains("Not written until then: ConfigMap gw-swanctl, Deployment gw-gateway")
              .doesNotContain(PSK);
        });
    // the root (and the Deployment) may have been written before the peer was seen, but the root
    // names no shard of its files
    assertThat(rootManifest()).doesNotContain("manifests/");

    refusedAgainWithoutASecondEvent("AdmissionDenied");
    assertThat(rootManifest()).doesNotContain("manifests/");
    assertThat(events("AdmissionDenied"))
        .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(PSK));
    healsWhenTheServerTakesTheWrite("AdmissionDenied");
    assertThat(rootManifest()).contains("manifests/config-0.json");
  }

  /** The public root manifest, empty while the root ConfigMap does not exist. */
  private String rootManifest() {
    ConfigMap root = get(ConfigMap.class, "gw-swanctl");
    return root == null ? "" : root.getData().get("manifest.json");
  }

  /** Several retries meet the same refusal: the condition stays, the Event is not repeated. */
  private void refusedAgainWithoutASecondEvent(String reason) {
    eventually(() -> assertThat(events(reason)).hasSize(1));
    int before = server.refused.get();
    Awaitility.await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> server.refused.get() >= before + 2);
    assertThat(events(reason))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).isEqualTo(condition("ObjectsWritten").getMessage());
            });
  }

  /** The server takes the write: everything is written, Ready recovers, one Normal Event. */
  private void healsWhenTheServerTakesTheWrite(String reason) {
    server.refusing.set(false);
    eventually(
        () -> {
          assertThat(condition("ObjectsWritten").getStatus()).isEqualTo("True");
          assertThat(get(Deployment.class, "gw-gateway")).isNotNull();
          assertThat(get(ConfigMap.class, "gw-strongswan")).isNotNull();
          assertThat(events("ObjectsWritten")).singleElement();
        });
    OwnedPods.create(k8s, "gw", "gw-gateway-abc");
    eventually(() -> assertThat(condition("Ready").getStatus()).isEqualTo("True"));
    assertThat(events(reason)).hasSize(1);
  }

  private Condition condition(String type) {
    IpsecGlobal gw =
        k8s.client.resources(IpsecGlobal.class).inNamespace("vpn").withName("gw").get();
    assertThat(gw.getStatus()).isNotNull();
    return CryptoGroupReconcilerTest.condition(gw.getStatus().getConditions(), type);
  }

  private <T extends HasMetadata> T get(Class<T> type, String name) {
    return k8s.client.resources(type).inNamespace("vpn").withName(name).get();
  }

  private List<Event> events(String reason) {
    return k8s.client.v1().events().inNamespace("vpn").list().getItems().stream()
        .filter(e -> "gw".equals(e.getInvolvedObject().getName()))
        .filter(e -> "IpsecGlobal".equals(e.getInvolvedObject().getKind()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
