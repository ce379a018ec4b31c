package dev.ipsec.operator.render;

import static dev.ipsec.operator.render.ProposalAlgorithms.Section.AEAD;
import static dev.ipsec.operator.render.ProposalAlgorithms.Section.DH;
import static dev.ipsec.operator.render.ProposalAlgorithms.Section.ENCRYPTION;
import static dev.ipsec.operator.render.ProposalAlgorithms.Section.INTEGRITY;
import static dev.ipsec.operator.render.ProposalAlgorithms.Section.PRF;

import dev.ipsec.operator.api.v1alpha1.Encryption;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.EspProposal;
import dev.ipsec.operator.api.v1alpha1.Hash;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeProposal;
import dev.ipsec.operator.api.v1alpha1.Prf;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each algorithm keyword asks of charon, under the names charon itself uses: the section and
 * name in its {@code get-algorithms} answer (which the agent publishes), the same names {@code
 * list-sas} shows for a negotiated SA. With them the operator can tell a peer whose gateway's
 * charon lacks an algorithm it proposes, instead of leaving it to fail as {@code
 * NO_PROPOSAL_CHOSEN}. The table follows charon's proposal parser: in IKE a proposal without {@code
 * prf} takes the PRF of its hash, and with an AEAD encryption (GCM, CCM, ChaCha20-Poly1305) the
 * hash serves only as that PRF; in ESP an AEAD makes the hash unused. {@code
 * AlgorithmMatrixCharonTest} checks every row against what real charons negotiate.
 */
public final class ProposalAlgorithms {

  /** The sections of charon's {@code get-algorithms} answer that proposals draw from. */
  public enum Section {
    ENCRYPTION,
    AEAD,
    INTEGRITY,
    PRF,
    DH;

    /** The section's name in the VICI answer ({@code encryption}, {@code aead}, ...). */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** An algorithm as charon names it: its {@code get-algorithms} section and name. */
  public record Algorithm(Section section, String name) {}

  /**
   * One algorithm a connection needs.
   *
   * @param where the proposal asking for it, as a reader finds it ({@code IKE proposal 1})
   * @param keyword the keyword the user wrote (or the default)
   */
  public record Needed(String where, String keyword, Algorithm algorithm) {
    @Override
    public String toString() {
      return where + ": " + keyword + " (" + algorithm.name() + ")";
    }
  }

  private static final Pattern MODP = Pattern.compile("modp(\\d+)(?:s(\\d+))?");
  private static final Pattern ECP = Pattern.compile("ecp(\\d+)(bp)?");
  private static final Pattern CURVE = Pattern.compile("curve(\\d+)");

  private ProposalAlgorithms() {}

