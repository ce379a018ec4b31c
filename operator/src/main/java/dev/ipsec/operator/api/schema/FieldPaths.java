package dev.ipsec.operator.api.schema;

/** Field paths in the form users read in errors: {@code spec.tunnels[1].remote.prefixes[0]}. */
public final class FieldPaths {
  private FieldPaths() {}

  /** Turns {@code $.spec.tunnels[1]} or {@code $['spec']} into {@code spec.tunnels[1]}. */
  public static String fromJsonPath(String jsonPath) {
    String path = jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
    path = path.replaceAll("\\['([^']*)'\\]", ".$1");
    return path.startsWith(".") ? path.substring(1) : path;
  }

  public static String child(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }
}
