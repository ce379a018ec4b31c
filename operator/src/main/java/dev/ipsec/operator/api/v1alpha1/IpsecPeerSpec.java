package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** A remote site: VyOS {@code vpn ipsec site-to-site peer <name>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.tunnels) && size(self.tunnels) > 0) || has(self.vti)",
    message = "no VTI or tunnel specified: set tunnels or vti",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "has(self.localAddress) || has(self.dhcpInterface)",
    message = "missing localAddress or dhcpInterface",
    fieldPath = ".localAddress",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.vti) || !(has(self.localAddress) && has(self.dhcpInterface))",
    message = "a single localAddress or dhcpInterface is required when using vti",
    fieldPath = ".vti",
    reason = "FieldValueInvalid")
public class IpsecPeerSpec {
  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("The IpsecGlobal (gateway) in this namespace that serves this peer.")
  private String gateway;

  @Size(max = 256)
  @JsonPropertyDescription("Free-form description (VyOS `description`); not rendered.")
  private String description;

  @JsonPropertyDescription("Leave the peer out of the gateway configuration (VyOS `disable`).")
  private Boolean disable;

  @Required
  @JsonPropertyDescription("How the peers authenticate each other (VyOS `authentication`).")
  private PeerAuthentication authentication;

  @Required
  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription("The IkeGroup for this peer (VyOS `ike-group`).")
  private String ikeGroup;

  @Pattern(Patterns.OBJECT_NAME)
  @JsonPropertyDescription(
      "The EspGroup for tunnels and the VTI that do not name one (VyOS `default-esp-group`).")
  private String defaultEspGroup;

  @JsonPropertyDescription(
      "Who starts the connection (VyOS `connection-type`): initiate, respond or none. Unset behaves"
          + " like initiate.")
  private ConnectionType connectionType;

  @Pattern(Patterns.LOCAL_ADDRESS)
  @JsonPropertyDescription(
      "Local IP address of the tunnel endpoint, or any (VyOS `local-address`).")
  private String localAddress;

  @Pattern(Patterns.INTERFACE)
  @JsonPropertyDescription(
      "Take the local address from this interface of the gateway pod (VyOS `dhcp-interface`).")
  private String dhcpInterface;

  @Size(max = 16)
  @JsonPropertyDescription(
      "Remote IP addresses or host names of the peer, or any (VyOS `remote-address`). Unset means"
          + " any, which cannot initiate.")
  private List<@Pattern(Patterns.REMOTE_ADDRESS) String> remoteAddresses = new ArrayList<>();

  @JsonPropertyDescription("Force UDP encapsulation of ESP (VyOS `force-udp-encapsulation`).")
  private Boolean forceUdpEncapsulation;

  @JsonPropertyDescription(
      "Re-authentication on IKE renewal (VyOS `ikev2-reauth`): yes, no or inherit.")
  private Ikev2Reauth ikev2Reauth;

  @Default("32")
  @Min(0)
  @Max(2040)
  @JsonPropertyDescription(
      "IPsec replay window in packets (VyOS `replay-window`, 0-2040; 0 disables). Default 32.")
  private Integer replayWindow;

  @Size(max = 8)
  @JsonPropertyDescription(
      "Virtual IP addresses to request from the peer (VyOS `virtual-address`).")
  private List<@Pattern(Patterns.IP_ADDRESS) String> virtualAddresses = new ArrayList<>();

  @Size(max = 256)
  @JsonPropertyDescription("Policy-based tunnels (VyOS `tunnel <n>`).")
  private List<Tunnel> tunnels = new ArrayList<>();

  @JsonPropertyDescription("Route-based VPN through a VTI interface (VyOS `vti`).")
  private Vti vti;

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public Boolean getDisable() {
    return disable;
  }

  public void setDisable(Boolean disable) {
    this.disable = disable;
  }

  public PeerAuthentication getAuthentication() {
    return authentication;
  }

  public void setAuthentication(PeerAuthentication authentication) {
    this.authentication = authentication;
  }

  public String getIkeGroup() {
    return ikeGroup;
  }

  public void setIkeGroup(String ikeGroup) {
    this.ikeGroup = ikeGroup;
  }

  public String getDefaultEspGroup() {
    return defaultEspGroup;
  }

  public void setDefaultEspGroup(String defaultEspGroup) {
    this.defaultEspGroup = defaultEspGroup;
  }

  public ConnectionType getConnectionType() {
    return connectionType;
  }

  public void setConnectionType(ConnectionType connectionType) {
    this.connectionType = connectionType;
  }

  public String getLocalAddress() {
    return localAddress;
  }

  public void setLocalAddress(String localAddress) {
    this.localAddress = localAddress;
  }

  public String getDhcpInterface() {
    return dhcpInterface;
  }

  public void setDhcpInterface(String dhcpInterface) {
    this.dhcpInterface = dhcpInterface;
  }

  public Boolean getForceUdpEncapsulation() {
    return forceUdpEncapsulation;
  }

  public void setForceUdpEncapsulation(Boolean forceUdpEncapsulation) {
    this.forceUdpEncapsulation = forceUdpEncapsulation;
  }

  public Ikev2Reauth getIkev2Reauth() {
    return ikev2Reauth;
  }

  public void setIkev2Reauth(Ikev2Reauth ikev2Reauth) {
    this.ikev2Reauth = ikev2Reauth;
  }

  public Integer getReplayWindow() {
    return replayWindow;
  }

  public void setReplayWindow(Integer replayWindow) {
    this.replayWindow = replayWindow;
  }

  public List<Tunnel> getTunnels() {
    return tunnels;
  }

  public void setTunnels(List<Tunnel> tunnels) {
    this.tunnels = tunnels;
  }

  public Vti getVti() {
    return vti;
  }

  public void setVti(Vti vti) {
    this.vti = vti;
  }

  public List<String> getRemoteAddresses() {
    return remoteAddresses;
  }

  public void setRemoteAddresses(List<String> remoteAddresses) {
    this.remoteAddresses = remoteAddresses;
  }

  public List<String> getVirtualAddresses() {
    return virtualAddresses;
  }

  public void setVirtualAddresses(List<String> virtualAddresses) {
    this.virtualAddresses = virtualAddresses;
  }
}
