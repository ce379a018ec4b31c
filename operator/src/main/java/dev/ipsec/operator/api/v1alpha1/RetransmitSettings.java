package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * charon's global retransmission schedule (not a VyOS option): timeout_n = timeout * base^n. It
 * also decides how fast IKEv2 dead-peer detection gives up (about 165 s with the defaults).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetransmitSettings {
  @Min(0.1)
  @Max(600)
  @JsonPropertyDescription("Seconds before the first retransmit (charon retransmit_timeout, 4.0).")
  private Double timeout;

  @Min(0)
  @Max(20)
  @JsonPropertyDescription("Retransmits before giving up (charon retransmit_tries, 5).")
  private Integer tries;

  @Min(1)
  @Max(10)
  @JsonPropertyDescription("Exponential backoff base (charon retransmit_base, 1.8).")
  private Double base;

  public Double getTimeout() {
    return timeout;
  }

  public void setTimeout(Double timeout) {
    this.timeout = timeout;
  }

  public Integer getTries() {
    return tries;
  }

  public void setTries(Integer tries) {
    this.tries = tries;
  }

  public Double getBase() {
    return base;
  }

  public void setBase(Double base) {
    this.base = base;
  }
}
