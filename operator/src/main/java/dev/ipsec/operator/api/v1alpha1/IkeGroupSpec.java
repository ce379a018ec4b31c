package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** IKE (phase 1) policy shared by peers: VyOS {@code vpn ipsec ike-group <name>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.mode) || self.mode != 'aggressive' || (has(self.keyExchange) && self.keyExchange"
            + " == 'ikev1')",
    message = "aggressive mode requires keyExchange ikev1",
    fieldPath = ".mode",
    reason = "FieldValueInvalid")
public class IkeGroupSpec {
  @JsonPropertyDescription(
      "IKE version (VyOS `key-exchange`): ikev1 or ikev2. Unset accepts both and initiates IKEv2.")
  private KeyExchange keyExchange;

  @Default("main")
  @JsonPropertyDescription(
      "IKEv1 mode (VyOS `mode`): main or aggressive (IKEv1 only). Default main.")
  private IkeMode mode;

  @Default("none")
  @JsonPropertyDescription(
      "Action when the peer closes a CHILD SA (VyOS `close-action`): none, trap or start. The"
          + " legacy keywords hold and restart mean trap and start. Default none.")
  private CloseAction closeAction;

  @JsonPropertyDescription(
      "Re-authenticate the IKE SA on renewal instead of rekeying it (VyOS `ikev2-reauth`).")
  private Boolean ikev2Reauth;

  @JsonPropertyDescription("Disable MOBIKE (VyOS `disable-mobike`). MOBIKE is on by default.")
  private Boolean disableMobike;

  @Default("28800")
  @Min(0)
  @Max(86400)
  @JsonPropertyDescription(
      "IKE SA lifetime in seconds before it is rekeyed (VyOS `lifetime`, 0-86400; 0 disables IKE"
          + " rekeying). Default 28800.")
  private Integer lifetime;

  @JsonPropertyDescription(
      "Dead-peer detection (VyOS `dead-peer-detection`). Absent means no DPD at all.")
  private DeadPeerDetection deadPeerDetection;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription(
      "IKE proposals in order of preference (VyOS `proposal <n>`, taken in ascending tag order).")
  private List<IkeProposal> proposals = new ArrayList<>();

  public KeyExchange getKeyExchange() {
    return keyExchange;
  }

  public void setKeyExchange(KeyExchange keyExchange) {
    this.keyExchange = keyExchange;
  }

  public IkeMode getMode() {
    return mode;
  }

  public void setMode(IkeMode mode) {
    this.mode = mode;
  }

  public CloseAction getCloseAction() {
    return closeAction;
  }

  public void setCloseAction(CloseAction closeAction) {
    this.closeAction = closeAction;
  }

  public Boolean getIkev2Reauth() {
    return ikev2Reauth;
  }

  public void setIkev2Reauth(Boolean ikev2Reauth) {
    this.ikev2Reauth = ikev2Reauth;
  }

  public Boolean getDisableMobike() {
    return disableMobike;
  }

  public void setDisableMobike(Boolean disableMobike) {
    this.disableMobike = disableMobike;
  }

  public Integer getLifetime() {
    return lifetime;
  }

  public void setLifetime(Integer lifetime) {
    this.lifetime = lifetime;
  }

  public DeadPeerDetection getDeadPeerDetection() {
    return deadPeerDetection;
  }

  public void setDeadPeerDetection(DeadPeerDetection deadPeerDetection) {
    this.deadPeerDetection = deadPeerDetection;
  }

  public List<IkeProposal> getProposals() {
    return proposals;
  }

  public void setProposals(List<IkeProposal> proposals) {
    this.proposals = proposals;
  }
}
