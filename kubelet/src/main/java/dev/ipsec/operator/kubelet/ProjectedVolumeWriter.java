package dev.ipsec.operator.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a volume the way the kubelet's atomic writer does for ConfigMap, Secret and projected
 * volumes, so the agent sees exactly what it sees in a pod: the payload lives in a timestamped
 * directory {@code ..<timestamp>}, {@code ..data} is a symlink to it, each top-level entry is a
 * symlink through {@code ..data}, and an update swaps {@code ..data} with one atomic rename.
 */
public final class ProjectedVolumeWriter {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS");
  private static final String DATA = "..data";

  private final Path target;

  public ProjectedVolumeWriter(Path target) {
    this.target = target;
  }

  /**
   * Replaces the whole content of the volume with {@code payload} (relative path to bytes). Readers
   * see either the old or the new content, never a mix.
   */
  public synchronized void write(Map<String, byte[]> payload) {
    try {
      Files.createDirectories(target);
      Path previous = currentDataDirectory();
      Path fresh =
          Files.createDirectory(
              target.resolve(".." + LocalDateTime.now().format(STAMP) + "." + System.nanoTime()));
      for (Map.Entry<String, byte[]> file : payload.entrySet()) {
        Path path = safeResolve(fresh, file.getKey());
        Files.createDirectories(path.getParent());
        Files.write(path, file.getValue());
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Path tmpLink = target.resolve("..data_tmp");
      Files.deleteIfExists(tmpLink);
      Files.createSymbolicLink(tmpLink, fresh.getFileName());
      try {
        Files.move(tmpLink, target.resolve(DATA), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the volume's file system cannot swap ..data atomically", e);
      }
      linkTopLevelEntries(payload.keySet());
      if (previous != null) {
        deleteRecursively(previous);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write projected volume " + target, e);
    }
  }

  private Path currentDataDirectory() throws IOException {
    Path data = target.resolve(DATA);
    return Files.isSymbolicLink(data) ? target.resolve(Files.readSymbolicLink(data)) : null;
  }

  private void linkTopLevelEntries(Set<String> paths) throws IOException {
    Set<String> wanted = new HashSet<>();
    for (String path : paths) {
      wanted.add(path.split("/", 2)[0]);
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith("..") && Files.isSymbolicLink(entry) && !wanted.contains(name)) {
          Files.delete(entry);
        }
      }
    }
    for (String name : wanted) {
      Path link = target.resolve(name);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(DATA, name));
      }
    }
  }

  private static Path safeResolve(Path base, String relative) {
    Path resolved = base.resolve(relative).normalize();
    if (relative.isEmpty()
        || relative.startsWith("/")
        || !resolved.startsWith(base)
        || relative.startsWith("..")) {
      throw new IllegalArgumentException("volume path escapes the volume: " + relative);
    }
    return resolved;
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
