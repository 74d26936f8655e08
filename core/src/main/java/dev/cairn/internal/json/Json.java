package dev.cairn.internal.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A small, strict JSON reader and writer, so that core needs no JSON library. Values map to
 * {@code Map<String,Object>} (insertion-ordered), {@code List<Object>}, {@code String},
 * {@code Long} (integers) or {@code Double}, {@code Boolean} and {@code null}.
 */
public final class Json {
  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  /**
   * Parses one JSON document.
   *
   * @throws JsonException with the position of the first error
   */
  public static Object parse(String text) throws JsonException {
    Json p = new Json(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.pos != text.length()) {
      throw p.error("trailing characters");
    }
    return v;
  }

  /** Parses a document that must be an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) throws JsonException {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new JsonException("expected a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private JsonException error(String what) {
    return new JsonException(what + " at character " + pos);
  }

  private void ws() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        break;
      }
    }
  }

  private Object value(int depth) throws JsonException {
    if (depth > 256) {
      throw error("nesting too deep");
    }
    if (pos >= s.length()) {
      throw error("unexpected end");
    }
    char c = s.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Object literal(String word, Object v) throws JsonException {
    if (!s.startsWith(word, pos)) {
      throw error("expected " + word);
    }
    pos += word.length();
    return v;
  }

  private Map<String, Object> object(int depth) throws JsonException {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    ws();
    if (pos < s.length() && s.charAt(pos) == '}') {
      pos++;
      return m;
    }
    while (true) {
      ws();
      if (pos >= s.length() || s.charAt(pos) != '"') {
        throw error("expected a key");
      }
      String k = string();
      ws();
      expect(':');
      ws();
      if (m.containsKey(k)) {
        throw error("duplicate key '" + k + "'");
      }
      m.put(k, value(depth + 1));
      ws();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect('}');
      return m;
    }
  }

  private List<Object> array(int depth) throws JsonException {
    List<Object> l = new ArrayList<>();
    pos++;
    ws();
    if (pos < s.length() && s.charAt(pos) == ']') {
      pos++;
      return l;
    }
    while (true) {
      ws();
      l.add(value(depth + 1));
      ws();
      if (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        continue;
      }
      expect(']');
      return l;
    }
  }

  private void expect(char c) throws JsonException {
    if (pos >= s.length() || s.charAt(pos) != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private String string() throws JsonException {
    pos++;
    // Most strings hold no escape: cut them out whole.
    int end = s.indexOf('"', pos);
    if (end >= 0 && plain(pos, end)) {
      String v = s.substring(pos, end);
      pos = end + 1;
      return v;
    }
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) {
        throw error("unterminated string");
      }
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) {
            throw error("short unicode escape");
          }
          try {
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw error("bad unicode escape");
          }
          pos += 4;
        }
        default -> throw error("bad escape '\\" + e + "'");
      }
    }
  }

  /** Whether {@code s[from, to)} holds no backslash and no control character. */
  private boolean plain(int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\\' || c < 0x20) {
        return false;
      }
    }
    return true;
  }

  private Object number() throws JsonException {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    String n = s.substring(start, pos);
    try {
      if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
        return Long.parseLong(n);
      }
      return new BigDecimal(n).doubleValue();
    } catch (NumberFormatException e) {
      throw error("bad number '" + n + "'");
    }
  }

  /** Writes a value as compact JSON. */
  public static String write(Object v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, -1, 0);
    return sb.toString();
  }

  /** Writes a value as indented JSON. */
  public static String pretty(Object v) {
    return pretty(v, 0);
  }

  /**
   * {@link #pretty(Object)} for a value nested {@code level} deep, to stream a long array one
   * element at a time: "[", then for each element a newline, two spaces and its text at level 1,
   * commas between, then a newline and "]".
   */
  public static String pretty(Object v, int level) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, 2, level);
    return sb.toString();
  }

  /** An object of the given keys and values, in that order: {@code object("id", id, "state", s)}. */
  public static Map<String, Object> object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /**
   * A map's entries as written: in its own order where it keeps one (insertion, sorted), else by
   * key, so that the same map prints the same bytes in every run ({@code Map.of} and
   * {@code HashMap} iterate in an order the JVM does not promise).
   */
  private static Iterable<? extends Map.Entry<?, ?>> inStableOrder(Map<?, ?> m) {
    if (m.size() < 2 || m instanceof LinkedHashMap || m instanceof SortedMap) {
      return m.entrySet();
    }
    List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
    entries.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
    return entries;
  }

  private static void write(StringBuilder sb, Object v, int indent, int level) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String str) {
      quote(sb, str);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      sb.append(v);
    } else if (v instanceof Number num) {
      double d = num.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        sb.append("null");
      } else {
        sb.append(d);
      }
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : inStableOrder(m)) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent, level + 1);
        quote(sb, String.valueOf(e.getKey()));
        sb.append(indent >= 0 ? ": " : ":");
        write(sb, e.getValue(), indent, level + 1);
      }
      if (!m.isEmpty()) {
        newline(sb, indent, level);
      }
      sb.append('}');
    } else if (v instanceof Iterable<?> it) {
      sb.append('[');
      boolean first = true;
      for (Object o : it) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        newline(sb, indent, level + 1);
        write(sb, o, indent, level + 1);
      }
      if (!first) {
        newline(sb, indent, level);
      }
      sb.append(']');
    } else if (v instanceof JsonValue jv) {
      write(sb, jv.toJson(), indent, level);
    } else {
      quote(sb, v.toString());
    }
  }

  private static void newline(StringBuilder sb, int indent, int level) {
    if (indent >= 0) {
      sb.append('\n');
      sb.append(" ".repeat(indent * level));
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || (Character.isSurrogate(c) && !validSurrogate(s, i))) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /** A value that knows its JSON form (maps, lists and scalars). */
  public interface JsonValue {
    Object toJson();
  }
}
