package dev.ipsec.operator.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Maven project version this code was built as. Read from {@code version.properties}, which the
 * build filters, instead of the jar manifest's {@code Implementation-Version}: the shaded jar's
 * manifest had none, and classes run from {@code target/classes} have no manifest at all.
 */
public final class ProjectVersion {

  private static final String RESOURCE = "version.properties";

  /** What classes that Maven did not build (an IDE that does not filter resources) report. */
  static final String UNKNOWN = "development build";

  private static final String VERSION = read();

  private ProjectVersion() {}

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String current() {
    return VERSION;
  }

  private static String read() {
    Properties properties = new Properties();
    try (InputStream in = ProjectVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return UNKNOWN;
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return fromFiltered(properties.getProperty("version"));
  }

  /** The filtered value, or {@link #UNKNOWN} when it is missing or still the Maven placeholder. */
  static String fromFiltered(String value) {
    if (value == null || value.isBlank() || value.contains("${")) {
      return UNKNOWN;
    }
    return value.trim();
  }
}