  public static Algorithm of(Encryption e) {
    return switch (e) {
      case NULL_CIPHER -> new Algorithm(ENCRYPTION, "NULL");
      case AES128, AES192, AES256 -> new Algorithm(ENCRYPTION, "AES_CBC");
      case AES128CTR, AES192CTR, AES256CTR -> new Algorithm(ENCRYPTION, "AES_CTR");
      case AES128CCM64, AES192CCM64, AES256CCM64 -> new Algorithm(AEAD, "AES_CCM_8");
      case AES128CCM96, AES192CCM96, AES256CCM96 -> new Algorithm(AEAD, "AES_CCM_12");
      case AES128CCM128, AES192CCM128, AES256CCM128 -> new Algorithm(AEAD, "AES_CCM_16");
      case AES128GCM64, AES192GCM64, AES256GCM64 -> new Algorithm(AEAD, "AES_GCM_8");
      case AES128GCM96, AES192GCM96, AES256GCM96 -> new Algorithm(AEAD, "AES_GCM_12");
      case AES128GCM128, AES192GCM128, AES256GCM128 -> new Algorithm(AEAD, "AES_GCM_16");
      case AES128GMAC, AES192GMAC, AES256GMAC -> new Algorithm(AEAD, "NULL_AES_GMAC");
      case TRIPLE_DES -> new Algorithm(ENCRYPTION, "3DES_CBC");
      case BLOWFISH128, BLOWFISH192, BLOWFISH256 -> new Algorithm(ENCRYPTION, "BLOWFISH_CBC");
      case CAMELLIA128, CAMELLIA192, CAMELLIA256 -> new Algorithm(ENCRYPTION, "CAMELLIA_CBC");
      case CAMELLIA128CTR, CAMELLIA192CTR, CAMELLIA256CTR ->
          new Algorithm(ENCRYPTION, "CAMELLIA_CTR");
      case CAMELLIA128CCM64, CAMELLIA192CCM64, CAMELLIA256CCM64 ->
          new Algorithm(AEAD, "CAMELLIA_CCM_8");
      case CAMELLIA128CCM96, CAMELLIA192CCM96, CAMELLIA256CCM96 ->
          new Algorithm(AEAD, "CAMELLIA_CCM_12");
      case CAMELLIA128CCM128, CAMELLIA192CCM128, CAMELLIA256CCM128 ->
          new Algorithm(AEAD, "CAMELLIA_CCM_16");
      case SERPENT128, SERPENT192, SERPENT256 -> new Algorithm(ENCRYPTION, "SERPENT_CBC");
      case TWOFISH128, TWOFISH192, TWOFISH256 -> new Algorithm(ENCRYPTION, "TWOFISH_CBC");
      case CAST128 -> new Algorithm(ENCRYPTION, "CAST_CBC");
      case CHACHA20POLY1305 -> new Algorithm(AEAD, "CHACHA20_POLY1305");
    };
  }

  /** The integrity algorithm of a hash keyword; empty for the GMAC keywords, which are none. */
  public static Optional<Algorithm> integrity(Hash h) {
    String name =
        switch (h) {
          case MD5 -> "HMAC_MD5_96";
          case MD5_128 -> "HMAC_MD5_128";
          case SHA1 -> "HMAC_SHA1_96";
          case SHA1_160 -> "HMAC_SHA1_160";
          case SHA256 -> "HMAC_SHA2_256_128";
          case SHA256_96 -> "HMAC_SHA2_256_96";
          case SHA384 -> "HMAC_SHA2_384_192";
          case SHA512 -> "HMAC_SHA2_512_256";
          case AESXCBC -> "AES_XCBC_96";
          case AESCMAC -> "AES_CMAC_96";
          case AES128GMAC, AES192GMAC, AES256GMAC -> null;
        };
    return Optional.ofNullable(name).map(n -> new Algorithm(INTEGRITY, n));
  }

  /** The PRF charon takes from a hash keyword in an IKE proposal without {@code prf}. */
  public static Optional<Algorithm> derivedPrf(Hash h) {
    String name =
        switch (h) {
          case MD5, MD5_128 -> "PRF_HMAC_MD5";
          case SHA1, SHA1_160 -> "PRF_HMAC_SHA1";
          case SHA256 -> "PRF_HMAC_SHA2_256";
          case SHA384 -> "PRF_HMAC_SHA2_384";
          case SHA512 -> "PRF_HMAC_SHA2_512";
          case AESXCBC -> "PRF_AES128_XCBC";
          case AESCMAC -> "PRF_AES128_CMAC";
          case SHA256_96, AES128GMAC, AES192GMAC, AES256GMAC -> null;
        };
    return Optional.ofNullable(name).map(n -> new Algorithm(PRF, n));
  }

  public static Algorithm of(Prf p) {
    return new Algorithm(
        PRF,
        switch (p) {
          case PRFMD5 -> "PRF_HMAC_MD5";
          case PRFSHA1 -> "PRF_HMAC_SHA1";
          case PRFAESXCBC -> "PRF_AES128_XCBC";
          case PRFAESCMAC -> "PRF_AES128_CMAC";
          case PRFSHA256 -> "PRF_HMAC_SHA2_256";
          case PRFSHA384 -> "PRF_HMAC_SHA2_384";
          case PRFSHA512 -> "PRF_HMAC_SHA2_512";
        });
  }

