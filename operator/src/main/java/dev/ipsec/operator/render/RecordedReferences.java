package dev.ipsec.operator.render;

import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The referenced data of one peer's rendering, noting which Secrets it actually read: those are
 * what its files are made from ({@link RenderedFrom}), whatever path of the spec named them.
 */
final class RecordedReferences implements ReferencedData {

  private final ReferencedData delegate;
  private final SortedMap<String, String> secretsRead = new TreeMap<>();

  RecordedReferences(ReferencedData delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<byte[]> secret(String name, String key) {
    Optional<byte[]> value = delegate.secret(name, key);
    if (value.isPresent()) {
      secretsRead.put(name, delegate.secretUid(name).orElse(""));
    }
    return value;
  }

  @Override
  public Optional<String> configMap(String name, String key) {
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
  public String toString() {
    return "RecordedReferences[" + delegate + "]"; // never values
  }
}
