package dev.ipsec.operator.render;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one gateway's configuration depends on: the IpsecGlobal, the IpsecPeers that name it,
 * the IkeGroups and EspGroups of the namespace (by name; unknown names are errors of the peers that
 * use them) and the referenced Secret and ConfigMap data.
 */
public record GatewayInput(
    IpsecGlobal gateway,
    List<IpsecPeer> peers,
    Map<String, IkeGroup> ikeGroups,
    Map<String, EspGroup> espGroups,
    ReferencedData references) {

  public GatewayInput {
    Objects.requireNonNull(gateway, "gateway");
    peers = List.copyOf(peers);
    ikeGroups = Map.copyOf(ikeGroups);
    espGroups = Map.copyOf(espGroups);
    Objects.requireNonNull(references, "references");
  }
}
