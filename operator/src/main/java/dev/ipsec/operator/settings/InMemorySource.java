package dev.ipsec.operator.settings;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Files held in memory by their paths relative to a configuration directory ({@code
 * conf.d/site-b.conf}), parsed as if they lay in {@code root}. What is not in the map does not
 * exist, so an {@code include} glob only ever matches files of the map, and nothing is read from
 * disk: the agent hands over exactly the bytes it checked against the manifest.
 */
public final class InMemorySource implements SettingsSource {

  private final Path root;
  private final Map<Path, byte[]> files = new HashMap<>();
  private final DecodedTexts texts;

  /** Directory -> names of its entries, sorted; the directories exist only through their files. */
  private final Map<Path, Set<String>> directories = new HashMap<>();

  /**
   * @param files relative path ({@code /}-separated, no {@code .} or {@code ..} components) ->
   *     content
   */
  public InMemorySource(Path root, Map<String, byte[]> files) {
    this(root, files, new DecodedTexts());
  }

  /**
   * Like {@link #InMemorySource(Path, Map)}, with the texts decoded by earlier sources kept in
   * {@code texts} (which forgets the files this one does not have).
   */
  public InMemorySource(Path root, Map<String, byte[]> files, DecodedTexts texts) {
    this.root = root.toAbsolutePath().normalize();
    this.texts = texts;
    directories.put(this.root, new TreeSet<>());
    files.forEach(this::add);
    texts.retainOnly(this.files.keySet());
  }

  private void add(String relative, byte[] content) {
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw new IllegalArgumentException("not a path inside the configuration: " + relative);
    }
    files.put(file, content);
    for (Path child = file; !child.equals(root); child = child.getParent()) {
      directories.computeIfAbsent(child.getParent(), d -> new TreeSet<>()).add(name(child));
    }
  }

  private static String name(Path path) {
    return path.getFileName().toString();
  }

  @Override
  public Path root() {
    return root;
  }

  /** Decodes strictly, like {@link java.nio.file.Files#readString}: malformed UTF-8 is an error. */
  @Override
  public String read(Path file) throws IOException {
    Path normalized = file.toAbsolutePath().normalize();
    byte[] content = files.get(normalized);
    if (content == null) {
      throw new NoSuchFileException(file.toString());
    }
    return texts.decode(normalized, content);
  }

  @Override
  public boolean exists(Path path) {
    Path normalized = path.toAbsolutePath().normalize();
    return files.containsKey(normalized) || directories.containsKey(normalized);
  }

  @Override
  public boolean isDirectory(Path path) {
    return directories.containsKey(path.toAbsolutePath().normalize());
  }

  @Override
  public List<Path> children(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    List<Path> children = new ArrayList<>();
    directories.getOrDefault(dir, Set.of()).forEach(name -> children.add(dir.resolve(name)));
    return children;
  }

  /** Every file of the map is inside: there are no links in memory. */
  @Override
  public boolean resolvesInside(Path file) {
    return true;
  }
}
