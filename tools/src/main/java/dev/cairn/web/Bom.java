package dev.cairn.web;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The byte-order mark a text starts with, naming its encoding; {@link #NONE} is read as UTF-8. */
enum Bom {
  NONE(StandardCharsets.UTF_8, 0),
  UTF_8(StandardCharsets.UTF_8, 3),
  UTF_16LE(StandardCharsets.UTF_16LE, 2),
  UTF_16BE(StandardCharsets.UTF_16BE, 2);

  private final Charset charset;
  private final int length;

  Bom(Charset charset, int length) {
    this.charset = charset;
    this.length = length;
  }

  /** The mark at the start of the first {@code length} bytes of {@code b}. */
  static Bom of(byte[] b, int length) {
    return of(b, length, false);
  }

  /**
   * As {@link #of(byte[], int)}; {@code whole} says the bytes are the whole file, whose UTF-16 mark
   * then counts only where its bytes come in pairs: a file of an odd length that happens to start
   * with FF FE holds no UTF-16 text.
   */
  static Bom of(byte[] b, int length, boolean whole) {
    if (length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      return UTF_8;
    }
    if (whole && length % 2 != 0) {
      return NONE;
    }
    if (length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
      return UTF_16LE;
    }
    if (length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
      return UTF_16BE;
    }
    return NONE;
  }

  Charset charset() {
    return charset;
  }

  /** Bytes of the mark itself. */
  int length() {
    return length;
  }

  /**
   * The first {@code length} bytes as text, without the mark; malformed sequences replaced, and a
   * UTF-16 text cut mid-unit loses its last odd byte.
   */
  String decode(byte[] b, int length) {
    int end = this == UTF_16LE || this == UTF_16BE ? this.length + (length - this.length) / 2 * 2 : length;
    return new String(b, this.length, end - this.length, charset);
  }
}
