package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A charon log subsystem. */
public enum LogSubsystem {
  @JsonProperty("dmn")
  DMN,
  @JsonProperty("mgr")
  MGR,
  @JsonProperty("ike")
  IKE,
  @JsonProperty("chd")
  CHD,
  @JsonProperty("job")
  JOB,
  @JsonProperty("cfg")
  CFG,
  @JsonProperty("knl")
  KNL,
  @JsonProperty("net")
  NET,
  @JsonProperty("asn")
  ASN,
  @JsonProperty("enc")
  ENC,
  @JsonProperty("lib")
  LIB,
  @JsonProperty("esp")
  ESP,
  @JsonProperty("tls")
  TLS,
  @JsonProperty("tnc")
  TNC,
  @JsonProperty("imc")
  IMC,
  @JsonProperty("imv")
  IMV,
  @JsonProperty("pts")
  PTS,
  @JsonProperty("any")
  ANY;

  /** The keyword as written in YAML and in the CRD enum. */
  public String keyword() {
    return Keywords.of(this);
  }
}
