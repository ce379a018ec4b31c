package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** ESP (phase 2) policy shared by tunnels: VyOS {@code vpn ipsec esp-group <name>}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EspGroupSpec {
  @Default("tunnel")
  @JsonPropertyDescription("ESP mode (VyOS `mode`): tunnel or transport. Default tunnel.")
  private EspMode mode;

  @Default("enable")
  @JsonPropertyDescription(
      "Perfect forward secrecy (VyOS `pfs`): enable (the DH group of the first proposal of the"
          + " peer's IKE group), disable, or dh-groupN. Default enable.")
  private Pfs pfs;

  @Default("3600")
  @Min(30)
  @Max(86400)
  @JsonPropertyDescription(
      "CHILD SA lifetime in seconds (VyOS `lifetime`, 30-86400). Rendered as both rekey_time and"
          + " life_time. Default 3600.")
  private Integer lifetime;

  @Min(1024)
  @Max(26843545600000d)
  @JsonPropertyDescription("CHILD SA lifetime in bytes (VyOS `life-bytes`, 1024-26843545600000).")
  private Long lifeBytes;

  @Min(1000)
  @Max(26843545600000d)
  @JsonPropertyDescription(
      "CHILD SA lifetime in packets (VyOS `life-packets`, 1000-26843545600000).")
  private Long lifePackets;

  @JsonPropertyDescription("Enable IPComp compression (VyOS `compression`).")
  private Boolean compression;

  @JsonPropertyDescription(
      "Never rekey the CHILD SA; it expires at its hard lifetime (VyOS `disable-rekey`).")
  private Boolean disableRekey;

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription(
      "ESP proposals in order of preference (VyOS `proposal <n>`, taken in ascending tag order).")
  private List<EspProposal> proposals = new ArrayList<>();

  public EspMode getMode() {
    return mode;
  }

  public void setMode(EspMode mode) {
    this.mode = mode;
  }

  public Pfs getPfs() {
    return pfs;
  }

  public void setPfs(Pfs pfs) {
    this.pfs = pfs;
  }

  public Integer getLifetime() {
    return lifetime;
  }

  public void setLifetime(Integer lifetime) {
    this.lifetime = lifetime;
  }

  public Long getLifeBytes() {
    return lifeBytes;
  }

  public void setLifeBytes(Long lifeBytes) {
    this.lifeBytes = lifeBytes;
  }

  public Long getLifePackets() {
    return lifePackets;
  }

  public void setLifePackets(Long lifePackets) {
    this.lifePackets = lifePackets;
  }

  public Boolean getCompression() {
    return compression;
  }

  public void setCompression(Boolean compression) {
    this.compression = compression;
  }

  public Boolean getDisableRekey() {
    return disableRekey;
  }

  public void setDisableRekey(Boolean disableRekey) {
    this.disableRekey = disableRekey;
  }

  public List<EspProposal> getProposals() {
    return proposals;
  }

  public void setProposals(List<EspProposal> proposals) {
    this.proposals = proposals;
  }
}
