package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.LinkedHashMap;
import java.util.Map;

/** An optional Service in front of the gateway pods for IKE (UDP 500) and NAT-T (UDP 4500). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayService {
  @Default("ClusterIP")
  @JsonPropertyDescription("Service type: ClusterIP, NodePort or LoadBalancer. Default ClusterIP.")
  private ServiceType type;

  @JsonPropertyDescription("Annotations for the Service, e.g. for a cloud load balancer.")
  private Map<String, String> annotations = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "externalTrafficPolicy for NodePort and LoadBalancer: Cluster or Local (keeps the client"
          + " address, which IKE needs behind NAT).")
  private String externalTrafficPolicy;

  public ServiceType getType() {
    return type;
  }

  public void setType(ServiceType type) {
    this.type = type;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public String getExternalTrafficPolicy() {
    return externalTrafficPolicy;
  }

  public void setExternalTrafficPolicy(String externalTrafficPolicy) {
    this.externalTrafficPolicy = externalTrafficPolicy;
  }
}
