package dev.ipsec.operator.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the agent's two HTTP servers do alike: GET only, whole bodies, query parameters. */
final class Exchanges {

  static final String TEXT = "text/plain; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger(Exchanges.class);

  private Exchanges() {}

  /** A handler that answers {@code 405} to anything but GET and always closes the exchange. */
  static HttpHandler getOnly(HttpHandler handler) {
    return exchange -> {
      try (exchange) {
        if (refusedMethod(exchange)) {
          return;
        }
        handler.handle(exchange);
      } catch (IOException | RuntimeException e) {
        LOG.debug("HTTP {} failed", exchange.getRequestURI().getPath(), e);
      }
    };
  }

  /** Answers {@code 405} (and true) unless the request is a GET. */
  static boolean refusedMethod(HttpExchange exchange) throws IOException {
    if ("GET".equals(exchange.getRequestMethod())) {
      return false;
    }
    exchange.getResponseHeaders().add("Allow", "GET");
    send(exchange, 405, TEXT, "only GET\n");
    return true;
  }

  static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }
}
