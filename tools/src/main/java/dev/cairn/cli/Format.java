package dev.cairn.cli;

import dev.cairn.internal.io.Text;
import dev.cairn.manifest.DatasetPaths;
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
    return dev.cairn.internal.io.Text.bytes(n);
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
    return Text.count(n, noun);
  }

  /** Pads to a column width; a longer value is printed whole (a path cut short could not be found or grepped). */
  static String pad(String s, int width) {
    int cells = cells(s);
    return cells >= width ? s : s + " ".repeat(width - cells);
  }

  /** Pads or cuts to a column width. */
  static String col(String s, int width) {
    if (cells(s) <= width) {
      return pad(s, width);
    }
    StringBuilder cut = new StringBuilder();
    int used = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (used + cells(cp) > width - 1) {
        break;
      }
      cut.appendCodePoint(cp);
      used += cells(cp);
      i += Character.charCount(cp);
    }
    return pad(cut.append('…').toString(), width);
  }

  /** The terminal cells {@code s} takes: a wide (CJK, fullwidth, emoji) character two, a combining mark none. */
  static int cells(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
      n += cells(s.codePointAt(i));
    }
    return n;
  }

  private static int cells(int cp) {
    int type = Character.getType(cp);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || cp == 0x200B) {
      return 0;
    }
    boolean wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6)
        || (cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
    return wide ? 2 : 1;
  }

  /**
   * A dataset path as tables and lists show it: as it is, unless a name in it begins or ends with
   * a space (which a column would hide), or it holds a {@code "} or a {@code |} (which would read
   * as quoting or a column's edge). Then it is in double quotes, a {@code "} or {@code \} in it
   * escaped with a {@code \}: a shown path that begins with {@code "} is always a quoted one.
   * Control characters and bidirectional overrides are escaped as {@link
   * DatasetPaths#printable} escapes them.
   */
  static String path(String path) {
    boolean quote = path.indexOf('"') >= 0 || path.indexOf('|') >= 0;
    for (String name : path.split("/", -1)) {
      quote |= !name.isEmpty() && (name.charAt(0) == ' ' || name.charAt(name.length() - 1) == ' ');
    }
    // Control characters (C1 ones included: U+009B starts a terminal's command) and bidirectional
    // overrides are escaped (\x9b): a dataset path holds no backslash, so the escape cannot be a name.
    String shown = DatasetPaths.printable(quote ? path.replace("\\", "\\\\").replace("\"", "\\\"") : path);
    return quote ? "\"" + shown + "\"" : shown;
  }
}
