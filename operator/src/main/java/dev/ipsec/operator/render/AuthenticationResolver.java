package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.CaCertificateRef;
import dev.ipsec.operator.api.v1alpha1.IpsecPeerSpec;
import dev.ipsec.operator.api.v1alpha1.PeerAuthentication;
import dev.ipsec.operator.api.v1alpha1.RsaAuthentication;
import dev.ipsec.operator.api.v1alpha1.SecretKeyRef;
import dev.ipsec.operator.api.v1alpha1.X509Authentication;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The authentication part of a peer: its two auth rounds, its own secrets section ({@code
 * ike-<conn>} or {@code private-<conn>}) and the credential files, named after the connection so
 * that no peer can point at another peer's material. Secret content is checked but never echoed:
 * errors name the Secret and key only.
 */
final class AuthenticationResolver {

  private static final String ANY = "any";

  private final FieldErrors errors;
  private final ReferencedData references;
  private final FieldPath spec = FieldPath.of("spec");

  AuthenticationResolver(FieldErrors errors, ReferencedData references) {
    this.errors = errors;
    this.references = references;
  }

  /** What authentication adds to the connection: the two auth rounds, secrets and files. */
  record AuthParts(
      ConnectionModel.Auth local,
      ConnectionModel.Auth remote,
      boolean sendCert,
      List<ConnectionModel.SecretSection> secrets,
      SortedMap<String, String> publicFiles,
      SortedMap<String, byte[]> privateFiles) {}

  /** The auth rounds of one mode; the secrets and files each mode adds to are common. */
  private record Rounds(
      ConnectionModel.Auth local, ConnectionModel.Auth remote, boolean sendCert) {}

  /** What every mode adds to besides its rounds: secrets sections and credential files. */
  private record Credentials(
      String fileBase,
      List<ConnectionModel.SecretSection> secrets,
      SortedMap<String, String> publicFiles,
      SortedMap<String, byte[]> privateFiles) {

    Credentials(String fileBase) {
      this(fileBase, new ArrayList<>(), new TreeMap<>(), new TreeMap<>());
    }
  }

  /** Null when authentication is missing entirely (an error is recorded then). */
  AuthParts resolve(
      IpsecPeerSpec s, String conn, String localAddress, List<String> remoteAddresses) {
    FieldPath at = spec.field("authentication");
    PeerAuthentication a = s.getAuthentication();
    if (a == null) {
      errors.add(at, "missing authentication");
      return null;
    }
    if (a.getMode() == null) {
      errors.add(at.field("mode"), "missing authentication mode");
      return null;
    }
    String remoteId = a.getRemoteId() == null ? "%any" : a.getRemoteId();
    // without a valid connection name the material is still read and checked, under a stand-in
    Credentials out = new Credentials(conn == null ? "invalid" : conn);
    Rounds rounds =
        switch (a.getMode()) {
          case PRE_SHARED_SECRET -> {
            FieldPath ref = at.field("preSharedSecret").field("secretRef");
            SecretKeyRef secretRef =
                a.getPreSharedSecret() == null ? null : a.getPreSharedSecret().getSecretRef();
            Optional<String> psk = secretText(ref, secretRef, "pre-shared secret");
            if (psk.isPresent() && conn != null) {
              out.secrets().add(pskSection(conn, a, localAddress, remoteAddresses, psk.get()));
            }
            yield new Rounds(
                new ConnectionModel.Auth("psk", a.getLocalId(), null, null, null),
                new ConnectionModel.Auth("psk", remoteId, null, null, null),
                false);
          }
          case X509 ->
              publicKeyMode(
                  at.field("x509"),
                  "x509",
                  a.getX509(),
                  X509Authentication::getPassphrase,
                  out,
                  (x, xp) -> x509Rounds(x, xp, a.getLocalId(), remoteId, out));
          case RSA ->
              publicKeyMode(
                  at.field("rsa"),
                  "RSA",
                  a.getRsa(),
                  RsaAuthentication::getPassphrase,
                  out,
                  (r, rp) -> rsaRounds(r, rp, a.getLocalId(), remoteId, out));
          default -> throw new IllegalStateException("unknown mode " + a.getMode());
        };
    return rounds == null
        ? null
        : new AuthParts(
            rounds.local(),
            rounds.remote(),
            rounds.sendCert(),
            out.secrets(),
            out.publicFiles(),
            out.privateFiles());
  }

