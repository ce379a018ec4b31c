package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the gateway pods run: image, placement, resources and exposure. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayWorkload {
  @Default("1")
  @Min(0)
  @Max(1)
  @JsonPropertyDescription(
      "Number of gateway pods: 1, or 0 to stop the gateway. Default 1. More is refused until an"
          + " active/standby mode exists: every pod would initiate the same tunnels.")
  private Integer replicas;

  @JsonPropertyDescription(
      "strongSwan (charon) image. Default: the operator's configured image. Another one must be"
          + " allowed by the operator's gateway policy.")
  private String image;

  @JsonPropertyDescription(
      "Agent sidecar image. Default: the operator's own image. Another one must be allowed by the"
          + " operator's gateway policy.")
  private String agentImage;

  @JsonPropertyDescription("Image pull policy for both containers: Always, IfNotPresent or Never.")
  private String imagePullPolicy;

  @JsonPropertyDescription(
      "Run the pods in the node's network namespace, where the operator's gateway policy allows"
          + " it (off by default).")
  private Boolean hostNetwork;

  @JsonPropertyDescription(
      "Use user-space ESP (charon's kernel-libipsec over /dev/net/tun) for nodes without kernel"
          + " ESP/XFRM support, where the operator's gateway policy allows it.")
  private Boolean userSpaceEsp;

  @JsonPropertyDescription("Node selector for the gateway pods.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Tolerations for the gateway pods, where the operator's gateway policy allows them (off by"
          + " default).")
  private List<GatewayToleration> tolerations = new ArrayList<>();

  // Kept as plain JSON: the core types' schema would add 20 KB of undocumented fields to the CRD,
  // and a typed field that does not bind would stop the whole IpsecGlobal from being read. The
  // operator binds them itself and names the field that does not (GatewayPlacement).
  @JsonPropertyDescription(
      "Affinity of the gateway pods, as a Pod's affinity (nodeAffinity, podAffinity,"
          + " podAntiAffinity). Default: the operator's configured affinity.")
  private PreservedObject affinity;

  @JsonPropertyDescription(
      "Topology spread constraints of the gateway pods, as a Pod's topologySpreadConstraints."
          + " Default: the operator's configured constraints.")
  private List<PreservedObject> topologySpreadConstraints;

  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription(
      "PriorityClass of the gateway pods. Default: the operator's configured one. Another one must"
          + " be allowed by the operator's gateway policy.")
  private String priorityClassName;

  @JsonPropertyDescription(
      "Names of Secrets in the gateway's namespace to pull the gateway images with. Default: the"
          + " operator's configured ones.")
  private List<@Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$") String> imagePullSecrets;

  @JsonPropertyDescription("Resources of the charon container.")
  private ContainerResources resources;

  @JsonPropertyDescription("Resources of the agent container.")
  private ContainerResources agentResources;

  @JsonPropertyDescription("An optional Service for UDP 500 and 4500; absent means no Service.")
  private GatewayService service;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getAgentImage() {
    return agentImage;
  }

  public void setAgentImage(String agentImage) {
    this.agentImage = agentImage;
  }

  public String getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(String imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public Boolean getHostNetwork() {
    return hostNetwork;
  }

  public void setHostNetwork(Boolean hostNetwork) {
    this.hostNetwork = hostNetwork;
  }

  public Boolean getUserSpaceEsp() {
    return userSpaceEsp;
  }

  public void setUserSpaceEsp(Boolean userSpaceEsp) {
    this.userSpaceEsp = userSpaceEsp;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<GatewayToleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<GatewayToleration> tolerations) {
    this.tolerations = tolerations;
  }

  public PreservedObject getAffinity() {
    return affinity;
  }

  public void setAffinity(PreservedObject affinity) {
    this.affinity = affinity;
  }

  public List<PreservedObject> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(List<PreservedObject> topologySpreadConstraints) {
    this.topologySpreadConstraints = topologySpreadConstraints;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public List<String> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<String> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public ContainerResources getResources() {
    return resources;
  }

  public void setResources(ContainerResources resources) {
    this.resources = resources;
  }

  public ContainerResources getAgentResources() {
    return agentResources;
  }

  public void setAgentResources(ContainerResources agentResources) {
    this.agentResources = agentResources;
  }

  public GatewayService getService() {
    return service;
  }

  public void setService(GatewayService service) {
    this.service = service;
  }
}