  /** A DH group by its strongSwan keyword ({@code modp2048s256} is {@code MODP_2048_256}). */
  public static Algorithm dh(String keyword) {
    Matcher m;
    if ((m = MODP.matcher(keyword)).matches()) {
      return new Algorithm(DH, "MODP_" + m.group(1) + (m.group(2) == null ? "" : "_" + m.group(2)));
    }
    if ((m = ECP.matcher(keyword)).matches()) {
      return new Algorithm(DH, "ECP_" + m.group(1) + (m.group(2) == null ? "" : "_BP"));
    }
    if ((m = CURVE.matcher(keyword)).matches()) {
      return new Algorithm(DH, "CURVE_" + m.group(1));
    }
    throw new IllegalArgumentException("not a DH group keyword: " + keyword);
  }

  /** Everything the proposals of a valid IKE group need. */
  public static List<Needed> ike(IkeGroupSpec spec) {
    List<Needed> needed = new ArrayList<>();
    List<IkeProposal> proposals = spec.getProposals();
    for (int i = 0; i < proposals.size(); i++) {
      IkeProposal p = proposals.get(i);
      String where = "IKE proposal " + (i + 1);
      Hash hash = CryptoGroups.hash(p.getHash());
      addCipher(needed, where, CryptoGroups.encryption(p.getEncryption()), hash);
      if (p.getPrf() != null) {
        needed.add(new Needed(where, p.getPrf().keyword(), of(p.getPrf())));
      } else {
        derivedPrf(hash).ifPresent(a -> needed.add(new Needed(where, hash.keyword(), a)));
      }
      String group = DhGroupKeywords.keywordOrFail(CryptoGroups.dhGroup(p));
      needed.add(new Needed(where, group, dh(group)));
    }
    return needed;
  }

  /** Everything the proposals of a valid ESP group need, with its PFS group from {@code ike}. */
  public static List<Needed> esp(EspGroupSpec spec, IkeGroupSpec ike) {
    List<Needed> needed = new ArrayList<>();
    Optional<String> pfs = CryptoGroups.pfsDhName(spec.getPfs(), ike);
    List<EspProposal> proposals = spec.getProposals();
    for (int i = 0; i < proposals.size(); i++) {
      EspProposal p = proposals.get(i);
      String where = "ESP proposal " + (i + 1);
      addCipher(
          needed,
          where,
          CryptoGroups.encryption(p.getEncryption()),
          CryptoGroups.hash(p.getHash()));
      pfs.ifPresent(group -> needed.add(new Needed(where, group, dh(group))));
    }
    return needed;
  }

  /**
   * The cipher of one proposal and, unless it is an AEAD (which authenticates itself), its hash.
   */
  private static void addCipher(
      List<Needed> needed, String where, Encryption encryption, Hash hash) {
    Algorithm cipher = of(encryption);
    needed.add(new Needed(where, encryption.keyword(), cipher));
    if (cipher.section() != AEAD) {
      integrity(hash).ifPresent(a -> needed.add(new Needed(where, hash.keyword(), a)));
    }
  }

  /**
   * The needed algorithms charon does not offer, given its {@code get-algorithms} answer by
   * section. An empty answer means the agent did not say (an older agent): nothing is missing.
   */
  public static List<Needed> missing(
      Collection<Needed> needed, Map<String, ? extends Collection<String>> available) {
    if (available.isEmpty()) {
      return List.of();
    }
    Set<Needed> missing = new LinkedHashSet<>();
    for (Needed n : needed) {
      Collection<String> names = available.get(n.algorithm().section().key());
      if (names == null || !names.contains(n.algorithm().name())) {
        missing.add(n);
      }
    }
    return List.copyOf(missing);
  }
}
