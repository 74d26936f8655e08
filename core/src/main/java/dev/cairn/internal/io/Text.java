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
}
