package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** charon logging: VyOS {@code vpn ipsec log}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LogSettings {
  @Default("0")
  @Min(0)
  @Max(2)
  @JsonPropertyDescription("Log level 0-2 (VyOS `log level`). Default 0.")
  private Integer level;

  @Size(max = 18)
  @JsonPropertyDescription(
      "Subsystems logged at that level (VyOS `log subsystem`); others stay at the default.")
  private List<LogSubsystem> subsystems = new ArrayList<>();

  public Integer getLevel() {
    return level;
  }

  public void setLevel(Integer level) {
    this.level = level;
  }

  public List<LogSubsystem> getSubsystems() {
    return subsystems;
  }

  public void setSubsystems(List<LogSubsystem> subsystems) {
    this.subsystems = subsystems;
  }
}
