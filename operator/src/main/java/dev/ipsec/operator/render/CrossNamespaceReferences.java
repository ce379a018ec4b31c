package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.util.ArrayList;
import java.util.List;

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

  private CrossNamespaceReferences() {}

  /** Every reference of {@code peer} that names a namespace other than the peer's own. */
  public static List<FieldError> of(IpsecPeer peer) {
    List<FieldError> errors = new ArrayList<>();
    String own = peer.getMetadata() == null ? null : peer.getMetadata().getNamespace();
    PeerAuthentication a = peer.getSpec() == null ? null : peer.getSpec().getAuthentication();
    if (a == null) {
      return errors;
    }
    FieldPath at = FieldPath.of("spec").field("authentication");
    if (a.getPreSharedSecret() != null && a.getPreSharedSecret().getSecretRef() != null) {
      var ref = a.getPreSharedSecret().getSecretRef();
      check(
          errors,
          own,
          at.field("preSharedSecret").field("secretRef"),
          "Secret",
          ref.getName(),
          ref.getNamespace());
    }
    X509Authentication x = a.getX509();
    if (x != null) {
      FieldPath xp = at.field("x509");
      if (x.getCertificate() != null) {
        check(
            errors,
            own,
            xp.field("certificate"),
            "Secret",
            x.getCertificate().getName(),
            x.getCertificate().getNamespace());
      }
      if (x.getPassphrase() != null) {
        check(
            errors,
            own,
            xp.field("passphrase"),
            "Secret",
            x.getPassphrase().getName(),
            x.getPassphrase().getNamespace());
      }
      List<CaCertificateRef> cas =
          x.getCaCertificates() == null ? List.of() : x.getCaCertificates();
      for (int i = 0; i < cas.size(); i++) {
        CaCertificateRef ca = cas.get(i);
        FieldPath cp = xp.field("caCertificates").index(i);
        if (ca != null && ca.getSecretRef() != null) {
          check(
              errors,
              own,
              cp.field("secretRef"),
              "Secret",
              ca.getSecretRef().getName(),
              ca.getSecretRef().getNamespace());
        }
        if (ca != null && ca.getConfigMapRef() != null) {
          check(
              errors,
              own,
              cp.field("configMapRef"),
              "ConfigMap",
              ca.getConfigMapRef().getName(),
              ca.getConfigMapRef().getNamespace());
        }
      }
    }
    RsaAuthentication r = a.getRsa();
    if (r != null) {
      FieldPath rp = at.field("rsa");
      if (r.getLocalKey() != null) {
        check(
            errors,
            own,
            rp.field("localKey"),
            "Secret",
            r.getLocalKey().getName(),
            r.getLocalKey().getNamespace());
      }
      if (r.getPassphrase() != null) {
        check(
            errors,
            own,
            rp.field("passphrase"),
            "Secret",
            r.getPassphrase().getName(),
            r.getPassphrase().getNamespace());
      }
    }
    return List.copyOf(errors);
  }

  /** Whether a reference's {@code namespace} leaves the peer's own; unset means its own. */
  public static boolean foreign(String namespace, String own) {
    return namespace != null && !namespace.equals(own);
  }

  private static void check(
      List<FieldError> errors, String own, FieldPath at, String kind, String name, String ns) {
    if (foreign(ns, own)) {
      errors.add(
          new FieldError(
              at.field("namespace").toString(),
              kind
                  + " \""
                  + name
                  + "\" in namespace \""
                  + ns
                  + "\": cross-namespace references are refused; a peer may only refer to"
                  + " objects in its own namespace"
                  + (own == null ? " (not set here)" : " \"" + own + "\""),
              REASON));
    }
  }
}
