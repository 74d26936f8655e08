package dev.cairn.dataset;

import java.util.regex.Pattern;

/**
 * A shell-style pattern over {@code /}-separated paths: {@code *} matches within one name,
 * {@code **} across folders, {@code ?} one character, {@code [abc]} a set, {@code {a,b}}
 * alternatives. A pattern without {@code /} matches a path's file name as well as the whole
 * path, so {@code *.jpg} finds JPEGs at any depth, as in {@code clearml-data --wildcard}.
 */
public final class Glob {
  private final String pattern;
  private final Pattern regex;
  private final boolean nameOnly;
  /** Whether a path under a matching folder matches too. */
  private final boolean folders;

  private Glob(String pattern, boolean folders) {
    this.pattern = pattern;
    this.regex = Pattern.compile(toRegex(pattern));
    this.nameOnly = pattern.indexOf('/') < 0;
    this.folders = folders;
  }

  /**
   * A filter for getting or listing files: a path matches the pattern, or lies in a folder that
   * does ({@code y}, {@code y/} and {@code y/**} all select everything under {@code y/}).
   *
   * @throws IllegalArgumentException if it is malformed
   */
  public static Glob filter(String pattern) {
    String p = pattern.length() > 1 && pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
    if (p.isEmpty()) {
      throw new IllegalArgumentException("empty pattern");
    }
    return new Glob(p, true);
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException if it is malformed
   */
  public static Glob of(String pattern) {
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("empty pattern");
    }
    return new Glob(pattern, false);
  }

  /** Whether the pattern has any wildcard character. */
  public static boolean hasWildcard(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[{".indexOf(s.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code path} matches. */
  public boolean matches(String path) {
    if (matchesOne(path)) {
      return true;
    }
    if (folders) {
      for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (matchesOne(path.substring(0, i))) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean matchesOne(String path) {
    if (regex.matcher(path).matches()) {
      return true;
    }
    if (nameOnly) {
      int slash = path.lastIndexOf('/');
      return slash >= 0 && regex.matcher(path.substring(slash + 1)).matches();
    }
    return false;
  }

  public String pattern() {
    return pattern;
  }

  private static String toRegex(String g) {
    StringBuilder sb = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*':
          if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
            i++;
            if (i + 1 < g.length() && g.charAt(i + 1) == '/') {
              i++;
              sb.append("(?:.*/)?");
            } else {
              sb.append(".*");
            }
          } else {
            sb.append("[^/]*");
          }
          break;
        case '?':
          sb.append("[^/]");
          break;
        case '[': {
          int end = g.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("unclosed '[' in pattern " + g);
          }
          String set = g.substring(i + 1, end);
          sb.append('[');
          if (set.startsWith("!")) {
            sb.append('^');
            set = set.substring(1);
          }
          sb.append(set.replace("\\", "\\\\").replace("[", "\\["));
          sb.append(']');
          i = end;
          break;
        }
        case '{':
          braces++;
          sb.append("(?:");
          break;
        case '}':
          if (braces == 0) {
            sb.append("\\}");
          } else {
            braces--;
            sb.append(')');
          }
          break;
        case ',':
          sb.append(braces > 0 ? "|" : ",");
          break;
        default:
          sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces != 0) {
      throw new IllegalArgumentException("unclosed '{' in pattern " + g);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
