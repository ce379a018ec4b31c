package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.schema.CrdCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI v3 documents kubectl reads ({@code /openapi/v3} and one per group-version): the CRDs'
 * schemas, for {@code kubectl explain}, and for every served kind a PATCH operation that declares
 * the {@code fieldValidation} query parameter. That parameter is how kubectl (1.27 and later)
 * learns that the server validates fields itself; without it, kubectl falls back to validating on
 * the client from {@code /openapi/v2} in protobuf, which this server does not speak.
 */
final class OpenApiDocuments {
  private static final String INDEX = "/openapi/v3";
  private static final String PREFIX = INDEX + "/";

  private final ObjectMapper mapper;
  private final CrdCatalog catalog;
  private final Map<String, List<ServedResource>> byGroupVersion = new LinkedHashMap<>();

  OpenApiDocuments(ObjectMapper mapper, CrdCatalog catalog, List<ServedResource> resources) {
    this.mapper = mapper;
    this.catalog = catalog;
    for (ServedResource resource : resources) {
      byGroupVersion.computeIfAbsent(urlPath(resource), p -> new ArrayList<>()).add(resource);
    }
  }

  /** The document for a path (without query), or empty when the path is not an OpenAPI v3 path. */
  Optional<ObjectNode> forPath(String path) {
    if (path.equals(INDEX)) {
      return Optional.of(index());
    }
    if (path.startsWith(PREFIX) && byGroupVersion.containsKey(path.substring(PREFIX.length()))) {
      return Optional.of(groupVersion(path.substring(PREFIX.length())));
    }
    return Optional.empty();
  }

  private ObjectNode index() {
    ObjectNode index = mapper.createObjectNode();
    ObjectNode paths = index.putObject("paths");
    for (String groupVersion : byGroupVersion.keySet()) {
      paths
          .putObject(groupVersion)
          .put("serverRelativeURL", PREFIX + groupVersion + "?hash=" + hash(groupVersion));
    }
    return index;
  }

  private ObjectNode groupVersion(String urlPath) {
    ObjectNode document = mapper.createObjectNode().put("openapi", "3.0.0");
    document.putObject("info").put("title", "Kubernetes").put("version", "unversioned");
    ObjectNode paths = document.putObject("paths");
    ObjectNode schemas = document.putObject("components").putObject("schemas");
    for (ServedResource resource : byGroupVersion.get(urlPath)) {
      paths.putObject(objectPath(resource)).set("patch", patchOperation(resource));
      catalog
          .schema(resource.kind())
          .filter(schema -> !resource.group().isEmpty())
          .ifPresent(schema -> schemas.set(schemaName(resource), kindSchema(resource, schema)));
    }
    return document;
  }

  private ObjectNode patchOperation(ServedResource resource) {
    ObjectNode operation =
        mapper
            .createObjectNode()
            .put("operationId", "patch" + resource.kind())
            .put("x-kubernetes-action", "patch");
    operation.set("x-kubernetes-group-version-kind", gvk(resource));
    ObjectNode fieldValidation =
        operation
            .putArray("parameters")
            .addObject()
            .put("name", "fieldValidation")
            .put("in", "query");
    fieldValidation.putObject("schema").put("type", "string");
    operation.putObject("responses").putObject("200").put("description", "OK");
    return operation;
  }

  /** The CRD's schema as kube-apiserver publishes it: metadata described, the kind tagged. */
  private ObjectNode kindSchema(ServedResource resource, JsonNode crdSchema) {
    ObjectNode schema = crdSchema.deepCopy();
    ObjectNode properties = schema.with("properties");
    properties
        .putObject("metadata")
        .put("type", "object")
        .put(
            "description",
            "Standard object's metadata. More info:"
                + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    schema.putArray("x-kubernetes-group-version-kind").add(gvk(resource));
    return schema;
  }

  private ObjectNode gvk(ServedResource resource) {
    return mapper
        .createObjectNode()
        .put("group", resource.group())
        .put("version", resource.version())
        .put("kind", resource.kind());
  }

  /**
   * {@code ipsec.dev} + {@code IpsecPeer} -> {@code dev.ipsec.v1alpha1.IpsecPeer}, as the server
   * names it.
   */
  private static String schemaName(ServedResource resource) {
    List<String> parts = new ArrayList<>(List.of(resource.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + resource.version() + "." + resource.kind();
  }

  private static String objectPath(ServedResource resource) {
    String scope = resource.namespaced() ? "/namespaces/{namespace}" : "";
    return "/" + urlPath(resource) + scope + "/" + resource.plural() + "/{name}";
  }

  private static String urlPath(ServedResource resource) {
    return resource.group().isEmpty()
        ? "api/" + resource.version()
        : "apis/" + resource.group() + "/" + resource.version();
  }

  private static String hash(String groupVersion) {
    return Integer.toHexString(groupVersion.hashCode());
  }
}
