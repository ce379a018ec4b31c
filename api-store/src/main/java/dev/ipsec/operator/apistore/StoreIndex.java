package dev.ipsec.operator.apistore;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The keys of fabric8's CRUD store, in the store's own order, indexed by the attributes every
 * request names: the resource ({@code plural}), {@code namespace} and {@code name}. A query is
 * answered from the smallest list of candidates one of its attributes selects, and each candidate
 * is still checked with fabric8's own {@link AttributeSet#matches}, so the answer is the scan's
 * answer: the same keys, in the same order.
 *
 * <p>Why these attributes: the store's keys cannot be enumerated (fabric8 keeps an {@link
 * AttributeSet}'s attributes package-private), and these three are the ones in every path. A label
 * or field selector is checked on the candidates of the resource's list.
 *
 * <p>The order is the store's: fabric8 keeps its objects in a {@link java.util.LinkedHashMap}, so a
 * new key goes to the end and a key put again keeps its place. Each key gets a sequence number when
 * it enters, and candidates are returned by it.
 *
 * <p>fabric8's {@link Value} {@code "*"} equals every value: a key with a wildcard in an indexed
 * attribute can match any query for it, so it is a candidate of every query on that attribute; and
 * a query with a wildcard in an attribute does not use that attribute's index.
 */
final class StoreIndex {
  static final List<String> INDEXED = List.of("plural", "namespace", "name");
  private static final String WILDCARD = "*";

  /** One attribute as exact values: the index's key. */
  private record Term(String attribute, List<String> values) {}

  private final Map<AttributeSet, Long> sequence = new HashMap<>();
  private final NavigableMap<Long, AttributeSet> inOrder = new TreeMap<>();
  private final Map<Term, NavigableMap<Long, AttributeSet>> byTerm = new HashMap<>();

  /** Keys with a wildcard (or no value) in an indexed attribute, which any value may match. */
  private final Map<String, NavigableMap<Long, AttributeSet>> byWildcard = new HashMap<>();

  private long next;

  /** As {@code LinkedHashMap.put}: a new key goes last, a key already there keeps its place. */
  synchronized void put(AttributeSet key) {
    if (sequence.containsKey(key)) {
      return;
    }
    long seq = next++;
    sequence.put(key, seq);
    inOrder.put(seq, key);
    for (String attribute : INDEXED) {
      exactValues(key.getAttribute(attribute))
          .ifPresentOrElse(
              values ->
                  byTerm
                      .computeIfAbsent(new Term(attribute, values), t -> new TreeMap<>())
                      .put(seq, key),
              () -> {
                if (key.containsKey(attribute)) {
                  byWildcard.computeIfAbsent(attribute, a -> new TreeMap<>()).put(seq, key);
                }
              });
    }
  }

  /** As {@code LinkedHashMap.remove}: the key equal to this one, if any, goes. */
  synchronized void remove(AttributeSet key) {
    Long seq = sequence.remove(key);
    if (seq == null) {
      return;
    }
    AttributeSet stored = inOrder.remove(seq);
    for (String attribute : INDEXED) {
      Optional<List<String>> values = exactValues(stored.getAttribute(attribute));
      if (values.isPresent()) {
        removeFrom(byTerm, new Term(attribute, values.get()), seq);
      } else {
        removeFrom(byWildcard, attribute, seq);
      }
    }
  }

  synchronized void clear() {
    sequence.clear();
    inOrder.clear();
    byTerm.clear();
    byWildcard.clear();
  }

  synchronized int size() {
    return sequence.size();
  }

  /** Every key that matches the query, in the store's order: what a scan of the store finds. */
  synchronized List<AttributeSet> matching(AttributeSet query) {
    List<AttributeSet> found = new ArrayList<>();
    for (AttributeSet candidate : candidates(query)) {
      if (candidate.matches(query)) {
        found.add(candidate);
      }
    }
    return found;
  }

  /** The first key that matches the query in the store's order, or none. */
  synchronized Optional<AttributeSet> first(AttributeSet query) {
    for (AttributeSet candidate : candidates(query)) {
      if (candidate.matches(query)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The fewest keys that can match: those holding the exact values of one of the query's indexed
   * attributes, with those holding a wildcard there; every key when the query names none.
   */
  private Iterable<AttributeSet> candidates(AttributeSet query) {
    Iterable<AttributeSet> best = inOrder.values();
    int fewest = inOrder.size();
    for (String attribute : INDEXED) {
      Attribute asked = query.getAttribute(attribute);
      if (asked == null || asked.getType() != AttributeType.WITH) {
        continue;
      }
      Optional<List<String>> values = exactValues(asked);
      if (values.isEmpty()) {
        continue;
      }
      NavigableMap<Long, AttributeSet> exact =
          byTerm.getOrDefault(new Term(attribute, values.get()), new TreeMap<>());
      NavigableMap<Long, AttributeSet> wildcards =
          byWildcard.getOrDefault(attribute, new TreeMap<>());
      int count = exact.size() + wildcards.size();
      if (count < fewest) {
        fewest = count;
        best = merged(exact, wildcards);
      }
    }
    return best;
  }

  private static Iterable<AttributeSet> merged(
      NavigableMap<Long, AttributeSet> exact, NavigableMap<Long, AttributeSet> wildcards) {
    if (wildcards.isEmpty()) {
      return exact.values();
    }
    NavigableMap<Long, AttributeSet> both = new TreeMap<>(exact);
    both.putAll(wildcards);
    return both.values();
  }

  /** The attribute's values when none is a wildcard (or null): then only equal values match. */
  private static Optional<List<String>> exactValues(Attribute attribute) {
    if (attribute == null || attribute.getValues().isEmpty()) {
      return Optional.empty();
    }
    List<String> values = new ArrayList<>(attribute.getValues().size());
    for (Value value : attribute.getValues()) {
      String text = value.toString();
      if (text == null || WILDCARD.equals(text)) {
        return Optional.empty();
      }
      values.add(text);
    }
    return Optional.of(List.copyOf(values));
  }

  private static <K> void removeFrom(
      Map<K, NavigableMap<Long, AttributeSet>> index, K term, long seq) {
    NavigableMap<Long, AttributeSet> keys = index.get(term);
    if (keys != null) {
      keys.remove(seq);
      if (keys.isEmpty()) {
        index.remove(term);
      }
    }
  }
}
