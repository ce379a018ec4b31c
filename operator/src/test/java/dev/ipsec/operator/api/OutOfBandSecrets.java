package dev.ipsec.operator.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Secrets an example's README has the user create with {@code kubectl create secret generic}
 * instead of applying them from the example's files (a key must never come from Git). Tests that
 * render an example add them, with a value of their own, as the user's command would: so the
 * example stays checkable whole, and a README that stops creating a Secret a peer needs fails.
 */
public final class OutOfBandSecrets {
  private static final Pattern CREATE =
      Pattern.compile(
          "-n (\\S+) create secret generic (\\S+) --from-literal=([\\w.-]+)=\"\\$psk\"");

  private OutOfBandSecrets() {}

  /** One Secret the README creates. */
  public record Created(String namespace, String name, String key) {
    /** The Secret as YAML, with {@code value} under its key. */
    public String yaml(String value) {
      return """
      apiVersion: v1
      kind: Secret
      metadata:
        name: %s
        namespace: %s
      stringData:
        %s: %s
      """
          .formatted(name, namespace, key, value);
    }
  }

  /**
   * The Secrets created by the README of {@code example} or of the example directory that holds it
   * (the first README found walking up to {@code examples/}).
   */
  public static List<Created> of(Path example) {
    Path examples = ProjectFiles.root().resolve("examples");
    for (Path dir = example.toAbsolutePath().normalize();
        dir != null && dir.startsWith(examples) && !dir.equals(examples);
        dir = dir.getParent()) {
      Path readme = dir.resolve("README.md");
      if (Files.isRegularFile(readme)) {
        return parse(read(readme));
      }
    }
    return List.of();
  }

  static List<Created> parse(String readme) {
    // the same Secret may be created in several ways (plain, sealed): once each
    Set<Created> created = new LinkedHashSet<>();
    Matcher m = CREATE.matcher(readme);
    while (m.find()) {
      created.add(new Created(m.group(1), m.group(2), m.group(3)));
    }
    return List.copyOf(created);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
