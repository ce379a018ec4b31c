package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What dead-peer detection has seen for a peer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadPeerDetectionStatus {
  @JsonPropertyDescription("Outcome of the last detection, e.g. PeerDead.")
  private String lastOutcome;

  @JsonPropertyDescription("When the peer was last declared dead (RFC 3339).")
  private String lastDetectedAt;

  @JsonPropertyDescription("Action charon took: restart, clear or trap.")
  private String actionTaken;

  @JsonPropertyDescription("How many times the peer was declared dead.")
  private Long count;

  @JsonPropertyDescription(
      "Since when the gateway counts dead-peer detections (RFC 3339): its agent's start. A"
          + " restarted agent counts from zero again, from a later time.")
  private String countingSince;

  public String getLastOutcome() {
    return lastOutcome;
  }

  public void setLastOutcome(String lastOutcome) {
    this.lastOutcome = lastOutcome;
  }

  public String getLastDetectedAt() {
    return lastDetectedAt;
  }

  public void setLastDetectedAt(String lastDetectedAt) {
    this.lastDetectedAt = lastDetectedAt;
  }

  public String getActionTaken() {
    return actionTaken;
  }

  public void setActionTaken(String actionTaken) {
    this.actionTaken = actionTaken;
  }

  public Long getCount() {
    return count;
  }

  public void setCount(Long count) {
    this.count = count;
  }

  public String getCountingSince() {
    return countingSince;
  }

  public void setCountingSince(String countingSince) {
    this.countingSince = countingSince;
  }
}
