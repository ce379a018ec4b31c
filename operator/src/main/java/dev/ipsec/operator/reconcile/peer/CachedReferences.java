package dev.ipsec.operator.reconcile.peer;

import dev.ipsec.operator.render.ReferencedData;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * The renderer's view of referenced Secrets and ConfigMaps, read from the informer caches (never
 * mutated). Never prints values.
 */
public final class CachedReferences implements ReferencedData {

  private final Function<String, Optional<Secret>> secrets;
  private final Function<String, Optional<ConfigMap>> configMaps;

  public CachedReferences(
      Function<String, Optional<Secret>> secrets,
      Function<String, Optional<ConfigMap>> configMaps) {
    this.secrets = secrets;
    this.configMaps = configMaps;
  }

  @Override
  public Optional<byte[]> secret(String name, String key) {
    return secrets
        .apply(name)
        .flatMap(
            s -> {
              if (s.getData() != null && s.getData().get(key) != null) {
                return Optional.of(Base64.getDecoder().decode(s.getData().get(key)));
              }
              if (s.getStringData() != null && s.getStringData().get(key) != null) {
                return Optional.of(s.getStringData().get(key).getBytes(StandardCharsets.UTF_8));
              }
              return Optional.empty();
            });
  }

  @Override
  public Optional<String> secretUid(String name) {
    return secrets.apply(name).map(s -> s.getMetadata().getUid());
  }

  @Override
  public Optional<String> configMap(String name, String key) {
    return configMaps
        .apply(name)
        .flatMap(c -> Optional.ofNullable(c.getData() == null ? null : c.getData().get(key)));
  }

  /**
   * The content of the cached object as its peers read it ({@link ReferencedContent}: a label or
   * another change of metadata alone renders nothing again), {@link #MISSING} when there is none.
   */
  @Override
  public String version(String kindAndName) {
    int slash = kindAndName.indexOf('/');
    String kind = kindAndName.substring(0, slash);
    String name = kindAndName.substring(slash + 1);
    Optional<? extends HasMetadata> object =
        switch (kind) {
          case "Secret" -> secrets.apply(name);
          case "ConfigMap" -> configMaps.apply(name);
          default -> Optional.empty();
        };
    return object.map(ReferencedContent::of).orElse(MISSING);
  }

  @Override
  public String toString() {
    return "CachedReferences";
  }
}
