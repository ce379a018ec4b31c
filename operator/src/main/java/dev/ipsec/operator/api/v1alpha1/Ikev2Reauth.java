package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Re-authenticate the IKE SA instead of rekeying it: yes, no, or inherit from the IKE group. */
public enum Ikev2Reauth {
  @JsonProperty("yes")
  YES,
  @JsonProperty("no")
  NO,
  @JsonProperty("inherit")
  INHERIT;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
