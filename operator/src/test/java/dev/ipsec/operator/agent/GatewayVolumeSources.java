package dev.ipsec.operator.agent;

import dev.ipsec.operator.kubelet.ProjectedVolumeWriter;
import dev.ipsec.operator.kubelet.VolumeProjections;
import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.testing.TestManifests;
import dev.ipsec.operator.volume.ConfigShards;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * A gateway's configuration volume as its pod gets it: the objects the operator writes (root
 * ConfigMap and root Secret {@code gw-swanctl}, shards {@code gw-config-N} and {@code
 * gw-secrets-N}), each as the kubelet last fetched it, projected without {@code items} the way the
 * kubelet does ({@link VolumeProjections}: every key flat at the root, a later source winning a
 * name) and written with its atomic {@code ..data} swap ({@link ProjectedVolumeWriter}).
 *
 * <p>The kubelet refreshes each object on its own: {@link #set} changes one object, {@link
 * #project()} writes what the pod would see now, torn views included.
 */
final class GatewayVolumeSources {

  static final String ROOT = "gw-swanctl";

  /** One object's data, by key; a Secret's too (base64 only on the way to the API). */
  record Source(boolean secret, Map<String, byte[]> data) {
    Source {
      data = Map.copyOf(data);
    }
  }

  private final Map<String, Source> objects = new HashMap<>();
  private final ProjectedVolumeWriter writer;

  GatewayVolumeSources(Path dir) {
    this.writer = new ProjectedVolumeWriter(dir);
  }

  static String configShard(int index) {
    return "gw-config-" + index;
  }

  static String secretShard(int index) {
    return "gw-secrets-" + index;
  }

  /**
   * The objects the operator writes for one revision of {@code files} (logical path -> text):
   * swanctl.conf and the public root manifest in the root ConfigMap, the secret root manifest in
   * the root Secret, every other file in the shard {@code shardOf} names, of its kind, with that
   * shard's manifest ({@link TestManifests}). Shards that hold no file are absent.
   */
  static Map<String, Source> render(
      String revision, Map<String, String> files, ToIntFunction<String> shardOf) {
    Map<String, String> withManifests = TestManifests.withManifests(revision, files, shardOf);
    Map<String, Map<String, byte[]>> data = new TreeMap<>();
    withManifests.forEach(
        (path, text) -> {
          String object;
          if (path.equals(ConfigManifest.SECRET_FILE)) {
            object = "secret:" + ROOT;
          } else if (path.equals(ConfigManifest.PUBLIC_FILE) || path.equals("swanctl.conf")) {
            object = "config:" + ROOT;
          } else if (ConfigManifest.isNested(path)) {
            int shard =
                Integer.parseInt(
                    path.substring(path.lastIndexOf('-') + 1, path.length() - ".json".length()));
            object =
                ConfigManifest.nestedSide(path).orElseThrow() == ConfigManifest.Side.SECRET
                    ? "secret:" + secretShard(shard)
                    : "config:" + configShard(shard);
          } else if (TestManifests.isSecret(path)) {
            object = "secret:" + secretShard(shardOf.applyAsInt(path));
          } else {
            object = "config:" + configShard(shardOf.applyAsInt(path));
          }
          data.computeIfAbsent(object, o -> new TreeMap<>())
              .put(ConfigShards.key(path), text.getBytes(StandardCharsets.UTF_8));
        });
    Map<String, Source> sources = new HashMap<>();
    data.forEach(
        (object, content) -> {
          boolean secret = object.startsWith("secret:");
          sources.put(object, new Source(secret, content));
        });
    return sources;
  }

  /** The object named {@code key} ({@code config:<name>} or {@code secret:<name>}), or absent. */
  void set(String key, Source source) {
    if (source == null) {
      objects.remove(key);
    } else {
      objects.put(key, source);
    }
  }

  /** Every object as in {@code sources}: one revision, fully synced. */
  void setAll(Map<String, Source> sources) {
    objects.clear();
    objects.putAll(sources);
  }

  /** Writes what the pod sees now, in one {@code ..data} swap. */
  void project() {
    Map<String, byte[]> payload =
        VolumeProjections.payload(volume(), this::configMap, this::secret).orElseThrow();
    writer.write(payload);
  }

  /** The pod's volume: the root objects, then every possible shard, optional, without items. */
  private static Volume volume() {
    List<VolumeProjection> sources = new ArrayList<>();
    sources.add(
        new VolumeProjectionBuilder().withNewConfigMap().withName(ROOT).endConfigMap().build());
    sources.add(new VolumeProjectionBuilder().withNewSecret().withName(ROOT).endSecret().build());
    for (int i = 0; i < ConfigShards.MAX_SHARDS; i++) {
      sources.add(
          new VolumeProjectionBuilder()
              .withNewConfigMap()
              .withName(configShard(i))
              .withOptional(true)
              .endConfigMap()
              .build());
    }
    for (int i = 0; i < ConfigShards.MAX_SHARDS; i++) {
      sources.add(
          new VolumeProjectionBuilder()
              .withNewSecret()
              .withName(secretShard(i))
              .withOptional(true)
              .endSecret()
              .build());
    }
    return new VolumeBuilder()
        .withName("swanctl")
        .withNewProjected()
        .withSources(sources)
        .endProjected()
        .build();
  }

  private ConfigMap configMap(String name) {
    Source source = objects.get("config:" + name);
    if (source == null) {
      return null;
    }
    Map<String, String> data = new TreeMap<>();
    source.data().forEach((k, v) -> data.put(k, new String(v, StandardCharsets.UTF_8)));
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(data)
        .build();
  }

  private Secret secret(String name) {
    Source source = objects.get("secret:" + name);
    if (source == null) {
      return null;
    }
    Map<String, String> data = new TreeMap<>();
    source.data().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v)));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(data)
        .build();
  }
}
