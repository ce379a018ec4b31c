package dev.ipsec.operator.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * The TLS contexts of the operator-agent channel: TLS 1.3 only (both ends are this project's),
 * presenting one {@link IssuedCertificate}, trusting what one {@link PeerVerifier} accepts.
 */
public final class TlsContexts {

  public static final String PROTOCOL = "TLSv1.3";
  private static final char[] IN_MEMORY = new char[0];

  private TlsContexts() {}

  /**
   * A context that presents {@code own} (with its CA certificate) and checks peers with {@code
   * peers}.
   */
  public static SSLContext create(IssuedCertificate own, PeerVerifier peers) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "own", own.privateKey(), IN_MEMORY, new Certificate[] {own.certificate(), own.issuer()});
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, IN_MEMORY);
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(keys.getKeyManagers(), new TrustManager[] {new PeerTrustManager(peers)}, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build the TLS context", e);
    }
  }

  /** TLS 1.3 only; a server also demands a client certificate. */
  public static SSLParameters parameters(SSLContext context, boolean server) {
    SSLParameters parameters = context.getDefaultSSLParameters();
    parameters.setProtocols(new String[] {PROTOCOL});
    if (server) {
      parameters.setNeedClientAuth(true);
    }
    return parameters;
  }
}
