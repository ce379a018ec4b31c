package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One tunnel's CHILD SA as the gateway reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChildSaStatus {
  @JsonPropertyDescription("CHILD SA name: <peer>-tunnel-<id> or <peer>-vti.")
  private String name;

  @JsonPropertyDescription(
      "CHILD SA state: INSTALLED, ROUTED, REKEYING, ... or DOWN when there is none.")
  private String state;

  @JsonPropertyDescription("Mode: TUNNEL, TRANSPORT, ...")
  private String mode;

  @JsonPropertyDescription("Whether ESP is UDP-encapsulated (NAT traversal).")
  private Boolean encapsulation;

  @JsonPropertyDescription("Negotiated ESP algorithms.")
  private Algorithms algorithms;

  @JsonPropertyDescription(
      "Negotiated local traffic selectors, e.g. 198.51.100.0/25 or 198.51.100.0/25[tcp/443].")
  private List<String> localTrafficSelectors;

  @JsonPropertyDescription("Negotiated remote traffic selectors.")
  private List<String> remoteTrafficSelectors;

  @JsonPropertyDescription("When the CHILD SA was installed (RFC 3339).")
  private String installedAt;

  @JsonPropertyDescription("When the CHILD SA is next rekeyed (RFC 3339).")
  private String nextRekeyAt;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public Boolean getEncapsulation() {
    return encapsulation;
  }

  public void setEncapsulation(Boolean encapsulation) {
    this.encapsulation = encapsulation;
  }

  public Algorithms getAlgorithms() {
    return algorithms;
  }

  public void setAlgorithms(Algorithms algorithms) {
    this.algorithms = algorithms;
  }

  public String getInstalledAt() {
    return installedAt;
  }

  public void setInstalledAt(String installedAt) {
    this.installedAt = installedAt;
  }

  public String getNextRekeyAt() {
    return nextRekeyAt;
  }

  public void setNextRekeyAt(String nextRekeyAt) {
    this.nextRekeyAt = nextRekeyAt;
  }

  public List<String> getLocalTrafficSelectors() {
    return localTrafficSelectors;
  }

  public void setLocalTrafficSelectors(List<String> localTrafficSelectors) {
    this.localTrafficSelectors = localTrafficSelectors;
  }

  public List<String> getRemoteTrafficSelectors() {
    return remoteTrafficSelectors;
  }

  public void setRemoteTrafficSelectors(List<String> remoteTrafficSelectors) {
    this.remoteTrafficSelectors = remoteTrafficSelectors;
  }
}
