package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;

/** {@code kubectl get deploy}: NAME, READY, UP-TO-DATE, AVAILABLE, AGE. */
final class DeploymentColumns implements TableColumns {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Override
  public List<Column> columns() {
    return List.of(
        Column.nameColumn(),
        Column.shown("Ready", "string", "Number of the pod with ready state"),
        Column.shown(
            "Up-to-date",
            "string",
            "Total number of non-terminated pods targeted by this deployment that have the desired"
                + " template spec."),
        Column.shown(
            "Available",
            "string",
            "Total number of available pods (ready for at least minReadySeconds) targeted by this"
                + " deployment."),
        Column.shown("Age", "string", "CreationTimestamp is a timestamp"));
  }

  @Override
  public List<JsonNode> cells(JsonNode deployment, Instant now) {
    JsonNode status = deployment.path("status");
    return List.of(
        NODES.textNode(deployment.at("/metadata/name").asText()),
        NODES.textNode(
            status.path("readyReplicas").asInt() + "/" + deployment.at("/spec/replicas").asInt(1)),
        NODES.numberNode(status.path("updatedReplicas").asInt()),
        NODES.numberNode(status.path("availableReplicas").asInt()),
        NODES.textNode(
            HumanDuration.since(deployment.at("/metadata/creationTimestamp").asText(null), now)));
  }
}
