package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Negotiated algorithms, as charon names them (AES_CBC-256, HMAC_SHA2_256_128, CURVE_25519). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Algorithms {
  @JsonPropertyDescription("Encryption algorithm with key size, e.g. AES_CBC-256.")
  private String encryption;

  @JsonPropertyDescription("Integrity algorithm, e.g. HMAC_SHA2_256_128.")
  private String integrity;

  @JsonPropertyDescription("Pseudo-random function (IKE only), e.g. PRF_HMAC_SHA2_256.")
  private String prf;

  @JsonPropertyDescription("Diffie-Hellman group, e.g. MODP_2048 or CURVE_25519.")
  private String dhGroup;

  public String getEncryption() {
    return encryption;
  }

  public void setEncryption(String encryption) {
    this.encryption = encryption;
  }

  public String getIntegrity() {
    return integrity;
  }

  public void setIntegrity(String integrity) {
    this.integrity = integrity;
  }

  public String getPrf() {
    return prf;
  }

  public void setPrf(String prf) {
    this.prf = prf;
  }

  public String getDhGroup() {
    return dhGroup;
  }

  public void setDhGroup(String dhGroup) {
    this.dhGroup = dhGroup;
  }
}
