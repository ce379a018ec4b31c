package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sits in front of fabric8's CRUD dispatcher and adds what kubectl needs from a real API server:
 * discovery documents, Table responses, and writes of custom resources with a real server's patch
 * semantics and admission. Everything else goes to the CRUD store unchanged.
 */
final class ApiDispatcher extends Dispatcher {
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");
  private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  private static final String MERGE_PATCH = "application/merge-patch+json";

  private final Dispatcher store;
  private final ObjectMapper mapper;
  private final DiscoveryDocuments discovery;
  private final TableRenderer tables;
  private final List<ServedResource> served;
  private final Admission admission;
  private final CustomResourceWrites customResourceWrites;
  private final ApiStatus statuses;
  private final OpenApiDocuments openApi;
  private final RequestAuthorizations authorizations;
  private final ApiRequestLog requests;
  private final SelfSubjectReviews reviews;
  private final SecretStringData secretStringData;

  /** Watches from a resourceVersion up to this one are too old (see {@link #expireWatchesUpTo}). */
  private volatile long expiredUpTo;

  ApiDispatcher(
      Dispatcher store,
      ObjectMapper mapper,
      List<ServedResource> served,
      Admission admission,
      OpenApiDocuments openApi,
      ApiRequestLog requests) {
    this.store = store;
    this.requests = requests;
    this.authorizations = new RequestAuthorizations(mapper, served);
    this.reviews = new SelfSubjectReviews(mapper, new ApiStatus(mapper));
    this.secretStringData = new SecretStringData(mapper);
    this.openApi = openApi;
    this.mapper = mapper;
    this.served = served;
    this.admission = admission;
    this.discovery = new DiscoveryDocuments(mapper, served);
    this.tables = new TableRenderer(mapper, Clock.systemUTC());
    this.statuses = new ApiStatus(mapper);
    this.customResourceWrites = new CustomResourceWrites(store, mapper, admission);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      return route(request);
    } catch (RuntimeException | LinkageError e) {
      // kube-apiserver answers a failure of its own with 500 InternalError; without an answer the
      // mock server leaves the client waiting for one, forever
      return statuses.response(
          statuses.failure(500, "InternalError", "Internal error occurred: " + e));
    }
  }

  /**
   * Answers watches from a resourceVersion up to {@code newest} 410 Gone from now on: the server
   * restarted and has no history from before (see {@link EmbeddedApiServer#restart()}).
   */
  void expireWatchesUpTo(long newest) {
    expiredUpTo = newest;
  }

  private MockResponse route(RecordedRequest request) {
    // a real server authorizes every request before it serves it, whatever the outcome
    requests.record(authorizations.of(request));
    Optional<MockResponse> expired = expiredWatch(request);
    if (expired.isPresent()) {
      return expired.get();
    }
    Optional<MockResponse> review = reviews.answer(request);
    if (review.isPresent()) {
      return review.get();
    }
    if (WRITES.contains(request.getMethod())) {
      RecordedRequest asSent = request;
      request =
          ResourcePath.parse(request.getPath())
              .flatMap(target -> secretStringData.merged(asSent, target))
              .orElse(request);
    }
    String path = request.getPath();
    String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if ("GET".equals(request.getMethod())) {
      if (pathOnly.equals(OpenApiV2Stub.PATH)) {
        return OpenApiV2Stub.response(request.getHeader("Accept"));
      }
      Optional<ObjectNode> document =
          discovery.forPath(pathOnly).or(() -> openApi.forPath(pathOnly));
      if (document.isPresent()) {
        return json(200, document.get());
      }
      Optional<ResourcePath> target = ResourcePath.parse(path);
      Optional<ServedResource> resource = target.flatMap(this::resourceOf);
      if (resource.isPresent() && !path.contains("watch=")) {
        return read(request, target.get(), resource.get());
      }
    }
    if (WRITES.contains(request.getMethod())) {
      Optional<ResourcePath> target = ResourcePath.parse(path);
      Optional<ServedResource> resource = target.flatMap(this::resourceOf);
      if (resource.isPresent() && admission.handles(resource.get().kind())) {
        return customResourceWrites.handle(request, target.get(), resource.get());
      }
    }
    if ("PATCH".equals(request.getMethod()) && isStrategicMergePatch(request)) {
      return store.dispatch(asMergePatch(request));
    }
    return store.dispatch(request);
  }

  /**
   * A watch from a resourceVersion of before a restart: an ERROR event with a 410 Expired Status,
   * as kube-apiserver answers a watch from a version its watch cache no longer holds.
   */
  private Optional<MockResponse> expiredWatch(RecordedRequest request) {
    if (expiredUpTo == 0 || !"GET".equals(request.getMethod())) {
      return Optional.empty();
    }
    Optional<ResourcePath> target = ResourcePath.parse(request.getPath());
    if (target.isEmpty()) {
      return Optional.empty();
    }
    boolean watch = false;
    long from = 0;
    for (String parameter : target.get().query().split("&")) {
      if (parameter.equals("watch=true") || parameter.equals("watch=1")) {
        watch = true;
      } else if (parameter.startsWith("resourceVersion=")) {
        try {
          from = Long.parseLong(parameter.substring("resourceVersion=".length()));
        } catch (NumberFormatException e) {
          return Optional.empty(); // not one of this server's: the store answers as it does
        }
      }
    }
    if (!watch || from == 0 || from > expiredUpTo) {
      return Optional.empty();
    }
    ObjectNode gone =
        statuses.failure(
            410, "Expired", "too old resource version: " + from + " (" + (expiredUpTo + 1) + ")");
    // as kube-apiserver does: the watch is accepted, its one event is an ERROR with the Status
    String event = mapper.createObjectNode().put("type", "ERROR").set("object", gone).toString();
    return Optional.of(
        new MockResponse()
            .withWebSocketUpgrade(
                new WebSocketListener() {
                  @Override
                  public void onOpen(WebSocket socket, Response response) {
                    socket.send(event);
                    socket.close(1000, "");
                  }
                }));
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

  private Optional<ServedResource> resourceOf(ResourcePath path) {
    return served.stream()
        .filter(
            r ->
                r.group().equals(path.group())
                    && r.version().equals(path.version())
                    && r.plural().equals(path.plural()))
        .findFirst();
  }

  /**
   * A get or list: lists named by their kind ({@code EventList}), filtered by a field selector on
   * Events (which the store cannot select on), and as a Table when kubectl asks for one.
   */
  private MockResponse read(RecordedRequest request, ResourcePath target, ServedResource resource) {
    Optional<FieldSelector> selector =
        "Event".equals(resource.kind()) && target.name().isEmpty()
            ? FieldSelector.fromQuery(target.query())
            : Optional.empty();
    Optional<TableColumns> columns =
        TableRenderer.wantsTable(request.getHeader("Accept"))
            ? TableRenderer.columnsOf(resource)
            : Optional.empty();
    boolean list = target.name().isEmpty();
    if (selector.isEmpty() && columns.isEmpty() && !list) {
      return store.dispatch(request);
    }
    RecordedRequest forStore = request;
    if (selector.isPresent()) {
      String query = FieldSelector.withoutSelector(target.query());
      forStore =
          new RecordedRequest(
              request.getHttpVersion(),
              request.method(),
              target.objectPath() + (query.isEmpty() ? "" : "?" + query),
              request.getHeaders(),
              request.getBody());
    }
    MockResponse stored = store.dispatch(forStore);
    if (stored.code() != 200) {
      return stored;
    }
    try {
      JsonNode body = mapper.readTree(stored.getBody().readUtf8());
      if (list && body instanceof ObjectNode listBody) {
        // the store calls every list "List"; typed clients (kubectl describe's EventList) want
        // the kind's own list kind
        listBody.put("kind", resource.kind() + "List");
      }
      if (selector.isPresent() && body.path("items") instanceof ArrayNode items) {
        ArrayNode selected = mapper.createArrayNode();
        items.forEach(
            item -> {
              if (selector.get().matches(item)) {
                selected.add(item);
              }
            });
        ((ObjectNode) body).set("items", selected);
      }
      return json(200, columns.isPresent() ? tables.render(columns.get(), body) : body);
    } catch (IOException e) {
      return statuses.response(statuses.failure(500, "InternalError", e.getMessage()));
    }
  }

  private MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .addHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }
}
