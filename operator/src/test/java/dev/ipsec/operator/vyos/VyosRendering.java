package dev.ipsec.operator.vyos;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.render.GatewayInput;
import dev.ipsec.operator.render.GatewayRenderer;
import dev.ipsec.operator.render.ReferencedData;
import dev.ipsec.operator.render.RenderedGateway;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders what an import made, with its Secrets as the referenced data. */
final class VyosRendering {

  private VyosRendering() {}

  static RenderedGateway render(VyosImportResult result) {
    Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    for (ImportedSecret secret : result.secrets()) {
      secrets.put(
          secret.name(),
          secret.data().entrySet().stream()
              .collect(
                  Collectors.toMap(
                      Map.Entry::getKey, e -> e.getValue().getBytes(StandardCharsets.UTF_8))));
    }
    Map<String, IkeGroup> ike =
        result.ikeGroups().stream()
            .collect(Collectors.toMap(g -> g.getMetadata().getName(), g -> g));
    Map<String, EspGroup> esp =
        result.espGroups().stream()
            .collect(Collectors.toMap(g -> g.getMetadata().getName(), g -> g));
    GatewayInput input =
        new GatewayInput(
            result.global(), result.peers(), ike, esp, ReferencedData.of(secrets, Map.of()));
    return new GatewayRenderer().render(input);
  }
}
