package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy discovery documents kubectl needs to find resource types: {@code /api}, {@code
 * /api/v1}, {@code /apis} and {@code /apis/<group>/<version>}, built from what is served rather
 * than written by hand.
 */
final class DiscoveryDocuments {
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final ObjectMapper mapper;
  private final Map<String, List<ServedResource>> byGroupVersion = new LinkedHashMap<>();

  DiscoveryDocuments(ObjectMapper mapper, List<ServedResource> resources) {
    this.mapper = mapper;
    for (ServedResource resource : resources) {
      byGroupVersion
          .computeIfAbsent(resource.groupVersion(), gv -> new ArrayList<>())
          .add(resource);
    }
  }

  /** The document for a discovery path, or empty when the path is not a discovery path. */
  Optional<ObjectNode> forPath(String path) {
    if (path.equals("/api")) {
      ObjectNode versions = mapper.createObjectNode().put("kind", "APIVersions");
      versions.putArray("versions").add("v1");
      versions.putArray("serverAddressByClientCIDRs");
      return Optional.of(versions);
    }
    if (path.equals("/apis")) {
      return Optional.of(groupList());
    }
    if (path.equals("/api/v1")) {
      return Optional.of(resourceList("v1"));
    }
    if (path.startsWith("/apis/")) {
      String groupVersion = path.substring("/apis/".length());
      if (groupVersion.chars().filter(c -> c == '/').count() == 1
          && byGroupVersion.containsKey(groupVersion)) {
        return Optional.of(resourceList(groupVersion));
      }
    }
    return Optional.empty();
  }

  private ObjectNode groupList() {
    ObjectNode list = mapper.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    byGroupVersion.keySet().stream()
        .filter(gv -> gv.contains("/"))
        .forEach(
            gv -> {
              String group = gv.substring(0, gv.indexOf('/'));
              ObjectNode version =
                  mapper
                      .createObjectNode()
                      .put("groupVersion", gv)
                      .put("version", gv.substring(gv.indexOf('/') + 1));
              ObjectNode entry = groups.addObject().put("name", group);
              entry.putArray("versions").add(version);
              entry.set("preferredVersion", version.deepCopy());
            });
    return list;
  }

  private ObjectNode resourceList(String groupVersion) {
    ObjectNode list =
        mapper
            .createObjectNode()
            .put("kind", "APIResourceList")
            .put("apiVersion", "v1")
            .put("groupVersion", groupVersion);
    ArrayNode resources = list.putArray("resources");
    for (ServedResource served : byGroupVersion.getOrDefault(groupVersion, List.of())) {
      ObjectNode resource =
          resources
              .addObject()
              .put("name", served.plural())
              .put("singularName", served.singular())
              .put("namespaced", served.namespaced())
              .put("kind", served.kind());
      VERBS.forEach(resource.putArray("verbs")::add);
      if (!served.shortNames().isEmpty()) {
        served.shortNames().forEach(resource.putArray("shortNames")::add);
      }
      if (!served.categories().isEmpty()) {
        served.categories().forEach(resource.putArray("categories")::add);
      }
      if (served.hasStatus()) {
        ObjectNode status =
            resources
                .addObject()
                .put("name", served.plural() + "/status")
                .put("singularName", "")
                .put("namespaced", served.namespaced())
                .put("kind", served.kind());
        List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
      }
    }
    return list;
  }
}
