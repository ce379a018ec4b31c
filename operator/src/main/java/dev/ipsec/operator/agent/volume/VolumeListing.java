package dev.ipsec.operator.agent.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.settings.ConfigTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files of a configuration volume, listed once per check: which file holds each logical path
 * ({@code conf.d/site-b.conf}, nested or flat as {@code conf.d..site-b.conf}; see {@link
 * ConfigTree}), and which files hold no listed path at all: left over from an older revision while
 * the kubelet catches up, or added by someone else's ConfigMap or Secret named like a shard. Those
 * are never read, only named, by their names in the volume.
 *
 * <p>Not files of the volume: the two root manifests and the kubelet's own entries ({@code ..data},
 * {@code ..<timestamp>}, {@code ..data_tmp}). The shards' manifests are files like any other:
 * listed by a root, or unlisted. Where a logical path has both a nested and a flat file, the nested
 * one holds it (as {@link ConfigTree#locate} decides) and the flat one is unlisted.
 */
final class VolumeListing {

  private static final Set<String> CONTROL_FILES =
      Set.of(ConfigManifest.PUBLIC_FILE, ConfigManifest.SECRET_FILE);

  /** Listed paths have at most four components; nothing deeper is walked. */
  private static final int MAX_DEPTH = 4;

  private final Path root;
  private final Path realRoot;

  /** Logical path -> the file that holds it. */
  private final Map<String, Path> holders = new HashMap<>();

  /** Every file by its name in the volume, with the logical path it stands for. */
  private final Map<String, String> logicalByName = new HashMap<>();

  private VolumeListing(Path root) throws IOException {
    this.root = root;
    this.realRoot = root.toRealPath();
  }

  /**
   * @throws IOException when the volume's root cannot be listed
   */
  static VolumeListing of(Path root) throws IOException {
    VolumeListing listing = new VolumeListing(root);
    Map<String, Path> flat = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(ConfigTree.SEPARATOR) || CONTROL_FILES.contains(name)) {
          continue;
        }
        Optional<String> decoded = ConfigTree.decode(name);
        if (decoded.isPresent()) {
          // the kubelet projects keys as files: a flat name is never walked as a folder
          listing.logicalByName.put(name, decoded.get());
          flat.put(decoded.get(), entry);
        } else {
          listing.collect(entry, name, 1);
        }
      }
    }
    flat.forEach(listing.holders::putIfAbsent);
    return listing;
  }

  private void collect(Path entry, String name, int depth) {
    holders.put(name, entry); // a folder where a file is listed is refused when read
    if (!Files.isDirectory(entry)) {
      logicalByName.put(name, name);
      return;
    }
    if (depth >= MAX_DEPTH || !inside(entry)) {
      return;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(entry)) {
      for (Path child : children) {
        collect(child, name + "/" + child.getFileName(), depth + 1);
      }
    } catch (IOException e) {
      // a folder that vanished in a swap holds nothing now
    }
  }

  private boolean inside(Path directory) {
    try {
      return directory.toRealPath().startsWith(realRoot);
    } catch (IOException e) {
      return false;
    }
  }

  /** The file that holds a logical path, if the volume has one. */
  Optional<Path> holderOf(String logicalPath) {
    return Optional.ofNullable(holders.get(logicalPath));
  }

  /** The names of the files that hold none of the {@code listed} paths, sorted. */
  List<String> unlisted(Set<String> listed) {
    List<String> unlisted = new ArrayList<>();
    logicalByName.forEach(
        (name, logical) -> {
          boolean holdsIt =
              listed.contains(logical) && root.resolve(name).equals(holders.get(logical));
          if (!holdsIt) {
            unlisted.add(name);
          }
        });
    unlisted.sort(null);
    return List.copyOf(unlisted);
  }
}
