package dev.ipsec.operator.pki;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who holds a certificate of the operator's CA, as its one URI subject alternative name: {@code
 * urn:ipsec-operator:operator} for the operator's client certificate, {@code
 * urn:ipsec-operator:gateway:<namespace>:<name>} for the agents of one gateway (an IpsecGlobal).
 * Kubernetes names hold no colon, so the form cannot be read two ways. The operator reaches agents
 * by pod IP, which no certificate names; this identity is what it checks instead of a host name.
 */
public record PeerIdentity(String uri) {

  private static final String PREFIX = "urn:ipsec-operator:";
  private static final String GATEWAY = PREFIX + "gateway:";
  private static final int URI_NAME = 6;

  /** The operator's client identity. */
  public static final PeerIdentity OPERATOR = new PeerIdentity(PREFIX + "operator");

  public PeerIdentity {
    Objects.requireNonNull(uri, "uri");
  }

  /** The identity of the agents of gateway {@code name} in {@code namespace}. */
  public static PeerIdentity gateway(String namespace, String name) {
    if (namespace.isEmpty() || name.isEmpty() || namespace.contains(":") || name.contains(":")) {
      throw new IllegalArgumentException(
          "not a Kubernetes namespace and name: " + namespace + "/" + name);
    }
    return new PeerIdentity(GATEWAY + namespace + ":" + name);
  }

  /** Whether this is the identity of some gateway's agents (and not the operator's). */
  public boolean isGateway() {
    return uri.startsWith(GATEWAY);
  }

  /**
   * The identity a certificate carries: its only URI SAN in this scheme. Empty when it has none, or
   * more than one (a certificate of this CA always has exactly one).
   */
  public static Optional<PeerIdentity> of(X509Certificate certificate) {
    List<String> ours = new ArrayList<>();
    for (String uri : uriNames(certificate)) {
      if (uri.startsWith(PREFIX)) {
        ours.add(uri);
      }
    }
    return ours.size() == 1 ? Optional.of(new PeerIdentity(ours.get(0))) : Optional.empty();
  }

  private static List<String> uriNames(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    List<String> uris = new ArrayList<>();
    if (names != null) {
      for (List<?> name : names) {
        if (name.size() == 2 && Integer.valueOf(URI_NAME).equals(name.get(0))) {
          uris.add(String.valueOf(name.get(1)));
        }
      }
    }
    return uris;
  }

  @Override
  public String toString() {
    return uri;
  }
}
