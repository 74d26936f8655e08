package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.manifest.DatasetPaths;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers, sizes and times as people read them on the pages. */
final class Text {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private Text() {}

  /** 1536 → "1.5 KiB", as the command line says sizes. */
  static String bytes(long n) {
    return dev.cairn.internal.io.Text.bytes(n);
  }

  /** 1234567 → "1,234,567". */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Epoch millis as "2026-11-25 10:00 UTC"; "–" for 0. */
  static String time(long millis) {
    return millis <= 0 ? "–" : TIME.format(Instant.ofEpochMilli(millis)) + " UTC";
  }

  /** As {@link #time}, to the second: for a log, whose steps are often a minute apart or less. */
  static String timeToSecond(long millis) {
    return millis <= 0 ? "–" : SECONDS.format(Instant.ofEpochMilli(millis)) + " UTC";
  }

  /** The first 8 hex digits of an id, as the command line shows them. */
  static String shortId(String id) {
    return id.length() <= 8 ? id : DatasetRecord.shortId(id);
  }

  /** A project as shown: the unnamed project reads "(no project)". */
  static String project(String project) {
    return project.isEmpty() ? "(no project)" : project;
  }

  /**
   * A value shown with its line breaks (in an element whose text wraps as written): every other
   * control character as {@code \xNN}, as the command line prints it, not dropped or garbled.
   */
  static String multiline(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' && i + 1 < value.length() && value.charAt(i + 1) == '\n') {
        continue; // a CRLF line break is a line break
      }
      sb.append(c == '\n' || c == '\t' ? String.valueOf(c) : DatasetPaths.printable(String.valueOf(c)));
    }
    return sb.toString();
  }

  /** "3 files" / "1 file". */
  static String plural(long n, String one, String many) {
    return count(n) + " " + (n == 1 ? one : many);
  }
}
