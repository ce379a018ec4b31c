package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** The columns of one kind's Table and how one object fills them. */
interface TableColumns {
  /**
   * One column definition of a {@code meta.k8s.io/v1 Table}.
   *
   * @param priority 0 is shown by {@code kubectl get}, higher only by {@code -o wide}
   */
  record Column(String name, String type, String format, String description, int priority) {
    static Column shown(String name, String type, String description) {
      return new Column(name, type, "", description, 0);
    }

    static Column nameColumn() {
      return new Column("Name", "string", "name", "Name must be unique within a namespace.", 0);
    }
  }

  List<Column> columns();

  /** The cells of one object, in the order of {@link #columns()}. */
  List<JsonNode> cells(JsonNode object, Instant now);
}
