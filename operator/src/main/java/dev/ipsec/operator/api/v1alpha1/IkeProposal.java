package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** One IKE proposal: encryption, integrity, optional PRF and DH group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.hash) || !(self.hash in ['aes128gmac', 'aes192gmac', 'aes256gmac', 'sha256_96'])"
            + " || has(self.prf)",
    message = "a PRF algorithm (prf) is mandatory when hash is aes128gmac, aes192gmac, aes256gmac or sha256_96",
    fieldPath = ".prf",
    reason = "FieldValueRequired")
public class IkeProposal {
  @Default("aes128")
  @JsonPropertyDescription("Encryption algorithm (VyOS `proposal <n> encryption`). Default aes128.")
  private Encryption encryption;

  @Default("sha1")
  @JsonPropertyDescription("Integrity algorithm (VyOS `proposal <n> hash`). Default sha1.")
  private Hash hash;

  @JsonPropertyDescription(
      "Pseudo-random function (VyOS `proposal <n> prf`). Mandatory with the GMAC and sha256_96 hashes.")
  private Prf prf;

  @Default("2")
  @ValidationRule(
      value = DhGroups.CEL_RULE,
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
