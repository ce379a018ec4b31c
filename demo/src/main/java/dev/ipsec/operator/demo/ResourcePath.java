package dev.ipsec.operator.demo;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request path of the Kubernetes REST API taken apart: {@code
 * /apis/<group>/<version>/namespaces/<ns>/<plural>/<name>/<subresource>} (or {@code /api/v1/...}
 * for the core group), without the query.
 *
 * @param namespace empty for cluster-scoped requests
 * @param name empty for collection requests
 * @param subresource empty for the object itself, else e.g. {@code status}
 */
record ResourcePath(
    String group,
    String version,
    String namespace,
    String plural,
    String name,
    String subresource,
    String query) {
  private static final Pattern PATH =
      Pattern.compile(
          "^/(?:api/(v1)|apis/([^/]+)/([^/]+))(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");

  static Optional<ResourcePath> parse(String requestPath) {
    int question = requestPath.indexOf('?');
    String path = question >= 0 ? requestPath.substring(0, question) : requestPath;
    String query = question >= 0 ? requestPath.substring(question + 1) : "";
    Matcher matcher = PATH.matcher(path);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    boolean core = matcher.group(1) != null;
    return Optional.of(
        new ResourcePath(
            core ? "" : matcher.group(2),
            core ? "v1" : matcher.group(3),
            orEmpty(matcher.group(4)),
            matcher.group(5),
            orEmpty(matcher.group(6)),
            orEmpty(matcher.group(7)),
            query));
  }

  boolean isStatus() {
    return "status".equals(subresource);
  }

  /** The path of the object itself, without subresource and query. */
  String objectPath() {
    String prefix = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version;
    String scope = namespace.isEmpty() ? "" : "/namespaces/" + namespace;
    return prefix + scope + "/" + plural + (name.isEmpty() ? "" : "/" + name);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
