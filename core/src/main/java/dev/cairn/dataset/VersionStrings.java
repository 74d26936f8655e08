package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.HashAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Version strings such as {@code 1.0.0}: compared numerically part by part (so {@code 1.0.10}
 * follows {@code 1.0.9}), a pre-release before its release ({@link #ORDER}); the next version
 * bumps the last numeric part.
 */
public final class VersionStrings {
  /**
   * The key under which a dataset's version strings are reserved, here ({@code refs/versions/<key>/})
   * and on a remote ({@code names/<key>/}): the first 32 hex digits of the SHA-256 of its project,
   * a NUL and its name, in UTF-8 (spec/datasets.md, "Layout").
   */
  public static String reservationKey(String project, String name) {
    byte[] key = (project + "\u0000" + name).getBytes(StandardCharsets.UTF_8);
    return HashAlgorithm.SHA256.hash(key).abbreviate(32);
  }

  /** The first version of a dataset. */
  public static final String FIRST = "1.0.0";

  private static final Pattern VALID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");

  private VersionStrings() {}

  /**
   * Checks a user-given version string.
   *
   * @throws IllegalArgumentException if it is empty, too long or has other characters than
   *     letters, digits and {@code . _ + -}
   */
  public static String check(String v) {
    if (!VALID.matcher(v).matches()) {
      throw new IllegalArgumentException("invalid version '" + v
          + "': use up to 64 letters, digits and . _ + -, starting with a letter or digit (for example 1.2.0)");
    }
    return v;
  }

  /** Whether {@code v} is a well-formed version string (see {@link #check}). */
  public static boolean isValid(String v) {
    return VALID.matcher(v).matches();
  }

  /**
   * Orders versions as semantic versions do: {@code release[-prerelease][+build]}, the release's
   * parts (between {@code .} and {@code _}) compared one by one, numerically where both are numbers
   * (a number follows a word); then a release without a pre-release follows the same release with
   * one ({@code 2.0.0-rc1} comes before {@code 2.0.0}), and pre-releases compare part by part
   * (between {@code . _ -}; there a number comes before a word, as semantic versioning says); then
   * the build (between {@code . _ - +}); then the text. Within a word, runs of digits compare as
   * numbers ({@code rc9} before {@code rc10}, which {@link #bump} makes of it).
   */
  public static final Comparator<String> ORDER = VersionStrings::compare;

  public static int compare(String a, String b) {
    Split x = Split.of(a);
    Split y = Split.of(b);
    int c = compareParts(parts(x.release, "._"), parts(y.release, "._"), false);
    if (c == 0) {
      c = x.pre == null ? (y.pre == null ? 0 : 1) : y.pre == null ? -1 : compareParts(parts(x.pre, "._-"), parts(y.pre, "._-"), true);
    }
    if (c == 0) {
      c = compareParts(parts(x.build, "._-+"), parts(y.build, "._-+"), false);
    }
    return c != 0 ? c : a.compareTo(b);
  }

  /** A version's release, pre-release (after the first {@code -}; null if none) and build (after the first {@code +}). */
  private record Split(String release, String pre, String build) {
    static Split of(String v) {
      int plus = v.indexOf('+');
      String build = plus < 0 ? "" : v.substring(plus + 1);
      String head = plus < 0 ? v : v.substring(0, plus);
      int dash = head.indexOf('-');
      String pre = dash < 0 || dash == head.length() - 1 ? null : head.substring(dash + 1);
      return new Split(dash < 0 ? head : head.substring(0, dash), pre, build);
    }
  }

  /** @param numbersFirst a number before a word (semantic versioning's rule for pre-releases), else after */
  private static int compareParts(List<String> x, List<String> y, boolean numbersFirst) {
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = comparePart(x.get(i), y.get(i), numbersFirst);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  /** The parts of {@code v} between any of the {@code separators}, trailing empty parts left out. */
  private static List<String> parts(String v, String separators) {
    List<String> out = new ArrayList<>(4);
    int start = 0;
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (separators.indexOf(ch) >= 0) {
        out.add(v.substring(start, i));
        start = i + 1;
      }
    }
    if (out.isEmpty()) {
      return List.of(v);
    }
    out.add(v.substring(start));
    int n = out.size();
    while (n > 0 && out.get(n - 1).isEmpty()) {
      n--;
    }
    return out.subList(0, n);
  }

  private static int comparePart(String a, String b, boolean numbersFirst) {
    boolean na = isNumber(a);
    boolean nb = isNumber(b);
    if (na && nb) {
      return compareNumbers(a, b);
    }
    if (na != nb) {
      return na == numbersFirst ? -1 : 1;
    }
    return compareWords(a, b);
  }

  /** Two numbers of any length, leading zeros aside. */
  private static int compareNumbers(String a, String b) {
    String ta = a.substring(leadingZeros(a));
    String tb = b.substring(leadingZeros(b));
    int c = Integer.compare(ta.length(), tb.length());
    return c != 0 ? c : ta.compareTo(tb);
  }

  /**
   * Two words, run by run: runs of digits as numbers, other runs as text ({@code rc9} before
   * {@code rc10}, as a person reads them), then the one with fewer runs first.
   */
  private static int compareWords(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ei = runEnd(a, i);
      int ej = runEnd(b, j);
      String ra = a.substring(i, ei);
      String rb = b.substring(j, ej);
      boolean da = Character.isDigit(a.charAt(i));
      boolean db = Character.isDigit(b.charAt(j));
      int c = da && db ? compareNumbers(ra, rb) : ra.compareTo(rb);
      if (c != 0) {
        return c;
      }
      i = ei;
      j = ej;
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** The end of the run of digits, or of other characters, that starts at {@code from}. */
  private static int runEnd(String s, int from) {
    boolean digit = Character.isDigit(s.charAt(from));
    int k = from + 1;
    while (k < s.length() && Character.isDigit(s.charAt(k)) == digit) {
      k++;
    }
    return k;
  }

  private static boolean isNumber(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /** Leading zeros of a number, its last digit never counted. */
  private static int leadingZeros(String digits) {
    int n = 0;
    while (n < digits.length() - 1 && digits.charAt(n) == '0') {
      n++;
    }
    return n;
  }

  /**
   * The version after {@code v}: its last number plus one ({@code 1.0.9} → {@code 1.0.10}), as
   * many digits at least as it had ({@code 2024-02-01} → {@code 2024-02-02}); build metadata is
   * left off ({@code 1.0.0+build} → {@code 1.0.1}), since it names a build, not a version. A
   * pre-release without a number goes on with one ({@code 2.1.0-beta} → {@code 2.1.0-beta.1}).
   */
  public static String bump(String version) throws InvalidInputException {
    int plus = version.indexOf('+');
    String v = plus > 0 ? version.substring(0, plus) : version;
    int end = v.length();
    while (end > 0 && !Character.isDigit(v.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && Character.isDigit(v.charAt(start - 1))) {
      start--;
    }
    int dash = v.indexOf('-');
    if (start == end || (dash >= 0 && end <= dash)) {
      // No number, or none in the pre-release (2.1.0-beta): the pre-release goes on (2.1.0-beta.1,
      // which follows it), rather than a release being bumped under it (2.1.1-beta).
      String base = v.replaceAll("[^0-9A-Za-z]+$", ""); // "a-" is a-(empty pre-release): a.1 follows it
      return checkedNext(version, base + ".1");
    }
    String digits = v.substring(start, end);
    String next = new BigInteger(digits).add(BigInteger.ONE).toString();
    if (next.length() < digits.length()) {
      next = "0".repeat(digits.length() - next.length()) + next;
    }
    return checkedNext(version, v.substring(0, start) + next + v.substring(end));
  }

  /** {@code next}, if it is a valid version string after {@code version}. */
  private static String checkedNext(String version, String next) throws InvalidInputException {
    if (!isValid(next) || compare(next, version) <= 0) {
      throw new InvalidInputException("Cannot choose the version after " + version + ": give one with ",
          new Remedy("CreateOptions.version", "--version"), "");
    }
    return next;
  }
}
