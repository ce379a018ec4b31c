package dev.ipsec.operator.demo;

import java.util.Map;
import java.util.Optional;

/**
 * One request to the embedded API server as a real kube-apiserver's authorizer sees it: the
 * Kubernetes verb, the API group, the resource (with its subresource, {@code ipsecpeers/status}),
 * the namespace and name, and who asked (the client's User-Agent). A request for no resource
 * (discovery, {@code /version}, OpenAPI) has an empty resource and its path as {@code
 * nonResourcePath}, with the HTTP method in lower case as its verb, as RBAC's nonResourceURLs have.
 *
 * @param source {@code request} for an HTTP request; {@code admission} for an authorization check
 *     the API server makes on the client's behalf while admitting a write (the owner's {@code
 *     finalizers} for a {@code blockOwnerDeletion} reference)
 */
public record ApiRequest(
    String source,
    String verb,
    String group,
    String resource,
    String namespace,
    String name,
    String nonResourcePath,
    String userAgent) {

  public static final String REQUEST = "request";
  public static final String ADMISSION = "admission";

  /**
   * The verb a real API server derives (its RequestInfoFactory): GET of a named object is {@code
   * get}, of a collection {@code list}, either with {@code watch=true} (or under the legacy {@code
   * /watch/} prefix) {@code watch}; POST {@code create}, PUT {@code update}, PATCH {@code patch};
   * DELETE of a named object {@code delete}, of a collection {@code deletecollection}.
   */
  static ApiRequest of(String method, String requestPath, String userAgent, String bodyName) {
    String agent = userAgent == null ? "" : userAgent;
    Optional<ResourcePath> parsed = ResourcePath.parse(withoutWatchPrefix(requestPath));
    if (parsed.isEmpty()) {
      String path =
          requestPath.contains("?")
              ? requestPath.substring(0, requestPath.indexOf('?'))
              : requestPath;
      return new ApiRequest(REQUEST, method.toLowerCase(), "", "", "", "", path, agent);
    }
    ResourcePath target = parsed.get();
    boolean named = !target.name().isEmpty();
    boolean watch = isLegacyWatch(requestPath) || watchParameter(target.query());
    String verb =
        switch (method) {
          case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase();
        };
    String resource =
        target.subresource().isEmpty()
            ? target.plural()
            : target.plural() + "/" + target.subresource();
    String name = named ? target.name() : bodyName == null ? "" : bodyName;
    return new ApiRequest(
        REQUEST, verb, target.group(), resource, target.namespace(), name, "", agent);
  }

  /**
   * The authorization check the API server makes for an owner reference with blockOwnerDeletion.
   */
  static ApiRequest ownerFinalizersCheck(
      String ownerGroup, String ownerPlural, String namespace, String ownerName, String userAgent) {
    return new ApiRequest(
        ADMISSION,
        "update",
        ownerGroup,
        ownerPlural + "/finalizers",
        namespace,
        ownerName,
        "",
        userAgent == null ? "" : userAgent);
  }

  public boolean isResourceRequest() {
    return !resource.isEmpty();
  }

  /** The request as one line of JSON-compatible fields, for files a test writes. */
  public Map<String, String> fields() {
    return Map.of(
        "source", source,
        "verb", verb,
        "group", group,
        "resource", resource,
        "namespace", namespace,
        "name", name,
        "nonResourcePath", nonResourcePath,
        "userAgent", userAgent);
  }

  private static String withoutWatchPrefix(String path) {
    return isLegacyWatch(path)
        ? path.replaceFirst("^/(api/v1|apis/[^/]+/[^/]+)/watch/", "/$1/")
        : path;
  }

  private static boolean isLegacyWatch(String path) {
    return path.matches("^/(api/v1|apis/[^/]+/[^/]+)/watch/.*");
  }

  private static boolean watchParameter(String query) {
    for (String parameter : query.split("&")) {
      if (parameter.equals("watch=true") || parameter.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }
}
