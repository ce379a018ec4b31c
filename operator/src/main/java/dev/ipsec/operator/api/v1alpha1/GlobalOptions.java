package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Gateway-wide charon options: VyOS {@code vpn ipsec options}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GlobalOptions {
  @JsonPropertyDescription(
      "Do not install routes for tunnels (VyOS `disable-route-autoinstall`; charon install_routes ="
          + " no).")
  private Boolean disableRouteAutoinstall;

  @JsonPropertyDescription(
      "Send the Cisco FlexVPN vendor id (VyOS `flexvpn`; charon cisco_flexvpn).")
  private Boolean flexvpn;

  @JsonPropertyDescription("Install virtual IPs received from peers (VyOS `virtual-ip`).")
  private Boolean virtualIp;

  @Pattern(Patterns.INTERFACE)
  @JsonPropertyDescription(
      "Interface to install virtual IPs on (VyOS `options interface`; charon"
          + " install_virtual_ip_on).")
  private String virtualIpInterface;

  @JsonPropertyDescription(
      "Retransmission schedule of charon (also sets the IKEv2 DPD detection time).")
  private RetransmitSettings retransmit;

  public Boolean getDisableRouteAutoinstall() {
    return disableRouteAutoinstall;
  }

  public void setDisableRouteAutoinstall(Boolean disableRouteAutoinstall) {
    this.disableRouteAutoinstall = disableRouteAutoinstall;
  }

  public Boolean getFlexvpn() {
    return flexvpn;
  }

  public void setFlexvpn(Boolean flexvpn) {
    this.flexvpn = flexvpn;
  }

  public Boolean getVirtualIp() {
    return virtualIp;
  }

  public void setVirtualIp(Boolean virtualIp) {
    this.virtualIp = virtualIp;
  }

  public String getVirtualIpInterface() {
    return virtualIpInterface;
  }

  public void setVirtualIpInterface(String virtualIpInterface) {
    this.virtualIpInterface = virtualIpInterface;
  }

  public RetransmitSettings getRetransmit() {
    return retransmit;
  }

  public void setRetransmit(RetransmitSettings retransmit) {
    this.retransmit = retransmit;
  }
}
