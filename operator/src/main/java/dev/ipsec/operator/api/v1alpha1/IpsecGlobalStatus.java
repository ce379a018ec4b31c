package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Status of a gateway: its pods and its peers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IpsecGlobalStatus extends ResourceStatus {
  @JsonPropertyDescription("One entry per gateway pod.")
  private List<GatewayPodStatus> pods = new ArrayList<>();

  @JsonPropertyDescription("Ready pods / desired pods, e.g. 1/1.")
  private String readyPods;

  @JsonPropertyDescription("Peer totals.")
  private PeerTotals peers;

  @JsonPropertyDescription("Established peers / configured peers, e.g. 3/4.")
  private String peerSummary;

  public List<GatewayPodStatus> getPods() {
    return pods;
  }

  public void setPods(List<GatewayPodStatus> pods) {
    this.pods = pods;
  }

  public String getReadyPods() {
    return readyPods;
  }

  public void setReadyPods(String readyPods) {
    this.readyPods = readyPods;
  }

  public PeerTotals getPeers() {
    return peers;
  }

  public void setPeers(PeerTotals peers) {
    this.peers = peers;
  }

  public String getPeerSummary() {
    return peerSummary;
  }

  public void setPeerSummary(String peerSummary) {
    this.peerSummary = peerSummary;
  }
}
