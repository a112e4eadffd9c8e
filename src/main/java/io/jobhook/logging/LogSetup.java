package io.jobhook.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.jobhook.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/** Applies {@code --log-format} and {@code --log-level} to the Logback set up by logback.xml. */
public final class LogSetup {
  private LogSetup() {}

  public static void apply(LoggingConfig config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J backend on the class path: it keeps its own configuration
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (config.json()) {
      Appender<ILoggingEvent> appender = root.getAppender("console");
      if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
        console.stop();
        JsonLines encoder = new JsonLines();
        encoder.setContext(context);
        encoder.start();
        console.setEncoder(encoder);
        console.start();
      }
    }
    config
        .levels()
        .forEach(
            (name, level) ->
                (LoggingConfig.ROOT.equals(name) ? root : context.getLogger(name))
                    .setLevel(Level.toLevel(level)));
  }
}
