package dev.cairn.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a stream into chunks. Holds at most two maximum-size chunks in memory, whatever the size of
 * the stream. Not thread-safe.
 */
public final class ChunkReader {
  private static final int INITIAL_BUFFER = 64 << 10;

  private final Chunker chunker;
  private final InputStream in;
  /** Grows on demand up to two maximum-size chunks, so that small files cost small buffers. */
  private byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private long position;

  public ChunkReader(Chunker chunker, InputStream in) {
    this.chunker = chunker;
    this.in = in;
    this.buf = new byte[Math.min(INITIAL_BUFFER, 2 * chunker.params().maxSize())];
  }

  /**
   * Returns the next chunk as a new array, or null at the end of the stream.
   *
   * @throws IOException if reading the stream fails
   */
  public byte[] next() throws IOException {
    int max = chunker.params().maxSize();
    if (end - start < max && !eof) {
      fill(max);
    }
    int available = end - start;
    if (available == 0) {
      return null;
    }
    int n = chunker.cut(buf, start, available);
    byte[] chunk = Arrays.copyOfRange(buf, start, start + n);
    start += n;
    position += n;
    return chunk;
  }

  /** Bytes handed out so far. */
  public long position() {
    return position;
  }

  private void fill(int want) throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    while (end < want && !eof) {
      if (end == buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.min(2 * chunker.params().maxSize(), buf.length * 2));
      }
      int r = in.read(buf, end, buf.length - end);
      if (r < 0) {
        eof = true;
      } else {
        end += r;
      }
    }
  }
}