  /**
   * A mode that authenticates with the peer's own private key (x509 or RSA): null, with an error,
   * when its settings are missing; otherwise its rounds, and the secrets section that points charon
   * at the key file and holds the key's passphrase, if it has one.
   */
  private <T> Rounds publicKeyMode(
      FieldPath at,
      String mode,
      T settings,
      Function<T, SecretKeyRef> passphrase,
      Credentials out,
      BiFunction<T, FieldPath, Rounds> rounds) {
    if (settings == null) {
      errors.add(at, "missing " + mode + " settings");
      return null;
    }
    Rounds resolved = rounds.apply(settings, at);
    out.secrets()
        .add(privateKeySection(out.fileBase(), at.field("passphrase"), passphrase.apply(settings)));
    return resolved;
  }

  /** The certificate and key from one TLS Secret, and the CAs that vouch for the remote end. */
  private Rounds x509Rounds(
      X509Authentication x, FieldPath xp, String localId, String remoteId, Credentials out) {
    String fileBase = out.fileBase();
    FieldPath cp = xp.field("certificate");
    if (x.getCertificate() == null || x.getCertificate().getName() == null) {
      errors.add(cp, "missing x509 certificate");
    } else {
      SecretKeyRef certRef = new SecretKeyRef(x.getCertificate().getName(), "tls.crt");
      Optional<String> cert =
          secretPem(cp, certRef, "certificate")
              .filter(
                  pem ->
                      !holdsPrivateKey(
                          cp, describe(certRef), pem, "keep the key under tls.key only"));
      expectPem(cp, certRef, cert.map(PemMaterial::isCertificate), "certificate");
      cert.ifPresent(
          pem -> out.publicFiles().put("x509/" + CredentialNames.certificate(fileBase), pem));
      SecretKeyRef keyRef = new SecretKeyRef(x.getCertificate().getName(), "tls.key");
      Optional<byte[]> key = secretBytes(cp, keyRef, "private key");
      expectPem(cp, keyRef, key.map(PemMaterial::isPrivateKey), "private key");
      if (key.isPresent()
          && cert.isPresent()
          && KeyPairCheck.matches(key.get(), cert.get()).filter(m -> !m).isPresent()) {
        errors.add(
            cp,
            "the private key in "
                + describe(keyRef)
                + " does not belong to the certificate in "
                + describe(certRef));
      }
      key.ifPresent(
          bytes ->
              out.privateFiles().put("private/" + CredentialNames.privateKey(fileBase), bytes));
    }
    List<CaCertificateRef> cas = x.getCaCertificates() == null ? List.of() : x.getCaCertificates();
    if (cas.isEmpty()) {
      errors.add(xp.field("caCertificates"), "missing x509 CA certificates");
    }
    StringJoiner cacerts = new StringJoiner(",");
    for (int i = 0; i < cas.size(); i++) {
      Optional<String> pem = caCertificate(xp.field("caCertificates").index(i), cas.get(i));
      if (pem.isPresent()) {
        String file = CredentialNames.caCertificate(fileBase, i);
        out.publicFiles().put("x509ca/" + file, pem.get());
        cacerts.add(file);
      }
    }
    return new Rounds(
        new ConnectionModel.Auth(
            "pubkey", localId, CredentialNames.certificate(fileBase), null, null),
        new ConnectionModel.Auth("pubkey", remoteId, null, cacerts.toString(), null),
        true);
  }

