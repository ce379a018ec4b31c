package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.util.Optional;

/**
 * The answers of a real API server to "what may I do?" ({@code authorization.k8s.io}
 * SelfSubjectRulesReview and SelfSubjectAccessReview), which every authenticated user may ask
 * (Kubernetes' default {@code system:basic-user} role). The embedded server authorizes everything,
 * so it answers as a real one does for a cluster admin: every verb on every resource, allowed.
 * These reviews are never stored, as on a real server; JOSDK asks one before it runs leader
 * election.
 */
final class SelfSubjectReviews {
  private static final String PREFIX = "/apis/authorization.k8s.io/v1/";
  private final ObjectMapper mapper;
  private final ApiStatus statuses;

  SelfSubjectReviews(ObjectMapper mapper, ApiStatus statuses) {
    this.mapper = mapper;
    this.statuses = statuses;
  }

  Optional<MockResponse> answer(RecordedRequest request) {
    if (!"POST".equals(request.getMethod())) {
      return Optional.empty();
    }
    String path = request.getPath();
    String pathOnly = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    boolean rules = pathOnly.equals(PREFIX + "selfsubjectrulesreviews");
    boolean access = pathOnly.equals(PREFIX + "selfsubjectaccessreviews");
    if (!rules && !access) {
      return Optional.empty();
    }
    try {
      ObjectNode review = (ObjectNode) mapper.readTree(request.getUtf8Body());
      ObjectNode status = review.putObject("status");
      if (rules) {
        ObjectNode everything = status.putArray("resourceRules").addObject();
        everything.putArray("verbs").add("*");
        everything.putArray("apiGroups").add("*");
        everything.putArray("resources").add("*");
        ObjectNode urls = status.putArray("nonResourceRules").addObject();
        urls.putArray("verbs").add("*");
        urls.putArray("nonResourceURLs").add("*");
        status.put("incomplete", false);
      } else {
        status.put("allowed", true);
      }
      return Optional.of(
          new MockResponse()
              .setResponseCode(201)
              .addHeader("Content-Type", "application/json")
              .setBody(review.toString()));
    } catch (IOException | ClassCastException e) {
      return Optional.of(
          statuses.response(statuses.failure(400, "BadRequest", "not a review object")));
    }
  }
}
