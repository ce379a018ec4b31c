package dev.ipsec.operator.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Computes what the kubelet would put into a ConfigMap, Secret or projected volume: every key (or
 * only the listed items, at their paths) of the referenced objects. A missing object fails the
 * volume unless the source is optional, as in a real pod.
 */
public final class VolumeProjections {
  private VolumeProjections() {}

  /** The volume's files, or empty when it is not a ConfigMap, Secret or projected volume. */
  public static Optional<Map<String, byte[]>> payload(
      Volume volume, Function<String, ConfigMap> configMaps, Function<String, Secret> secrets) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    if (volume.getConfigMap() != null) {
      var source = volume.getConfigMap();
      addConfigMap(
          files,
          configMaps.apply(source.getName()),
          source.getName(),
          source.getItems(),
          Boolean.TRUE.equals(source.getOptional()));
    } else if (volume.getSecret() != null) {
      var source = volume.getSecret();
      addSecret(
          files,
          secrets.apply(source.getSecretName()),
          source.getSecretName(),
          source.getItems(),
          Boolean.TRUE.equals(source.getOptional()));
    } else if (volume.getProjected() != null) {
      for (VolumeProjection projection : volume.getProjected().getSources()) {
        if (projection.getConfigMap() != null) {
          var source = projection.getConfigMap();
          addConfigMap(
              files,
              configMaps.apply(source.getName()),
              source.getName(),
              source.getItems(),
              Boolean.TRUE.equals(source.getOptional()));
        } else if (projection.getSecret() != null) {
          var source = projection.getSecret();
          addSecret(
              files,
              secrets.apply(source.getName()),
              source.getName(),
              source.getItems(),
              Boolean.TRUE.equals(source.getOptional()));
        }
      }
    } else {
      return Optional.empty();
    }
    return Optional.of(files);
  }

  private static void addConfigMap(
      Map<String, byte[]> files,
      ConfigMap configMap,
      String name,
      List<KeyToPath> items,
      boolean optional) {
    if (configMap == null) {
      requireOptional(optional, "ConfigMap", name);
      return;
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (configMap.getData() != null) {
      configMap.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (configMap.getBinaryData() != null) {
      configMap.getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    project(files, data, items, "ConfigMap " + name);
  }

  private static void addSecret(
      Map<String, byte[]> files,
      Secret secret,
      String name,
      List<KeyToPath> items,
      boolean optional) {
    if (secret == null) {
      requireOptional(optional, "Secret", name);
      return;
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    project(files, data, items, "Secret " + name);
  }

  private static void project(
      Map<String, byte[]> files, Map<String, byte[]> data, List<KeyToPath> items, String what) {
    if (items == null || items.isEmpty()) {
      files.putAll(data);
      return;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        throw new MissingVolumeSourceException(what + " has no key " + item.getKey());
      }
      files.put(item.getPath(), value);
    }
  }

  private static void requireOptional(boolean optional, String kind, String name) {
    if (!optional) {
      throw new MissingVolumeSourceException(kind + " " + name + " not found");
    }
  }

  /** A volume source the pod needs does not exist (yet): the kubelet would keep the pod waiting. */
  public static final class MissingVolumeSourceException extends RuntimeException {
    MissingVolumeSourceException(String message) {
      super(message);
    }
  }
}
