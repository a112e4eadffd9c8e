package io.jobhook.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the query parameters the CI list and action endpoints share, the same way everywhere: a
 * blank value is an absent one, and a value that cannot be read is a 400 InvalidArgument naming the
 * parameter.
 */
final class QueryParams {
  private static final DateTimeFormatter QUERY_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
          .appendPattern("[XXX][XX][X]")
          .toFormatter(Locale.ROOT);

  private QueryParams() {}

  /** The value, or null when absent or blank. */
  static String text(RequestTarget target, String name) {
    String value = target.param(name);
    return value == null || value.isBlank() ? null : value;
  }

  static String required(RequestTarget target, String name) {
    String value = text(target, name);
    if (value == null) {
      throw ApiException.invalidArgument(name + " is required");
    }
    return value;
  }

  static int integer(RequestTarget target, String name, int fallback, int min, int max) {
    String value = text(target, name);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalidArgument(
          name + " must be an integer from " + min + " to " + max + ", not '" + value + "'");
    }
  }

  /** A time like {@code 2024-05-01T00:00:00+0800}, or null when absent. */
  static Instant time(RequestTarget target, String name) {
    String value = text(target, name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value, QUERY_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalidArgument(
          name + " '" + value + "' is not a time like 2024-05-01T00:00:00+0800");
    }
  }

  /** {@code orderByTime}: true for Asc; Desc, the default, is false. */
  static boolean ascending(RequestTarget target) {
    String order = text(target, "orderByTime");
    if (order == null || order.equalsIgnoreCase("Desc")) {
      return false;
    }
    if (order.equalsIgnoreCase("Asc")) {
      return true;
    }
    throw ApiException.invalidArgument("orderByTime must be Desc or Asc");
  }

  /**
   * A comma-separated {@code states} filter; null (no filter) when absent or when it names All.
   * {@code alias} reads names the enum does not spell itself (empty for none).
   */
  static <S extends Enum<S>> Set<S> states(
      RequestTarget target, Class<S> type, Function<String, Optional<S>> alias) {
    String param = text(target, "states");
    if (param == null) {
      return null;
    }
    Set<S> states = EnumSet.noneOf(type);
    for (String part : param.split(",")) {
      String name = part.trim();
      if (name.equalsIgnoreCase("All")) {
        return null;
      }
      states.add(
          Arrays.stream(type.getEnumConstants())
              .filter(s -> s.name().equalsIgnoreCase(name))
              .findFirst()
              .or(() -> alias.apply(name))
              .orElseThrow(
                  () ->
                      ApiException.invalidArgument(
                          "states: unknown state '"
                              + name
                              + "'; known: "
                              + String.join(
                                  ", ",
                                  Arrays.stream(type.getEnumConstants()).map(Enum::name).toList())
                              + ", All")));
    }
    return states;
  }

  /** The comma-separated ids of a {@code name} filter; null when absent. */
  static List<String> ids(RequestTarget target, String name) {
    String value = text(target, name);
    return value == null
        ? null
        : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The sequence number a {@code nextToken} stands for, or null on a first page. */
  static Long after(RequestTarget target) {
    String token = text(target, "nextToken");
    if (token == null) {
      return null;
    }
    try {
      if (!token.startsWith("n")) {
        throw new NumberFormatException();
      }
      return Long.parseLong(token.substring(1), 36);
    } catch (NumberFormatException e) {
      throw ApiException.invalidArgument("nextToken '" + token + "' was not issued by this server");
    }
  }

  /** The {@code NextToken} that continues after {@code lastSeq}; empty on the last page. */
  static String nextToken(Long lastSeq) {
    return lastSeq == null ? "" : "n" + Long.toString(lastSeq, 36);
  }

  /**
   * Page {@code pageNumber} (from 1) of {@code all}; empty past the end, however large the number.
   */
  static <T> List<T> page(List<T> all, int pageNumber, int pageSize) {
    long from = (long) (pageNumber - 1) * pageSize;
    return from >= all.size()
        ? List.of()
        : all.subList((int) from, (int) Math.min(all.size(), from + pageSize));
  }
}
