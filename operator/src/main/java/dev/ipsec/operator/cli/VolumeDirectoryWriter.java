package dev.ipsec.operator.cli;

import dev.ipsec.operator.volume.ConfigShards;
import dev.ipsec.operator.volume.ConfigVolumePlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Writes a planned configuration volume into a directory with the real secret values, so that an
 * agent can load it: flat, as the kubelet projects the volume ({@code conf.d..peer.conf}), or
 * nested at the logical paths ({@code conf.d/peer.conf}). Directories are 0700, secret files 0600,
 * public files 0644; a secret file is created with its mode, never widened first. The directory
 * must be new or empty, so that it holds exactly the revision and nothing from before.
 */
final class VolumeDirectoryWriter {

  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> SECRET =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC =
      PosixFilePermissions.fromString("rw-r--r--");

  private VolumeDirectoryWriter() {}

  /** A directory that cannot be written as asked; the message says why. */
  static final class UnusableDirectoryException extends Exception {
    UnusableDirectoryException(String message) {
      super(message);
    }
  }

  /** Writes the files of the gateway's swanctl volume, byte for byte, flat under {@code dir}. */
  static int writeFlat(Path dir, ConfigVolumePlan plan)
      throws UnusableDirectoryException, IOException {
    prepare(dir);
    return write(dir, plan, UnaryOperator.identity());
  }

  /**
   * Writes {@code strongswan.conf} and the swanctl directory nested under {@code dir/swanctl}, the
   * layout of {@code /etc/strongswan.conf} and {@code /etc/swanctl} on a host.
   */
  static int writeNested(Path dir, ConfigVolumePlan plan, String strongswanConf)
      throws UnusableDirectoryException, IOException {
    prepare(dir);
    create(dir.resolve("strongswan.conf"), strongswanConf.getBytes(StandardCharsets.UTF_8), PUBLIC);
    Path swanctl = Files.createDirectory(dir.resolve("swanctl"), attribute(DIRECTORY));
    return 1 + write(swanctl, plan, ConfigShards::path);
  }

  private static int write(Path dir, ConfigVolumePlan plan, UnaryOperator<String> pathOf)
      throws IOException {
    SortedMap<String, byte[]> publicFiles = plan.publicVolumeFiles();
    SortedMap<String, byte[]> secretFiles = plan.secretVolumeFiles();
    for (Map.Entry<String, byte[]> file : publicFiles.entrySet()) {
      create(target(dir, pathOf.apply(file.getKey())), file.getValue(), PUBLIC);
    }
    for (Map.Entry<String, byte[]> file : secretFiles.entrySet()) {
      create(target(dir, pathOf.apply(file.getKey())), file.getValue(), SECRET);
    }
    return publicFiles.size() + secretFiles.size();
  }

  /** Creates {@code dir} (0700), or takes it when it is an empty directory and makes it 0700. */
  private static void prepare(Path dir) throws UnusableDirectoryException, IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new UnusableDirectoryException(dir + " exists and is not a directory");
      }
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new UnusableDirectoryException(
              dir + " is not empty: give a new or empty directory, so that it holds one revision");
        }
      }
      Files.setPosixFilePermissions(dir, DIRECTORY);
    } else {
      Files.createDirectories(dir.toAbsolutePath().getParent());
      Files.createDirectory(dir, attribute(DIRECTORY));
      // the umask may have narrowed the mode; it can never have widened it, but say it exactly
      Files.setPosixFilePermissions(dir, DIRECTORY);
    }
  }

  /** The file of a relative path under {@code dir}, with the directories it needs (0700). */
  private static Path target(Path dir, String relative) throws IOException {
    Path file = dir.resolve(relative).normalize();
    if (!file.startsWith(dir)) {
      throw new IllegalStateException("a planned file escapes the directory: " + relative);
    }
    if (!Files.isDirectory(file.getParent())) {
      Files.createDirectories(file.getParent(), attribute(DIRECTORY));
    }
    return file;
  }

  private static void create(Path file, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Files.createFile(file, attribute(mode));
    Files.setPosixFilePermissions(file, mode);
    Files.write(file, content, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }
}
