package dev.ipsec.operator.vyos;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The material of a {@code set pki} entry as PEM. VyOS keeps each certificate and key as the base64
 * body of its PEM, without the armour lines and line breaks, and adds the armour when it writes the
 * files for charon ({@code wrap_certificate}, {@code wrap_private_key}, ...); this does the same.
 * Every value is untrusted: it must be base64 of the DER structure its place promises (a
 * certificate, a PKCS#8 or SEC1 private key, encrypted or not, a SubjectPublicKeyInfo), or it is an
 * error naming its line, never a file charon is left to refuse. Values never appear in a message.
 */
final class PkiMaterial {

  /** A private key in PEM, and whether it is encrypted (then it needs a passphrase). */
  record PrivateKeyPem(String pem, boolean encrypted) {
    @Override
    public String toString() {
      return "PrivateKeyPem[encrypted=" + encrypted + ", key hidden]";
    }
  }

  private final VyosImport in;

  PkiMaterial(VyosImport in) {
    this.in = in;
  }

  /** The certificate of the entry ({@code certificate}), or empty with an error on its line. */
  Optional<String> certificate(VyosPki.Entry entry, VyosLine reference, String missing) {
    Optional<VyosLine> line = entry.line("certificate");
    if (line.isEmpty()) {
      in.error(reference, missing);
      return Optional.empty();
    }
    return der(line.get(), "a certificate")
        .filter(
            der ->
                parses(
                    line.get(),
                    entry.describe() + " certificate",
                    "an X.509 certificate",
                    () -> Certificate.getInstance(der)))
        .map(der -> pem("CERTIFICATE", der));
  }

  /** The private key of the entry ({@code private key}), or empty with an error on its line. */
  Optional<PrivateKeyPem> privateKey(VyosPki.Entry entry, VyosLine reference, String missing) {
    Optional<VyosLine> line = entry.line("private key");
    if (line.isEmpty()) {
      in.error(reference, missing);
      return Optional.empty();
    }
    Optional<byte[]> der = der(line.get(), "a private key");
    if (der.isEmpty()) {
      return Optional.empty();
    }
    try {
      ASN1Sequence sequence = ASN1Sequence.getInstance(der.get());
      if (sequence.size() == 2 && sequence.getObjectAt(0) instanceof ASN1Sequence) {
        EncryptedPrivateKeyInfo.getInstance(sequence);
        return Optional.of(new PrivateKeyPem(pem("ENCRYPTED PRIVATE KEY", der.get()), true));
      }
      if (sequence.size() >= 2 && sequence.getObjectAt(1) instanceof ASN1OctetString) {
        ECPrivateKey.getInstance(sequence);
        return Optional.of(new PrivateKeyPem(pem("EC PRIVATE KEY", der.get()), false));
      }
      if (sequence.size() >= 9 && sequence.getObjectAt(1) instanceof ASN1Integer) {
        // PKCS#1, as a key imported into VyOS from `openssl genrsa` output may be
        RSAPrivateKey.getInstance(sequence);
        return Optional.of(new PrivateKeyPem(pem("RSA PRIVATE KEY", der.get()), false));
      }
      PrivateKeyInfo.getInstance(sequence);
      return Optional.of(new PrivateKeyPem(pem("PRIVATE KEY", der.get()), false));
    } catch (RuntimeException e) {
      in.error(
          line.get(),
          entry.describe()
              + " private key is not a PKCS#8, PKCS#1 or SEC1 private key (its DER does not"
              + " parse)");
      return Optional.empty();
    }
  }

  /** The public key of the entry ({@code public key}), or empty with an error on its line. */
  Optional<String> publicKey(VyosPki.Entry entry, VyosLine reference, String missing) {
    Optional<VyosLine> line = entry.line("public key");
    if (line.isEmpty()) {
      in.error(reference, missing);
      return Optional.empty();
    }
    return der(line.get(), "a public key")
        .filter(
            der ->
                parses(
                    line.get(),
                    entry.describe() + " public key",
                    "a SubjectPublicKeyInfo",
                    () -> SubjectPublicKeyInfo.getInstance(der)))
        .map(der -> pem("PUBLIC KEY", der));
  }

  private Optional<byte[]> der(VyosLine line, String what) {
    String value = VyosPki.Entry.value(line);
    // VyOS prints the PEM body on one line; a pasted body may still carry its line breaks
    String body = value.replaceAll("\\s+", "");
    if (body.startsWith("-----")) {
      in.error(
          line, "expected " + what + " as VyOS keeps it: the base64 body without the PEM armour");
      return Optional.empty();
    }
    try {
      byte[] der = Base64.getDecoder().decode(body);
      if (der.length == 0) {
        in.error(line, "expected " + what + ": the value is empty");
        return Optional.empty();
      }
      return Optional.of(der);
    } catch (IllegalArgumentException e) {
      in.error(line, "expected " + what + " in base64: the value is not base64");
      return Optional.empty();
    }
  }

  private boolean parses(VyosLine line, String what, String expected, Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (RuntimeException e) {
      in.error(line, what + " is not " + expected + " (its DER does not parse)");
      return false;
    }
  }

  /** PEM as OpenSSL writes it: 64 base64 characters a line, newline at the end. */
  static String pem(String label, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  /** The base64 body of a PEM block, as VyOS keeps it: no armour, no line breaks. */
  static String body(String pem) {
    return pem.replaceAll("-----(BEGIN|END) [A-Z0-9 ]+-----", "").replaceAll("\\s+", "");
  }
}
