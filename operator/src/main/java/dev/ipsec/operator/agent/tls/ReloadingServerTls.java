package dev.ipsec.operator.agent.tls;

import dev.ipsec.operator.agent.ConfigWatcher;
import dev.ipsec.operator.agent.http.ServerTls;
import dev.ipsec.operator.pki.IssuedCertificate;
import dev.ipsec.operator.pki.PeerVerifier;
import dev.ipsec.operator.pki.SwappableSslContext;
import dev.ipsec.operator.pki.TlsContexts;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state API's TLS, read from {@link TlsFiles} and read again whenever they change: the kubelet
 * swaps a mounted Secret's {@code ..data} when the operator renews the agent's certificate, the
 * watcher sees it, and every new connection presents the new certificate (and trusts the new CA,
 * should that change too); no restart. A change that does not read (a half-written file given by
 * hand, a key of another certificate) is logged and the previous material kept.
 */
public final class ReloadingServerTls implements ServerTls, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingServerTls.class);
  private static final Duration DEBOUNCE = Duration.ofMillis(100);

  /** The fallback re-read, for changes a directory watch misses. */
  private static final Duration RESCAN = Duration.ofSeconds(60);

  private final TlsFiles files;
  private final Clock clock;
  private final SwappableSslContext context;
  private final List<ConfigWatcher> watchers = new ArrayList<>();
  private volatile IssuedCertificate current;
  private byte[] digest;

  private ReloadingServerTls(
      TlsFiles files, Clock clock, IssuedCertificate initial, byte[] digest) {
    this.files = files;
    this.clock = clock;
    this.current = initial;
    this.digest = digest;
    this.context = new SwappableSslContext(build(initial));
  }

  /** Reads the files (failing when they do not read) and watches them from now on. */
  public static ReloadingServerTls start(TlsFiles files, Clock clock) throws IOException {
    ReloadingServerTls tls = new ReloadingServerTls(files, clock, files.read(), files.digest());
    try {
      for (Path dir : files.directories()) {
        tls.watchers.add(new ConfigWatcher(dir, DEBOUNCE, RESCAN, tls::reload).start());
      }
    } catch (IOException | RuntimeException e) {
      tls.close();
      throw e;
    }
    LOG.info("agent TLS: serving {}", tls.current);
    return tls;
  }

  @Override
  public SSLContext context() {
    return context;
  }

  /** The certificate new connections are served with. */
  public X509Certificate certificate() {
    return current.certificate();
  }

  @Override
  public boolean isStale(SSLSession session) {
    Certificate[] local = session.getLocalCertificates();
    if (local == null || local.length == 0 || !local[0].equals(current.certificate())) {
      return true;
    }
    try {
      Certificate[] peer = session.getPeerCertificates();
      return peer.length == 0
          || !(peer[0] instanceof X509Certificate client)
          || !clock.instant().isBefore(client.getNotAfter().toInstant());
    } catch (SSLPeerUnverifiedException e) {
      return true;
    }
  }

  /** Reads the files again and swaps the context in when they changed and read well. */
  synchronized void reload() {
    try {
      byte[] now = files.digest();
      if (Arrays.equals(now, digest)) {
        return;
      }
      IssuedCertificate next = files.read();
      context.swap(build(next));
      current = next;
      digest = now;
      LOG.info("agent TLS: reloaded, now serving {}", next);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "agent TLS: {} changed but does not read ({}); still serving {}",
          files.certificate().getParent(),
          e.getMessage(),
          current);
    }
  }

  private SSLContext build(IssuedCertificate own) {
    X509Certificate ca = own.issuer();
    return TlsContexts.create(own, PeerVerifier.operatorClients(() -> ca, clock));
  }

  @Override
  public void close() {
    watchers.forEach(ConfigWatcher::close);
  }
}
