package dev.ipsec.operator.pki;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to put into a certificate of the CA.
 *
 * @param identity the holder, the certificate's URI SAN
 * @param dnsNames further SANs (a gateway's Service names); none for the operator
 * @param purpose server or client, the certificate's only extended key usage
 * @param lifetime from issue (less a little clock-skew allowance) to expiry
 */
public record CertificateRequest(
    PeerIdentity identity, List<String> dnsNames, CertificatePurpose purpose, Duration lifetime) {

  public CertificateRequest {
    Objects.requireNonNull(identity, "identity");
    dnsNames = List.copyOf(dnsNames);
    Objects.requireNonNull(purpose, "purpose");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
    }
  }

  /** An agent's server certificate for the gateway {@code namespace/name}. */
  public static CertificateRequest agent(String namespace, String name, List<String> dnsNames) {
    return new CertificateRequest(
        PeerIdentity.gateway(namespace, name),
        dnsNames,
        CertificatePurpose.SERVER,
        Lifetimes.AGENT_CERTIFICATE);
  }

  /** The operator's client certificate. */
  public static CertificateRequest operator() {
    return new CertificateRequest(
        PeerIdentity.OPERATOR,
        List.of(),
        CertificatePurpose.CLIENT,
        Lifetimes.OPERATOR_CERTIFICATE);
  }
}
