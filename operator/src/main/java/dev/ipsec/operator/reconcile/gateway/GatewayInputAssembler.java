package dev.ipsec.operator.reconcile.gateway;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
import dev.ipsec.operator.reconcile.peer.CachedReferences;
import dev.ipsec.operator.reconcile.peer.PeerReferences;
import dev.ipsec.operator.render.GatewayInput;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Gathers what one gateway's rendering needs from the caches: its peers, the groups and Secrets
 * they name. Also fingerprints the referenced objects (name and resourceVersion), which with the
 * rendered files gives the configuration revision without hashing any secret value.
 */
public final class GatewayInputAssembler {

  /** The renderer's input and the fingerprint of everything referenced. */
  public record Assembled(GatewayInput input, SortedMap<String, String> referenceVersions) {}

  private final Function<String, Optional<IkeGroup>> ikeGroups;
  private final Function<String, Optional<EspGroup>> espGroups;
  private final Function<String, Optional<Secret>> secrets;
  private final Function<String, Optional<ConfigMap>> configMaps;

  public GatewayInputAssembler(
      Function<String, Optional<IkeGroup>> ikeGroups,
      Function<String, Optional<EspGroup>> espGroups,
      Function<String, Optional<Secret>> secrets,
      Function<String, Optional<ConfigMap>> configMaps) {
    this.ikeGroups = ikeGroups;
    this.espGroups = espGroups;
    this.secrets = secrets;
    this.configMaps = configMaps;
  }

  public Assembled assemble(IpsecGlobal gateway, List<IpsecPeer> peers) {
    Map<String, IkeGroup> ike = new TreeMap<>();
    Map<String, EspGroup> esp = new TreeMap<>();
    SortedMap<String, String> versions = new TreeMap<>();
    Map<String, Secret> secretsByName = new TreeMap<>();
    Map<String, ConfigMap> configMapsByName = new TreeMap<>();
    for (IpsecPeer peer : peers) {
      PeerReferences refs = PeerReferences.of(peer);
      refs.ikeGroup().ifPresent(n -> ikeGroups.apply(n).ifPresent(g -> ike.put(n, g)));
      refs.espGroups().forEach(n -> espGroups.apply(n).ifPresent(g -> esp.put(n, g)));
      refs.secrets().forEach(n -> secrets.apply(n).ifPresent(s -> secretsByName.put(n, s)));
      refs.configMaps()
          .forEach(n -> configMaps.apply(n).ifPresent(c -> configMapsByName.put(n, c)));
    }
    secretsByName
        .values()
        .forEach(s -> versions.put("Secret/" + s.getMetadata().getName(), version(s)));
    configMapsByName
        .values()
        .forEach(c -> versions.put("ConfigMap/" + c.getMetadata().getName(), version(c)));
    CachedReferences references =
        new CachedReferences(
            n -> Optional.ofNullable(secretsByName.get(n)),
            n -> Optional.ofNullable(configMapsByName.get(n)));
    return new Assembled(new GatewayInput(gateway, peers, ike, esp, references), versions);
  }

  private static String version(HasMetadata r) {
    return r.getMetadata().getUid() + "@" + r.getMetadata().getResourceVersion();
  }
}
