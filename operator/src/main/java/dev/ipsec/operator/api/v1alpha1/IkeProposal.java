package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** One IKE proposal: encryption, integrity, optional PRF and DH group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IkeProposal {
  @Default("aes128")
  @ValidationRule(
      value = AlgorithmRules.NOT_NULL,
      message = AlgorithmRules.NULL_ENCRYPTION_IN_IKE,
      reason = AlgorithmRules.REFUSED)
  @ValidationRule(
      value = AlgorithmRules.NOT_GMAC,
      message = AlgorithmRules.GMAC_ENCRYPTION_IN_IKE,
      reason = AlgorithmRules.REFUSED)
  @ValidationRule(
      value = AlgorithmRules.NOT_PRIVATE_USE,
      message = AlgorithmRules.PRIVATE_USE_ENCRYPTION,
      reason = AlgorithmRules.REFUSED)
  @JsonPropertyDescription(
      "Encryption algorithm (VyOS `proposal <n> encryption`). Default aes128."
          + " Not null, the GMAC keywords, serpent or twofish: a gateway cannot use them for IKE.")
  private Encryption encryption;

  @Default("sha1")
  @ValidationRule(
      value = AlgorithmRules.NOT_GMAC,
      message = AlgorithmRules.GMAC_HASH,
      reason = AlgorithmRules.REFUSED)
  @ValidationRule(
      value = AlgorithmRules.NOT_SHA256_96,
      message = AlgorithmRules.SHA256_96_HASH,
      reason = AlgorithmRules.REFUSED)
  @JsonPropertyDescription(
      "Integrity algorithm (VyOS `proposal <n> hash`). Default sha1. Also the PRF when prf is"
          + " unset. Not the GMAC keywords or sha256_96: no gateway plugin implements them.")
  private Hash hash;

  @JsonPropertyDescription(
      "Pseudo-random function (VyOS `proposal <n> prf`). Unset: derived from the hash.")
  private Prf prf;

  @Default("2")
  @ValidationRule(
      value = DhGroupRule.CEL_RULE,
      message = "dhGroup must be one of 1, 2, 5 or 14 to 32",
      reason = "FieldValueNotSupported")
  @JsonPropertyDescription(
      "Diffie-Hellman group (VyOS `proposal <n> dh-group`): 1, 2, 5 or 14 to 32. Default 2.")
  private Integer dhGroup;

  public IkeProposal() {}

  public IkeProposal(Encryption encryption, Hash hash, Integer dhGroup) {
    this.encryption = encryption;
    this.hash = hash;
    this.dhGroup = dhGroup;
  }

  public Encryption getEncryption() {
    return encryption;
  }

  public void setEncryption(Encryption encryption) {
    this.encryption = encryption;
  }

  public Hash getHash() {
    return hash;
  }

  public void setHash(Hash hash) {
    this.hash = hash;
  }

  public Prf getPrf() {
    return prf;
  }

  public void setPrf(Prf prf) {
    this.prf = prf;
  }

  public Integer getDhGroup() {
    return dhGroup;
  }

  public void setDhGroup(Integer dhGroup) {
    this.dhGroup = dhGroup;
  }
}
