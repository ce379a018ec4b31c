package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the peers authenticate each other. */
public enum AuthenticationMode {
  @JsonProperty("pre-shared-secret")
  PRE_SHARED_SECRET,
  @JsonProperty("x509")
  X509,
  @JsonProperty("rsa")
  RSA;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
