package dev.ipsec.operator.reconcile.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What users are told of a refused request: its kind, and never a Secret's content. */
class WriteFailureTest {

  static final String PSK = "correct-horse-battery";

  static final ConfigMap CONFIG_MAP =
      new ConfigMapBuilder().withNewMetadata().withName("gw-config-0").endMetadata().build();

  /** A Secret shard: the PSK inside a settings file, as the renderer writes it. */
  static final Secret SHARD =
      new SecretBuilder()
          .withNewMetadata()
          .withName("gw-secrets-0")
          .endMetadata()
          .withData(
              Map.of(
                  "secrets.d..alpha.conf",
                  Base64.getEncoder()
                      .encodeToString(
                          ("secrets {\n  ike-alpha {\n    secret = \"" + PSK + "\"\n  }\n}\n")
                              .getBytes(StandardCharsets.UTF_8))))
          .build();

  static KubernetesClientException refusal(int code, String reason, String message) {
    return new KubernetesClientException(
        new StatusBuilder()
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .withStatus("Failure")
            .build());
  }

  @ParameterizedTest(name = "{0} {1}: {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "403 | Forbidden | configmaps \"gw-config-0\" is forbidden: User \"op\" cannot create"
            + " resource \"configmaps\" | Forbidden",
        "403 | Forbidden | configmaps \"gw-config-0\" is forbidden: exceeded quota: q | Forbidden",
        "422 | Invalid | ConfigMap \"gw-config-0\" is invalid: data: Too long | Invalid",
        "400 | '' | admission webhook \"w.example.com\" denied the request: no | AdmissionDenied",
        "403 | Forbidden | admission webhook \"w.example.com\" denied the request: no"
            + " | AdmissionDenied",
        "422 | Invalid | configmaps \"gw-config-0\" is forbidden: ValidatingAdmissionPolicy 'p'"
            + " with binding 'b' denied request: failed expression | AdmissionDenied",
        "500 | InternalError | Internal error occurred: failed calling webhook | ApiError",
        "401 | Unauthorized | Unauthorized | ApiError"
      })
  void theReasonSaysWhatKindOfRefusalItIs(
      int code, String statusReason, String message, String reason) {
    WriteFailure f = WriteFailure.of(CONFIG_MAP, "create", refusal(code, statusReason, message));
    assertThat(f.reason()).isEqualTo(reason);
    assertThat(f.message()).isEqualTo(message);
    assertThat(f.describe())
        .isEqualTo(
            "ConfigMap gw-config-0: create refused with "
                + code
                + (statusReason.isEmpty() ? "" : " " + statusReason)
                + ": "
                + message);
  }

  @ParameterizedTest(name = "{0} is not reported")
  @CsvSource({"0", "404", "409", "429"})
  void whatPassesByItselfIsNotReported(int code) {
    assertThat(WriteFailure.isReported(refusal(code, "x", "x"))).isFalse();
  }

  @ParameterizedTest(name = "{0} is reported")
  @CsvSource({"400", "401", "403", "422", "500", "503"})
  void whatStaysUntilSomeoneActsIsReported(int code) {
    assertThat(WriteFailure.isReported(refusal(code, "x", "x"))).isTrue();
  }

  @Test
  void theRbacDenialOfASecretIsKept() {
    String rbac =
        "secrets \"gw-secrets-0\" is forbidden: User \"system:serviceaccount:ops:op\" cannot"
            + " create resource \"secrets\" in API group \"\" in the namespace \"vpn\"";
    assertThat(WriteFailure.of(SHARD, "create", refusal(403, "Forbidden", rbac)).message())
        .isEqualTo(rbac);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // a webhook quoting a piece of a file: the PSK alone
        "admission webhook \"w\" denied the request: \"" + PSK + "\" is weak",
        // worded like the RBAC denial, with the value in it
        "secrets \"gw-secrets-0\" is forbidden: User \""
            + PSK
            + "\" cannot create resource"
            + " \"secrets\" in API group \"\" in the namespace \"vpn\"",
        // validation: not one of the shapes the server words from names alone
        "Secret \"gw-secrets-0\" is invalid: data: Too long"
      })
  void anyOtherMessageAboutASecretIsWithheld(String message) {
    WriteFailure f = WriteFailure.of(SHARD, "create", refusal(400, "", message));
    assertThat(f.message()).isEqualTo(WriteFailure.WITHHELD).doesNotContain(PSK);
    assertThat(f.describe()).doesNotContain(PSK).startsWith("Secret gw-secrets-0: create");
  }

  @Test
  void aLongOrMultiLineMessageIsCutToOneLine() {
    String message = "line one\nline two " + "x".repeat(400);
    String kept = WriteFailure.of(CONFIG_MAP, "update", refusal(422, "Invalid", message)).message();
    assertThat(kept).doesNotContain("\n").startsWith("line one line two").endsWith("...");
    assertThat(kept).hasSize(ClusterMessages.MESSAGE_CHARS + 3);
  }

  @Test
  void noStatusStillSaysWhatWasRefused() {
    HasMetadata sa =
        new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
            .withNewMetadata()
            .withName("gw-gateway")
            .endMetadata()
            .build();
    WriteFailure f =
        WriteFailure.of(sa, "update", new KubernetesClientException("boom", 403, null));
    assertThat(f.describe())
        .isEqualTo("ServiceAccount gw-gateway: update refused with 403: (no message)");
    assertThat(f.reason()).isEqualTo(WriteFailure.FORBIDDEN);
  }
}
