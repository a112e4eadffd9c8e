package io.jobhook.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The log: its line format and the level of each logger.
 *
 * @param json JSON lines, one object per event ({@code --log-format json}), instead of plain text
 * @param levels a level per logger name ({@code --log-level LOGGER=LEVEL}, repeatable; a bare
 *     {@code LEVEL} sets the root logger's), on top of the defaults (INFO, the libraries' WARN)
 */
public record LoggingConfig(boolean json, Map<String, String> levels) {
  /** The name that stands for the root logger. */
  public static final String ROOT = "ROOT";

  private static final Set<String> LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  public static LoggingConfig defaults() {
    return new LoggingConfig(false, Map.of());
  }

  public LoggingConfig {
    levels = Map.copyOf(levels);
  }

  /** Parses {@code --log-format}: plain or json. */
  public LoggingConfig withFormat(String format) {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "plain" -> new LoggingConfig(false, levels);
      case "json" -> new LoggingConfig(true, levels);
      default ->
          throw new IllegalArgumentException(
              "--log-format must be plain or json, not '" + format + "'");
    };
  }

  /** Parses one {@code --log-level}: {@code LOGGER=LEVEL}, or a bare {@code LEVEL} for the root. */
  public LoggingConfig withLevel(String spec) {
    int eq = spec.lastIndexOf('=');
    String logger = eq < 0 ? ROOT : spec.substring(0, eq).trim();
    String level = spec.substring(eq + 1).trim().toUpperCase(Locale.ROOT);
    if (logger.isEmpty() || !LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "--log-level must be LOGGER=LEVEL or LEVEL, with LEVEL one of trace, debug, info, warn,"
              + " error, off; not '"
              + spec
              + "'");
    }
    Map<String, String> more = new LinkedHashMap<>(levels);
    more.put(logger, level);
    return new LoggingConfig(json, more);
  }
}
