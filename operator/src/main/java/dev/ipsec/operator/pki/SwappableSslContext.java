package dev.ipsec.operator.pki;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext whose every new connection uses the context most recently {@linkplain #swap
 * swapped} in. A server is given one SSLContext for its life (the JDK's HttpsServer takes it at
 * start); this lets the agent serve a renewed certificate without a restart. Connections open
 * before a swap keep their session; a swapped-in context also has its own session cache, so no new
 * connection resumes a session of the old certificate.
 */
public final class SwappableSslContext extends SSLContext {

  private final Delegate delegate;

  public SwappableSslContext(SSLContext initial) {
    this(new Delegate(initial));
  }

  private SwappableSslContext(Delegate delegate) {
    super(delegate, delegate.current.getProvider(), delegate.current.getProtocol());
    this.delegate = delegate;
  }

  /** New connections use {@code next} from now on. */
  public void swap(SSLContext next) {
    delegate.current = next;
  }

  private static final class Delegate extends SSLContextSpi {
    volatile SSLContext current;

    Delegate(SSLContext initial) {
      this.current = initial;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
      throw new UnsupportedOperationException("initialised through the contexts swapped in");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return current.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return current.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return current.createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return current.createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return current.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return current.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return current.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return current.getSupportedSSLParameters();
    }
  }
}
