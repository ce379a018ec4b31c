package dev.ipsec.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Records the writes (every request but a GET) the API server receives while {@link #recording},
 * each with its answer's code and a summary of its body: a test that finds an object rewritten can
 * then say who wrote it and what the request asked for. A Secret's data never enters a record: its
 * values are replaced by their lengths (a test's fake key material stays out of reports all the
 * same).
 */
final class WriteRecorder extends Dispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SECRET_FIELDS = Set.of("data", "stringData");
  private static final int BODY_SHOWN = 600;

  private final Dispatcher store;
  private final List<String> writes = new ArrayList<>();
  final AtomicBoolean recording = new AtomicBoolean();

  WriteRecorder(Dispatcher store) {
    this.store = store;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!recording.get() || "GET".equals(request.getMethod())) {
      return store.dispatch(request);
    }
    String body = summary(request);
    MockResponse response = store.dispatch(request);
    synchronized (writes) {
      writes.add(
          request.getMethod()
              + " "
              + request.getPath()
              + " -> "
              + response.code()
              + (body.isEmpty() ? "" : " " + body));
    }
    return response;
  }

  /** The writes recorded so far, in the order the server answered them. */
  List<String> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  private static String summary(RecordedRequest request) {
    if (request.getBody() == null || request.getBody().size() == 0) {
      return "";
    }
    String text = new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    if (request.getPath().contains("/secrets")) {
      text = withoutSecretValues(text);
    }
    return text.length() > BODY_SHOWN ? text.substring(0, BODY_SHOWN) + "..." : text;
  }

  /** The body with every value of a Secret's data replaced by its length. */
  static String withoutSecretValues(String body) {
    try {
      JsonNode tree = JSON.readTree(body);
      redact(tree);
      return tree.toString();
    } catch (Exception e) {
      return "<a Secret body that is not JSON, " + body.length() + " characters>";
    }
  }

  private static void redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : SECRET_FIELDS) {
        if (object.get(field) instanceof ObjectNode values) {
          List<String> keys = new ArrayList<>();
          values.fieldNames().forEachRemaining(keys::add);
          keys.forEach(k -> values.put(k, "<" + values.get(k).asText().length() + " characters>"));
        }
      }
      object.elements().forEachRemaining(WriteRecorder::redact);
    } else if (node != null && node.isArray()) {
      node.elements().forEachRemaining(WriteRecorder::redact);
    }
  }
}
