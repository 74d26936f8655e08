package dev.cairn.chunk;

import java.util.Arrays;

/**
 * Where the chunks of a stream's previous content lay: their lengths in order, and how much
 * longer the stream is now. A {@link ChunkReader} given a guide proposes those chunks again where
 * they may still be (at the same offset, or shifted by the change in length, as after bytes were
 * inserted or removed before them), so that the unchanged parts of an edited file are checked by
 * hash instead of cut again. Immutable.
 */
public final class ChunkGuide {
  /** {@code starts[k]}: offset of chunk k; {@code starts[n]}: the previous length. */
  private final long[] starts;
  private final long shift;

  /**
   * A guide to a previous content cut into chunks of {@code lengths}, for a stream now expected
   * to hold {@code expectedSize} bytes (-1: unknown, then chunks are looked for at their old
   * offsets only).
   */
  public ChunkGuide(long[] lengths, long expectedSize) {
    starts = new long[lengths.length + 1];
    for (int k = 0; k < lengths.length; k++) {
      if (lengths[k] <= 0) {
        throw new IllegalArgumentException("chunk " + k + " has length " + lengths[k]);
      }
      starts[k + 1] = starts[k] + lengths[k];
    }
    shift = expectedSize < 0 ? 0 : expectedSize - starts[lengths.length];
  }

  /** Number of previous chunks. */
  public int count() {
    return starts.length - 1;
  }

  /** Length of previous chunk {@code k}. */
  public long length(int k) {
    return starts[k + 1] - starts[k];
  }

  /**
   * The previous chunk that may start at {@code position} of the new stream: the one that started
   * there, else the one that started {@code position - shift}; -1 if none.
   */
  public int chunkAt(long position) {
    int k = indexOf(position);
    return k >= 0 || shift == 0 ? k : indexOf(position - shift);
  }

  private int indexOf(long offset) {
    int k = Arrays.binarySearch(starts, 0, starts.length - 1, offset);
    return k >= 0 ? k : -1;
  }
}
