package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One gateway: VyOS's global {@code vpn ipsec} settings plus the pods that run it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IpsecGlobalSpec {
  @Size(max = 32)
  @JsonPropertyDescription(
      "Interfaces charon uses for IKE (VyOS `interface`; charon interfaces_use). Unset uses all.")
  private List<@Pattern(Patterns.INTERFACE) String> interfaces = new ArrayList<>();

  @JsonPropertyDescription("Global charon options (VyOS `options`).")
  private GlobalOptions options;

  @JsonPropertyDescription("charon logging (VyOS `log`).")
  private LogSettings log;

  @JsonPropertyDescription("The gateway pods: replicas, images, placement, resources, Service.")
  private GatewayWorkload gateway;

  public GlobalOptions getOptions() {
    return options;
  }

  public void setOptions(GlobalOptions options) {
    this.options = options;
  }

  public LogSettings getLog() {
    return log;
  }

  public void setLog(LogSettings log) {
    this.log = log;
  }

  public GatewayWorkload getGateway() {
    return gateway;
  }

  public void setGateway(GatewayWorkload gateway) {
    this.gateway = gateway;
  }

  public List<String> getInterfaces() {
    return interfaces;
  }

  public void setInterfaces(List<String> interfaces) {
    this.interfaces = interfaces;
  }
}
