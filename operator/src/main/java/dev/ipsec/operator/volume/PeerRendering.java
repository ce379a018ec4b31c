package dev.ipsec.operator.volume;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One peer's files, by logical path: what a rendering made of it, or what a volume holds of it.
 *
 * @param config public files (its {@code conf.d} file, certificates, public keys)
 * @param secrets secret files (its {@code secrets.d} file, private keys)
 */
public record PeerRendering(SortedMap<String, String> config, SortedMap<String, byte[]> secrets) {

  public PeerRendering {
    config = Collections.unmodifiableSortedMap(new TreeMap<>(config));
    secrets = Collections.unmodifiableSortedMap(new TreeMap<>(secrets));
  }

  /** Whether both hold the same files with the same bytes. */
  public boolean sameFilesAs(PeerRendering other) {
    return config.equals(other.config) && sameBytes(secrets, other.secrets);
  }

  private static boolean sameBytes(Map<String, byte[]> a, Map<String, byte[]> b) {
    return a.keySet().equals(b.keySet())
        && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), b.get(e.getKey())));
  }

  @Override
  public String toString() {
    // never the secret files' content
    return "PeerRendering[config=" + config.keySet() + ", secrets=" + secrets.keySet() + "]";
  }
}
