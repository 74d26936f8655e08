package dev.cairn.manifest;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;


/**
 * Rules for paths inside a dataset (spec/manifest.md): relative, {@code /}-separated, UTF-8; no
 * empty, {@code .} or {@code ..} segment; no NUL, no backslash, no control characters; each segment
 * at most 255 bytes and the whole path at most 4096 bytes. Paths order by their UTF-8 bytes.
 */
public final class DatasetPaths {
  /** Longest path, in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 4096;
  /** Longest path segment (a file or folder name), in UTF-8 bytes, as on most file systems. */
  public static final int MAX_SEGMENT_BYTES = 255;

  private DatasetPaths() {}

  /**
   * Returns why {@code path} is not a valid dataset path, or null if it is.
   */
  public static String problem(String path) {
    if (path.isEmpty()) {
      return "empty path";
    }
    if (path.charAt(0) == '/') {
      return "absolute path";
    }
    if (path.charAt(path.length() - 1) == '/') {
      return "path ends with '/'";
    }
    // One pass, no allocation: a dataset walk checks every path it meets (a million, for a
    // million files). Lengths are counted in UTF-8 bytes as the characters go by.
    int pathBytes = 0;
    int segmentBytes = 0;
    int dots = 0; // the segment so far is only dots, this many; -1 once anything else was seen
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        if (segmentBytes == 0) {
          return "empty path segment";
        }
        if (dots == 1 || dots == 2) {
          return "'" + ".".repeat(dots) + "' segment";
        }
        if (segmentBytes > MAX_SEGMENT_BYTES) {
          return "name longer than " + MAX_SEGMENT_BYTES + " bytes";
        }
        pathBytes += segmentBytes + (i < path.length() ? 1 : 0);
        segmentBytes = 0;
        dots = 0;
        continue;
      }
      char c = path.charAt(i);
      if (c == 0) {
        return "NUL character";
      }
      if (c == '\\') {
        return "backslash (use '/' to separate folders)";
      }
      if (c < 0x20 || c == 0x7F) {
        return "control character";
      }
      dots = c == '.' && dots >= 0 ? dots + 1 : -1;
      if (c < 0x80) {
        segmentBytes += 1;
      } else if (c < 0x800) {
        segmentBytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1))) {
          return "invalid Unicode";
        }
        segmentBytes += 4;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "invalid Unicode";
      } else {
        segmentBytes += 3;
      }
    }
    if (pathBytes > MAX_PATH_BYTES) {
      return "path longer than " + MAX_PATH_BYTES + " bytes";
    }
    return null;
  }

  /**
   * Checks a path.
   *
   * @throws IllegalArgumentException naming the path and what is wrong
   */
  public static String check(String path) {
    String p = problem(path);
    if (p != null) {
      throw new IllegalArgumentException("invalid dataset path '" + printable(path) + "': " + p);
    }
    return path;
  }

  /**
   * {@code path} without its empty and {@code .} segments ({@code ./a}, {@code x//y},
   * {@code sub/./d}, a leading or trailing {@code /}), as tar and cp read such a path; {@code ..}
   * is kept, for the checks to refuse.
   */
  public static String withoutEmptyOrDotSegments(String path) {
    StringBuilder kept = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        kept.append(kept.length() == 0 ? "" : "/").append(segment);
      }
    }
    return kept.toString();
  }

  /**
   * A form of {@code path} safe to print on one line: control characters (C0, DEL, and C1, which a
   * terminal may take for the start of an escape sequence) as {@code \xNN}, the Unicode line and
   * paragraph separators and the bidirectional overrides and isolates (which would show a name
   * reversed) as a backslash, {@code u} and four hex digits.
   */
  public static String printable(String path) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        sb.append(String.format("\\x%02x", (int) c));
      } else if (c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
        // Line separators, and the bidirectional overrides that would show a name reversed.
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * {@code path} in Unicode's composed form (NFC): a path and its twin that differs from it only
   * by normalization (the same name composed and decomposed, as macOS and Linux write it) share it.
   */
  public static String nfc(String path) {
    return isAscii(path) ? path : Normalizer.normalize(path, Normalizer.Form.NFC);
  }

  /**
   * {@code name} as a message shows it ({@link #printable}), quoted, with its Unicode form when it
   * has letters beyond ASCII, so that two names differing only by normalization can be told apart:
   * {@code 'café' (composed)} against {@code 'café' (decomposed)}.
   */
  public static String quotedWithForm(String name) {
    String shown = "'" + printable(name) + "'";
    if (isAscii(name)) {
      return shown;
    }
    boolean composed = Normalizer.isNormalized(name, Normalizer.Form.NFC);
    boolean decomposed = Normalizer.isNormalized(name, Normalizer.Form.NFD);
    return shown + (composed && decomposed ? "" : composed ? " (composed)" : decomposed ? " (decomposed)" : " (partly composed)");
  }

  /** The composed (NFC) and decomposed (NFD) forms of {@code path} that differ from it: none for ASCII. */
  public static List<String> otherForms(String path) {
    if (isAscii(path)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(2);
    for (Normalizer.Form form : new Normalizer.Form[] {Normalizer.Form.NFC, Normalizer.Form.NFD}) {
      String other = Normalizer.normalize(path, form);
      if (!other.equals(path) && !out.contains(other)) {
        out.add(other);
      }
    }
    return out;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * Compares paths by Unicode code point, which is the order of their UTF-8 bytes (Java's
   * {@link String#compareTo} differs for characters beyond U+FFFF).
   */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return fixup(x) - fixup(y);
      }
    }
    return a.length() - b.length();
  }

  /** Moves surrogates above U+E000-U+FFFF so that UTF-16 units order like code points. */
  private static int fixup(char c) {
    if (c >= 0xD800) {
      return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
    return c;
  }

  /** Whether {@code path} is {@code folder} or lies inside it ({@code folder} "" is the root). */
  public static boolean isUnder(String path, String folder) {
    return folder.isEmpty() || path.equals(folder) || (path.startsWith(folder) && path.charAt(folder.length()) == '/');
  }
}
