package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * Creates, updates and patches of this project's custom resources, done the way kube-apiserver does
 * them before the CRUD store sees them: the patch applied per its RFC, the status subresource kept
 * apart from the rest, admission (schema, CEL, defaults), then a create or a whole-object update in
 * the store, which checks the resourceVersion (409 Conflict) and bumps generation.
 */
final class CustomResourceWrites {
  private static final String JSON = "application/json";

  private final Dispatcher store;
  private final ObjectMapper mapper;
  private final Admission admission;
  private final ApiStatus statuses;

  /**
   * A patch reads, changes and writes back: one write at a time, so a patch without a
   * resourceVersion never fails with a conflict, as on a real server.
   */
  private final Object writeLock = new Object();

  CustomResourceWrites(Dispatcher store, ObjectMapper mapper, Admission admission) {
    this.store = store;
    this.mapper = mapper;
    this.admission = admission;
    this.statuses = new ApiStatus(mapper);
  }

  MockResponse handle(RecordedRequest request, ResourcePath path, ServedResource resource) {
    // the request's options are checked before anything is read or decoded, as kube-apiserver does
    Optional<FieldValidation> fieldValidation = FieldValidation.fromQuery(path.query());
    if (fieldValidation.isEmpty()) {
      return statuses.response(
          statuses.failure(
              422,
              "Invalid",
              FieldValidation.unsupportedValueMessage(
                  optionsKind(request.getMethod()), path.query())));
    }
    synchronized (writeLock) {
      try {
        return switch (request.getMethod()) {
          case "POST" -> create(request, resource, fieldValidation.get());
          case "PUT" -> update(request, path, resource, fieldValidation.get());
          case "PATCH" -> patch(request, path, resource, fieldValidation.get());
          default -> store.dispatch(request);
        };
      } catch (IOException e) {
        return statuses.response(statuses.failure(400, "BadRequest", e.getMessage()));
      } catch (PatchDocument.InvalidPatchException e) {
        return statuses.response(
            statuses.failure(
                422, "UnprocessableEntity", "the patch cannot be applied: " + e.getMessage()));
      }
    }
  }

  private MockResponse create(
      RecordedRequest request, ServedResource resource, FieldValidation fieldValidation)
      throws IOException {
    ObjectNode object = objectIn(request, resource);
    if (resource.hasStatus()) {
      // with the status subresource, a create ignores status (CRD docs, "Status subresource")
      object.remove("status");
    }
    return admitted(request, HttpMethod.POST, request.getPath(), resource, object, fieldValidation);
  }

  private MockResponse update(
      RecordedRequest request,
      ResourcePath path,
      ServedResource resource,
      FieldValidation fieldValidation)
      throws IOException {
    Optional<JsonNode> current = current(request, path);
    if (current.isEmpty()) {
      return store.dispatch(request);
    }
    JsonNode sent = objectIn(request, resource);
    return admitted(
        request,
        HttpMethod.PUT,
        request.getPath(),
        resource,
        written(path, resource, current.get(), sent),
        fieldValidation);
  }

  private MockResponse patch(
      RecordedRequest request,
      ResourcePath path,
      ServedResource resource,
      FieldValidation fieldValidation)
      throws IOException {
    Optional<PatchDocument> type = PatchDocument.of(request.getHeader("Content-Type"));
    if (type.isEmpty()) {
      return statuses.response(
          statuses.failure(415, "UnsupportedMediaType", PatchDocument.UNSUPPORTED_MESSAGE));
    }
    Optional<JsonNode> current = current(request, path);
    if (current.isEmpty()) {
      return store.dispatch(request);
    }
    JsonNode patched = type.get().apply(mapper.readTree(request.getUtf8Body()), current.get());
    MockResponse stored =
        admitted(
            request,
            HttpMethod.PUT,
            request.getPath(),
            resource,
            written(path, resource, current.get(), patched),
            fieldValidation);
    return stored;
  }

  /**
   * The object to store: a write to {@code /status} changes only status, any other write leaves
   * status as it was (CRD docs, "Status subresource").
   */
  private ObjectNode written(
      ResourcePath path, ServedResource resource, JsonNode current, JsonNode sent) {
    if (path.isStatus()) {
      ObjectNode result = current.deepCopy();
      copyField(sent, result, "status");
      // a status write keeps the caller's resourceVersion for optimistic locking
      JsonNode version = sent.at("/metadata/resourceVersion");
      if (version.isTextual()) {
        result.with("metadata").set("resourceVersion", version);
      }
      return result;
    }
    ObjectNode result = sent.deepCopy();
    if (resource.hasStatus()) {
      copyField(current, result, "status");
    }
    return result;
  }

  private static void copyField(JsonNode from, ObjectNode to, String field) {
    if (from.has(field) && !from.get(field).isNull()) {
      to.set(field, from.get(field).deepCopy());
    } else {
      to.remove(field);
    }
  }

  private MockResponse admitted(
      RecordedRequest request,
      HttpMethod method,
      String path,
      ServedResource resource,
      ObjectNode object,
      FieldValidation fieldValidation) {
    if (!object.hasNonNull("kind")) {
      object.put("kind", resource.kind());
    }
    if (!object.hasNonNull("apiVersion")) {
      object.put("apiVersion", resource.groupVersion());
    }
    Admission.Decision decision = admission.admit(resource, object, fieldValidation);
    if (decision.refusal().isPresent()) {
      return statuses.response(decision.refusal().get());
    }
    MockResponse stored = store.dispatch(withBody(request, method, path, decision.stored()));
    // RFC 7234 warn-code 299 with an empty agent, as kube-apiserver writes its warnings
    decision.warnings().forEach(warning -> stored.addHeader("Warning", "299 - " + quoted(warning)));
    return stored;
  }

  private static String optionsKind(String method) {
    return switch (method) {
      case "POST" -> "CreateOptions";
      case "PATCH" -> "PatchOptions";
      default -> "UpdateOptions";
    };
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The request's body, which must be a JSON object, as kube-apiserver's decoder requires. */
  private ObjectNode objectIn(RecordedRequest request, ServedResource resource) throws IOException {
    if (mapper.readTree(request.getUtf8Body()) instanceof ObjectNode object) {
      return object;
    }
    throw new IOException(
        "the object provided is unrecognized (must be of type %s): not a JSON object"
            .formatted(resource.kind()));
  }

  private Optional<JsonNode> current(RecordedRequest request, ResourcePath path)
      throws IOException {
    MockResponse response =
        store.dispatch(withBody(request, HttpMethod.GET, path.objectPath(), null));
    if (response.code() != 200) {
      return Optional.empty();
    }
    return Optional.of(mapper.readTree(response.getBody().readUtf8()));
  }

  private static RecordedRequest withBody(
      RecordedRequest original, HttpMethod method, String path, JsonNode body) {
    Buffer buffer = new Buffer();
    if (body != null) {
      buffer.writeUtf8(body.toString());
    }
    return new RecordedRequest(
        original.getHttpVersion(),
        method,
        path,
        original.getHeaders().newBuilder().set("Content-Type", JSON).build(),
        buffer);
  }
}
