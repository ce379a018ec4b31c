package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Plain HTTP calls to the embedded API server, the way kubectl makes them. */
final class ApiCalls {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String baseUrl;

  ApiCalls(EmbeddedApiServer server) {
    this.baseUrl = server.url().replaceAll("/$", "");
  }

  /**
   * A response: the code, the body as JSON (a missing node when the body is empty) and the values
   * of its {@code Warning} headers.
   */
  record Answer(int code, JsonNode body, List<String> warnings) {}

  Answer send(String method, String path, String contentType, String body) {
    return send(method, path, contentType, body, "application/json");
  }

  Answer send(String method, String path, String contentType, String body, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", accept);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json =
          response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
      return new Answer(response.statusCode(), json, response.headers().allValues("Warning"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Answer get(String path) {
    return send("GET", path, null, null);
  }

  Answer post(String path, String json) {
    return send("POST", path, "application/json", json);
  }

  Answer put(String path, String json) {
    return send("PUT", path, "application/json", json);
  }

  Answer patch(String path, String contentType, String patch) {
    return send("PATCH", path, contentType, patch);
  }
}
