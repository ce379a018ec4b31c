package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Rekey history of a peer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RekeyStatus {
  @JsonPropertyDescription("IKE SA rekeys seen by the gateway.")
  private Long ikeRekeys;

  @JsonPropertyDescription("CHILD SA rekeys seen by the gateway, over all tunnels.")
  private Long childRekeys;

  @JsonPropertyDescription("Time of the last IKE rekey (RFC 3339).")
  private String lastIkeRekeyAt;

  @JsonPropertyDescription("Time of the last CHILD rekey (RFC 3339).")
  private String lastChildRekeyAt;

  @JsonPropertyDescription(
      "Since when the gateway counts rekeys (RFC 3339): its agent's start. A restarted agent counts"
          + " from zero again, from a later time.")
  private String countingSince;

  public Long getIkeRekeys() {
    return ikeRekeys;
  }

  public void setIkeRekeys(Long ikeRekeys) {
    this.ikeRekeys = ikeRekeys;
  }

  public Long getChildRekeys() {
    return childRekeys;
  }

  public void setChildRekeys(Long childRekeys) {
    this.childRekeys = childRekeys;
  }

  public String getLastIkeRekeyAt() {
    return lastIkeRekeyAt;
  }

  public void setLastIkeRekeyAt(String lastIkeRekeyAt) {
    this.lastIkeRekeyAt = lastIkeRekeyAt;
  }

  public String getLastChildRekeyAt() {
    return lastChildRekeyAt;
  }

  public void setLastChildRekeyAt(String lastChildRekeyAt) {
    this.lastChildRekeyAt = lastChildRekeyAt;
  }

  public String getCountingSince() {
    return countingSince;
  }

  public void setCountingSince(String countingSince) {
    this.countingSince = countingSince;
  }
}
