package dev.cairn.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting for people. */
final class Format {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Format() {}

  /** 1536 → "1.5 KiB". */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** 420 → "420 ms", 1530 → "1.5 s". */
  static String duration(long millis) {
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  /** Epoch millis as "2026-11-25 10:00:00" (UTC); "-" for 0. */
  static String time(long millis) {
    return millis <= 0 ? "-" : TIME.format(Instant.ofEpochMilli(millis));
  }

  /** Epoch millis as ISO 8601 (UTC), for JSON; null for 0. */
  static String iso(long millis) {
    return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
  }

  /** "1 version", "2 versions". */
  static String count(long n, String noun) {
    return dev.cairn.internal.io.Text.count(n, noun);
  }

  /** Pads to a column width; a longer value is printed whole (a path cut short could not be found or grepped). */
  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /** Pads or cuts to a column width. */
  static String col(String s, int width) {
    if (s.length() > width) {
      return s.substring(0, Math.max(0, width - 1)) + "…";
    }
    return s + " ".repeat(width - s.length());
  }

  /**
   * A dataset path as tables and lists show it: as it is, unless a name in it begins or ends with
   * a space (which a column would hide), or it holds a {@code "} or a {@code |} (which would read
   * as quoting or a column's edge). Then it is in double quotes, a {@code "} or {@code \} in it
   * escaped with a {@code \}: a shown path that begins with {@code "} is always a quoted one.
   */
  static String path(String path) {
    boolean quote = path.indexOf('"') >= 0 || path.indexOf('|') >= 0;
    for (String name : path.split("/", -1)) {
      quote |= !name.isEmpty() && (name.charAt(0) == ' ' || name.charAt(name.length() - 1) == ' ');
    }
    return quote ? "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : path;
  }
}
