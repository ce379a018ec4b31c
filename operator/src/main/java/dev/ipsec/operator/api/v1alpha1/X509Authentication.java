package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** X.509 authentication: VyOS {@code authentication x509}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class X509Authentication {
  @Required
  @JsonPropertyDescription(
      "A Secret of type kubernetes.io/tls (tls.crt and tls.key, as cert-manager writes it) with the"
          + " local certificate and its private key (VyOS `certificate`).")
  private SecretNameRef certificate;

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription(
      "CA certificates that the peer's certificate must chain to (VyOS `ca-certificate`).")
  private List<CaCertificateRef> caCertificates = new ArrayList<>();

  @JsonPropertyDescription("A Secret key with the passphrase of an encrypted private key.")
  private SecretKeyRef passphrase;

  public SecretNameRef getCertificate() {
    return certificate;
  }

  public void setCertificate(SecretNameRef certificate) {
    this.certificate = certificate;
  }

  public List<CaCertificateRef> getCaCertificates() {
    return caCertificates;
  }

  public void setCaCertificates(List<CaCertificateRef> caCertificates) {
    this.caCertificates = caCertificates;
  }

  public SecretKeyRef getPassphrase() {
    return passphrase;
  }

  public void setPassphrase(SecretKeyRef passphrase) {
    this.passphrase = passphrase;
  }
}
