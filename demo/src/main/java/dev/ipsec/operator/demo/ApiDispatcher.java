package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sits in front of fabric8's CRUD dispatcher and adds what kubectl needs from a real API server:
 * discovery documents and Table responses. Everything else goes to the CRUD store unchanged.
 */
final class ApiDispatcher extends Dispatcher {
  private static final Pattern RESOURCE_PATH =
      Pattern.compile(
          "^/(?:api/(v1)|apis/([^/]+)/([^/]+))(?:/namespaces/[^/]+)?/([^/?]+)(?:/[^/?]+)?(?:\\?.*)?$");

  private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final String MERGE_PATCH = "application/merge-patch+json";

  private final Dispatcher store;
  private final ObjectMapper mapper;
  private final DiscoveryDocuments discovery;
  private final TableRenderer tables;
  private final List<ServedResource> served;

  ApiDispatcher(Dispatcher store, ObjectMapper mapper, List<ServedResource> served) {
    this.store = store;
    this.mapper = mapper;
    this.served = served;
    this.discovery = new DiscoveryDocuments(mapper, served);
    this.tables = new TableRenderer(mapper);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if ("GET".equals(request.getMethod())) {
      Optional<com.fasterxml.jackson.databind.node.ObjectNode> document =
          discovery.forPath(pathOnly);
      if (document.isPresent()) {
        return json(200, document.get());
      }
      if (TableRenderer.wantsTable(request.getHeader("Accept")) && !path.contains("watch=")) {
        Optional<ServedResource> resource = resourceOf(path);
        if (resource.isPresent() && !resource.get().printerColumns().isEmpty()) {
          return asTable(resource.get(), store.dispatch(request));
        }
      }
    }
    if ("PATCH".equals(request.getMethod()) && isStrategicMergePatch(request)) {
      return store.dispatch(asMergePatch(request));
    }
    return store.dispatch(request);
  }

  private static boolean isStrategicMergePatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    return type != null && type.startsWith(STRATEGIC_MERGE_PATCH);
  }

  /**
   * kubectl patches built-in kinds (a Secret on {@code kubectl apply}) with a strategic merge
   * patch, which the CRUD store refuses with 415. As a JSON merge patch it means the same for maps
   * and scalars, all that {@code apply} of the examples changes; lists are replaced instead of
   * merged by key, which is good enough for an embedded server.
   */
  private static RecordedRequest asMergePatch(RecordedRequest request) {
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        request.getPath(),
        request.getHeaders().newBuilder().set("Content-Type", MERGE_PATCH).build(),
        request.getBody());
  }

  @Override
  public void shutdown() {
    store.shutdown();
  }

  private Optional<ServedResource> resourceOf(String path) {
    Matcher matcher = RESOURCE_PATH.matcher(path);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    String group = matcher.group(1) != null ? "" : matcher.group(2);
    String version = matcher.group(1) != null ? "v1" : matcher.group(3);
    String plural = matcher.group(4);
    return served.stream()
        .filter(
            r ->
                r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
        .findFirst();
  }

  private MockResponse asTable(ServedResource resource, MockResponse stored) {
    if (stored.code() != 200) {
      return stored;
    }
    try {
      JsonNode body = mapper.readTree(stored.getBody().readUtf8());
      return json(200, tables.render(resource, body));
    } catch (IOException e) {
      return stored;
    }
  }

  private MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .addHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
