package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A toleration of the gateway pods, as in a Pod's {@code tolerations}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GatewayToleration {
  @JsonPropertyDescription("Taint key to tolerate; empty with operator Exists tolerates all.")
  private String key;

  @JsonPropertyDescription("Exists or Equal (default Equal).")
  private String operator;

  @JsonPropertyDescription("Taint value to match with operator Equal.")
  private String value;

  @JsonPropertyDescription("Taint effect to match: NoSchedule, PreferNoSchedule or NoExecute.")
  private String effect;

  @JsonPropertyDescription("For NoExecute: seconds the pod stays bound after the taint appears.")
  private Long tolerationSeconds;

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getOperator() {
    return operator;
  }

  public void setOperator(String operator) {
    this.operator = operator;
  }

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public String getEffect() {
    return effect;
  }

  public void setEffect(String effect) {
    this.effect = effect;
  }

  public Long getTolerationSeconds() {
    return tolerationSeconds;
  }

  public void setTolerationSeconds(Long tolerationSeconds) {
    this.tolerationSeconds = tolerationSeconds;
  }
}
