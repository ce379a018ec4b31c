package dev.ipsec.operator.reconcile.ownership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Whether a live owned object still holds what the operator wrote, on content rather than on the
 * desired-hash annotation (which an edit can leave alone): the labels, annotations and controller
 * reference the operator sets; for ConfigMaps and Secrets their data exactly (an added key is
 * drift); for every other kind every field of the desired object, and nothing more than the fields
 * the server fills in ({@link ServerDefaults}).
 *
 * <p>ConfigMaps and Secrets compare their maps directly, without a JSON tree: shards of up to 900
 * KiB are checked on every reconcile, and a map comparison costs less than the desired-hash the
 * operator computes anyway.
 */
public final class ResourceDrift {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ResourceDrift() {}

  /**
   * The paths at which {@code live} departs from {@code desired} (key names at most, never values);
   * empty when nothing has to be written.
   */
  public static List<String> between(HasMetadata desired, HasMetadata live) {
    List<String> paths = new ArrayList<>(metadata(desired.getMetadata(), live.getMetadata()));
    if (desired instanceof ConfigMap d && live instanceof ConfigMap l) {
      paths.addAll(maps("data", d.getData(), l.getData()));
      paths.addAll(maps("binaryData", d.getBinaryData(), l.getBinaryData()));
      if (!Objects.equals(isTrue(d.getImmutable()), isTrue(l.getImmutable()))) {
        paths.add("immutable");
      }
    } else if (desired instanceof Secret d && live instanceof Secret l) {
      paths.addAll(maps("data", d.getData(), l.getData()));
      if (!Objects.equals(d.getType(), l.getType())) {
        paths.add("type");
      }
      if (!Objects.equals(isTrue(d.getImmutable()), isTrue(l.getImmutable()))) {
        paths.add("immutable");
      }
    } else {
      paths.addAll(
          ObjectDiff.between(
              withoutMetadata(desired),
              withoutMetadata(live),
              ServerDefaults.of(desired.getKind())));
    }
    return paths;
  }

  /** The labels, annotations and owner references the operator sets; others may add their own. */
  private static List<String> metadata(ObjectMeta desired, ObjectMeta live) {
    List<String> paths = new ArrayList<>();
    subset("metadata.labels", desired.getLabels(), live.getLabels(), paths);
    subset("metadata.annotations", desired.getAnnotations(), live.getAnnotations(), paths);
    List<OwnerReference> owners =
        live.getOwnerReferences() == null ? List.of() : live.getOwnerReferences();
    if (desired.getOwnerReferences() != null
        && !desired.getOwnerReferences().stream()
            .allMatch(want -> owners.stream().anyMatch(have -> sameOwner(want, have)))) {
      paths.add("metadata.ownerReferences");
    }
    return paths;
  }

  private static void subset(
      String at, Map<String, String> desired, Map<String, String> live, List<String> paths) {
    if (desired == null) {
      return;
    }
    desired.forEach(
        (key, value) -> {
          if (live == null || !value.equals(live.get(key))) {
            paths.add(at + "." + key);
          }
        });
  }

  private static boolean sameOwner(OwnerReference want, OwnerReference have) {
    return Objects.equals(want.getUid(), have.getUid())
        && Objects.equals(want.getKind(), have.getKind())
        && Objects.equals(want.getName(), have.getName())
        && Objects.equals(isTrue(want.getController()), isTrue(have.getController()));
  }

  /** Exact equality of two maps (null as empty), naming the keys that differ when they do. */
  private static List<String> maps(
      String at, Map<String, String> desired, Map<String, String> live) {
    Map<String, String> want = desired == null ? Map.of() : desired;
    Map<String, String> have = live == null ? Map.of() : live;
    if (want.equals(have)) {
      return List.of();
    }
    TreeSet<String> keys = new TreeSet<>(want.keySet());
    keys.addAll(have.keySet());
    keys.removeIf(k -> Objects.equals(want.get(k), have.get(k)));
    return keys.stream().map(k -> at + "." + k).toList();
  }

  private static JsonNode withoutMetadata(HasMetadata resource) {
    ObjectNode tree = JSON.convertValue(resource, ObjectNode.class);
    tree.remove(List.of("metadata", "status", "apiVersion", "kind"));
    return tree;
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}
