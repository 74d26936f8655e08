package dev.cairn.web;

/**
 * One range of bytes a client asks for ({@code Range: bytes=FIRST-LAST}, RFC 9110 section 14), so
 * that a download cut short can resume. Only a single range is served; a header asking for several,
 * or not understood, is ignored and the whole file is sent, as the RFC allows.
 *
 * @param first the first byte, from 0
 * @param last the last byte, inclusive
 */
record ByteRange(long first, long last) {
  long length() {
    return last - first + 1;
  }

  /** {@code bytes FIRST-LAST/SIZE}, for {@code Content-Range}. */
  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * The range {@code header} asks of a file of {@code size} bytes, or null to send it whole (no
   * header, or one this server ignores).
   *
   * @throws HttpProblem 416 when the range starts past the end of the file
   */
  static ByteRange parse(String header, long size) {
    if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6) || header.indexOf(',') >= 0) {
      return null; // units are case-insensitive (RFC 9110 section 14.1)
    }
    String spec = header.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (!(a + b).chars().allMatch(ch -> ch >= '0' && ch <= '9') || (a + b).isEmpty()) {
        return null;
      }
      if (a.isEmpty()) { // the last N bytes
        long n = number(b);
        if (n <= 0) {
          throw unsatisfiable(size);
        }
        return size == 0 ? null : new ByteRange(Math.max(0, size - n), size - 1);
      }
      long first = number(a); // past any file when too long for a long
      long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
      if (first < 0 || last < first) {
        return null; // not a range: ignored
      }
      if (first >= size) {
        throw unsatisfiable(size);
      }
      return new ByteRange(first, Math.min(last, size - 1));
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  /** Digits as a number, {@link Long#MAX_VALUE} when too large for one. */
  private static long number(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static HttpProblem unsatisfiable(long size) {
    return new HttpProblem(416, "Cannot send that range: the file has " + size + " bytes");
  }
}
