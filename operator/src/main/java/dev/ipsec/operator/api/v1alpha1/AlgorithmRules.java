package dev.ipsec.operator.api.v1alpha1;

import java.util.Optional;
import java.util.Set;

/**
 * The algorithm keywords VyOS offers that a gateway cannot use, and why: the CRDs refuse them with
 * these CEL rules and messages, and the renderer ({@code validate}, {@code render}, the operator)
 * with the same messages through {@link #refusal}. Every other keyword negotiates a real IKE and
 * CHILD SA between two gateways' charons ({@code AlgorithmMatrixCharonTest}, which also checks that
 * each refused keyword really fails in charon, except IKE {@code null}, refused on principle).
 */
public final class AlgorithmRules {

  static final String NOT_GMAC = "!(self in ['aes128gmac', 'aes192gmac', 'aes256gmac'])";
  static final String NOT_NULL = "self != 'null'";
  static final String NOT_PRIVATE_USE =
      "!(self.startsWith('serpent') || self.startsWith('twofish'))";
  static final String NOT_SHA256_96 = "self != 'sha256_96'";
  static final String REFUSED = "FieldValueNotSupported";

  public static final String GMAC_ENCRYPTION_IN_IKE =
      "aes128gmac, aes192gmac and aes256gmac authenticate without encrypting and cannot protect IKE"
          + " (charon fails the key derivation): use aes256gcm128 or aes256";
  public static final String GMAC_ENCRYPTION_IN_ESP =
      "aes128gmac, aes192gmac and aes256gmac (ESP integrity only, NULL_AES_GMAC) are implemented"
          + " by none of the gateway's strongSwan plugins nor by its user-space ESP: use null with"
          + " hash sha256 for integrity only, or aes256gcm128";
  public static final String NULL_ENCRYPTION_IN_IKE =
      "IKE must be encrypted (RFC 7296 forbids encryption null for IKE: identities and"
          + " authentication would cross the network in clear); null is allowed in ESP proposals";
  public static final String PRIVATE_USE_ENCRYPTION =
      "serpent and twofish have no IANA transform number: strongSwan sends them with private-use"
          + " numbers that standard peers do not know and strongSwan peers refuse by default; use"
          + " aes, camellia or chacha20poly1305";
  public static final String GMAC_HASH =
      "aes128gmac, aes192gmac and aes256gmac are not integrity algorithms in strongSwan (only"
          + " encryption keywords): use sha256, sha384 or sha512";
  public static final String SHA256_96_HASH =
      "sha256_96 (HMAC-SHA-256 truncated to 96 bits, an old Linux variant that no RFC defines)"
          + " is implemented by none of the gateway's strongSwan plugins: use sha256";

  private static final Set<Encryption> GMAC_ENCRYPTIONS =
      Set.of(Encryption.AES128GMAC, Encryption.AES192GMAC, Encryption.AES256GMAC);
  private static final Set<Encryption> PRIVATE_USE =
      Set.of(
          Encryption.SERPENT128,
          Encryption.SERPENT192,
          Encryption.SERPENT256,
          Encryption.TWOFISH128,
          Encryption.TWOFISH192,
          Encryption.TWOFISH256);
  private static final Set<Hash> GMAC_HASHES =
      Set.of(Hash.AES128GMAC, Hash.AES192GMAC, Hash.AES256GMAC);

  private AlgorithmRules() {}

  /** Why the gateway refuses {@code encryption} in an IKE proposal, or empty when it takes it. */
  public static Optional<String> ikeRefusal(Encryption encryption) {
    if (encryption == Encryption.NULL_CIPHER) {
      return Optional.of(NULL_ENCRYPTION_IN_IKE);
    }
    if (GMAC_ENCRYPTIONS.contains(encryption)) {
      return Optional.of(GMAC_ENCRYPTION_IN_IKE);
    }
    return commonRefusal(encryption);
  }

  /** Why the gateway refuses {@code encryption} in an ESP proposal, or empty when it takes it. */
  public static Optional<String> espRefusal(Encryption encryption) {
    if (GMAC_ENCRYPTIONS.contains(encryption)) {
      return Optional.of(GMAC_ENCRYPTION_IN_ESP);
    }
    return commonRefusal(encryption);
  }

  /** Why the gateway refuses {@code hash} in any proposal, or empty when it takes it. */
  public static Optional<String> refusal(Hash hash) {
    if (GMAC_HASHES.contains(hash)) {
      return Optional.of(GMAC_HASH);
    }
    return hash == Hash.SHA256_96 ? Optional.of(SHA256_96_HASH) : Optional.empty();
  }

  private static Optional<String> commonRefusal(Encryption encryption) {
    return PRIVATE_USE.contains(encryption)
        ? Optional.of(PRIVATE_USE_ENCRYPTION)
        : Optional.empty();
  }
}
