package dev.ipsec.operator.reconcile;

import java.io.StringWriter;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything logged while open, at every level, from the operator and the libraries it uses. Not
 * the mock API server's own lines: it stands in for a kube-apiserver, a process of its own whose
 * logs are not the operator's, and at debug it prints every object it serves, Secrets included.
 */
public final class CapturedLogs implements AutoCloseable {

  private final StringWriter text = new StringWriter();
  private final WriterAppender appender;
  private final LoggerConfig root;
  private final Level previousLevel;

  CapturedLogs() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        WriterAppender.newBuilder()
            .setName("captured-" + System.nanoTime())
            .setTarget(text)
            .setLayout(PatternLayout.newBuilder().withPattern("%level %c: %msg %ex%n").build())
            .setFilter(new NotTheApiServer())
            .build();
    appender.start();
    root = config.getRootLogger();
    previousLevel = root.getLevel();
    root.addAppender(appender, Level.ALL, null);
    root.setLevel(Level.DEBUG);
    config
        .getLoggers()
        .values()
        .forEach(
            l -> {
              if (l != root) {
                l.addAppender(appender, Level.ALL, null);
              }
            });
    context.updateLoggers();
  }

  public String text() {
    return text.toString();
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context
        .getConfiguration()
        .getLoggers()
        .values()
        .forEach(l -> l.removeAppender(appender.getName()));
    root.setLevel(previousLevel);
    context.updateLoggers();
    appender.stop();
  }

  /** Leaves out the lines of the mock API server, which runs in the tests' process. */
  private static final class NotTheApiServer extends AbstractFilter {

    private static final List<String> API_SERVER =
        List.of("io.fabric8.kubernetes.client.server.mock.", "io.fabric8.mockwebserver.");

    @Override
    public Result filter(LogEvent event) {
      String logger = event.getLoggerName() == null ? "" : event.getLoggerName();
      return API_SERVER.stream().anyMatch(logger::startsWith) ? Result.DENY : Result.NEUTRAL;
    }
  }
}
