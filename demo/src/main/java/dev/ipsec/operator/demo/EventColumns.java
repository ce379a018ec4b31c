package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/**
 * {@code kubectl get events}: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; the name is only in the
 * wide output, as kube-apiserver prints core/v1 Events.
 */
final class EventColumns implements TableColumns {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Override
  public List<Column> columns() {
    return List.of(
        Column.shown("Last Seen", "string", "Time when last event occurred"),
        Column.shown("Type", "string", "Type of this event (Normal, Warning)"),
        Column.shown("Reason", "string", "Reason why this event was generated"),
        Column.shown("Object", "string", "The object that this event is about"),
        Column.shown("Message", "string", "A human-readable description of the status"),
        new Column("Count", "string", "", "The number of times this event has occurred", 1),
        new Column("Name", "string", "name", "Name must be unique within a namespace.", 1));
  }

  @Override
  public List<JsonNode> cells(JsonNode event, Instant now) {
    String last = event.path("lastTimestamp").asText(null);
    if (last == null) {
      last = event.path("eventTime").asText(event.at("/metadata/creationTimestamp").asText(null));
    }
    int count = event.path("count").asInt(1);
    String lastSeen = HumanDuration.since(last, now);
    if (count > 1) {
      String first = event.path("firstTimestamp").asText(null);
      lastSeen += " (x%d over %s)".formatted(count, HumanDuration.since(first, now));
    }
    JsonNode involved = event.path("involvedObject");
    return List.of(
        NODES.textNode(lastSeen),
        NODES.textNode(event.path("type").asText("")),
        NODES.textNode(event.path("reason").asText("")),
        NODES.textNode(
            involved.path("kind").asText("").toLowerCase() + "/" + involved.path("name").asText()),
        NODES.textNode(event.path("message").asText("")),
        NODES.textNode(String.valueOf(count)),
        NODES.textNode(event.at("/metadata/name").asText()));
  }
}
