package dev.ipsec.operator.render;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The referenced data of one peer's rendering, noting which Secrets it actually read: those are
 * what its files are made from ({@link RenderedFrom}), whatever path of the spec named them.
 */
final class RecordedReferences implements ReferencedData {

  private final ReferencedData delegate;
  private final SortedMap<String, String> secretsRead = new TreeMap<>();
  private final Set<String> lookedUp = new TreeSet<>();

  RecordedReferences(ReferencedData delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<byte[]> secret(String name, String key) {
    lookedUp.add("Secret/" + name);
    Optional<byte[]> value = delegate.secret(name, key);
    if (value.isPresent()) {
      secretsRead.put(name, delegate.secretUid(name).orElse(""));
    }
    return value;
  }

  @Override
  public Optional<String> configMap(String name, String key) {
    lookedUp.add("ConfigMap/" + name);
    return delegate.configMap(name, key);
  }

  @Override
  public Optional<String> secretUid(String name) {
    return delegate.secretUid(name);
  }

  /** Secret name -> uid ({@code ""} when unknown) of every Secret read so far. */
  SortedMap<String, String> secretsRead() {
    return new TreeMap<>(secretsRead);
  }

  @Override
  public String version(String kindAndName) {
    return delegate.version(kindAndName);
  }

  /**
   * The version of every Secret and ConfigMap looked up so far, by {@code Kind/name}; null when one
   * is not known.
   */
  Map<String, String> versionsRead() {
    Map<String, String> versions = new TreeMap<>();
    for (String object : lookedUp) {
      String version = delegate.version(object);
      if (version == null) {
        return null;
      }
      versions.put(object, version);
    }
    return versions;
  }

  @Override
  public String toString() {
    return "RecordedReferences[" + delegate + "]"; // never values
  }
}
