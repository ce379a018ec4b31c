package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;

/** CPU and memory of a gateway container, as in a Pod's {@code resources}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerResources {
  @JsonPropertyDescription("Minimum resources, e.g. cpu: 100m, memory: 64Mi.")
  private Map<String, Quantity> requests = new LinkedHashMap<>();

  @JsonPropertyDescription("Maximum resources, e.g. memory: 256Mi.")
  private Map<String, Quantity> limits = new LinkedHashMap<>();

  public Map<String, Quantity> getRequests() {
    return requests;
  }

  public void setRequests(Map<String, Quantity> requests) {
    this.requests = requests;
  }

  public Map<String, Quantity> getLimits() {
    return limits;
  }

  public void setLimits(Map<String, Quantity> limits) {
    this.limits = limits;
  }
}
