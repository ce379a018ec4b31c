package dev.ipsec.operator.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code fieldSelector} query parameter ({@code involvedObject.name=site-b,type!=Normal}): every
 * term must hold (Kubernetes docs, "Field Selectors"). The CRUD store ignores the involvedObject
 * fields of Events, which is why {@code kubectl describe} showed no events.
 */
final class FieldSelector {
  private record Term(String path, String value, boolean equal) {}

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = terms;
  }

  /** The selector in a query string, if there is one. */
  static Optional<FieldSelector> fromQuery(String query) {
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("fieldSelector=")) {
        String selector =
            URLDecoder.decode(
                parameter.substring("fieldSelector=".length()), StandardCharsets.UTF_8);
        return Optional.of(parse(selector));
      }
    }
    return Optional.empty();
  }

  static FieldSelector parse(String selector) {
    List<Term> terms = new ArrayList<>();
    for (String term : selector.split(",")) {
      if (term.isBlank()) {
        continue;
      }
      int notEqual = term.indexOf("!=");
      if (notEqual >= 0) {
        terms.add(new Term(term.substring(0, notEqual), term.substring(notEqual + 2), false));
      } else {
        String[] sides = term.split("==?", 2);
        terms.add(new Term(sides[0], sides.length > 1 ? sides[1] : "", true));
      }
    }
    return new FieldSelector(terms);
  }

  boolean matches(JsonNode object) {
    for (Term term : terms) {
      JsonNode value = object.at("/" + term.path().trim().replace('.', '/'));
      String text = value.isValueNode() ? value.asText() : "";
      if (text.equals(term.value()) != term.equal()) {
        return false;
      }
    }
    return true;
  }

  /** The query without its fieldSelector, for the store, which would misread it. */
  static String withoutSelector(String query) {
    List<String> kept = new ArrayList<>();
    for (String parameter : query.split("&")) {
      if (!parameter.isEmpty() && !parameter.startsWith("fieldSelector=")) {
        kept.add(parameter);
      }
    }
    return String.join("&", kept);
  }
}
