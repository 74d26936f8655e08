package dev.cairn.chunk;

/**
 * Finds content-defined chunk boundaries. Implementations are stateless and thread-safe.
 */
public interface Chunker {
  /**
   * Returns the length of the chunk that starts at {@code off}.
   *
   * <p>The caller passes either at least {@link ChunkerParams#maxSize()} bytes, or every byte left
   * in the stream: boundaries then depend only on the content, never on how it was buffered.
   *
   * @return a length in {@code [1, min(len, maxSize)]}, or 0 when {@code len} is 0
   */
  int cut(byte[] buf, int off, int len);

  /**
   * Whether a chunk of {@code len} bytes starting at {@code off} ends where the cut rule would end
   * it if no boundary came earlier: the length is the maximum, or the boundary test holds after
   * its last byte. Looks at the chunk's last bytes only; {@link #cut} alone also rules out an
   * earlier boundary.
   */
  boolean endsAt(byte[] buf, int off, int len);

  /** The parameters this chunker was built with. */
  ChunkerParams params();
}
