package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Integrity (hash) algorithm of a proposal. */
public enum Hash {
  @JsonProperty("md5")
  MD5,
  @JsonProperty("md5_128")
  MD5_128,
  @JsonProperty("sha1")
  SHA1,
  @JsonProperty("sha1_160")
  SHA1_160,
  @JsonProperty("sha256")
  SHA256,
  @JsonProperty("sha256_96")
  SHA256_96,
  @JsonProperty("sha384")
  SHA384,
  @JsonProperty("sha512")
  SHA512,
  @JsonProperty("aesxcbc")
  AESXCBC,
  @JsonProperty("aescmac")
  AESCMAC,
  @JsonProperty("aes128gmac")
  AES128GMAC,
  @JsonProperty("aes192gmac")
  AES192GMAC,
  @JsonProperty("aes256gmac")
  AES256GMAC;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
