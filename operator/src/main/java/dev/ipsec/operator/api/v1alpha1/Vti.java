package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Route-based VPN through a VTI (XFRM) interface: VyOS {@code site-to-site peer <name> vti}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Vti {
  @Required
  @Pattern(Patterns.VTI_INTERFACE)
  @JsonPropertyDescription("The VTI interface (VyOS `bind`), vtiN; its XFRM interface id is N+1.")
  private String bind;

  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription(
      "EspGroup of the VTI child (VyOS `esp-group`). Default: the peer's defaultEspGroup.")
  private String espGroup;

  public String getBind() {
    return bind;
  }

  public void setBind(String bind) {
    this.bind = bind;
  }

  public String getEspGroup() {
    return espGroup;
  }

  public void setEspGroup(String espGroup) {
    this.espGroup = espGroup;
  }
}
