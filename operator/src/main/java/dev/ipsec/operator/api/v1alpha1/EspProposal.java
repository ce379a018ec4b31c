package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** One ESP proposal: encryption and integrity; the DH group comes from the group's pfs setting. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EspProposal {
  @Default("aes128")
  @JsonPropertyDescription("Encryption algorithm (VyOS `proposal <n> encryption`). Default aes128.")
  private Encryption encryption;

  @Default("sha1")
  @JsonPropertyDescription("Integrity algorithm (VyOS `proposal <n> hash`). Default sha1.")
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
