package dev.cairn.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a stream into chunks. Holds at most {@value #WINDOWS} maximum-size chunks in memory, whatever
 * the size of the stream. Not thread-safe.
 */
public final class ChunkReader {
  private static final int INITIAL_BUFFER = 64 << 10;
  /**
   * The buffer grows up to this many maximum-size chunks. The chunker needs one maximum-size
   * chunk ahead of where it cuts; the bytes still ahead are moved to the front only when the
   * buffer is full, so with four windows each byte is moved a third of a time on average (with
   * two, and 256 KiB chunks in a 1 MiB window, it was moved three times).
   */
  private static final int WINDOWS = 4;

  private final Chunker chunker;
  private final InputStream in;
  /** Grows on demand up to {@link #WINDOWS} maximum-size chunks, so that small files cost small buffers. */
  private byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private long position;

  public ChunkReader(Chunker chunker, InputStream in) {
    this(chunker, in, -1);
  }

  /**
   * A reader of a stream expected to hold {@code expectedSize} bytes (-1: unknown). A small file
   * (up to {@link #SIZED_BUFFER_LIMIT}) is read into a buffer of its size, without growing it, and
   * its end is seen without a copy; larger ones start at the default and grow.
   */
  public ChunkReader(Chunker chunker, InputStream in, long expectedSize) {
    this.chunker = chunker;
    this.in = in;
    long initial = expectedSize >= 0 && expectedSize < SIZED_BUFFER_LIMIT ? Math.max(expectedSize + 1, 1024) : INITIAL_BUFFER;
    this.buf = new byte[(int) Math.min(initial, WINDOWS * chunker.params().maxSize())];
  }

  /**
   * Files below this size get a buffer of their own size. Larger ones grow theirs as they are read:
   * handing every ingest thread a buffer of several MiB at once kept more memory alive across
   * garbage collections (peak RSS of a 2 GiB ingest 240 -> 290 MB) for no gain in speed.
   */
  private static final long SIZED_BUFFER_LIMIT = 256 << 10;

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
    int limit = WINDOWS * chunker.params().maxSize();
    while (end - start < want && !eof) {
      if (end == buf.length) {
        if (start > 0 && (start >= buf.length / 2 || buf.length >= limit)) {
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          start = 0;
        } else {
          buf = Arrays.copyOf(buf, Math.min(limit, buf.length * 2));
        }
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
