package dev.ipsec.operator.demo;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Sends this process's logging to a file for the demo: the operator and the kubelet stand-in log
 * every reconcile and pod start, which would bury the peer table on the terminal (the mock API
 * server's request log is kept quiet by {@link EmbeddedApiServer} itself).
 */
final class DemoLogging {
  static final String FILE_PROPERTY = "ipsec.demo.log";

  private DemoLogging() {}

  static void toFile(Path file) {
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
