package dev.ipsec.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ipsec.operator.api.schema.ResourceValidator;
import dev.ipsec.operator.api.schema.SchemaViolation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The list-maps of the CRDs, validated as kube-apiserver does: tunnels keyed on id (the uniqueness
 * a quadratic CEL rule used to check), and conditions keyed on type with metav1.Condition's schema.
 */
class ListTypesTest {
  private static final ResourceValidator VALIDATOR = ResourceValidator.bundled();

  @Test
  void aSecondTunnelWithOneIdIsADuplicateValueAtItsIndex() {
    ObjectNode peer = Resources.with(Resources.pskPeer(), "/spec/tunnels/1", Map.of("id", 1));

    assertThat(VALIDATOR.validate(peer))
        .containsExactly(
            new SchemaViolation(
                "spec.tunnels[1]", "Duplicate value: map[string]interface {}{\"id\":1}"));
    assertThat(VALIDATOR.validate(Resources.pskPeer())).isEmpty();
  }

  @Test
  void conditionsAreKeyedOnTypeAndFollowMetav1Condition() {
    ObjectNode peer = Resources.pskPeer();
    Object ready =
        Map.of(
            "type", "Ready",
            "status", "True",
            "reason", "Ready",
            "message", "up",
            "lastTransitionTime", Instant.parse("2026-12-06T10:00:00Z").toString());
    peer.set("status", Resources.json(Map.of("conditions", List.of(ready))));
    assertThat(VALIDATOR.validate(peer)).isEmpty();

    peer.set("status", Resources.json(Map.of("conditions", List.of(ready, ready))));
    assertThat(VALIDATOR.validate(peer))
        .containsExactly(
            new SchemaViolation(
                "status.conditions[1]",
                "Duplicate value: map[string]interface {}{\"type\":\"Ready\"}"));

    peer.set(
        "status",
        Resources.json(
            Map.of(
                "conditions",
                List.of(
                    Map.of("type", "Ready", "status", "Yes", "reason", "Ready", "message", "")))));
    assertThat(VALIDATOR.validate(peer))
        .extracting(SchemaViolation::path)
        .contains("status.conditions[0].status", "status.conditions[0]");
  }
}
