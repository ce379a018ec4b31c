package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.SecretNameRef;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The x509 and rsa settings of a peer, with the Secrets of the {@code set pki} entries they name: a
 * certificate with its private key becomes a {@code kubernetes.io/tls} Secret named after the
 * entry, a CA a Secret with {@code ca.crt}, a key-pair used as {@code local-key} a Secret with
 * {@code key.pem}; a {@code remote-key}'s public key is public and goes inline into the spec. Each
 * entry is read once, however many peers name it, and only its parts a peer needs: the private key
 * of a remote key-pair is never read, so it is never copied.
 */
final class PkiAuthentication {

  static final String CA_KEY = "ca.crt";
  static final String TLS_CERT = "tls.crt";
  static final String TLS_KEY = "tls.key";
  static final String RSA_KEY = "key.pem";
  static final String PASSPHRASE_KEY = "passphrase";

  /** What of an entry the operator takes; any other line of a used entry is reported. */
  private static final Map<VyosPki.Kind, Set<String>> TAKEN =
      Map.of(
          VyosPki.Kind.CA,
          Set.of("certificate", "description", "revoke"),
          VyosPki.Kind.CERTIFICATE,
          Set.of(
              "certificate", "private key", "private password-protected", "description", "revoke"),
          VyosPki.Kind.KEY_PAIR,
          Set.of("public key", "private key", "private password-protected"));

  private final VyosImport in;
  private final VyosPki pki;
  private final PkiMaterial material;
  private final Consumer<ImportedSecret> secrets;
  private final Map<String, Optional<String>> built = new HashMap<>();
  private final Map<String, Optional<PkiMaterial.PrivateKeyPem>> keys = new HashMap<>();
  private final java.util.Set<String> told = new java.util.HashSet<>();

  PkiAuthentication(VyosImport in, VyosPki pki, Consumer<ImportedSecret> secrets) {
    this.in = in;
    this.pki = pki;
    this.material = new PkiMaterial(in);
    this.secrets = secrets;
  }

  X509Authentication x509(PeerDraft draft, String peerName) {
    X509Authentication x509 = new X509Authentication();
    VyosLine authLine = lineOf(draft.authenticationLine);
    if (draft.x509Certificate == null || draft.caCertificates.isEmpty()) {
      in.error(authLine, "missing x509 certificates on site-to-site peer " + draft.vyosName);
    }
    boolean encryptedKey = false;
    if (draft.x509Certificate != null) {
      VyosLine ref = draft.x509Certificate;
      String name = VyosPki.Entry.value(ref);
      x509.setCertificate(new SecretNameRef(referenceName("certificate", name, ref)));
      Optional<VyosPki.Entry> entry = pki.entry(VyosPki.Kind.CERTIFICATE, name);
      if (entry.isEmpty()) {
        in.warn(
            ref,
            "no `set pki certificate "
                + name
                + "` lines in the input: create the kubernetes.io/tls Secret "
                + secretName(name)
                + " from VyOS `pki certificate "
                + name
                + "`, or import the pki lines with the rest");
      } else {
        encryptedKey =
            tlsSecret(entry.get(), ref).map(PkiMaterial.PrivateKeyPem::encrypted).orElse(false);
      }
    }
    for (VyosLine ref : draft.caCertificates) {
      String name = VyosPki.Entry.value(ref);
      CaCertificateRef caRef = new CaCertificateRef();
      caRef.setSecretRef(new SecretKeyRef(referenceName("ca", name, ref), CA_KEY));
      x509.getCaCertificates().add(caRef);
      Optional<VyosPki.Entry> entry = pki.entry(VyosPki.Kind.CA, name);
      if (entry.isEmpty()) {
        in.warn(
            ref,
            "no `set pki ca "
                + name
                + "` lines in the input: create the Secret "
                + secretName(name)
                + " (key ca.crt) from VyOS `pki ca "
                + name
                + "`, or import the pki lines with the rest");
      } else {
        caSecret(entry.get(), ref);
      }
    }
    if (draft.x509Passphrase != null) {
      String secretName = peerName + "-x509";
      secrets.accept(new ImportedSecret(secretName, Map.of(PASSPHRASE_KEY, draft.x509Passphrase)));
      x509.setPassphrase(new SecretKeyRef(secretName, PASSPHRASE_KEY));
    } else if (encryptedKey) {
      in.error(
          draft.x509Certificate,
          "the private key of pki certificate "
              + VyosPki.Entry.value(draft.x509Certificate)
              + " is encrypted: set `authentication x509 passphrase` on site-to-site peer "
              + draft.vyosName);
    }
    return x509;
  }

