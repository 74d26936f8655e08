package dev.cairn.dataset;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Version strings such as {@code 1.0.0}: compared numerically part by part (so {@code 1.0.10}
 * follows {@code 1.0.9}); the next version bumps the last numeric part.
 */
public final class VersionStrings {
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
          + "': use up to 64 letters, digits and . _ + - (for example 1.2.0)");
    }
    return v;
  }

  /** Whether {@code v} is a well-formed version string (see {@link #check}). */
  public static boolean isValid(String v) {
    return VALID.matcher(v).matches();
  }

  /** Orders versions by their numeric parts, then as text. */
  public static final Comparator<String> ORDER = VersionStrings::compare;

  public static int compare(String a, String b) {
    String[] x = a.split("[.+_-]");
    String[] y = b.split("[.+_-]");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = comparePart(x[i], y[i]);
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(x.length, y.length);
    return c != 0 ? c : a.compareTo(b);
  }

  private static int comparePart(String a, String b) {
    boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty();
    boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty();
    if (na && nb) {
      String ta = a.replaceFirst("^0+(?=.)", "");
      String tb = b.replaceFirst("^0+(?=.)", "");
      int c = Integer.compare(ta.length(), tb.length());
      return c != 0 ? c : ta.compareTo(tb);
    }
    if (na != nb) {
      return na ? 1 : -1;
    }
    return a.compareTo(b);
  }

  /** The version after {@code v}: its last number plus one ({@code 1.0.9} → {@code 1.0.10}). */
  public static String bump(String v) {
    int end = v.length();
    while (end > 0 && !Character.isDigit(v.charAt(end - 1))) {
      end--;
    }
    int start = end;
    while (start > 0 && Character.isDigit(v.charAt(start - 1))) {
      start--;
    }
    if (start == end) {
      return v + ".1";
    }
    String digits = v.substring(start, end);
    String next = new java.math.BigInteger(digits).add(java.math.BigInteger.ONE).toString();
    return v.substring(0, start) + next + v.substring(end);
  }
}
