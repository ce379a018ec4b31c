package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.NamespacedRef;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A peer may refer only to Secrets and ConfigMaps in its own namespace. The references carry an
 * optional {@code namespace} so that someone who writes one gets a clear refusal instead of a field
 * the API server silently drops; whoever may create a peer in one namespace must not get another
 * namespace's keys into a gateway. A peer with such a reference is refused before any of its
 * references is looked up, so the other namespace's object is never read. The gateway and group
 * references are plain names, which the CRD's name pattern keeps to the peer's namespace.
 */
public final class CrossNamespaceReferences {

  /** The reason of a {@link FieldError} for a reference into another namespace. */
  public static final String REASON = "CrossNamespaceReference";

  private static final String SECRET = "Secret";
  private static final String CONFIG_MAP = "ConfigMap";

  private CrossNamespaceReferences() {}

  /** Every reference of {@code peer} that names a namespace other than the peer's own. */
  public static List<FieldError> of(IpsecPeer peer) {
    String own = peer.getMetadata() == null ? null : peer.getMetadata().getNamespace();
    PeerAuthentication a = peer.getSpec() == null ? null : peer.getSpec().getAuthentication();
    if (a == null) {
      return List.of();
    }
    return references(a).stream()
        .filter(r -> foreign(r.ref().getNamespace(), own))
        .map(r -> r.refused(own))
        .toList();
  }

  /**
   * The Secrets a peer names, by the path of the reference ({@code
   * spec.authentication.preSharedSecret.secretRef}), in the order of the spec: the renderer reports
   * a Secret it cannot find at that path.
   */
  public static Map<String, String> secretReferences(IpsecPeer peer) {
    PeerAuthentication a = peer.getSpec() == null ? null : peer.getSpec().getAuthentication();
    Map<String, String> secrets = new LinkedHashMap<>();
    if (a != null) {
      for (Reference r : references(a)) {
        if (SECRET.equals(r.kind()) && r.ref().getName() != null) {
          secrets.put(r.at().toString(), r.ref().getName());
        }
      }
    }
    return secrets;
  }

  /** A Secret or ConfigMap reference of a peer, and where in the spec it stands. */
  private record Reference(FieldPath at, String kind, NamespacedRef ref) {

    FieldError refused(String own) {
      return new FieldError(
          at.field("namespace").toString(),
          kind
              + " \""
              + ref.getName()
              + "\" in namespace \""
              + ref.getNamespace()
              + "\": cross-namespace references are refused; a peer may only refer to"
              + " objects in its own namespace"
              + (own == null ? " (not set here)" : " \"" + own + "\""),
          REASON);
    }
  }

  /** The Secret and ConfigMap references of a peer's authentication, in the order of the spec. */
  private static List<Reference> references(PeerAuthentication a) {
    List<Reference> refs = new ArrayList<>();
    FieldPath at = FieldPath.of("spec").field("authentication");
    if (a.getPreSharedSecret() != null) {
      add(
          refs,
          at.field("preSharedSecret").field("secretRef"),
          SECRET,
          a.getPreSharedSecret().getSecretRef());
    }
    X509Authentication x = a.getX509();
    if (x != null) {
      FieldPath xp = at.field("x509");
      add(refs, xp.field("certificate"), SECRET, x.getCertificate());
      add(refs, xp.field("passphrase"), SECRET, x.getPassphrase());
      List<CaCertificateRef> cas =
          x.getCaCertificates() == null ? List.of() : x.getCaCertificates();
      for (int i = 0; i < cas.size(); i++) {
        CaCertificateRef ca = cas.get(i);
        FieldPath cp = xp.field("caCertificates").index(i);
        if (ca != null) {
          add(refs, cp.field("secretRef"), SECRET, ca.getSecretRef());
          add(refs, cp.field("configMapRef"), CONFIG_MAP, ca.getConfigMapRef());
        }
      }
    }
    RsaAuthentication r = a.getRsa();
    if (r != null) {
      FieldPath rp = at.field("rsa");
      add(refs, rp.field("localKey"), SECRET, r.getLocalKey());
      add(refs, rp.field("passphrase"), SECRET, r.getPassphrase());
    }
    return refs;
  }

  private static void add(List<Reference> refs, FieldPath at, String kind, NamespacedRef ref) {
    if (ref != null) {
      refs.add(new Reference(at, kind, ref));
    }
  }

  /** Whether a reference's {@code namespace} leaves the peer's own; unset means its own. */
  public static boolean foreign(String namespace, String own) {
    return namespace != null && !namespace.equals(own);
  }
}
