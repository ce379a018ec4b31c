package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Answers kubectl's {@code Accept: application/json;as=Table} with a {@code meta.k8s.io/v1 Table}
 * built from the CRD's additionalPrinterColumns, so {@code kubectl get ipsecpeers} shows the
 * gateway, remote, state and tunnel columns and not only NAME and AGE.
 */
final class TableRenderer {
  private final ObjectMapper mapper;

  TableRenderer(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /** A Table for a list or a single object of the resource. */
  ObjectNode render(ServedResource resource, JsonNode listOrObject) {
    ObjectNode table =
        mapper.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", listOrObject.at("/metadata/resourceVersion").asText(""));
    List<JsonNode> columns = resource.printerColumns();
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions
        .addObject()
        .put("name", "Name")
        .put("type", "string")
        .put("format", "name")
        .put("description", "Name of the object")
        .put("priority", 0);
    for (JsonNode column : columns) {
      definitions
          .addObject()
          .put("name", column.path("name").asText())
          .put("type", column.path("type").asText("string"))
          .put("format", column.path("format").asText(""))
          .put("description", column.path("description").asText(""))
          .put("priority", column.path("priority").asInt(0));
    }
    ArrayNode rows = table.putArray("rows");
    JsonNode items =
        listOrObject.has("items")
            ? listOrObject.path("items")
            : mapper.createArrayNode().add(listOrObject);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.at("/metadata/name").asText());
      for (JsonNode column : columns) {
        cells.add(cell(PrinterColumnPath.evaluate(item, column.path("jsonPath").asText())));
      }
      ObjectNode partial =
          row.putObject("object")
              .put("kind", "PartialObjectMetadata")
              .put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", item.path("metadata").deepCopy());
    }
    return table;
  }

  private JsonNode cell(JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return mapper.nullNode();
    }
    return value.isValueNode() ? value : mapper.getNodeFactory().textNode(value.toString());
  }
}
