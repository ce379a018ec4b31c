package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The peer's IKE SA as the gateway reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IkeSaStatus {
  @JsonPropertyDescription(
      "IKE SA state: ESTABLISHED, CONNECTING, REKEYING, DELETING, ... or DOWN when there is none.")
  private String state;

  @JsonPropertyDescription("IKE version in use: 1 or 2.")
  private Integer version;

  @JsonPropertyDescription("Local address of the IKE SA.")
  private String localHost;

  @JsonPropertyDescription("Local identity.")
  private String localId;

  @JsonPropertyDescription("Remote address of the IKE SA.")
  private String remoteHost;

  @JsonPropertyDescription("Remote identity.")
  private String remoteId;

  @JsonPropertyDescription("Negotiated IKE algorithms.")
  private Algorithms algorithms;

  @JsonPropertyDescription("When the IKE SA was established (RFC 3339).")
  private String establishedAt;

  @JsonPropertyDescription("When the IKE SA is next rekeyed (RFC 3339).")
  private String nextRekeyAt;

  @JsonPropertyDescription("When the IKE SA is next re-authenticated (RFC 3339).")
  private String nextReauthAt;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Integer getVersion() {
    return version;
  }

  public void setVersion(Integer version) {
    this.version = version;
  }

  public String getLocalHost() {
    return localHost;
  }

  public void setLocalHost(String localHost) {
    this.localHost = localHost;
  }

  public String getLocalId() {
    return localId;
  }

  public void setLocalId(String localId) {
    this.localId = localId;
  }

  public String getRemoteHost() {
    return remoteHost;
  }

  public void setRemoteHost(String remoteHost) {
    this.remoteHost = remoteHost;
  }

  public String getRemoteId() {
    return remoteId;
  }

  public void setRemoteId(String remoteId) {
    this.remoteId = remoteId;
  }

  public Algorithms getAlgorithms() {
    return algorithms;
  }

  public void setAlgorithms(Algorithms algorithms) {
    this.algorithms = algorithms;
  }

  public String getEstablishedAt() {
    return establishedAt;
  }

  public void setEstablishedAt(String establishedAt) {
    this.establishedAt = establishedAt;
  }

  public String getNextRekeyAt() {
    return nextRekeyAt;
  }

  public void setNextRekeyAt(String nextRekeyAt) {
    this.nextRekeyAt = nextRekeyAt;
  }

  public String getNextReauthAt() {
    return nextReauthAt;
  }

  public void setNextReauthAt(String nextReauthAt) {
    this.nextReauthAt = nextReauthAt;
  }
}
