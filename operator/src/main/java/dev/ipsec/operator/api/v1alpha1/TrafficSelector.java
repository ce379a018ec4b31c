package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One side of a tunnel: its prefixes and port (VyOS {@code tunnel <n> local|remote}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficSelector {
  @Size(max = 64)
  @JsonPropertyDescription(
      "Prefixes in CIDR notation (VyOS `prefix`), or any for 0.0.0.0/0 and ::/0. Unset lets"
          + " strongSwan use the tunnel endpoint address (dynamic). Not allowed in transport mode.")
  private List<@Pattern(Patterns.PREFIX) String> prefixes = new ArrayList<>();

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port (VyOS `port`, 1-65535).")
  private Integer port;

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public List<String> getPrefixes() {
    return prefixes;
  }

  public void setPrefixes(List<String> prefixes) {
    this.prefixes = prefixes;
  }
}
