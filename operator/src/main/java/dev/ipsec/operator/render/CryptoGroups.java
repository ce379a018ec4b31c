package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.AlgorithmRules;
import dev.ipsec.operator.api.v1alpha1.DeadPeerDetection;
import dev.ipsec.operator.api.v1alpha1.Encryption;
import dev.ipsec.operator.api.v1alpha1.EspGroupSpec;
import dev.ipsec.operator.api.v1alpha1.EspProposal;
import dev.ipsec.operator.api.v1alpha1.Hash;
import dev.ipsec.operator.api.v1alpha1.IkeGroupSpec;
import dev.ipsec.operator.api.v1alpha1.IkeMode;
import dev.ipsec.operator.api.v1alpha1.IkeProposal;
import dev.ipsec.operator.api.v1alpha1.KeyExchange;
import dev.ipsec.operator.api.v1alpha1.Pfs;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Validation of IkeGroup and EspGroup specs, and their effective proposal strings as VyOS's {@code
 * get_esp_ike_cipher()} builds them: {@code enc-hash[-prf]-dhname} per proposal, in list order,
 * joined with commas. The hash is kept even with AEAD ciphers, as VyOS does. Unset fields take the
 * VyOS defaults (aes128, sha1, DH group 2), since a spec read from YAML has not been through the
 * API server's defaulting.
 */
public final class CryptoGroups {

  public static final int DEFAULT_IKE_LIFETIME = 28800;
  public static final int DEFAULT_ESP_LIFETIME = 3600;
  public static final int DEFAULT_DH_GROUP = 2;
  public static final int DEFAULT_DPD_INTERVAL = 30;
  public static final int DEFAULT_DPD_TIMEOUT = 120;

  private static final List<FieldError> MISSING_SPEC =
      List.of(new FieldError("spec", "missing spec"));

  private CryptoGroups() {}

  /**
   * The keywords a gateway cannot use ({@link AlgorithmRules}), with the messages of the CRDs' CEL
   * rules, so that {@code validate} and the operator say what the API server says.
   */
  private static void checkAlgorithms(
      FieldErrors errors, FieldPath at, Optional<String> encryptionRefusal, Hash hash) {
    encryptionRefusal.ifPresent(why -> errors.add(at.field("encryption"), why));
    if (hash != null) {
      AlgorithmRules.refusal(hash).ifPresent(why -> errors.add(at.field("hash"), why));
    }
  }

  /** A check of one part of a group: adds to {@code errors} what is wrong with it. */
  private interface Check<T> {
    void apply(FieldErrors errors, FieldPath at, T value);
  }

  public static List<FieldError> validate(IkeGroupSpec spec) {
    return validateGroup(
        spec, IkeGroupSpec::getProposals, CryptoGroups::checkIkeProposal, CryptoGroups::checkIke);
  }

  public static List<FieldError> validate(EspGroupSpec spec) {
    return validateGroup(
        spec, EspGroupSpec::getProposals, CryptoGroups::checkEspProposal, CryptoGroups::checkEsp);
  }

  /**
   * The checks every group gets, IKE or ESP: a spec, at least one proposal, none empty; {@code
   * proposal} and {@code group} add those of the group's own kind.
   */
  private static <S, P> List<FieldError> validateGroup(
      S spec, Function<S, List<P>> proposalsOf, Check<P> proposal, Check<S> group) {
    if (spec == null) {
      return MISSING_SPEC;
    }
    FieldErrors errors = new FieldErrors();
    FieldPath path = FieldPath.of("spec");
    List<P> proposals = proposalsOf.apply(spec);
    if (proposals == null || proposals.isEmpty()) {
      errors.add(path.field("proposals"), "at least one proposal is required");
    } else {
      for (int i = 0; i < proposals.size(); i++) {
        FieldPath at = path.field("proposals").index(i);
        if (proposals.get(i) == null) {
          errors.add(at, "empty proposal");
        } else {
          proposal.apply(errors, at, proposals.get(i));
        }
      }
    }
    group.apply(errors, path, spec);
    return errors.toList();
  }

