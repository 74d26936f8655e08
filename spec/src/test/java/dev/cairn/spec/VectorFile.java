package dev.cairn.spec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes the text formats of {@code spec/vectors} (see {@code vectors/README.md}).
 *
 * <p>Record files: records separated by blank lines; each line {@code key: value}; keys may repeat
 * and keep their order; lines starting with {@code #} are comments. Column files: whitespace
 * separated columns, {@code #} comments. Text values are "escaped text": UTF-8 with {@code %},
 * space, {@code "}, U+0000-U+001F and U+007F written as {@code %XX} per UTF-8 byte; {@code ""} is
 * the empty string and {@code -} means absent.
 */
final class VectorFile {
  static final HexFormat HEX = HexFormat.of();

  private VectorFile() {}

  /** One record: ordered {@code key: value} lines. */
  static final class Record {
    private final List<Map.Entry<String, String>> lines = new ArrayList<>();
    private final int lineNumber;
    private final String file;

    Record(String file, int lineNumber) {
      this.file = file;
      this.lineNumber = lineNumber;
    }

    void add(String key, String value) {
      lines.add(Map.entry(key, value));
    }

    /** The only value of {@code key}; fails if absent or repeated. */
    String get(String key) {
      List<String> all = all(key);
      if (all.size() != 1) {
        throw new IllegalStateException(where() + ": expected one '" + key + "', found " + all.size());
      }
      return all.get(0);
    }

    /** The value of {@code key}, or null. */
    String opt(String key) {
      List<String> all = all(key);
      return all.isEmpty() ? null : all.get(0);
    }

    boolean has(String key) {
      return !all(key).isEmpty();
    }

    /** Every value of {@code key}, in order. */
    List<String> all(String key) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> e : lines) {
        if (e.getKey().equals(key)) {
          out.add(e.getValue());
        }
      }
      return out;
    }

    /** The values of every repetition of {@code key}, joined with spaces (long lists wrap). */
    String joined(String key) {
      return String.join(" ", all(key));
    }

    /** The hex bytes of {@code key}, joined over repetitions. */
    byte[] hex(String key) {
      return HEX.parseHex(String.join("", all(key)).replace(" ", ""));
    }

    String name() {
      String n = opt("name");
      return n != null ? n : where();
    }

    String where() {
      return file + ":" + lineNumber;
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** Parses a record file. */
  static List<Record> records(Path file) {
    List<String> lines = readLines(file);
    List<Record> out = new ArrayList<>();
    Record current = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("#")) {
        continue;
      }
      if (line.isBlank()) {
        current = null;
        continue;
      }
      int colon = line.indexOf(": ");
      String key;
      String value;
      if (colon < 0 && line.endsWith(":")) {
        key = line.substring(0, line.length() - 1);
        value = "";
      } else if (colon > 0) {
        key = line.substring(0, colon);
        value = line.substring(colon + 2).strip();
      } else {
        throw new IllegalStateException(file.getFileName() + ":" + (i + 1) + ": not 'key: value': " + line);
      }
      if (current == null) {
        current = new Record(file.getFileName().toString(), i + 1);
        out.add(current);
      }
      current.add(key, value);
    }
    return out;
  }

  /** Parses a column file into rows of columns. */
  static List<String[]> columns(Path file) {
    List<String[]> out = new ArrayList<>();
    for (String line : readLines(file)) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      out.add(s.split("\\s+"));
    }
    return out;
  }

  /**
   * Parses an annotated hex dump: lines {@code OFFSET: HEX...} (offset in decimal, checked),
   * {@code #} comments and blank lines.
   */
  static byte[] hexDump(Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line : readLines(file)) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      int colon = s.indexOf(':');
      long offset = Long.parseLong(s.substring(0, colon).strip());
      if (offset != out.size()) {
        throw new IllegalStateException(file + ": offset " + offset + " but " + out.size() + " bytes read");
      }
      byte[] b = HEX.parseHex(s.substring(colon + 1).replace(" ", ""));
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Escapes text for a vector file. */
  static String escape(String s) {
    if (s == null) {
      return "-";
    }
    if (s.isEmpty()) {
      return "\"\"";
    }
    if (s.equals("-")) {
      return "%2D";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' || c == ' ' || c == '"' || c < 0x20 || c == 0x7F) {
        sb.append('%').append(HEX.toHexDigits((byte) c).toUpperCase(Locale.ROOT));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Reverses {@link #escape}; the result must be valid UTF-8. */
  static String unescape(String s) {
    if (s.equals("-")) {
      return null;
    }
    if (s.equals("\"\"")) {
      return "";
    }
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%') {
        out.write(Integer.parseInt(new String(raw, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(raw[i]);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("escaped text is not UTF-8: " + s, e);
    }
  }

  /** A map that keeps insertion order, for writing records. */
  static Map<String, String> ordered() {
    return new LinkedHashMap<>();
  }
}
