package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * The {@code meta.k8s.io/v1 Status} a real API server answers a refused request with; kubectl
 * prints its {@code message} (and for 422 its causes), so the shape matters, not only the code.
 */
final class ApiStatus {
  private final ObjectMapper mapper;

  ApiStatus(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A failure Status with the given code, reason and message, and no details. */
  ObjectNode failure(int code, String reason, String message) {
    ObjectNode status = mapper.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    return status
        .put("status", "Failure")
        .put("message", message)
        .put("reason", reason)
        .put("code", code);
  }

  MockResponse response(ObjectNode status) {
    return new MockResponse()
        .setResponseCode(status.path("code").asInt())
        .addHeader("Content-Type", "application/json")
        .setBody(status.toString());
  }
}
