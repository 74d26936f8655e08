package dev.cairn.internal.io;

/** Checks on strings that are stored as UTF-8, and counted nouns for messages. */
public final class Text {
  private Text() {}

  /** "1 file", "2 files": {@code noun} is the singular and takes a plain "s" in the plural. */
  public static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** A size for people: "420 B", "1.5 KiB", "12.3 GiB" (binary units, one decimal). */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * {@code s} as one word of a POSIX shell, for a command a message tells to run: as it is when it
   * holds only characters no shell reads specially, else in single quotes (one inside as {@code '\''}).
   */
  public static String shellQuoted(String s) {
    return !s.isEmpty() && s.matches("[A-Za-z0-9._/:@%+=,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** Whether {@code s} is well-formed UTF-16 (no unpaired surrogate), so it round-trips through UTF-8. */
  public static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Length of {@code s} in UTF-8 bytes. */
  public static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Checks that {@code s} is well-formed and at most {@code maxBytes} long in UTF-8.
   *
   * @throws IllegalArgumentException naming {@code what}
   */
  public static String check(String what, String s, long maxBytes) {
    if (!isWellFormed(s)) {
      throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)");
    }
    if (utf8Length(s) > maxBytes) {
      throw new IllegalArgumentException(what + " is longer than " + maxBytes + " bytes");
    }
    return s;
  }

  /**
   * Optimal string alignment distance: the characters inserted, deleted or replaced, and the swaps
   * of neighbours, that turn {@code a} into {@code b} (what a typing slip makes).
   */
  public static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /**
   * Whether {@code typed} is the name {@code known} with one slip of a typing hand: two neighbouring
   * letters swapped, a letter typed twice, or, in a word of four letters or more, a letter left
   * out, added or replaced by another. A digit or a sign added, removed, changed or swapped is no
   * slip ({@code remote2} beside {@code remote}, {@code ds-b} beside {@code ds-a}, {@code runs/21}
   * beside {@code runs/12}), nor is a short word changed ({@code b} beside {@code a}) or a plural
   * ({@code models} beside {@code model}): such names are told apart on purpose.
   */
  public static boolean isOneLetterSlip(String known, String typed) {
    if (known.equals(typed) || Math.abs(known.length() - typed.length()) > 1) {
      return false;
    }
    int i = 0;
    while (i < Math.min(known.length(), typed.length()) && known.charAt(i) == typed.charAt(i)) {
      i++;
    }
    boolean longWord = wordAround(known, Math.min(i, known.length() - 1)) >= 4;
    if (known.length() != typed.length()) {
      String longer = known.length() > typed.length() ? known : typed;
      String shorter = longer == known ? typed : known;
      char c = longer.charAt(i);
      boolean doubled = (i > 0 && longer.charAt(i - 1) == c) || (i + 1 < longer.length() && longer.charAt(i + 1) == c);
      boolean plural = (c == 's' || c == 'S') && (i + 1 == longer.length() || !Character.isLetter(longer.charAt(i + 1)))
          && i > 0 && Character.isLetter(longer.charAt(i - 1)) && !doubled;
      return Character.isLetter(c) && (doubled || longWord) && !plural && longer.substring(i + 1).equals(shorter.substring(i));
    }
    if (i + 1 < known.length() && Character.isLetter(known.charAt(i)) && Character.isLetter(known.charAt(i + 1))
        && known.charAt(i) == typed.charAt(i + 1) && known.charAt(i + 1) == typed.charAt(i)
        && known.substring(i + 2).equals(typed.substring(i + 2))) {
      return true; // two neighbouring letters swapped
    }
    return longWord && Character.isLetter(known.charAt(i)) && Character.isLetter(typed.charAt(i))
        && known.substring(i + 1).equals(typed.substring(i + 1));
  }

  /** The length of the word of {@code s} (its run of letters) at index {@code at}. */
  private static int wordAround(String s, int at) {
    if (at < 0 || !Character.isLetter(s.charAt(at))) {
      return 0;
    }
    int from = at;
    while (from > 0 && Character.isLetter(s.charAt(from - 1))) {
      from--;
    }
    int to = at;
    while (to < s.length() && Character.isLetter(s.charAt(to))) {
      to++;
    }
    return to - from;
  }
}
