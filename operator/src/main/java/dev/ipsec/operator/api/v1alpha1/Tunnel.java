package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A policy-based tunnel of a peer: VyOS {@code site-to-site peer <name> tunnel <n>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tunnel {
  @Required
  @Min(0)
  @Max(65535)
  @JsonPropertyDescription(
      "Tunnel number (VyOS `tunnel <n>`); the CHILD SA is named <peer>-tunnel-<id>.")
  private Integer id;

  @JsonPropertyDescription("Leave the tunnel out of the configuration (VyOS `disable`).")
  private Boolean disable;

  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription(
      "EspGroup for this tunnel (VyOS `esp-group`). Default: the peer's defaultEspGroup.")
  private String espGroup;

  @Pattern(Patterns.PROTOCOL)
  @JsonPropertyDescription("IP protocol (VyOS `protocol`) by name (tcp, udp, gre, ...) or number.")
  private String protocol;

  @JsonPropertyDescription("Local side of the traffic selector (VyOS `local`).")
  private TrafficSelector local;

  @JsonPropertyDescription("Remote side of the traffic selector (VyOS `remote`).")
  private TrafficSelector remote;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Policy priority (VyOS `priority`, 1-100; tunnel mode only).")
  private Integer priority;

  public Integer getId() {
    return id;
  }

  public void setId(Integer id) {
    this.id = id;
  }

  public Boolean getDisable() {
    return disable;
  }

  public void setDisable(Boolean disable) {
    this.disable = disable;
  }

  public String getEspGroup() {
    return espGroup;
  }

  public void setEspGroup(String espGroup) {
    this.espGroup = espGroup;
  }

  public String getProtocol() {
    return protocol;
  }

  public void setProtocol(String protocol) {
    this.protocol = protocol;
  }

  public TrafficSelector getLocal() {
    return local;
  }

  public void setLocal(TrafficSelector local) {
    this.local = local;
  }

  public TrafficSelector getRemote() {
    return remote;
  }

  public void setRemote(TrafficSelector remote) {
    this.remote = remote;
  }

  public Integer getPriority() {
    return priority;
  }

  public void setPriority(Integer priority) {
    this.priority = priority;
  }
}
