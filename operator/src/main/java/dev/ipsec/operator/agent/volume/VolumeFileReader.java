package dev.ipsec.operator.agent.volume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one file of the configuration volume, once, with the checks a file from a volume that
 * others may have written into needs: it must resolve inside the volume (the kubelet's own links
 * through {@code ..data} do; a link out of it does not count), be a regular file and hold at most a
 * given number of bytes (a ConfigMap or Secret holds at most 1 MiB, so anything larger is not the
 * operator's).
 *
 * <p>One reader serves one check of the volume: it remembers which folders resolve inside it.
 */
final class VolumeFileReader {

  /** What one ConfigMap or Secret can hold at most. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  /**
   * The outcome of one read: the bytes, or nothing there ({@link #absent()}: also a kubelet link
   * whose generation was just swapped away), or something there that cannot be taken as the file
   * ({@code refusal} completes "the file ...").
   */
  record Outcome(byte[] content, String refusal) {
    static final Outcome ABSENT = new Outcome(null, null);

    static Outcome refused(String why) {
      return new Outcome(null, why);
    }

    boolean absent() {
      return content == null && refusal == null;
    }
  }

  private final Path realRoot;

  /** Whether each folder resolves inside the volume: files are many, folders few. */
  private final Map<Path, Boolean> foldersInside = new HashMap<>();

  /**
   * @throws IOException when the volume itself cannot be resolved
   */
  VolumeFileReader(Path root) throws IOException {
    this.realRoot = root.toRealPath();
  }

  Outcome read(Path file, int maxBytes) {
    Path real = file;
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        // a flat name in a projected volume: a link through ..data
        real = file.toRealPath();
        attributes =
            Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!real.startsWith(realRoot)) {
          return Outcome.refused("resolves outside the volume");
        }
      } else if (!folderInside(file.getParent())) {
        return Outcome.refused("resolves outside the volume");
      }
    } catch (NoSuchFileException e) {
      return Outcome.ABSENT;
    } catch (IOException e) {
      return Outcome.refused("cannot be resolved: " + e.getClass().getSimpleName());
    }
    if (!attributes.isRegularFile()) {
      return Outcome.refused("is not a regular file");
    }
    if (attributes.size() > maxBytes) {
      return Outcome.refused("is larger than " + maxBytes + " bytes");
    }
    // read the resolved path without following links, so the file read is the file checked
    try (InputStream in =
        Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        return Outcome.refused("is larger than " + maxBytes + " bytes");
      }
      return new Outcome(bytes, null);
    } catch (NoSuchFileException e) {
      return Outcome.ABSENT;
    } catch (IOException e) {
      return Outcome.refused("cannot be read: " + e.getClass().getSimpleName());
    }
  }

  private boolean folderInside(Path folder) throws IOException {
    Boolean inside = foldersInside.get(folder);
    if (inside == null) {
      inside = folder.toRealPath().startsWith(realRoot);
      foldersInside.put(folder, inside);
    }
    return inside;
  }
}
