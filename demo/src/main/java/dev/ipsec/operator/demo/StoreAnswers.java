package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * fabric8's CRUD store with its answers in kube-apiserver's words, where a client tells them apart:
 * a write refused for a stale resourceVersion is 409 with reason {@code Conflict} (client-go's
 * {@code IsConflict}, which leader election and every optimistic writer retry on), not {@code
 * Invalid}, naming the resource as {@code <plural>.<group> "<name>"}; and an applied patch is 200
 * OK, not 202 Accepted. Every other answer passes unchanged.
 */
final class StoreAnswers extends Dispatcher {
  private static final String STALE = "Operation cannot be fulfilled on ";
  private static final String MODIFIED =
      "the object has been modified; please apply your changes to the latest version and try again";

  private final Dispatcher store;
  private final ObjectMapper mapper;
  private final ApiStatus statuses;

  StoreAnswers(Dispatcher store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
    this.statuses = new ApiStatus(mapper);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse stored = store.dispatch(request);
    if (stored.code() == 202 && "PATCH".equals(request.getMethod())) {
      return stored.setResponseCode(200);
    }
    if (stored.code() == 409) {
      return conflict(stored, request).orElse(stored);
    }
    return stored;
  }

  private Optional<MockResponse> conflict(MockResponse stored, RecordedRequest request) {
    Optional<ResourcePath> target = ResourcePath.parse(request.getPath());
    if (target.isEmpty()) {
      return Optional.empty();
    }
    String body = stored.getBody().readUtf8();
    // the body was consumed: from here on, every path answers with a new response
    try {
      JsonNode status = mapper.readTree(body);
      if (!status.path("message").asText().startsWith(STALE)) {
        return Optional.of(copy(stored, body));
      }
    } catch (IOException e) {
      return Optional.of(copy(stored, body));
    }
    ResourcePath path = target.get();
    String resource = path.group().isEmpty() ? path.plural() : path.plural() + "." + path.group();
    ObjectNode status =
        statuses.failure(
            409, "Conflict", STALE + resource + " \"" + path.name() + "\": " + MODIFIED);
    status
        .putObject("details")
        .put("name", path.name())
        .put("group", path.group())
        .put("kind", path.plural());
    return Optional.of(statuses.response(status));
  }

  private static MockResponse copy(MockResponse stored, String body) {
    MockResponse copy = new MockResponse().setResponseCode(stored.code()).setBody(body);
    copy.setHeaders(stored.getHeaders());
    return copy;
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }
}
