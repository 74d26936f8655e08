package dev.cairn.web;

import dev.cairn.manifest.FileEntry;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;

/**
 * The first bytes of a stored file, read without streaming the rest.
 *
 * @param bytes the bytes read, {@code length} of them valid
 * @param truncated whether the file is longer than what was read
 */
record FileHead(byte[] bytes, int length, boolean truncated) {
  static FileHead read(ObjectReader reader, FileEntry e, int maxBytes) throws IOException {
    int want = (int) Math.min(maxBytes, e.size());
    byte[] buf = new byte[want];
    int n = 0;
    try (InputStream in = reader.openContent(e.fileContent())) {
      while (n < want) {
        int r = in.read(buf, n, want - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    }
    return new FileHead(buf, n, e.size() > n);
  }

  /**
   * The bytes as text in the encoding their byte-order mark names (UTF-8 without one; malformed
   * sequences replaced), without the mark; when truncated, up to the last full line.
   */
  String text() {
    String s = bom().decode(bytes, length);
    if (truncated) {
      // A character the cut split decodes as replacement characters: not in the file.
      int end = s.length();
      while (end > 0 && s.length() - end < 3 && s.charAt(end - 1) == '\uFFFD') {
        end--;
      }
      s = s.substring(0, end);
    }
    int nl = s.lastIndexOf('\n');
    return truncated && nl >= 0 ? s.substring(0, nl + 1) : s;
  }

  /** The byte-order mark the bytes start with, read knowing whether they are the whole file. */
  Bom bom() {
    return Bom.of(bytes, length, !truncated);
  }

  /** Whether the bytes look like text ({@link PreviewKind#looksLikeText}), read in the encoding {@link #bom} names. */
  boolean looksLikeText() {
    return PreviewKind.looksLikeText(bytes, length, bom());
  }

  /**
   * Whether {@code shown}, this head's {@link #text}, holds U+FFFD for sequences that are not text
   * in the bytes' encoding (Latin-1 read as UTF-8, say): a character the file does not hold.
   */
  boolean hasUndecodable(String shown) {
    if (shown.indexOf('\uFFFD') < 0) {
      return false;
    }
    // U+FFFD written in the file itself (EF BF BD in UTF-8) is a character like any other.
    Bom bom = bom();
    return bom == Bom.UTF_16LE || bom == Bom.UTF_16BE
        || shown.chars().filter(c -> c == 0xFFFD).count() > occurrences(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD});
  }

  private long occurrences(byte[] seq) {
    long n = 0;
    for (int i = 0; i + seq.length <= length; i++) {
      if (bytes[i] == seq[0] && bytes[i + 1] == seq[1] && bytes[i + 2] == seq[2]) {
        n++;
      }
    }
    return n;
  }
}
