package dev.ipsec.operator.render;

import java.util.Map;
import java.util.Optional;

/**
 * The Secret and ConfigMap contents the resources point to, already fetched by the caller (the
 * reconciler from the API server, the command line from YAML files). Keeps the renderer free of any
 * Kubernetes client.
 */
public interface ReferencedData {

  /** The bytes under {@code key} of the Secret {@code name}, empty if either is missing. */
  Optional<byte[]> secret(String name, String key);

  /** The text under {@code key} of the ConfigMap {@code name}, empty if either is missing. */
  Optional<String> configMap(String name, String key);

  /**
   * The uid of the Secret {@code name}, which a rendering records ({@link RenderedFrom}) so that
   * the deletion of that very object can be told from an edit; empty when unknown.
   */
  default Optional<String> secretUid(String name) {
    return Optional.empty();
  }

  /**
   * The version of the object {@code Kind/name} ({@code Secret/psk}, {@code ConfigMap/ca}): a key
   * that changes whenever what a rendering reads of it does (the operator's: its uid and a keyed
   * digest of its data, so that a change of its labels alone renders nothing again), {@link
   * #MISSING} when there is none; null when versions are not known (then renderings are not reused,
   * {@link GatewayRenderer#remembering}).
   */
  default String version(String kindAndName) {
    return null;
  }

  /** The version of an object that does not exist. */
  String MISSING = "missing";

  static ReferencedData none() {
    return of(Map.of(), Map.of());
  }

  static ReferencedData of(
      Map<String, Map<String, byte[]>> secrets, Map<String, Map<String, String>> configMaps) {
    return of(secrets, configMaps, Map.of());
  }

  /**
   * @param secretUids Secret name -> uid, where known
   */
  static ReferencedData of(
      Map<String, Map<String, byte[]>> secrets,
      Map<String, Map<String, String>> configMaps,
      Map<String, String> secretUids) {
    Map<String, Map<String, byte[]>> s = Map.copyOf(secrets);
    Map<String, Map<String, String>> c = Map.copyOf(configMaps);
    Map<String, String> uids = Map.copyOf(secretUids);
    return new ReferencedData() {
      @Override
      public Optional<String> secretUid(String name) {
        return Optional.ofNullable(uids.get(name));
      }

      @Override
      public Optional<byte[]> secret(String name, String key) {
        return Optional.ofNullable(s.get(name)).map(data -> data.get(key)).map(byte[]::clone);
      }

      @Override
      public Optional<String> configMap(String name, String key) {
        return Optional.ofNullable(c.get(name)).map(data -> data.get(key));
      }

      @Override
      public String toString() {
        // never the values: they are secret
        return "ReferencedData[secrets=" + s.keySet() + ", configMaps=" + c.keySet() + "]";
      }
    };
  }
}
