package dev.ipsec.operator.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every line this process logs while it is open (the operator runs in-process, with the kubelet
 * stand-in): each event's message and, with a throwable, its messages down the cause chain, which
 * is what a log line shows, and when it was logged. For the secret scan of {@link E2eCluster} and
 * the operator's steps in {@link StartTimeline}.
 */
final class CapturedLog implements AutoCloseable {

  /** One logged line and when it was logged. */
  record Line(Instant at, String text) {}

  private final List<Line> lines = new ArrayList<>();
  private final Appender appender = new Appender("captured-" + UUID.randomUUID());

  private CapturedLog() {}

  static CapturedLog start() {
    CapturedLog log = new CapturedLog();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    log.appender.start();
    context.getConfiguration().getRootLogger().addAppender(log.appender, null, null);
    context.getConfiguration().getLoggers().values().stream()
        .filter(l -> !l.isAdditive())
        .forEach(l -> l.addAppender(log.appender, null, null));
    context.updateLoggers();
    return log;
  }

  synchronized List<String> lines() {
    return lines.stream().map(Line::text).toList();
  }

  synchronized List<Line> timedLines() {
    return List.copyOf(lines);
  }

  private synchronized void add(Line line) {
    lines.add(line);
  }

  @Override
  public void close() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context
        .getConfiguration()
        .getLoggers()
        .values()
        .forEach(l -> l.removeAppender(appender.getName()));
    context.updateLoggers();
    appender.stop();
  }

  private final class Appender extends AbstractAppender {
    Appender(String name) {
      super(name, null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      StringBuilder line =
          new StringBuilder(event.getLoggerName())
              .append(' ')
              .append(event.getMessage().getFormattedMessage());
      for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
        line.append(" | ").append(t);
      }
      add(new Line(Instant.ofEpochMilli(event.getTimeMillis()), line.toString()));
    }
  }
}
