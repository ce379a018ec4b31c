package dev.ipsec.operator.settings;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The files of a configuration directory by their logical paths ({@code conf.d/site-b.conf}),
 * whether the directory holds them nested, as {@code render --out} writes it, or flat, as a
 * projected volume without {@code items} does: ConfigMap and Secret keys cannot contain {@code /},
 * so the operator encodes it as {@value #SEPARATOR} and the file {@code conf.d..site-b.conf} at the
 * root stands for {@code conf.d/site-b.conf}.
 *
 * <p>Names at the root that start with {@code ..} are the kubelet's own ({@code ..data}, {@code
 * ..2026_11_27_...}) and never stand for a file; nor does any other dot-name.
 *
 * <p>All paths in and out are absolute logical paths under {@link #root()}; {@link #locate} maps
 * one to the file that holds its content and looks at the disk every time. A tree is a view of one
 * read for {@link #children} and {@link #isDirectory}: they list the root once, on first use.
 */
public final class ConfigTree {

  /** Stands for {@code /} in a flat name: the renderer never puts {@code ..} into a path. */
  public static final String SEPARATOR = "..";

  private final Path root;

  /** Logical relative path -> the flat file at the root that holds it; null until listed. */
  private Map<String, Path> flatFiles;

  /** Logical relative directories that exist only through flat names. */
  private final Set<String> flatDirectories = new HashSet<>();

  public ConfigTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  private Map<String, Path> flatFiles() {
    if (flatFiles != null) {
      return flatFiles;
    }
    flatFiles = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        decode(entry.getFileName().toString())
            .ifPresent(
                logical -> {
                  flatFiles.put(logical, entry);
                  for (int slash = logical.indexOf('/');
                      slash > 0;
                      slash = logical.indexOf('/', slash + 1)) {
                    flatDirectories.add(logical.substring(0, slash));
                  }
                });
      }
    } catch (IOException e) {
      // an unreadable or missing root has no flat files; reading swanctl.conf reports it
    }
    return flatFiles;
  }

  private Set<String> flatDirectories() {
    flatFiles();
    return flatDirectories;
  }

  public Path root() {
    return root;
  }

  /**
   * The logical path a flat name stands for, or empty when the name is not a flat name: it has no
   * {@value #SEPARATOR}, starts with a dot (kubelet internals, hidden files) or has an empty
   * component.
   */
  public static Optional<String> decode(String name) {
    if (name.startsWith(".") || !name.contains(SEPARATOR)) {
      return Optional.empty();
    }
    String logical = name.replace(SEPARATOR, "/");
    for (String component : logical.split("/", -1)) {
      if (component.isEmpty() || component.startsWith(".")) {
        return Optional.empty();
      }
    }
    return Optional.of(logical);
  }

  /**
   * The file that holds a logical path: the nested file when there is one, else the flat file, else
   * the logical path itself (which does not exist). Looks at the disk on every call.
   */
  public Path locate(Path logical) {
    Path normalized = logical.toAbsolutePath().normalize();
    if (Files.exists(normalized)
        || !normalized.startsWith(root)
        || normalized.getNameCount() - root.getNameCount() < 2) {
      return normalized;
    }
    Path flat = root.resolve(String.join(SEPARATOR, components(root.relativize(normalized))));
    return Files.exists(flat) ? flat : normalized;
  }

  public boolean exists(Path logical) {
    return Files.exists(locate(logical)) || isDirectory(logical);
  }

  /** A real directory, or one that exists only because flat names lie inside it. */
  public boolean isDirectory(Path logical) {
    Path normalized = logical.toAbsolutePath().normalize();
    return Files.isDirectory(normalized)
        || normalized.startsWith(root) && flatDirectories().contains(relative(normalized));
  }

  /**
   * The logical entries directly inside a logical directory, sorted by name: the real entries (at
   * the root without the flat names themselves) plus what flat names place there.
   */
  public List<Path> children(Path logicalDirectory) {
    Path dir = logicalDirectory.toAbsolutePath().normalize();
    Set<String> names = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (!(dir.equals(root) && decode(name).isPresent())) {
            names.add(name);
          }
        }
      } catch (IOException e) {
        // listed as empty, like a directory that vanished in a swap
      }
    }
    if (dir.startsWith(root)) {
      String prefix = dir.equals(root) ? "" : relative(dir) + "/";
      for (String logical : flatFiles().keySet()) {
        if (logical.startsWith(prefix)) {
          String rest = logical.substring(prefix.length());
          int slash = rest.indexOf('/');
          names.add(slash < 0 ? rest : rest.substring(0, slash));
        }
      }
    }
    List<Path> children = new ArrayList<>(names.size());
    names.forEach(name -> children.add(dir.resolve(name)));
    return children;
  }

  private String relative(Path normalized) {
    return String.join("/", components(root.relativize(normalized)));
  }

  private static List<String> components(Path relative) {
    List<String> parts = new ArrayList<>();
    relative.forEach(p -> parts.add(p.toString()));
    return parts;
  }
}
