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
    String s = Bom.of(bytes, length).decode(bytes, length);
    int nl = s.lastIndexOf('\n');
    return truncated && nl >= 0 ? s.substring(0, nl + 1) : s;
  }
}
