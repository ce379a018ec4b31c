package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One gateway pod as its agent reports it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayPodStatus {
  @JsonPropertyDescription("Pod name.")
  private String name;

  @JsonPropertyDescription("Whether charon is up and the current configuration is loaded.")
  private Boolean ready;

  @JsonPropertyDescription("strongSwan version reported by charon.")
  private String strongswanVersion;

  @JsonPropertyDescription("The configuration revision the agent has loaded.")
  private String configRevision;

  @JsonPropertyDescription("Connections loaded into charon.")
  private Integer connectionsLoaded;

  @JsonPropertyDescription("Connections or files charon or the agent rejected, with the reason.")
  private List<String> loadErrors = new ArrayList<>();

  @JsonPropertyDescription(
      "A newer configuration revision the agent does not load yet, because its volume lacks files"
          + " of it or holds files that do not match its manifest; the previous revision stays"
          + " loaded.")
  private ConfigPendingStatus pending;

  @JsonPropertyDescription(
      "Files in the pod's configuration volume that no manifest lists (left from an old revision,"
          + " or from an object that is not the operator's); never loaded.")
  private List<String> ignoredFiles = new ArrayList<>();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public String getStrongswanVersion() {
    return strongswanVersion;
  }

  public void setStrongswanVersion(String strongswanVersion) {
    this.strongswanVersion = strongswanVersion;
  }

  public String getConfigRevision() {
    return configRevision;
  }

  public void setConfigRevision(String configRevision) {
    this.configRevision = configRevision;
  }

  public Integer getConnectionsLoaded() {
    return connectionsLoaded;
  }

  public void setConnectionsLoaded(Integer connectionsLoaded) {
    this.connectionsLoaded = connectionsLoaded;
  }

  public List<String> getLoadErrors() {
    return loadErrors;
  }

  public void setLoadErrors(List<String> loadErrors) {
    this.loadErrors = loadErrors;
  }

  public ConfigPendingStatus getPending() {
    return pending;
  }

  public void setPending(ConfigPendingStatus pending) {
    this.pending = pending;
  }

  public List<String> getIgnoredFiles() {
    return ignoredFiles;
  }

  public void setIgnoredFiles(List<String> ignoredFiles) {
    this.ignoredFiles = ignoredFiles;
  }
}
