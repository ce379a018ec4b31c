package dev.ipsec.operator.agent;

import dev.ipsec.operator.testing.TestManifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

/**
 * A directory written the way kubelet writes a projected volume (AtomicWriter): the files live in a
 * timestamped directory {@code ..<ts>}, {@code ..data} links to it, and every top-level name is a
 * symlink through {@code ..data}. An update writes a new timestamped directory, points {@code
 * ..data_tmp} at it, renames that over {@code ..data} (atomic) and deletes the old one.
 *
 * <p>Every generation carries the operator's two manifests listing its files as one revision
 * ({@link TestManifests}), so the agent loads it.
 */
final class ProjectedVolumeDir {

  private final Path root;
  private final ToIntFunction<String> shardOf;
  private final Map<String, String> files = new TreeMap<>();
  private Path current;
  private int generation;

  private ProjectedVolumeDir(Path root, ToIntFunction<String> shardOf) {
    this.root = root;
    this.shardOf = shardOf;
  }

  static ProjectedVolumeDir create(Path root, String revision, Map<String, String> files)
      throws IOException {
    return create(root, revision, files, path -> 0);
  }

  /**
   * A volume whose files are listed by the manifests of the shards {@code shardOf} names, as the
   * operator spreads many peers' files: one manifest of every file would pass the agent's 1 MiB
   * bound on a file from a few thousand peers on.
   */
  static ProjectedVolumeDir create(
      Path root, String revision, Map<String, String> files, ToIntFunction<String> shardOf)
      throws IOException {
    Files.createDirectories(root);
    ProjectedVolumeDir dir = new ProjectedVolumeDir(root, shardOf);
    dir.swap(revision, files);
    return dir;
  }

  Path root() {
    return root;
  }

  /** The files of the current generation (relative path to content), without the manifests. */
  Map<String, String> files() {
    return Map.copyOf(files);
  }

  /**
   * Replaces the whole content in one atomic {@code ..data} swap, as {@code revision}.
   *
   * @return {@link System#nanoTime()} right after the rename: the moment the new content is visible
   */
  long swap(String revision, Map<String, String> configFiles) throws IOException {
    Map<String, String> newFiles = TestManifests.withManifests(revision, configFiles, shardOf);
    generation++;
    Path data =
        root.resolve(String.format("..2026_11_26_00_00_%02d.%d", generation % 60, generation));
    for (Map.Entry<String, String> e : newFiles.entrySet()) {
      Path file = data.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
    }
    Files.createDirectories(data);
    Path tmp = root.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, data.getFileName());
    Files.move(
        tmp,
        root.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    long visible = System.nanoTime();

    Set<String> topLevel = new LinkedHashSet<>();
    newFiles.keySet().forEach(k -> topLevel.add(k.split("/")[0]));
    for (String name : topLevel) {
      Path link = root.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        Files.createSymbolicLink(link, Path.of("..data", name));
      }
    }
    Set<String> oldTopLevel = new LinkedHashSet<>();
    files.keySet().forEach(k -> oldTopLevel.add(k.split("/")[0]));
    oldTopLevel.removeAll(topLevel);
    for (String gone : oldTopLevel) {
      Files.deleteIfExists(root.resolve(gone));
    }
    if (current != null) {
      deleteTree(current);
    }
    current = data;
    files.clear();
    files.putAll(configFiles);
    return visible;
  }

  /**
   * One swap to {@code revision} that changes, adds ({@code content != null}) or removes ({@code
   * null}) files.
   */
  long update(String revision, Map<String, String> changes) throws IOException {
    Map<String, String> next = new TreeMap<>(files);
    changes.forEach(
        (k, v) -> {
          if (v == null) {
            next.remove(k);
          } else {
            next.put(k, v);
          }
        });
    return swap(revision, next);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
