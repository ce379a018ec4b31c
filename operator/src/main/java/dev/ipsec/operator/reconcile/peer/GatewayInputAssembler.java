package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.api.v1alpha1.EspGroup;
import dev.ipsec.operator.api.v1alpha1.IkeGroup;
import dev.ipsec.operator.api.v1alpha1.IpsecGlobal;
import dev.ipsec.operator.api.v1alpha1.IpsecPeer;
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
 *
 * <p>Each lookup finds an object of the gateway's namespace by name, empty when there is none.
 */
public record GatewayInputAssembler(
    Function<String, Optional<IkeGroup>> ikeGroups,
    Function<String, Optional<EspGroup>> espGroups,
    Function<String, Optional<Secret>> secrets,
    Function<String, Optional<ConfigMap>> configMaps) {

  /**
   * The renderer's input and the fingerprints of everything referenced.
   *
   * @param referenceVersions {@code Kind/name} -> {@code uid@resourceVersion}, for the revision
   * @param referenceContents {@code Kind/name} -> {@link ReferencedContent}, for what is reused
   *     while the content a peer reads is unchanged
   */
  public record Assembled(
      GatewayInput input,
      SortedMap<String, String> referenceVersions,
      SortedMap<String, String> referenceContents) {}

  public Assembled assemble(IpsecGlobal gateway, List<IpsecPeer> peers) {
    Map<String, IkeGroup> ike = new TreeMap<>();
    Map<String, EspGroup> esp = new TreeMap<>();
    for (IpsecPeer peer : peers) {
      PeerReferences refs = PeerReferences.of(peer);
      refs.ikeGroup().ifPresent(n -> ikeGroups.apply(n).ifPresent(g -> ike.put(n, g)));
      refs.espGroups().forEach(n -> espGroups.apply(n).ifPresent(g -> esp.put(n, g)));
    }
    Referenced referenced = Referenced.by(peers, secrets, configMaps);
    CachedReferences references =
        new CachedReferences(
            n -> Optional.ofNullable(referenced.secrets().get(n)),
            n -> Optional.ofNullable(referenced.configMaps().get(n)));
    return new Assembled(
        new GatewayInput(gateway, peers, ike, esp, references),
        referenced.versions(),
        referenced.contents());
  }

  /**
   * The fingerprints of the Secrets and ConfigMaps {@code peers} refer to, {@code Kind/name} ->
   * {@code uid@resourceVersion}, which the configuration revision is made of instead of secret
   * values. The operator looks them up in its caches; {@code render --volume-dir} in the files it
   * reads, so that resources exported with {@code kubectl get -o yaml} give the operator's
   * revision.
   */
  public static SortedMap<String, String> referenceVersions(
      List<IpsecPeer> peers,
      Function<String, Optional<Secret>> secrets,
      Function<String, Optional<ConfigMap>> configMaps) {
    return Referenced.by(peers, secrets, configMaps).versions();
  }

  /** The Secrets and ConfigMaps that exist among those the peers name, by name. */
  private record Referenced(Map<String, Secret> secrets, Map<String, ConfigMap> configMaps) {

    static Referenced by(
        List<IpsecPeer> peers,
        Function<String, Optional<Secret>> secrets,
        Function<String, Optional<ConfigMap>> configMaps) {
      Map<String, Secret> secretsByName = new TreeMap<>();
      Map<String, ConfigMap> configMapsByName = new TreeMap<>();
      for (IpsecPeer peer : peers) {
        PeerReferences refs = PeerReferences.of(peer);
        refs.secrets().forEach(n -> secrets.apply(n).ifPresent(s -> secretsByName.put(n, s)));
        refs.configMaps()
            .forEach(n -> configMaps.apply(n).ifPresent(c -> configMapsByName.put(n, c)));
      }
      return new Referenced(secretsByName, configMapsByName);
    }

    SortedMap<String, String> versions() {
      SortedMap<String, String> versions = new TreeMap<>();
      secrets
          .values()
          .forEach(s -> versions.put("Secret/" + s.getMetadata().getName(), version(s)));
      configMaps
          .values()
          .forEach(c -> versions.put("ConfigMap/" + c.getMetadata().getName(), version(c)));
      return versions;
    }

    SortedMap<String, String> contents() {
      SortedMap<String, String> contents = new TreeMap<>();
      secrets
          .values()
          .forEach(
              s -> contents.put("Secret/" + s.getMetadata().getName(), ReferencedContent.of(s)));
      configMaps
          .values()
          .forEach(
              c -> contents.put("ConfigMap/" + c.getMetadata().getName(), ReferencedContent.of(c)));
      return contents;
    }
  }

  /**
   * uid@resourceVersion of {@code r}: the version of an input by which the revision, a peer's
   * validation and a peer's rendering tell whether it changed.
   */
  static String version(HasMetadata r) {
    return r.getMetadata().getUid() + "@" + r.getMetadata().getResourceVersion();
  }
}
