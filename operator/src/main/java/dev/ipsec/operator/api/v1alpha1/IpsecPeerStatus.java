package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Status of an IpsecPeer: conditions Valid, ConfigLoaded, Established, TunnelsUp and Ready, and
 * what the gateway reports. Written on transitions only: counters and timers live in metrics, not
 * here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IpsecPeerStatus extends ResourceStatus {
  @JsonPropertyDescription(
      "The metadata.generation whose configuration the gateway's charon actually runs: the"
          + " generation of the peer's files in the configuration revision every gateway agent"
          + " reports loaded. Lower than metadata.generation while a newer spec is being loaded,"
          + " and for as long as a newer spec is invalid: the last valid configuration keeps"
          + " running (see the Valid condition). Absent when no configuration of the peer is"
          + " loaded; unchanged while the agents' revision is not known.")
  private Long runningGeneration;

  @JsonPropertyDescription("The IKE SA.")
  private IkeSaStatus ikeSa;

  @JsonPropertyDescription("One entry per enabled tunnel (or the VTI) with its CHILD SA.")
  private List<ChildSaStatus> tunnels = new ArrayList<>();

  @JsonPropertyDescription("Tunnels installed / tunnels configured, e.g. 2/2.")
  private String tunnelSummary;

  @JsonPropertyDescription("Dead-peer detection outcomes.")
  private DeadPeerDetectionStatus deadPeerDetection;

  @JsonPropertyDescription("Rekey counts and times.")
  private RekeyStatus rekeys;

  @JsonPropertyDescription(
      "The last failure (authentication, proposal mismatch, peer not responding).")
  private FailureStatus lastFailure;

  /** On a peer the generation its gateway runs, which kstatus and ArgoCD compare. */
  @Override
  @JsonPropertyDescription(
      "The metadata.generation whose configuration the gateway's agents have loaded, as"
          + " runningGeneration, once it is the spec's (ConfigLoaded True); lower while a newer"
          + " spec is not loaded yet (ConfigLoaded False, reason Progressing) or not known to be"
          + " (ConfigLoaded Unknown), 0 while none is. For an invalid spec, the generation the"
          + " operator has processed (the Valid condition says why it does not run).")
  public Long getObservedGeneration() {
    return super.getObservedGeneration();
  }

  public Long getRunningGeneration() {
    return runningGeneration;
  }

  public void setRunningGeneration(Long runningGeneration) {
    this.runningGeneration = runningGeneration;
  }

  public IkeSaStatus getIkeSa() {
    return ikeSa;
  }

  public void setIkeSa(IkeSaStatus ikeSa) {
    this.ikeSa = ikeSa;
  }

  public List<ChildSaStatus> getTunnels() {
    return tunnels;
  }

  public void setTunnels(List<ChildSaStatus> tunnels) {
    this.tunnels = tunnels;
  }

  public String getTunnelSummary() {
    return tunnelSummary;
  }

  public void setTunnelSummary(String tunnelSummary) {
    this.tunnelSummary = tunnelSummary;
  }

  public DeadPeerDetectionStatus getDeadPeerDetection() {
    return deadPeerDetection;
  }

  public void setDeadPeerDetection(DeadPeerDetectionStatus deadPeerDetection) {
    this.deadPeerDetection = deadPeerDetection;
  }

  public RekeyStatus getRekeys() {
    return rekeys;
  }

  public void setRekeys(RekeyStatus rekeys) {
    this.rekeys = rekeys;
  }

  public FailureStatus getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(FailureStatus lastFailure) {
    this.lastFailure = lastFailure;
  }
}
