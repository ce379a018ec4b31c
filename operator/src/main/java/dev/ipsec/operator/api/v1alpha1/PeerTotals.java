package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many peers a gateway serves and how many are up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PeerTotals {
  @JsonPropertyDescription("Enabled, valid peers rendered into the gateway configuration.")
  private Integer configured;

  @JsonPropertyDescription("Peers whose IKE SA is established.")
  private Integer established;

  public Integer getConfigured() {
    return configured;
  }

  public void setConfigured(Integer configured) {
    this.configured = configured;
  }

  public Integer getEstablished() {
    return established;
  }

  public void setEstablished(Integer established) {
    this.established = established;
  }
}
