package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A real API server never stores a Secret's {@code stringData}: it merges each entry into {@code
 * data}, base64-encoded, over a key of the same name, and drops the field. The CRUD store would
 * keep it as sent, so a write of a Secret (create, update, or a merge patch) is rewritten here
 * first.
 */
final class SecretStringData {
  private final ObjectMapper mapper;

  SecretStringData(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The request with {@code stringData} merged into {@code data}, or empty if it has none. */
  Optional<RecordedRequest> merged(RecordedRequest request, ResourcePath target) {
    if (!target.group().isEmpty()
        || !"secrets".equals(target.plural())
        || !target.subresource().isEmpty()) {
      return Optional.empty();
    }
    JsonNode body;
    try {
      // getBytes leaves the body to the store; getUtf8Body would consume it
      body =
          request.getBody() == null || request.getBody().size() == 0
              ? null
              : mapper.readTree(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty(); // the store answers a body that is no JSON
    }
    if (!(body instanceof ObjectNode object) || !object.path("stringData").isObject()) {
      return Optional.empty();
    }
    ObjectNode data =
        object.path("data").isObject() ? (ObjectNode) object.get("data") : object.putObject("data");
    Iterator<Map.Entry<String, JsonNode>> entries = object.get("stringData").fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      data.put(
          entry.getKey(),
          Base64.getEncoder()
              .encodeToString(entry.getValue().asText().getBytes(StandardCharsets.UTF_8)));
    }
    object.remove("stringData");
    Buffer rewritten = new Buffer();
    rewritten.writeUtf8(object.toString());
    return Optional.of(
        new RecordedRequest(
            request.getHttpVersion(),
            request.method(),
            request.getPath(),
            request.getHeaders(),
            rewritten));
  }
}