  private static void checkIkeProposal(FieldErrors errors, FieldPath at, IkeProposal p) {
    int dh = dhGroup(p);
    if (DhGroupKeywords.keyword(dh).isEmpty()) {
      errors.add(at.field("dhGroup"), "dhGroup must be one of 1, 2, 5 or 14 to 32, not " + dh);
    }
    checkAlgorithms(
        errors, at, AlgorithmRules.ikeRefusal(encryption(p.getEncryption())), p.getHash());
  }

  private static void checkIke(FieldErrors errors, FieldPath path, IkeGroupSpec spec) {
    if (spec.getMode() == IkeMode.AGGRESSIVE && spec.getKeyExchange() != KeyExchange.IKEV1) {
      errors.add(path.field("mode"), "aggressive mode requires keyExchange ikev1");
    }
    checkRange(errors, path.field("lifetime"), spec.getLifetime(), 0, 86400);
    DeadPeerDetection dpd = spec.getDeadPeerDetection();
    if (dpd != null) {
      checkRange(
          errors, path.field("deadPeerDetection").field("interval"), dpd.getInterval(), 2, 86400);
      checkRange(
          errors, path.field("deadPeerDetection").field("timeout"), dpd.getTimeout(), 2, 86400);
    }
  }

  private static void checkEspProposal(FieldErrors errors, FieldPath at, EspProposal p) {
    checkAlgorithms(
        errors, at, AlgorithmRules.espRefusal(encryption(p.getEncryption())), p.getHash());
  }

  private static void checkEsp(FieldErrors errors, FieldPath path, EspGroupSpec spec) {
    checkRange(errors, path.field("lifetime"), spec.getLifetime(), 30, 86400);
    checkRange(errors, path.field("lifeBytes"), spec.getLifeBytes(), 1024, 26843545600000L);
    checkRange(errors, path.field("lifePackets"), spec.getLifePackets(), 1000, 26843545600000L);
  }

  /** The {@code proposals} value of a valid IKE group. */
  public static String ikeProposals(IkeGroupSpec spec) {
    StringJoiner joined = new StringJoiner(",");
    for (IkeProposal p : spec.getProposals()) {
      StringBuilder sb =
          new StringBuilder(48)
              .append(encryption(p.getEncryption()).keyword())
              .append('-')
              .append(hash(p.getHash()).keyword());
      if (p.getPrf() != null) {
        sb.append('-').append(p.getPrf().keyword());
      }
      sb.append('-').append(DhGroupKeywords.keywordOrFail(dhGroup(p)));
      joined.add(sb);
    }
    return joined.toString();
  }

  /**
   * The {@code esp_proposals} value of a valid ESP group used with a valid IKE group: with {@code
   * pfs enable} (the default) every proposal carries the DH group of the IKE group's first
   * proposal, with {@code dh-groupN} group N, with {@code disable} none.
   */
  public static String espProposals(EspGroupSpec esp, IkeGroupSpec ike) {
    Optional<String> dh = pfsDhName(esp.getPfs(), ike);
    StringJoiner joined = new StringJoiner(",");
    for (EspProposal p : esp.getProposals()) {
      String base = encryption(p.getEncryption()).keyword() + "-" + hash(p.getHash()).keyword();
      joined.add(dh.map(name -> base + "-" + name).orElse(base));
    }
    return joined.toString();
  }

  static Optional<String> pfsDhName(Pfs pfs, IkeGroupSpec ike) {
    if (pfs == Pfs.DISABLE) {
      return Optional.empty();
    }
    if (pfs == null || pfs == Pfs.ENABLE) {
      int first =
          ike.getProposals().isEmpty() ? DEFAULT_DH_GROUP : dhGroup(ike.getProposals().get(0));
      return Optional.of(DhGroupKeywords.keywordOrFail(first));
    }
    return Optional.of(DhGroupKeywords.keywordOrFail(pfs.explicitGroup().orElseThrow()));
  }

  static int dhGroup(IkeProposal p) {
    return p.getDhGroup() == null ? DEFAULT_DH_GROUP : p.getDhGroup();
  }

  static Encryption encryption(Encryption e) {
    return e == null ? Encryption.AES128 : e;
  }

  static Hash hash(Hash h) {
    return h == null ? Hash.SHA1 : h;
  }

  static void checkRange(FieldErrors errors, FieldPath path, Number value, long min, long max) {
    if (value != null && (value.longValue() < min || value.longValue() > max)) {
      errors.add(path, "must be between " + min + " and " + max + ", not " + value);
    }
  }
}
