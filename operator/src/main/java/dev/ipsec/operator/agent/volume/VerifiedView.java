package dev.ipsec.operator.agent.volume;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One complete revision of the configuration volume: every file the manifests list, by logical path
 * ({@code conf.d/site-b.conf}), with the bytes that were checked against the listed digest; the
 * shards' manifests are not files of the configuration and are left out. Whoever loads the revision
 * parses these bytes and reads nothing from disk again, so what is loaded is what was checked.
 *
 * @param revision the revision both root manifests name
 * @param files logical path -> content, the listed files only
 */
public record VerifiedView(String revision, SortedMap<String, byte[]> files) {

  public VerifiedView {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /** The content of a listed file; empty for a path no manifest lists. */
  public Optional<byte[]> file(String logicalPath) {
    return Optional.ofNullable(files.get(logicalPath));
  }

  /** Names only: the files hold keys and pre-shared secrets. */
  @Override
  public String toString() {
    return "VerifiedView{" + revision + ", " + files.size() + " files}";
  }
}
