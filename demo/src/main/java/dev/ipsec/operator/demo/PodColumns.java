package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get pods}: NAME, READY, STATUS, RESTARTS, AGE, as kube-apiserver prints pods. */
final class PodColumns implements TableColumns {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Override
  public List<Column> columns() {
    return List.of(
        Column.nameColumn(),
        Column.shown("Ready", "string", "The aggregate readiness state of this pod"),
        Column.shown("Status", "string", "The aggregate status of the containers in this pod."),
        Column.shown("Restarts", "string", "The number of times the containers have restarted"),
        Column.shown("Age", "string", "CreationTimestamp is a timestamp"),
        new Column("IP", "string", "", "The IP address assigned to this pod", 1),
        new Column("Node", "string", "", "The node the pod is scheduled on", 1));
  }

  @Override
  public List<JsonNode> cells(JsonNode pod, Instant now) {
    JsonNode statuses = pod.at("/status/containerStatuses");
    int ready = 0;
    int restarts = 0;
    String reason = pod.at("/status/reason").asText(pod.at("/status/phase").asText("Pending"));
    for (JsonNode container : statuses) {
      ready += container.path("ready").asBoolean() ? 1 : 0;
      restarts += container.path("restartCount").asInt();
      String waiting = container.at("/state/waiting/reason").asText("");
      if (!waiting.isEmpty()) {
        reason = waiting;
      }
    }
    if (pod.at("/metadata/deletionTimestamp").isTextual()) {
      reason = "Terminating";
    }
    return List.of(
        NODES.textNode(pod.at("/metadata/name").asText()),
        NODES.textNode(ready + "/" + pod.at("/spec/containers").size()),
        NODES.textNode(reason),
        NODES.textNode(String.valueOf(restarts)),
        NODES.textNode(
            HumanDuration.since(pod.at("/metadata/creationTimestamp").asText(null), now)),
        NODES.textNode(pod.at("/status/podIP").asText("<none>")),
        NODES.textNode(pod.at("/spec/nodeName").asText("<none>")));
  }
}