  /** A raw RSA key pair: the local private key (its public half derived) and the remote key. */
  private Rounds rsaRounds(
      RsaAuthentication r, FieldPath rp, String localId, String remoteId, Credentials out) {
    String fileBase = out.fileBase();
    FieldPath kp = rp.field("localKey");
    if (r.getLocalKey() == null) {
      errors.add(kp, "missing RSA local-key");
    } else {
      secretBytes(kp, r.getLocalKey(), "RSA private key")
          .ifPresent(
              bytes -> {
                Optional<String> publicKey = PemMaterial.publicKeyOf(bytes);
                if (publicKey.isEmpty()) {
                  errors.add(
                      kp, describe(r.getLocalKey()) + " is not an unencrypted PEM RSA private key");
                } else {
                  out.privateFiles().put("private/" + CredentialNames.privateKey(fileBase), bytes);
                  out.publicFiles()
                      .put("pubkey/" + CredentialNames.localPublicKey(fileBase), publicKey.get());
                }
              });
    }
    if (r.getRemotePublicKey() == null) {
      errors.add(rp.field("remotePublicKey"), "missing RSA remote-key");
    } else if (holdsPrivateKey(
        rp.field("remotePublicKey"),
        "the remote key",
        r.getRemotePublicKey(),
        "give only the peer's public key")) {
      // refused: a key pasted into the spec must not be copied on into a ConfigMap
    } else if (!PemMaterial.isPublicKey(r.getRemotePublicKey())) {
      errors.add(rp.field("remotePublicKey"), "not a PEM public key");
    } else {
      out.publicFiles()
          .put("pubkey/" + CredentialNames.remotePublicKey(fileBase), r.getRemotePublicKey());
    }
    return new Rounds(
        new ConnectionModel.Auth(
            "pubkey", localId, null, null, CredentialNames.localPublicKey(fileBase)),
        new ConnectionModel.Auth(
            "pubkey", remoteId, null, null, CredentialNames.remotePublicKey(fileBase)),
        false);
  }

