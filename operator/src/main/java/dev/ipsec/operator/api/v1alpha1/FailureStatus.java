package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last failure seen for a peer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailureStatus {
  @JsonPropertyDescription(
      "Machine-readable reason: AuthenticationFailed, NoProposalChosen, PeerNotResponding, ...")
  private String reason;

  @JsonPropertyDescription("What charon said.")
  private String message;

  @JsonPropertyDescription("When it happened (RFC 3339).")
  private String at;

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getAt() {
    return at;
  }

  public void setAt(String at) {
    this.at = at;
  }
}
