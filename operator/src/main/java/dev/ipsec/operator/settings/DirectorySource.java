package dev.ipsec.operator.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration directory on disk, nested or flat alike ({@link ConfigTree}). Each instance is
 * meant for one parse: it caches which folders resolve inside the directory.
 */
public final class DirectorySource implements SettingsSource {

  private final Path root;
  private final Path realRoot;
  private final ConfigTree tree;
  private final Map<Path, Boolean> foldersInside = new HashMap<>();

  public DirectorySource(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.tree = new ConfigTree(this.root);
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public String read(Path file) throws IOException {
    return Files.readString(tree.locate(file), StandardCharsets.UTF_8);
  }

  @Override
  public boolean exists(Path path) {
    return tree.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) {
    return tree.isDirectory(path);
  }

  @Override
  public List<Path> children(Path directory) {
    return tree.children(directory);
  }

  /**
   * Resolving every file of a large configuration costs a path walk each, so a regular file is
   * checked through its folder, whose answer is cached; only symlinks are resolved one by one.
   */
  @Override
  public boolean resolvesInside(Path logical) {
    Path file = tree.locate(logical);
    try {
      if (Files.isSymbolicLink(file)) {
        return file.toRealPath().startsWith(realRoot);
      }
      Path folder = file.getParent();
      Boolean inside = foldersInside.get(folder);
      if (inside == null) {
        inside = folder.toRealPath().startsWith(realRoot);
        foldersInside.put(folder, inside);
      }
      return inside;
    } catch (IOException e) {
      return false;
    }
  }
}
