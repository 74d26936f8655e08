package dev.cairn.web;

import dev.cairn.manifest.FileEntry;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

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

  /** The bytes as UTF-8 (malformed sequences replaced); when truncated, up to the last full line. */
  String text() {
    int end = length;
    if (truncated) {
      for (int i = length - 1; i >= 0; i--) {
        if (bytes[i] == '\n') {
          end = i + 1;
          break;
        }
      }
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
