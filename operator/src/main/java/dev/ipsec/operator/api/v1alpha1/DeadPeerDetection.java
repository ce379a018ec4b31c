package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Dead-peer detection of an IKE group. As in VyOS, the defaults apply only when the object is
 * present: without it no DPD is configured at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeadPeerDetection {
  @Default("clear")
  @JsonPropertyDescription(
      "Action when the peer is declared dead: trap (install trap policies), clear (close the SAs)"
          + " or restart (re-establish at once). The legacy keyword hold means trap. Default"
          + " clear.")
  private DpdAction action;

  @Default("30")
  @Min(2)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds without traffic before a DPD request is sent (2-86400). Default 30.")
  private Integer interval;

  @Default("120")
  @Min(2)
  @Max(86400)
  @JsonPropertyDescription(
      "Seconds to wait for a DPD answer (2-86400; IKEv1 only, IKEv2 uses the retransmit settings)."
          + " Default 120.")
  private Integer timeout;

  public DeadPeerDetection() {}

  public DeadPeerDetection(DpdAction action, Integer interval, Integer timeout) {
    this.action = action;
    this.interval = interval;
    this.timeout = timeout;
  }

  public DpdAction getAction() {
    return action;
  }

  public void setAction(DpdAction action) {
    this.action = action;
  }

  public Integer getInterval() {
    return interval;
  }

  public void setInterval(Integer interval) {
    this.interval = interval;
  }

  public Integer getTimeout() {
    return timeout;
  }

  public void setTimeout(Integer timeout) {
    this.timeout = timeout;
  }
}
