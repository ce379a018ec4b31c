package dev.ipsec.operator.settings;

import java.nio.file.Path;
import java.util.List;

/**
 * A settings file that could not be read or parsed, with the file, the line and the section path at
 * the point of failure (so the error can be reported against the connection being defined).
 *
 * <p>The message never quotes the offending text: it may be a secret.
 */
public final class SettingsException extends Exception {

  private final Path file;
  private final int line;
  private final List<String> sectionPath;

  public SettingsException(Path file, int line, List<String> sectionPath, String reason) {
    super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    this.file = file;
    this.line = line;
    this.sectionPath = List.copyOf(sectionPath);
  }

  public Path file() {
    return file;
  }

  /** 1-based line, or 0 when the error is about the file as a whole. */
  public int line() {
    return line;
  }

  /** Names of the sections open at the error, outermost first, e.g. [connections, peer7]. */
  public List<String> sectionPath() {
    return sectionPath;
  }
}
