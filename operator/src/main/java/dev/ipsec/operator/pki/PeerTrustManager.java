package dev.ipsec.operator.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JSSE face of a {@link PeerVerifier}: trusts peers of one side only (clients for the agent,
 * servers for the operator) and refuses the other side outright. Being an {@link
 * X509ExtendedTrustManager}, it replaces the JDK's host name check instead of adding to it; the
 * identity check of the verifier takes its place.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {

  private final PeerVerifier verifier;

  public PeerTrustManager(PeerVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(CertificatePurpose.CLIENT, chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(CertificatePurpose.CLIENT, chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(CertificatePurpose.CLIENT, chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(CertificatePurpose.SERVER, chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(CertificatePurpose.SERVER, chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(CertificatePurpose.SERVER, chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {verifier.ca().get()};
  }

  private void check(CertificatePurpose side, X509Certificate[] chain) throws CertificateException {
    if (side != verifier.purpose()) {
      throw new CertificateException(
          "no " + side.name().toLowerCase() + " is trusted on this end of the channel");
    }
    verifier.verify(chain);
  }
}