  RsaAuthentication rsa(PeerDraft draft) {
    RsaAuthentication rsa = new RsaAuthentication();
    VyosLine authLine = lineOf(draft.authenticationLine);
    if (draft.rsaLocalKey == null) {
      in.error(authLine, "Missing RSA local-key on site-to-site peer " + draft.vyosName);
    } else {
      String name = VyosPki.Entry.value(draft.rsaLocalKey);
      rsa.setLocalKey(
          new SecretKeyRef(referenceName("key-pair", name, draft.rsaLocalKey), RSA_KEY));
      keyPair(draft.rsaLocalKey, name)
          .flatMap(entry -> rsaKeySecret(entry, draft.rsaLocalKey))
          .ifPresent(
              key -> {
                if (key.encrypted()) {
                  in.error(
                      draft.rsaLocalKey,
                      "the private key of pki key-pair "
                          + name
                          + " is encrypted: the operator's rsa mode takes an unencrypted key (it"
                          + " derives the public key from it); decrypt it (openssl pkey) and set"
                          + " it again");
                } else if (draft.rsaPassphrase != null) {
                  in.warn(
                      lineOf(draft.rsaPassphraseLine),
                      "the private key of pki key-pair "
                          + name
                          + " is not encrypted: the rsa passphrase is not needed and left out");
                }
              });
    }
    if (draft.rsaRemoteKey == null) {
      in.error(authLine, "Missing RSA remote-key on site-to-site peer " + draft.vyosName);
    } else {
      String name = VyosPki.Entry.value(draft.rsaRemoteKey);
      keyPair(draft.rsaRemoteKey, name)
          .flatMap(
              entry ->
                  cached(
                      "public\u0000" + name,
                      () -> {
                        leftOut(entry, Set.of("public key"));
                        return material.publicKey(
                            entry,
                            draft.rsaRemoteKey,
                            "Missing public key on specified remote-key \"" + name + "\"");
                      }))
          .ifPresent(rsa::setRemotePublicKey);
    }
    return rsa;
  }

  private Optional<VyosPki.Entry> keyPair(VyosLine ref, String name) {
    Optional<VyosPki.Entry> entry = pki.entry(VyosPki.Kind.KEY_PAIR, name);
    if (entry.isEmpty()) {
      in.error(
          ref,
          "no `set pki key-pair "
              + name
              + "` lines in the input: import them with the rest (`show configuration commands`"
              + " prints them)");
    }
    return entry;
  }

  /** The certificate and key as a TLS Secret; the key, to tell whether it is encrypted. */
  private Optional<PkiMaterial.PrivateKeyPem> tlsSecret(VyosPki.Entry entry, VyosLine ref) {
    return once(keys, "tls\u0000" + entry.name(), () -> tlsSecretOnce(entry, ref));
  }

  private Optional<PkiMaterial.PrivateKeyPem> tlsSecretOnce(VyosPki.Entry entry, VyosLine ref) {
    leftOut(entry, TAKEN.get(VyosPki.Kind.CERTIFICATE));
    Optional<String> cert =
        material.certificate(
            entry,
            ref,
            "Missing certificate on specified PKI certificate \"" + entry.name() + "\"");
    Optional<PkiMaterial.PrivateKeyPem> key =
        material.privateKey(
            entry,
            ref,
            "Missing private key on specified PKI certificate \"" + entry.name() + "\"");
    if (cert.isPresent() && key.isPresent()) {
      Map<String, String> data = new LinkedHashMap<>();
      data.put(TLS_CERT, cert.get());
      data.put(TLS_KEY, key.get().pem());
      secrets.accept(new ImportedSecret(secretName(entry.name()), ImportedSecret.TLS, data));
    }
    return key;
  }

