package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Status of an IkeGroup or EspGroup. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CryptoGroupStatus extends ResourceStatus {
  @JsonPropertyDescription(
      "The effective proposal string as strongSwan sees it, e.g. aes128-sha1-modp1024. For an"
          + " EspGroup with pfs enable the DH group comes from each peer's IKE group and is shown"
          + " as <ike-group>.")
  private String proposals;

  @JsonPropertyDescription("How many IpsecPeers use this group.")
  private Integer usedBy;

  public String getProposals() {
    return proposals;
  }

  public void setProposals(String proposals) {
    this.proposals = proposals;
  }

  public Integer getUsedBy() {
    return usedBy;
  }

  public void setUsedBy(Integer usedBy) {
    this.usedBy = usedBy;
  }
}
