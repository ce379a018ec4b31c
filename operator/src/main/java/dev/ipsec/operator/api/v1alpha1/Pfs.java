package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.OptionalInt;

/**
 * Perfect forward secrecy of an ESP group: {@code enable} uses the DH group of the first proposal
 * of the peer's IKE group, {@code disable} adds no group, {@code dh-groupN} uses group N.
 */
public enum Pfs {
  @JsonProperty("enable")
  ENABLE,
  @JsonProperty("disable")
  DISABLE,
  @JsonProperty("dh-group1")
  DH_GROUP1,
  @JsonProperty("dh-group2")
  DH_GROUP2,
  @JsonProperty("dh-group5")
  DH_GROUP5,
  @JsonProperty("dh-group14")
  DH_GROUP14,
  @JsonProperty("dh-group15")
  DH_GROUP15,
  @JsonProperty("dh-group16")
  DH_GROUP16,
  @JsonProperty("dh-group17")
  DH_GROUP17,
  @JsonProperty("dh-group18")
  DH_GROUP18,
  @JsonProperty("dh-group19")
  DH_GROUP19,
  @JsonProperty("dh-group20")
  DH_GROUP20,
  @JsonProperty("dh-group21")
  DH_GROUP21,
  @JsonProperty("dh-group22")
  DH_GROUP22,
  @JsonProperty("dh-group23")
  DH_GROUP23,
  @JsonProperty("dh-group24")
  DH_GROUP24,
  @JsonProperty("dh-group25")
  DH_GROUP25,
  @JsonProperty("dh-group26")
  DH_GROUP26,
  @JsonProperty("dh-group27")
  DH_GROUP27,
  @JsonProperty("dh-group28")
  DH_GROUP28,
  @JsonProperty("dh-group29")
  DH_GROUP29,
  @JsonProperty("dh-group30")
  DH_GROUP30,
  @JsonProperty("dh-group31")
  DH_GROUP31,
  @JsonProperty("dh-group32")
  DH_GROUP32;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }

  /** The explicit DH group of a {@code dh-groupN} value; empty for enable and disable. */
  public OptionalInt explicitGroup() {
    String keyword = keyword();
    return keyword.startsWith("dh-group")
        ? OptionalInt.of(Integer.parseInt(keyword.substring("dh-group".length())))
        : OptionalInt.empty();
  }
}