  private void caSecret(VyosPki.Entry entry, VyosLine ref) {
    cached(
        "ca\u0000" + entry.name(),
        () -> {
          leftOut(entry, TAKEN.get(VyosPki.Kind.CA));
          Optional<String> cert =
              material.certificate(
                  entry,
                  ref,
                  "Missing CA certificate on specified PKI CA certificate \""
                      + entry.name()
                      + "\"");
          cert.ifPresent(
              pem ->
                  secrets.accept(
                      new ImportedSecret(secretName(entry.name()), Map.of(CA_KEY, pem))));
          return cert;
        });
  }

  private Optional<PkiMaterial.PrivateKeyPem> rsaKeySecret(VyosPki.Entry entry, VyosLine ref) {
    return once(keys, "rsa\u0000" + entry.name(), () -> rsaKeySecretOnce(entry, ref));
  }

  private Optional<PkiMaterial.PrivateKeyPem> rsaKeySecretOnce(VyosPki.Entry entry, VyosLine ref) {
    leftOut(entry, TAKEN.get(VyosPki.Kind.KEY_PAIR));
    Optional<PkiMaterial.PrivateKeyPem> key =
        material.privateKey(
            entry, ref, "Missing private key on specified local-key \"" + entry.name() + "\"");
    key.filter(k -> !k.encrypted())
        .ifPresent(
            k ->
                secrets.accept(
                    new ImportedSecret(secretName(entry.name()), Map.of(RSA_KEY, k.pem()))));
    return key;
  }

  /** Lines of a used entry that nothing carries over: told, never dropped silently. */
  private void leftOut(VyosPki.Entry entry, Set<String> taken) {
    entry
        .lines()
        .forEach(
            (path, lines) -> {
              if (!taken.contains(path)) {
                for (VyosLine line : lines) {
                  in.warn(
                      line,
                      path.equals("crl")
                          ? "the CRLs of "
                              + entry.describe()
                              + " are not imported: the operator"
                              + " has no CRL setting"
                          : "'" + path + "' of " + entry.describe() + " is not imported");
                }
              }
            });
  }

  private Optional<String> cached(String id, Supplier<Optional<String>> make) {
    return once(built, id, make);
  }

  /**
   * What {@code make} gives for {@code id}, made the first time only: an entry several peers use is
   * read, warned about and written as a Secret once.
   */
  private static <T> Optional<T> once(
      Map<String, Optional<T>> made, String id, Supplier<Optional<T>> make) {
    if (!made.containsKey(id)) {
      made.put(id, make.get()); // not computeIfAbsent: make may record other entries
    }
    return made.get(id);
  }

  /**
   * The Secret name a peer's reference to a pki entry becomes; a rename is told once per entry, as
   * for groups and peers, and a name with nothing usable left is an error.
   */
  private String referenceName(String kind, String pkiName, VyosLine ref) {
    String name = secretName(pkiName);
    if (name.isEmpty()) {
      in.error(ref, "pki " + kind + " '" + pkiName + "' has no usable Kubernetes name");
    } else if (!name.equals(pkiName) && told.add(kind + "\u0000" + pkiName)) {
      in.warn(ref, "pki " + kind + " '" + pkiName + "' is imported as Secret '" + name + "'");
    }
    return name;
  }

  /** The Secret of a pki entry is named after it. */
  private static String secretName(String pkiName) {
    return VyosNames.objectName(pkiName);
  }

  private static VyosLine lineOf(int number) {
    return new VyosLine(number, List.of());
  }
}
