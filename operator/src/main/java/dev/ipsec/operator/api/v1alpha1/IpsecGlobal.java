package dev.ipsec.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One IPsec gateway: global strongSwan options and the pods that run charon and the agent. */
@JsonClassDescription(
    "One IPsec gateway: VyOS's global `vpn ipsec` options, and the pods (charon and the agent) that"
        + " run the IpsecPeers naming it.")
// a PreservedObject's fields are free-form: no schema of their own
@SchemaSwap(originalType = PreservedObject.class, fieldName = "fields")
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
// the plural the CRD generator derives anyway, stated: fabric8 derives it again (Pluralize, a
// series of regular expressions) in the constructor of every instance, which at 10,000 peers was an
// eighth of the operator's CPU, since each object read from the API server is a new instance
@Plural("ipsecglobals")
@ShortNames("ipg")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Pods",
    jsonPath = ".status.readyPods",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Peers",
    jsonPath = ".status.peerSummary",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Valid",
    jsonPath = ".status.conditions[?(@.type==\"Valid\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IpsecGlobal extends CustomResource<IpsecGlobalSpec, IpsecGlobalStatus>
    implements Namespaced {

  @Override
  @JsonPropertyDescription("The gateway: VyOS's global `vpn ipsec` settings and its pods.")
  public IpsecGlobalSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("Gateway pods and peer totals.")
  public IpsecGlobalStatus getStatus() {
    return super.getStatus();
  }
}
