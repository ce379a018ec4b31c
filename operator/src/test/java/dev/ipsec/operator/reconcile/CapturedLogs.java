package dev.ipsec.operator.reconcile;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Everything logged while open, at every level, from the operator and the libraries it uses. */
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
}
