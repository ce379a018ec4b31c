package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How a peer authenticates: VyOS {@code site-to-site peer <name> authentication}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.mode != 'pre-shared-secret' || has(self.preSharedSecret)",
    message = "mode pre-shared-secret requires preSharedSecret",
    fieldPath = ".preSharedSecret",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.mode != 'x509' || has(self.x509)",
    message = "mode x509 requires x509 with a certificate and CA certificates",
    fieldPath = ".x509",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "self.mode != 'rsa' || has(self.rsa)",
    message = "mode rsa requires rsa with localKey and remotePublicKey",
    fieldPath = ".rsa",
    reason = "FieldValueRequired")
public class PeerAuthentication {
  @Required
  @JsonPropertyDescription("Authentication mode (VyOS `mode`): pre-shared-secret, x509 or rsa.")
  private AuthenticationMode mode;

  @Pattern(Patterns.IDENTITY)
  @JsonPropertyDescription(
      "Local IKE identity (VyOS `local-id`): an IP address, FQDN, user@fqdn or distinguished name."
          + " Default: the local address, or the certificate subject with x509.")
  private String localId;

  @Pattern(Patterns.IDENTITY)
  @JsonPropertyDescription(
      "Remote IKE identity expected from the peer (VyOS `remote-id`). Default %any.")
  private String remoteId;

  @JsonPropertyDescription("Use the certificate subject as local identity (VyOS `use-x509-id`).")
  private Boolean useX509Id;

  @JsonPropertyDescription("The pre-shared secret, for mode pre-shared-secret.")
  private PreSharedSecret preSharedSecret;

  @JsonPropertyDescription("Certificate settings, for mode x509.")
  private X509Authentication x509;

  @JsonPropertyDescription("RSA key settings, for mode rsa.")
  private RsaAuthentication rsa;

  public AuthenticationMode getMode() {
    return mode;
  }

  public void setMode(AuthenticationMode mode) {
    this.mode = mode;
  }

  public String getLocalId() {
    return localId;
  }

  public void setLocalId(String localId) {
    this.localId = localId;
  }

  public String getRemoteId() {
    return remoteId;
  }

  public void setRemoteId(String remoteId) {
    this.remoteId = remoteId;
  }

  public Boolean getUseX509Id() {
    return useX509Id;
  }

  public void setUseX509Id(Boolean useX509Id) {
    this.useX509Id = useX509Id;
  }

  public PreSharedSecret getPreSharedSecret() {
    return preSharedSecret;
  }

  public void setPreSharedSecret(PreSharedSecret preSharedSecret) {
    this.preSharedSecret = preSharedSecret;
  }

  public X509Authentication getX509() {
    return x509;
  }

  public void setX509(X509Authentication x509) {
    this.x509 = x509;
  }

  public RsaAuthentication getRsa() {
    return rsa;
  }

  public void setRsa(RsaAuthentication rsa) {
    this.rsa = rsa;
  }
}
