package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A CRD's additionalPrinterColumns, with the cells kube-apiserver computes for them: dates as ages
 * ({@code 5m}), lists of values joined by commas, as kubectl shows them, not as JSON.
 */
final class CustomResourceColumns implements TableColumns {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final List<JsonNode> printerColumns;

  CustomResourceColumns(List<JsonNode> printerColumns) {
    this.printerColumns = printerColumns;
  }

  @Override
  public List<Column> columns() {
    List<Column> columns = new ArrayList<>();
    columns.add(Column.nameColumn());
    for (JsonNode column : printerColumns) {
      columns.add(
          new Column(
              column.path("name").asText(),
              column.path("type").asText("string"),
              column.path("format").asText(""),
              column.path("description").asText(""),
              column.path("priority").asInt(0)));
    }
    return columns;
  }

  @Override
  public List<JsonNode> cells(JsonNode object, Instant now) {
    List<JsonNode> cells = new ArrayList<>();
    cells.add(NODES.textNode(object.at("/metadata/name").asText()));
    for (JsonNode column : printerColumns) {
      JsonNode value = PrinterColumnPath.evaluate(object, column.path("jsonPath").asText());
      cells.add(cell(value, column.path("type").asText(), now));
    }
    return cells;
  }

  private static JsonNode cell(JsonNode value, String type, Instant now) {
    if (value.isMissingNode() || value.isNull()) {
      return NODES.nullNode();
    }
    if ("date".equals(type) && value.isTextual()) {
      return NODES.textNode(HumanDuration.since(value.asText(), now));
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(item -> items.add(item.isValueNode() ? item.asText() : item.toString()));
      return NODES.textNode(String.join(",", items));
    }
    return value.isValueNode() ? value : NODES.textNode(value.toString());
  }
}
