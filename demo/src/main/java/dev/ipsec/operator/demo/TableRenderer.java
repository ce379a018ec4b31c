package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Optional;

/**
 * Answers kubectl's {@code Accept: application/json;as=Table} with a {@code meta.k8s.io/v1 Table}:
 * the CRD's additionalPrinterColumns for custom resources, the usual columns for pods, events and
 * deployments, so {@code kubectl get} shows more than NAME and AGE.
 */
final class TableRenderer {
  private final ObjectMapper mapper;
  private final Clock clock;

  TableRenderer(ObjectMapper mapper, Clock clock) {
    this.mapper = mapper;
    this.clock = clock;
  }

  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /** The columns of a resource, or empty when the server prints it as a plain list. */
  static Optional<TableColumns> columnsOf(ServedResource resource) {
    if (!resource.printerColumns().isEmpty()) {
      return Optional.of(new CustomResourceColumns(resource.printerColumns()));
    }
    return switch (resource.groupVersion() + " " + resource.plural()) {
      case "v1 pods" -> Optional.of(new PodColumns());
      case "v1 events" -> Optional.of(new EventColumns());
      case "apps/v1 deployments" -> Optional.of(new DeploymentColumns());
      default -> Optional.empty();
    };
  }

  /** A Table for a list or a single object. */
  ObjectNode render(TableColumns columns, JsonNode listOrObject) {
    ObjectNode table =
        mapper.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", listOrObject.at("/metadata/resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (TableColumns.Column column : columns.columns()) {
      definitions
          .addObject()
          .put("name", column.name())
          .put("type", column.type())
          .put("format", column.format())
          .put("description", column.description())
          .put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    JsonNode items =
        listOrObject.has("items")
            ? listOrObject.path("items")
            : mapper.createArrayNode().add(listOrObject);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      columns.cells(item, clock.instant()).forEach(row.putArray("cells")::add);
      ObjectNode partial =
          row.putObject("object")
              .put("kind", "PartialObjectMetadata")
              .put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", item.path("metadata").deepCopy());
    }
    return table;
  }
}
