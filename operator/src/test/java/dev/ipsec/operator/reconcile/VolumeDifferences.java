package dev.ipsec.operator.reconcile;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Says how two snapshots of a namespace's ConfigMaps and Secrets differ, key by key, so that a test
 * which finds an object rewritten can tell why: the first differing line of each changed ConfigMap
 * key, and for a Secret only which keys changed and their lengths (a test's fake key material stays
 * out of the report all the same).
 */
final class VolumeDifferences {

  private VolumeDifferences() {}

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
