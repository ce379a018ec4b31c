package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** A PEM CA certificate, from a Secret (for example cert-manager's ca.crt) or a ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.secretRef) != has(self.configMapRef)",
    message = "exactly one of secretRef or configMapRef must be set",
    reason = "FieldValueInvalid")
public class CaCertificateRef {
  @JsonPropertyDescription(
      "A Secret key holding the PEM CA certificate, e.g. ca.crt of a TLS Secret.")
  private SecretKeyRef secretRef;

  @JsonPropertyDescription("A ConfigMap key holding the PEM CA certificate.")
  private ObjectKeyRef configMapRef;

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }

  public ObjectKeyRef getConfigMapRef() {
    return configMapRef;
  }

  public void setConfigMapRef(ObjectKeyRef configMapRef) {
    this.configMapRef = configMapRef;
  }
}
