package io.natalia.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Sends the demo's logs to a file, so that the console shows the URLs and the progress; the
 * console keeps warnings and errors.
 */
final class DemoLogging {
  private static final String APPENDER_NAME = "DEMO-FILE";

  private DemoLogging() {}

  /** Appends every log line to {@code file} and keeps only WARN and ERROR on the console. */
  static void toFile(Path file) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> previous = root.getAppender(APPENDER_NAME);
    if (previous != null) {
      // A second demo in the same JVM (tests): replace the file, keep the console filters.
      root.detachAppender(previous);
      previous.stop();
      root.addAppender(fileAppender(context, file));
      return;
    }
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      ThresholdFilter warnings = new ThresholdFilter();
      warnings.setLevel("WARN");
      warnings.start();
      it.next().addFilter(warnings);
    }
    root.addAppender(fileAppender(context, file));
  }

  private static FileAppender<ILoggingEvent> fileAppender(LoggerContext context, Path file) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} %mdc"
        + " - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER_NAME);
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
