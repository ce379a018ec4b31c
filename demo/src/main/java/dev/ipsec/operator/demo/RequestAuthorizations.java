package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a real kube-apiserver authorizes for one HTTP request: the request itself (verb, group,
 * resource, namespace, name), and for a write whose object has an owner reference with {@code
 * blockOwnerDeletion: true}, the {@code update} of the owner's {@code finalizers} subresource that
 * the OwnerReferencesPermissionEnforcement admission plugin checks. That check never shows up as a
 * request of its own, yet without the permission a real server refuses the write.
 */
final class RequestAuthorizations {
  private final ObjectMapper mapper;
  private final List<ServedResource> served;

  RequestAuthorizations(ObjectMapper mapper, List<ServedResource> served) {
    this.mapper = mapper;
    this.served = served;
  }

  List<ApiRequest> of(RecordedRequest request) {
    String method = request.getMethod();
    String agent = request.getHeader("User-Agent");
    Optional<JsonNode> body = writeBody(request);
    String bodyName =
        "POST".equals(method)
            ? body.map(b -> b.path("metadata").path("name").asText("")).orElse("")
            : "";
    ApiRequest main = ApiRequest.of(method, request.getPath(), agent, bodyName);
    List<ApiRequest> all = new ArrayList<>(List.of(main));
    body.ifPresent(
        b -> {
          for (JsonNode owner : b.path("metadata").path("ownerReferences")) {
            if (owner.path("blockOwnerDeletion").asBoolean(false)) {
              ownerResource(owner)
                  .ifPresent(
                      resource ->
                          all.add(
                              ApiRequest.ownerFinalizersCheck(
                                  resource.group(),
                                  resource.plural(),
                                  main.namespace(),
                                  owner.path("name").asText(""),
                                  agent)));
            }
          }
        });
    return all;
  }

  private Optional<JsonNode> writeBody(RecordedRequest request) {
    String method = request.getMethod();
    if (!"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method)) {
      return Optional.empty();
    }
    if (request.getBody() == null || request.getBody().size() == 0) {
      return Optional.empty();
    }
    try {
      JsonNode body =
          mapper.readTree(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
      return body != null && body.isObject() ? Optional.of(body) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // a JSON patch (an array) or no JSON: no metadata to look at
    }
  }

  private Optional<ServedResource> ownerResource(JsonNode owner) {
    String apiVersion = owner.path("apiVersion").asText("");
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String kind = owner.path("kind").asText("");
    return served.stream()
        .filter(r -> r.group().equals(group) && r.kind().equals(kind))
        .findFirst();
  }
}
