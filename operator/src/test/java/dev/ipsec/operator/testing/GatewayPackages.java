package dev.ipsec.operator.testing;

import dev.ipsec.operator.api.ProjectFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code images/strongswan/packages.txt}, the one list of the gateway's packages that the image and
 * {@code bin/setup} install: each line a Debian package and the charon plugins taken from it.
 */
public record GatewayPackages(Map<String, List<String>> pluginsByPackage) {

  public static final String PATH = "images/strongswan/packages.txt";

  public static GatewayPackages read() {
    Path file = ProjectFiles.root().resolve(PATH);
    Map<String, List<String>> byPackage = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String content = line.replaceFirst("#.*", "").strip();
        if (!content.isEmpty()) {
          String[] words = content.split("\\s+");
          byPackage.put(words[0], List.of(Arrays.copyOfRange(words, 1, words.length)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GatewayPackages(Map.copyOf(byPackage));
  }

  /** The package the list takes {@code plugin} from, if any. */
  public Optional<String> packageOf(String plugin) {
    return pluginsByPackage.entrySet().stream()
        .filter(e -> e.getValue().contains(plugin))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** The file charon loads a plugin from. */
  public static Path pluginFile(String plugin) {
    return Path.of("/usr/lib/ipsec/plugins/libstrongswan-" + plugin + ".so");
  }
}