  /**
   * The peer's own PSK section. VyOS keeps PSKs global; here each peer has its own, owned by its
   * identities the way VyOS's migration 10-to-11 built them: the local id (or the local address)
   * and the remote id (or the remote addresses). Keys are numbered, not random, to stay stable.
   */
  private static ConnectionModel.SecretSection pskSection(
      String conn,
      PeerAuthentication a,
      String localAddress,
      List<String> remoteAddresses,
      String psk) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    String localOwner =
        a.getLocalId() != null ? a.getLocalId() : ANY.equals(localAddress) ? null : localAddress;
    if (localOwner != null) {
      entries.add(Map.entry("id-local", localOwner));
    }
    List<String> remoteOwners = new ArrayList<>();
    if (a.getRemoteId() != null) {
      remoteOwners.add(a.getRemoteId());
    } else {
      remoteAddresses.stream().filter(r -> !r.equals(ANY)).forEach(remoteOwners::add);
    }
    for (int i = 0; i < remoteOwners.size(); i++) {
      entries.add(Map.entry("id-remote-" + i, remoteOwners.get(i)));
    }
    entries.add(Map.entry("secret", psk));
    return new ConnectionModel.SecretSection(CredentialNames.sharedSecret(conn), entries);
  }

  private ConnectionModel.SecretSection privateKeySection(
      String fileBase, FieldPath at, SecretKeyRef passphraseRef) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    entries.add(Map.entry("file", CredentialNames.privateKey(fileBase)));
    if (passphraseRef != null) {
      secretText(at, passphraseRef, "passphrase")
          .ifPresent(p -> entries.add(Map.entry("secret", p)));
    }
    return new ConnectionModel.SecretSection(CredentialNames.privateKeySecret(fileBase), entries);
  }

  private Optional<String> caCertificate(FieldPath at, CaCertificateRef ref) {
    if (ref == null || (ref.getSecretRef() == null) == (ref.getConfigMapRef() == null)) {
      errors.add(at, "exactly one of secretRef or configMapRef must be set");
      return Optional.empty();
    }
    Optional<String> pem;
    FieldPath refAt;
    String source;
    String advice;
    if (ref.getSecretRef() != null) {
      refAt = at.field("secretRef");
      pem = secretPem(refAt, ref.getSecretRef(), "CA certificate");
      source = describe(ref.getSecretRef());
      advice = "keep only CA certificates under that key";
    } else {
      String name = ref.getConfigMapRef().getName();
      String key = ref.getConfigMapRef().getKey();
      refAt = at.field("configMapRef");
      pem = name == null || key == null ? Optional.empty() : references.configMap(name, key);
      if (pem.isEmpty()) {
        errors.add(refAt, "ConfigMap \"" + name + "\" with key " + key + " not found");
      }
      source = "ConfigMap \"" + name + "\" key " + key;
      advice =
          "remove it from the bundle, and treat it as exposed: every reader of ConfigMaps can see"
              + " it there";
    }
    if (pem.isPresent() && holdsPrivateKey(refAt, source, pem.get(), advice)) {
      return Optional.empty();
    }
    if (pem.isPresent() && !PemMaterial.isCertificate(pem.get())) {
      errors.add(at, "not a PEM certificate");
      return Optional.empty();
    }
    return pem;
  }

  /**
   * Refuses material bound for a ConfigMap (a certificate, a CA bundle, a public key) that carries
   * a private key anywhere, not only in its first block: the rendered file is stored in a
   * ConfigMap, which far more principals may read than the Secrets keys belong in. True when
   * refused. The error names where the key sits, never its content.
   */
  private boolean holdsPrivateKey(FieldPath at, String source, String pem, String advice) {
    Optional<PemMaterial.PrivateKeyBlock> key = PemMaterial.privateKeyBlock(pem);
    key.ifPresent(
        block ->
            errors.add(
                at,
                source
                    + " holds a private key ("
                    + block
                    + "); it would be copied into a ConfigMap, so it is refused: "
                    + advice));
    return key.isPresent();
  }

  private Optional<byte[]> secretBytes(FieldPath at, SecretKeyRef ref, String what) {
    if (ref == null || ref.getName() == null || ref.getKey() == null) {
      errors.add(at, "missing reference to the Secret holding the " + what);
      return Optional.empty();
    }
    Optional<byte[]> value = references.secret(ref.getName(), ref.getKey());
    if (value.isEmpty()) {
      errors.add(at, "Secret \"" + ref.getName() + "\" with key " + ref.getKey() + " not found");
    } else if (value.get().length == 0) {
      errors.add(at, describe(ref) + " is empty");
      return Optional.empty();
    }
    return value;
  }

  /** PEM text from a Secret: it becomes a file of its own, never a settings value. */
  private Optional<String> secretPem(FieldPath at, SecretKeyRef ref, String what) {
    return secretBytes(at, ref, what).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  /**
   * A secret that goes into swanctl.conf as a quoted value: UTF-8 without control characters.
   * Errors name the Secret and key, never the content.
   */
  private Optional<String> secretText(FieldPath at, SecretKeyRef ref, String what) {
    Optional<byte[]> bytes = secretBytes(at, ref, what);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.get()))
              .toString();
    } catch (CharacterCodingException e) {
      errors.add(
          at,
          describe(ref)
              + " is not UTF-8 text"
              + " (use strongSwan's 0x hex or 0s base64 form for binary "
              + what
              + "s)");
      return Optional.empty();
    }
    if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      errors.add(at, describe(ref) + " contains a control character (a trailing newline?)");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  /**
   * Reports material that is not the PEM {@code kind} it should be ({@code isPem} is empty when
   * nothing was read). It is filed all the same: the error alone keeps the peer from rendering.
   */
  private void expectPem(FieldPath at, SecretKeyRef ref, Optional<Boolean> isPem, String kind) {
    if (isPem.isPresent() && !isPem.get()) {
      errors.add(at, describe(ref) + " is not a PEM " + kind);
    }
  }

  /** How errors name a Secret's key: never by its content, which may be secret material. */
  private static String describe(SecretKeyRef ref) {
    return "Secret \"" + ref.getName() + "\" key " + ref.getKey();
  }
}
