package dev.ipsec.operator.settings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@link SettingsParser} finds the files of a configuration: a directory on disk ({@link
 * DirectorySource}) or files already in memory ({@link InMemorySource}, what the agent parses once
 * it has checked every file against its manifest). Every path in and out is an absolute logical
 * path under {@link #root()}, so errors name {@code /etc/swanctl/conf.d/site-b.conf} either way.
 */
public interface SettingsSource {

  /** The configuration directory. */
  Path root();

  /**
   * The text of a file, UTF-8.
   *
   * @throws IOException when it is missing, unreadable or not UTF-8
   */
  String read(Path file) throws IOException;

  /** A file or a directory. */
  boolean exists(Path path);

  boolean isDirectory(Path path);

  /** The entries directly inside a directory, sorted by name. */
  List<Path> children(Path directory);

  /** Whether a file's content lies inside the configuration directory (symlinks resolved). */
  boolean resolvesInside(Path file);
}
