package dev.ipsec.operator.demo;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.logging.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Sends this process's logging to a file for the demo: the operator and the kubelet stand-in log
 * every reconcile and pod start, and the mock API server every request (through
 * java.util.logging), which would bury the peer table on the terminal.
 */
final class DemoLogging {
  static final String FILE_PROPERTY = "ipsec.demo.log";
  /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
  private static final java.util.logging.Logger MOCK_SERVER =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private DemoLogging() {}

  static void toFile(Path file) {
    MOCK_SERVER.setLevel(Level.WARNING);
    System.setProperty(FILE_PROPERTY, file.toAbsolutePath().toString());
    try {
      if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
        return; // another logging backend: leave it as configured
      }
      context.setConfigLocation(DemoLogging.class.getResource("/log4j2-demo.xml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad log configuration resource", e);
    }
  }
}
