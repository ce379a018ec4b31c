package dev.ipsec.operator.reconcile.gateway;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * Where gateway pods run and what they pull with, when their IpsecGlobal does not say: the chart's
 * {@code gateway.*} values, passed as one JSON document ({@code run --gateway-pod-defaults}). Each
 * field applies on its own: an IpsecGlobal that sets its tolerations still gets the default
 * affinity. These come from whoever installs the operator, so the gateway policy does not judge
 * them; it judges only what an IpsecGlobal sets itself.
 *
 * @param imagePullSecrets names of Secrets in each gateway's namespace
 * @param nodeSelector the pods' node selector
 * @param tolerations the pods' tolerations
 * @param affinity the pods' affinity, null for none
 * @param topologySpreadConstraints the pods' topology spread constraints
 * @param priorityClassName the pods' PriorityClass, null for the cluster's default
 */
public record GatewayPodDefaults(
    List<String> imagePullSecrets,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    Affinity affinity,
    List<TopologySpreadConstraint> topologySpreadConstraints,
    String priorityClassName) {

  @JsonCreator
  public GatewayPodDefaults(
      @JsonProperty("imagePullSecrets") List<String> imagePullSecrets,
      @JsonProperty("nodeSelector") Map<String, String> nodeSelector,
      @JsonProperty("tolerations") List<Toleration> tolerations,
      @JsonProperty("affinity") Affinity affinity,
      @JsonProperty("topologySpreadConstraints")
          List<TopologySpreadConstraint> topologySpreadConstraints,
      @JsonProperty("priorityClassName") String priorityClassName) {
    // copyOf refuses null names and values: the binding reports them as wrong types
    this.imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
    this.nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    this.tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    // the chart's "affinity: {}" means none, not an empty affinity in every pod template
    this.affinity = new Affinity().equals(affinity) ? null : affinity;
    this.topologySpreadConstraints =
        topologySpreadConstraints == null ? List.of() : List.copyOf(topologySpreadConstraints);
    this.priorityClassName =
        priorityClassName == null || priorityClassName.isEmpty() ? null : priorityClassName;
  }

  /** Nothing: the pods go wherever the scheduler puts them, as before these defaults existed. */
  public static GatewayPodDefaults none() {
    return new GatewayPodDefaults(null, null, null, null, null, null);
  }

  /**
   * The defaults from their JSON form, the chart's {@code gateway} values without the image.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public static GatewayPodDefaults fromJson(String json) {
    if (json == null || json.isBlank()) {
      return none();
    }
    try {
      GatewayPodDefaults d = GatewayPlacement.STRICT.readValue(json, GatewayPodDefaults.class);
      return d == null ? none() : d;
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException(
          "--gateway-pod-defaults: "
              + path(e)
              + (e instanceof UnrecognizedPropertyException
                  ? " is not a field of imagePullSecrets, nodeSelector, tolerations, affinity,"
                      + " topologySpreadConstraints and priorityClassName as a Pod has them"
                  : " does not have the type it has in a Pod"),
          e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "--gateway-pod-defaults is not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** Where in the JSON binding stopped: {@code tolerations[0].keyy}. */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(GatewayPolicy.quoteless(r.getFieldName()));
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? "the value" : b.toString();
  }
}
