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

/** A remote site served by one gateway: its authentication, addresses and tunnels. */
@JsonClassDescription(
    "A remote site, VyOS `vpn ipsec site-to-site peer <name>`: its authentication, addresses and"
        + " tunnels, served by the gateway of one IpsecGlobal. Its status reports the IKE and CHILD"
        + " SAs, dead-peer detection and rekeys.")
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
// the plural the CRD generator derives anyway, stated: fabric8 derives it again (Pluralize, a
// series of regular expressions) in the constructor of every instance, which at 10,000 peers was an
// eighth of the operator's CPU, since each object read from the API server is a new instance
@Plural("ipsecpeers")
@ShortNames("ipp")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Gateway",
    jsonPath = ".spec.gateway",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Remote",
    jsonPath = ".spec.remoteAddresses",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "State",
    jsonPath = ".status.ikeSa.state",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Tunnels",
    jsonPath = ".status.tunnelSummary",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Valid",
    jsonPath = ".status.conditions[?(@.type==\"Valid\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Loaded",
    jsonPath = ".status.conditions[?(@.type==\"ConfigLoaded\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Generation",
    jsonPath = ".metadata.generation",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Running",
    jsonPath = ".status.runningGeneration",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IpsecPeer extends CustomResource<IpsecPeerSpec, IpsecPeerStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription("The remote site: VyOS `vpn ipsec site-to-site peer <name>`.")
  public IpsecPeerSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Conditions and the SA state reported by the gateway.")
  public IpsecPeerStatus getStatus() {
    return super.getStatus();
  }
}
