package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** IKE version to use. Unset accepts both and initiates IKEv2. */
public enum KeyExchange {
  @JsonProperty("ikev1")
  IKEV1,
  @JsonProperty("ikev2")
  IKEV2;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
