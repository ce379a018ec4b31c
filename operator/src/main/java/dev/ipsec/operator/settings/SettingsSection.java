package dev.ipsec.operator.settings;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One section of a strongSwan settings tree: ordered key-values and ordered sub-sections.
 *
 * <p>Order matters (auth rounds are taken in order, swanctl sends keys in file order), so both maps
 * keep insertion order. Merging follows strongSwan: a section that appears twice is one section,
 * and a key set again keeps its first position but takes the later value. Each section remembers
 * the files that contributed to it, so a failed file can be mapped back to the connections it
 * defines.
 */
public final class SettingsSection {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, SettingsSection> sections = new LinkedHashMap<>();
  private final Set<Path> sources = new LinkedHashSet<>();

  public Map<String, String> values() {
    return Collections.unmodifiableMap(values);
  }

  public Map<String, SettingsSection> sections() {
    return Collections.unmodifiableMap(sections);
  }

  public Optional<SettingsSection> section(String name) {
    return Optional.ofNullable(sections.get(name));
  }

  public Optional<String> value(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** The files (absolute, normalized) whose text defined part of this section or its children. */
  public Set<Path> sources() {
    return Collections.unmodifiableSet(sources);
  }

  public SettingsSection put(String key, String value) {
    values.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
    return this;
  }

  /** The sub-section {@code name}, created empty if absent. */
  public SettingsSection child(String name) {
    return sections.computeIfAbsent(Objects.requireNonNull(name), n -> new SettingsSection());
  }

  void addSource(Path file) {
    sources.add(file);
  }

  /**
   * Merges {@code other} into this section (strongSwan semantics: later keys win, sections merge).
   */
  public void merge(SettingsSection other) {
    values.putAll(other.values);
    sources.addAll(other.sources);
    other.sections.forEach((name, section) -> child(name).merge(section));
  }

  /** Equal content (keys, values, sections and their order); sources are not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SettingsSection other
        && values.equals(other.values)
        && sections.equals(other.sections)
        && values.keySet().stream().toList().equals(other.values.keySet().stream().toList())
        && sections.keySet().stream().toList().equals(other.sections.keySet().stream().toList());
  }

  @Override
  public int hashCode() {
    return Objects.hash(values, sections);
  }

  /** Shows the structure only: values may be secrets. */
  @Override
  public String toString() {
    return "SettingsSection{keys=" + values.keySet() + ", sections=" + sections.keySet() + "}";
  }
}
