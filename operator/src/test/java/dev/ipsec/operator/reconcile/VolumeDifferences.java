package dev.ipsec.operator.reconcile;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Says how two snapshots of a namespace's ConfigMaps and Secrets differ, key by key, so that a test
 * which finds an object rewritten can tell why: the first differing line of each changed ConfigMap
 * key, and for a Secret only which keys changed and their lengths (a test's fake key material stays
 * out of the report all the same).
 *
 * <p>{@link #objects} says the same of every object of a namespace whose resourceVersion moved
 * between two snapshots: which one (kind/name) and what of it changed (labels, annotations,
 * finalizers, ownerReferences, spec, status, data), an object created or deleted (an Event with its
 * reason, object and message), or that nothing but the resourceVersion did.
 */
final class VolumeDifferences {

  /** How much of one changed value is shown. */
  private static final int VALUE_SHOWN = 240;

  /** How many changed fields of one object are listed. */
  private static final int FIELDS_SHOWN = 12;

  /** Not compared: what moves with every write. */
  private static final Set<String> METADATA_IGNORED = Set.of("resourceVersion", "managedFields");

  private VolumeDifferences() {}

  /**
   * Every object, by {@code Kind/name}, whose resourceVersion differs between {@code before} and
   * {@code after} (each object as its JSON tree), and what changed in it.
   */
  static String objects(
      Map<String, Map<String, Object>> before, Map<String, Map<String, Object>> after) {
    List<String> out = new ArrayList<>();
    var names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      Map<String, Object> was = before.get(name);
      Map<String, Object> is = after.get(name);
      if (was == null || is == null) {
        out.add(name + (was == null ? " created" : " deleted") + described(was == null ? is : was));
        continue;
      }
      if (Objects.equals(resourceVersion(was), resourceVersion(is))) {
        continue;
      }
      List<String> changes = new ArrayList<>();
      fields(name.startsWith("Secret/"), "", withoutVolatile(was), withoutVolatile(is), changes);
      out.add(
          name
              + " resourceVersion "
              + resourceVersion(was)
              + " -> "
              + resourceVersion(is)
              + ": "
              + (changes.isEmpty()
                  ? "nothing else changed"
                  : String.join("; ", changes.subList(0, Math.min(changes.size(), FIELDS_SHOWN)))
                      + (changes.size() > FIELDS_SHOWN
                          ? "; and " + (changes.size() - FIELDS_SHOWN) + " more"
                          : "")));
    }
    return out.isEmpty() ? "no object changed" : String.join("\n", out);
  }

  /** An Event's reason, object and message: what tells who made it. */
  private static String described(Map<String, Object> object) {
    if (!"Event".equals(object.get("kind"))) {
      return "";
    }
    Object involved = object.get("involvedObject");
    String target =
        involved instanceof Map<?, ?> m ? m.get("kind") + "/" + m.get("name") : "an unknown object";
    return ": "
        + object.get("type")
        + " "
        + object.get("reason")
        + " about "
        + target
        + ": "
        + shown(object.get("message"));
  }

  private static Object resourceVersion(Map<String, Object> object) {
    return object.get("metadata") instanceof Map<?, ?> m ? m.get("resourceVersion") : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutVolatile(Map<String, Object> object) {
    Map<String, Object> copy = new java.util.TreeMap<>(object);
    if (copy.get("metadata") instanceof Map<?, ?> m) {
      Map<String, Object> metadata = new java.util.TreeMap<>((Map<String, Object>) m);
      METADATA_IGNORED.forEach(metadata::remove);
      copy.put("metadata", metadata);
    }
    return copy;
  }

  /**
   * The paths at which two trees differ, each with both values; below a Secret's {@code data} or
   * {@code stringData} only the lengths.
   */
  @SuppressWarnings("unchecked")
  private static void fields(boolean secret, String path, Object was, Object is, List<String> out) {
    if (Objects.equals(was, is)) {
      return;
    }
    if (secret && (path.equals("data") || path.equals("stringData"))) {
      Map<String, Object> a = was instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      Map<String, Object> b = is instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      var keys = new TreeSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (String key : keys) {
        if (!Objects.equals(a.get(key), b.get(key))) {
          out.add(path + "." + key + ": " + sizeOf(a.get(key)) + " -> " + sizeOf(b.get(key)));
        }
      }
      return;
    }
    if (was instanceof Map<?, ?> a && is instanceof Map<?, ?> b) {
      Set<Object> keys = new LinkedHashSet<>(new TreeSet<>(a.keySet()));
      keys.addAll(new TreeSet<>(b.keySet()));
      for (Object key : keys) {
        fields(
            secret,
            path.isEmpty() ? key.toString() : path + "." + key,
            a.get(key),
            b.get(key),
            out);
      }
      return;
    }
    if (path.startsWith("data.") && was instanceof String a && is instanceof String b) {
      out.add(path + ": " + firstDifference(a, b));
      return;
    }
    out.add(path + ": " + shown(was) + " -> " + shown(is));
  }

  private static String sizeOf(Object value) {
    return value == null ? "absent" : value.toString().length() + " characters";
  }

  private static String shown(Object value) {
    String text = String.valueOf(value);
    return text.length() > VALUE_SHOWN ? text.substring(0, VALUE_SHOWN) + "..." : text;
  }

  static String between(
      Map<String, Map<String, String>> before, Map<String, Map<String, String>> after) {
    List<String> out = new ArrayList<>();
    var objects = new TreeSet<>(before.keySet());
    objects.addAll(after.keySet());
    for (String object : objects) {
      Map<String, String> a = before.getOrDefault(object, Map.of());
      Map<String, String> b = after.getOrDefault(object, Map.of());
      if (!before.containsKey(object) || !after.containsKey(object)) {
        out.add(object + (before.containsKey(object) ? " deleted" : " created"));
        continue;
      }
      var keys = new TreeSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (String key : keys) {
        String was = a.get(key);
        String is = b.get(key);
        if (Objects.equals(was, is)) {
          continue;
        }
        if (object.startsWith("Secret/")) {
          out.add(object + " " + key + ": " + length(was) + " -> " + length(is) + " bytes");
        } else {
          out.add(object + " " + key + ": " + firstDifference(was, is));
        }
      }
    }
    return out.isEmpty() ? "no data changed" : String.join("\n", out);
  }

  private static String length(String base64) {
    return base64 == null ? "absent" : String.valueOf(Base64.getDecoder().decode(base64).length);
  }

  private static String firstDifference(String was, String is) {
    if (was == null || is == null) {
      return was == null ? "added" : "removed";
    }
    String[] a = was.split("\n", -1);
    String[] b = is.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end>";
      String y = i < b.length ? b[i] : "<end>";
      if (!x.equals(y)) {
        return "line " + (i + 1) + ": '" + x + "' -> '" + y + "'";
      }
    }
    return "same lines";
  }
}
