package dev.ipsec.operator.agent.volume;

import dev.ipsec.operator.manifest.ConfigManifest;
import dev.ipsec.operator.settings.ConfigTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The files of a configuration volume that no manifest lists: left over from an older revision
 * while the kubelet catches up, or added by someone else's ConfigMap or Secret named like a shard.
 * They are never read, only named, by their names in the volume ({@code conf.d..x.conf}; a nested
 * file by its relative path).
 *
 * <p>Not unlisted: the manifests themselves and the kubelet's own entries ({@code ..data}, {@code
 * ..<timestamp>}, {@code ..data_tmp}), and a listed path's file. Where a logical path has both a
 * nested and a flat file, the one not read (the flat one, see {@link ConfigTree#locate}) is.
 */
final class UnlistedFiles {

  private static final Set<String> CONTROL_FILES =
      Set.of(ConfigManifest.PUBLIC_FILE, ConfigManifest.SECRET_FILE);

  /** Listed paths have at most four components; nothing deeper is walked. */
  private static final int MAX_DEPTH = 4;

  private final Path root;
  private final Path realRoot;
  private final ConfigTree tree;
  private final Set<String> listed;
  private final List<String> unlisted = new ArrayList<>();

  private UnlistedFiles(Path root, ConfigTree tree, Set<String> listed) throws IOException {
    this.root = root;
    this.realRoot = root.toRealPath();
    this.tree = tree;
    this.listed = listed;
  }

  /**
   * @param listed the logical paths the manifests list
   * @throws IOException when the volume's root cannot be listed
   */
  static List<String> in(Path root, ConfigTree tree, Set<String> listed) throws IOException {
    UnlistedFiles files = new UnlistedFiles(root, tree, listed);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(ConfigTree.SEPARATOR) && !CONTROL_FILES.contains(name)) {
          files.collect(entry, name, 1);
        }
      }
    }
    files.unlisted.sort(null);
    return List.copyOf(files.unlisted);
  }

  private void collect(Path entry, String name, int depth) {
    if (!Files.isDirectory(entry)) {
      if (!isListed(name)) {
        unlisted.add(name);
      }
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

  /** Whether {@code name} (relative to the root) is the file that holds a listed path. */
  private boolean isListed(String name) {
    String logical = name.contains("/") ? name : ConfigTree.decode(name).orElse(name);
    return listed.contains(logical)
        && tree.locate(root.resolve(logical)).equals(root.resolve(name).normalize());
  }

  private boolean inside(Path directory) {
    try {
      return directory.toRealPath().startsWith(realRoot);
    } catch (IOException e) {
      return false;
    }
  }
}
