package dev.ipsec.operator.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides whether the other end of a connection is who it must be: its certificate chains to the CA
 * (PKIX, at the clock's time, so an expired or not yet valid certificate is refused), carries the
 * expected purpose as extended key usage, and names an accepted {@link PeerIdentity}. Host names
 * play no part: the operator dials pod IPs, which no certificate names.
 *
 * @param ca the CA certificate to chain to, asked anew on every check (it may be reloaded)
 * @param purpose what the peer's certificate must be for
 * @param accepted which identities may hold it
 * @param acceptedDescription the accepted identities in words, for the refusal message
 */
public record PeerVerifier(
    Supplier<X509Certificate> ca,
    CertificatePurpose purpose,
    Predicate<PeerIdentity> accepted,
    String acceptedDescription,
    Clock clock) {

  /** The agent's view of its clients: only the operator. */
  public static PeerVerifier operatorClients(Supplier<X509Certificate> ca, Clock clock) {
    return new PeerVerifier(
        ca,
        CertificatePurpose.CLIENT,
        PeerIdentity.OPERATOR::equals,
        PeerIdentity.OPERATOR.uri(),
        clock);
  }

  /**
   * The operator's view of the agents during the handshake: some gateway's agent. Which gateway is
   * checked per request against the pod's gateway ({@link PeerIdentity#of}).
   */
  public static PeerVerifier gatewayServers(Supplier<X509Certificate> ca, Clock clock) {
    return new PeerVerifier(
        ca, CertificatePurpose.SERVER, PeerIdentity::isGateway, "a gateway identity", clock);
  }

  /** The identity of the chain's holder; throws when the chain is not acceptable. */
  public PeerIdentity verify(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no certificate presented");
    }
    X509Certificate leaf = chain[0];
    chainsToCa(leaf);
    List<String> usages = leaf.getExtendedKeyUsage();
    if (usages == null || !usages.contains(purpose.oid())) {
      throw new CertificateException(
          "the certificate is not for " + purpose.name().toLowerCase() + " authentication");
    }
    PeerIdentity identity =
        PeerIdentity.of(leaf)
            .orElseThrow(() -> new CertificateException("the certificate names no identity"));
    if (!accepted.test(identity)) {
      throw new CertificateException(
          "the certificate belongs to " + identity + ", expected " + acceptedDescription);
    }
    return identity;
  }

  /** Only the leaf is taken from the peer: this CA signs end-entity certificates directly. */
  private void chainsToCa(X509Certificate leaf) throws CertificateException {
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca.get(), null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX")
          .validate(
              CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("the certificate does not chain to the operator's CA", e);
    }
  }
}
