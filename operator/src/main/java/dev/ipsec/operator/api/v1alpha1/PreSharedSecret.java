package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the pre-shared secret of a peer is kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreSharedSecret {
  @Required
  @JsonPropertyDescription(
      "The Secret key holding the pre-shared secret (plain text, 0x-hex or 0s-base64 as strongSwan"
          + " reads it).")
  private SecretKeyRef secretRef;

  public PreSharedSecret() {}

  public PreSharedSecret(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }
}
