package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Raw RSA key authentication: VyOS {@code authentication rsa}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RsaAuthentication {
  @Required
  @JsonPropertyDescription("A Secret key holding the local PEM private key (VyOS `local-key`).")
  private SecretKeyRef localKey;

  @Required
  @Size(min = 1, max = 16384)
  @JsonPropertyDescription(
      "The remote side's PEM public key (VyOS `remote-key`); public material, so inline.")
  private String remotePublicKey;

  @JsonPropertyDescription("A Secret key with the passphrase of an encrypted local key.")
  private SecretKeyRef passphrase;

  public SecretKeyRef getLocalKey() {
    return localKey;
  }

  public void setLocalKey(SecretKeyRef localKey) {
    this.localKey = localKey;
  }

  public String getRemotePublicKey() {
    return remotePublicKey;
  }

  public void setRemotePublicKey(String remotePublicKey) {
    this.remotePublicKey = remotePublicKey;
  }

  public SecretKeyRef getPassphrase() {
    return passphrase;
  }

  public void setPassphrase(SecretKeyRef passphrase) {
    this.passphrase = passphrase;
  }
}
