package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** ESP (phase 2) crypto policy that IpsecPeer tunnels reference by name. */
@JsonClassDescription(
    "ESP (phase 2) crypto policy, VyOS `vpn ipsec esp-group <name>`: proposals, PFS, mode and"
        + " lifetimes. IpsecPeers and their tunnels refer to it by name.")
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
// the plural the CRD generator derives anyway, stated: fabric8 derives it again (Pluralize, a
// series of regular expressions) in the constructor of every instance, which at 10,000 peers was an
// eighth of the operator's CPU, since each object read from the API server is a new instance
@Plural("espgroups")
@ShortNames("esp")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Valid",
    jsonPath = ".status.conditions[?(@.type==\"Valid\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Used-By",
    jsonPath = ".status.usedBy",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Proposals",
    jsonPath = ".status.proposals",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class EspGroup extends CustomResource<EspGroupSpec, CryptoGroupStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription("The ESP policy: VyOS `vpn ipsec esp-group <name>`.")
  public EspGroupSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator observed: effective proposals and usage.")
  public CryptoGroupStatus getStatus() {
    return super.getStatus();
  }
}
