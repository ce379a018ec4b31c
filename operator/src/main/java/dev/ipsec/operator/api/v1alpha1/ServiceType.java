package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kubernetes Service type for the gateway. */
public enum ServiceType {
  @JsonProperty("ClusterIP")
  CLUSTERIP,
  @JsonProperty("NodePort")
  NODEPORT,
  @JsonProperty("LoadBalancer")
  LOADBALANCER;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
