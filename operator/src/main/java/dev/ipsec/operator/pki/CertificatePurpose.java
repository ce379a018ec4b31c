package dev.ipsec.operator.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a certificate of the CA may be used for, as its extended key usage: an agent's state API
 * (server) or the operator's polling (client). A certificate has exactly one, so an agent's
 * certificate, which a gateway pod holds, is no client certificate for another agent.
 */
public enum CertificatePurpose {
  SERVER(KeyPurposeId.id_kp_serverAuth),
  CLIENT(KeyPurposeId.id_kp_clientAuth);

  private final KeyPurposeId keyPurpose;

  CertificatePurpose(KeyPurposeId keyPurpose) {
    this.keyPurpose = keyPurpose;
  }

  KeyPurposeId keyPurpose() {
    return keyPurpose;
  }

  /** The extended key usage OID, as {@code X509Certificate.getExtendedKeyUsage()} lists it. */
  String oid() {
    return keyPurpose.getId();
  }
}
