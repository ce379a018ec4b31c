package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/** One ESP proposal: encryption and integrity; the DH group comes from the group's pfs setting. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EspProposal {
  @Default("aes128")
  @ValidationRule(
      value = AlgorithmRules.NOT_GMAC,
      message = AlgorithmRules.GMAC_ENCRYPTION_IN_ESP,
      reason = AlgorithmRules.REFUSED)
  @ValidationRule(
      value = AlgorithmRules.NOT_PRIVATE_USE,
      message = AlgorithmRules.PRIVATE_USE_ENCRYPTION,
      reason = AlgorithmRules.REFUSED)
  @JsonPropertyDescription(
      "Encryption algorithm (VyOS `proposal <n> encryption`). Default aes128. null gives"
          + " integrity-only ESP. Not the GMAC keywords, serpent or twofish: a gateway cannot use"
          + " them.")
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
      "Integrity algorithm (VyOS `proposal <n> hash`). Default sha1; not used with the AEAD"
          + " encryptions (gcm, ccm, chacha20poly1305). Not the GMAC keywords or sha256_96: no"
          + " gateway plugin implements them.")
  private Hash hash;

  public EspProposal() {}

  public EspProposal(Encryption encryption, Hash hash) {
    this.encryption = encryption;
    this.hash = hash;
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
}
