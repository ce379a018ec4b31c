package dev.ipsec.operator.vici;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One VICI message: an ordered tree of key-values, lists of strings and sub-sections.
 *
 * <p>Values are kept as the protocol carries them (strings); each entry is a {@link String}, a
 * {@code List<String>} or a nested {@link ViciMessage}. Insertion order is kept because charon
 * reads some sections (auth rounds) in order.
 *
 * <p>Names may be empty: charon uses an empty section name in some answers (get-counters). The wire
 * limits (255-byte names, 65535-byte values, 512 KiB per message) are enforced by {@link
 * ViciCodec}.
 *
 * <p>{@link #toString()} redacts the values of {@link #SECRET_KEYS}, so a message carrying a PSK or
 * a private key can be logged by accident without leaking it.
 */
public final class ViciMessage {

  /** Keys whose values are secrets in some command (load-shared, load-key) or swanctl section. */
  public static final Set<String> SECRET_KEYS = Set.of("data", "secret");

  private final LinkedHashMap<String, Object> entries = new LinkedHashMap<>();

  public static ViciMessage empty() {
    return new ViciMessage();
  }

  public ViciMessage put(String key, String value) {
    entries.put(checkKey(key), Objects.requireNonNull(value, "value"));
    return this;
  }

  public ViciMessage putList(String key, List<String> values) {
    entries.put(checkKey(key), List.copyOf(values));
    return this;
  }

  public ViciMessage putSection(String key, ViciMessage section) {
    entries.put(checkKey(key), Objects.requireNonNull(section, "section"));
    return this;
  }

  public boolean has(String key) {
    return entries.containsKey(key);
  }

  public Optional<String> string(String key) {
    return entries.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  public List<String> list(String key) {
    return entries.get(key) instanceof List<?> l ? castList(l) : List.of();
  }

  public Optional<ViciMessage> section(String key) {
    return entries.get(key) instanceof ViciMessage m ? Optional.of(m) : Optional.empty();
  }

  /** The value of a key-value, or {@code fallback} when absent. */
  public String string(String key, String fallback) {
    return string(key).orElse(fallback);
  }

  /** The sub-sections in wire order, keyed by name (key-values and lists left out). */
  public Map<String, ViciMessage> sections() {
    Map<String, ViciMessage> sections = new LinkedHashMap<>();
    entries.forEach(
        (k, v) -> {
          if (v instanceof ViciMessage m) {
            sections.put(k, m);
          }
        });
    return sections;
  }

  /** The entries in wire order; values are String, List&lt;String&gt; or ViciMessage. */
  public Map<String, Object> entries() {
    return Collections.unmodifiableMap(entries);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(List<?> l) {
    return (List<String>) l;
  }

  private static String checkKey(String key) {
    return Objects.requireNonNull(key, "key");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViciMessage other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    entries.forEach((k, v) -> parts.add(k + "=" + (SECRET_KEYS.contains(k) ? "<redacted>" : v)));
    return "{" + String.join(", ", parts) + "}";
  }
}
