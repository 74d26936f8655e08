package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.PatternTooCostlyException;
import dev.cairn.internal.io.BoundedText;
import dev.cairn.manifest.DatasetPaths;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A shell-style pattern over {@code /}-separated paths: {@code *} matches within one name,
 * {@code **} (or a longer run of stars) across folders, {@code ?} one character, {@code [abc]} a set, {@code {a,b}}
 * alternatives. A pattern without {@code /} matches a path's file name as well as the whole
 * path, so {@code *.jpg} finds JPEGs at any depth, as in {@code clearml-data --wildcard}. A
 * leading {@code /} anchors a pattern at the dataset's root, as in a {@code .gitignore}:
 * {@code /*.jpg} finds only the JPEGs at the top, and {@code /} alone matches every path.
 *
 * <p>Pattern and path are compared in Unicode's composed form (NFC): a name typed composed
 * matches the same name stored decomposed (as macOS writes it) and the other way round, and
 * {@code ?} is one letter in either. A dataset never holds two paths that differ only so.
 */
public final class Glob {
  private final String pattern;
  private final Pattern regex;
  private final boolean nameOnly;
  /**
   * Whether matches are bounded ({@link BoundedText}): with three runs of
   * stars or more, a backtracking match can take time of the path's length to that power, and with
   * {@code {a,b}} alternatives time exponential in their groups ({@code {?,?}{?,?}...*Z}); with
   * neither it stays within a square of the length, and the bound's cost (a fifth of a match) is
   * not paid.
   */
  private final boolean bounded;
  /** Whether a path under a matching folder matches too. */
  private final boolean folders;
  /** The pattern without empty or dot segments (nor a leading {@code /}): what is matched against whole paths. */
  private final String body;
  /** The pattern as it was given (a filter's trailing {@code /} kept), for messages. */
  private final String given;

  private Glob(String pattern, boolean folders, String given) {
    this.pattern = pattern;
    this.given = given;
    boolean anchored = isAnchored(pattern);
    // Empty and "." segments go, as a path's do ("sub/./d", "x//y"; the leading "/" or "./" too).
    String body = DatasetPaths.withoutEmptyOrDotSegments(pattern);
    this.body = body;
    this.regex = Pattern.compile(toRegex(body.isEmpty() ? "**" : DatasetPaths.nfc(body)));
    this.nameOnly = !anchored && pattern.indexOf('/') < 0;
    this.bounded = body.split("\\*+", -1).length - 1 >= 3 || body.indexOf('{') >= 0;
    this.folders = folders;
  }

  /**
   * Text that every path this pattern matches starts with: its literal leading folders
   * ({@code images/} of {@code images/*.png}), or the whole of a pattern without wildcards that
   * names a path (and, as a filter, what lies under it); "" for one that may match anywhere (a
   * name at any depth, a leading wildcard). A listing may seek to it and stop past it.
   */
  public String requiredPrefix() {
    if (nameOnly || body.indexOf('\\') >= 0) {
      return "";
    }
    int firstWild = 0;
    // A letter beyond ASCII may be stored in the other Unicode form, which sorts elsewhere: the
    // prefix ends before it, as at a wildcard.
    while (firstWild < body.length() && "*?[{".indexOf(body.charAt(firstWild)) < 0 && body.charAt(firstWild) < 0x80) {
      firstWild++;
    }
    if (firstWild == body.length()) {
      return body;
    }
    int slash = body.lastIndexOf('/', firstWild);
    return slash < 0 ? "" : body.substring(0, slash + 1);
  }

  /**
   * Text that every path one of {@code globs} matches starts with: the longest common start of
   * their {@linkplain #requiredPrefix() required prefixes}; "" for none, or when one may match
   * anywhere. A path-ordered listing may seek to it and stop past it.
   */
  public static String requiredPrefix(java.util.List<Glob> globs) {
    String common = null;
    for (Glob g : globs) {
      String p = g.requiredPrefix();
      int n = 0;
      if (common != null) {
        while (n < common.length() && n < p.length() && common.charAt(n) == p.charAt(n)) {
          n++;
        }
      }
      common = common == null ? p : common.substring(0, n);
    }
    return common == null ? "" : common;
  }

  /**
   * Whether a pattern is anchored at the dataset's root: "/x" and "./x" both name x at the root,
   * "." the root itself (no dataset path holds a "." segment); "x" matches a name at any depth.
   */
  static boolean isAnchored(String pattern) {
    return pattern.startsWith("/") || pattern.startsWith("./") || pattern.equals(".");
  }

  /**
   * A filter for getting or listing files: a path matches the pattern, or lies in a folder that
   * does ({@code y} and {@code y/} select what every folder named {@code y} holds, at any depth;
   * {@code /y}, {@code /y/} and {@code y/**} what the folder {@code y} at the root holds).
   *
   * @throws IllegalArgumentException if it is malformed; for patterns a person typed, use
   *     {@link #parseFilter}
   */
  public static Glob filter(String pattern) {
    return programmatic(pattern, true);
  }

  /**
   * Compiles a pattern.
   *
   * @throws IllegalArgumentException if it is malformed; for patterns a person typed, use
   *     {@link #parse}
   */
  public static Glob of(String pattern) {
    return programmatic(pattern, false);
  }

  /**
   * Compiles a pattern a person gave, as {@link #of}.
   *
   * @param what how the message names the pattern: "wildcard", "pattern"
   * @throws InvalidInputException if it is malformed, reading "Cannot use wildcard '[': unclosed '['"
   */
  public static Glob parse(String what, String pattern) throws InvalidInputException {
    return input(what, pattern, false);
  }

  /**
   * A filter a person gave, as {@link #filter}.
   *
   * @param what how the message names the pattern: "filter", "--filter"
   * @throws InvalidInputException if it is malformed, reading "Cannot use filter '[': unclosed '['"
   */
  public static Glob parseFilter(String what, String pattern) throws InvalidInputException {
    return input(what, pattern, true);
  }

  private static Glob programmatic(String pattern, boolean folders) {
    try {
      return compile(pattern, folders);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot use pattern '" + pattern + "': " + e.getMessage(), e);
    }
  }

  private static Glob input(String what, String pattern, boolean folders) throws InvalidInputException {
    Objects.requireNonNull(pattern, what + " must not be null");
    try {
      return compile(pattern, folders);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("Cannot use " + what + " '" + pattern + "': " + e.getMessage());
    }
  }

  /** Compiles; a malformed pattern throws an IllegalArgumentException whose message is the bare reason. */
  private static Glob compile(String pattern, boolean folders) {
    Objects.requireNonNull(pattern, "pattern must not be null");
    String p = folders && pattern.length() > 1 && pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
    if (p.isEmpty()) {
      throw new IllegalArgumentException("it is empty");
    }
    try {
      return new Glob(p, folders, pattern);
    } catch (PatternSyntaxException e) {
      // A set the regex engine refuses ("[z-a]"); its own message spans three lines.
      String d = e.getDescription();
      throw new IllegalArgumentException(d.isEmpty() ? "malformed" : Character.toLowerCase(d.charAt(0)) + d.substring(1));
    }
  }

  /**
   * {@code path} as a pattern that matches it alone: each wildcard character in a set of its own
   * ({@code a[*]b} for the name {@code a*b}).
   */
  public static String literal(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if ("*?[{".indexOf(c) >= 0) {
        sb.append('[').append(c).append(']');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * For patterns that matched nothing: where the first of them with a {@code /} and no {@code **}
   * might have meant to look, as a sentence to end a message with ("; a pattern with a / starts at
   * the top, ..."); "" when none is such. {@code images/*.jpg} matches {@code images/a.jpg}, not
   * {@code images/cats/a.jpg} nor {@code data/images/a.jpg}, where fnmatch, which clearml-data
   * uses, lets {@code *} cross folders.
   */
  public static String reachHint(java.util.List<String> patterns) {
    for (String p : patterns) {
      String body = DatasetPaths.withoutEmptyOrDotSegments(p);
      int slash = body.lastIndexOf('/');
      if (slash <= 0 || body.contains("**") || !hasWildcard(body.substring(slash + 1))) {
        continue;
      }
      String folder = body.substring(0, slash);
      String anywhere = isAnchored(p) ? "" : "'**/" + DatasetPaths.printable(body) + "' looks at any depth, ";
      return "; a pattern with a / starts at the top, and a * stays within one folder: " + anywhere + "'"
          + DatasetPaths.printable(folder + "/**/" + body.substring(slash + 1)) + "' in every folder below " + DatasetPaths.printable(folder);
    }
    return "";
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

  /**
   * Whether {@code path} matches.
   *
   * @throws PatternTooCostlyException if matching takes far more steps than a
   *     pattern a person means ever needs ({@code **a**a**a**b} against a long path)
   */
  public boolean matches(String path) {
    return matches(path, null);
  }

  /**
   * A test of paths whose matches, all together, read at most {@code characters} characters (for a
   * server, which scans many paths for one request): past that, it throws as {@link #matches} does.
   * A pattern that cannot backtrack much is not counted.
   */
  public java.util.function.Predicate<String> within(long characters) {
    BoundedText.Budget budget = new BoundedText.Budget(characters);
    return path -> matches(path, budget);
  }

  private boolean matches(String stored, BoundedText.Budget budget) {
    String path = DatasetPaths.nfc(stored);
    if (matchesOne(path, budget)) {
      return true;
    }
    if (folders) {
      for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
        if (matchesOne(path.substring(0, i), budget)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean matchesOne(String path, BoundedText.Budget budget) {
    if (matchesWhole(path, budget)) {
      return true;
    }
    if (nameOnly) {
      int slash = path.lastIndexOf('/');
      return slash >= 0 && matchesWhole(path.substring(slash + 1), budget);
    }
    return false;
  }

  /**
   * Whether the regex matches all of {@code text}, in a bounded number of steps.
   *
   * @throws PatternTooCostlyException if the match takes far more steps than a
   *     pattern a person means ever needs
   */
  private boolean matchesWhole(String text, BoundedText.Budget budget) {
    return regex.matcher(bounded ? new BoundedText(text, () -> "pattern '" + pattern + "'", budget) : text).matches();
  }

  public String pattern() {
    return pattern;
  }

  /** Whether a path under a folder that matches matches too ({@link #filter}), not only the paths that match ({@link #of}). */
  public boolean selectsFolders() {
    return folders;
  }

  private static String toRegex(String g) {
    StringBuilder sb = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*': {
          // A run of two stars or more is one **: as many .* in a row would backtrack in time of
          // the path's length to the power of the run, and match nothing more.
          int end = i;
          while (end + 1 < g.length() && g.charAt(end + 1) == '*') {
            end++;
          }
          if (end == i) {
            sb.append("[^/]*");
          } else if (end + 1 < g.length() && g.charAt(end + 1) == '/') {
            end++;
            sb.append("(?:.*/)?");
          } else {
            sb.append(".*");
          }
          i = end;
          break;
        }
        case '?':
          sb.append("[^/]");
          break;
        case '[': {
          int end = g.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("unclosed '['");
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
          if (Character.isHighSurrogate(c) && i + 1 < g.length() && Character.isLowSurrogate(g.charAt(i + 1))) {
            sb.append(Pattern.quote(g.substring(i, i + 2))); // one character beyond the BMP (an emoji): quoted whole, or it matches nothing
            i++;
          } else {
            sb.append(Pattern.quote(String.valueOf(c)));
          }
      }
    }
    if (braces != 0) {
      throw new IllegalArgumentException("unclosed '{'");
    }
    return sb.toString();
  }

  /** The pattern as it was given: a filter's trailing {@code /}, which {@link #pattern()} drops, kept. */
  @Override
  public String toString() {
    return given;
  }
}
