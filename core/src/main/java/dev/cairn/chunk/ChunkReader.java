package dev.cairn.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a stream into chunks. Holds at most {@value #WINDOWS} maximum-size chunks in memory, whatever
 * the size of the stream. Not thread-safe.
 *
 * <p>Given a {@link ChunkGuide} to the stream's previous content, the reader skips the chunker
 * where a previous chunk may lie again: it hands out that chunk's extent as it is, {@linkplain
 * #proposed() marked} as a proposal, and the caller either accepts it (its hash is the previous
 * chunk's) or {@linkplain #refuse() refuses} it, and the chunker cuts from there. The chunks
 * accepted are the ones the chunker would have cut: a chunker cut that was not at the end of its
 * stream depends only on the bytes from the chunk's start to the cut, so the same bytes at a place
 * where the chunker starts a chunk are cut the same way again. A previous last chunk, which the
 * end of the stream may have cut, is proposed only where the stream ends after it again.
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
  /** Length of the chunk last handed out, which ends at {@link #start}. */
  private int length;
  private ChunkGuide guide;
  /** The previous chunk the last chunk handed out was proposed as; -1 if the chunker cut it. */
  private int proposed = -1;
  /** The previous chunk to propose next without a search: the one after the last accepted. */
  private int nextGuess = -1;
  /** Whether an accepted proposal was checked against the cut rule in full already. */
  private boolean guideChecked;
  /** A position where a proposal was refused: the chunker cuts there. */
  private long refusedAt = -1;
  /** Bytes handed out as accepted proposals, which the chunker did not scan. */
  private long reused;

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

  /** Proposes the chunks of {@code guide} where they may lie again (see the class comment). */
  public ChunkReader guide(ChunkGuide guide) {
    this.guide = guide;
    return this;
  }

  /**
   * Returns the next chunk as a new array, or null at the end of the stream.
   *
   * @throws IOException if reading the stream fails
   */
  public byte[] next() throws IOException {
    return step() ? copy() : null;
  }

  /**
   * Moves to the next chunk without copying it: the chunk is {@link #length()} bytes of {@link
   * #array()} from {@link #offset()}, valid until the next call. Returns false at the end of the
   * stream.
   *
   * @throws IOException if reading the stream fails
   */
  public boolean step() throws IOException {
    int max = chunker.params().maxSize();
    if (end - start < max && !eof) {
      fill(max);
    }
    if (proposed >= 0) {
      reused += guide.length(proposed); // the last proposal was not refused
    }
    int available = end - start;
    if (available == 0) {
      proposed = -1;
      length = 0;
      return false;
    }
    proposed = guide == null || position == refusedAt ? -1 : proposal(available);
    length = proposed >= 0 ? (int) guide.length(proposed) : chunker.cut(buf, start, available);
    nextGuess = proposed >= 0 && proposed + 1 < guide.count() ? proposed + 1 : -1;
    start += length;
    position += length;
    return true;
  }

  /** The array holding the current chunk (see {@link #step()}). */
  public byte[] array() {
    return buf;
  }

  /** Where the current chunk starts in {@link #array()}. */
  public int offset() {
    return start - length;
  }

  /** Length of the current chunk; 0 at the end. */
  public int length() {
    return length;
  }

  /** The current chunk as a new array. */
  public byte[] copy() {
    return Arrays.copyOfRange(buf, start - length, start);
  }

  /** The previous chunk that may lie at the current position, if it fits what is left; else -1. */
  private int proposal(int available) {
    int k = nextGuess >= 0 ? nextGuess : guide.chunkAt(position);
    if (k < 0) {
      return -1;
    }
    long len = guide.length(k);
    if (len > available || len > chunker.params().maxSize()) {
      return -1;
    }
    // One the end of the stream may have cut: only where the stream ends right after it.
    return endCut(k) && !(eof && len == available) ? -1 : k;
  }

  /**
   * Whether previous chunk {@code k} may have been cut by the end of its stream: shorter than the
   * chunker ever cuts before the end, or the previous last chunk not of the maximum size.
   */
  private boolean endCut(int k) {
    long len = guide.length(k);
    ChunkerParams p = chunker.params();
    return len <= p.minSize() || (k == guide.count() - 1 && len < p.maxSize());
  }

  /**
   * Tells the reader that the last chunk, a proposal, holds the previous chunk's bytes. Returns
   * whether it stands as a chunk: the previous chunks may have been cut with other parameters (a
   * file object fetched from another repository), so the first accepted proposal, and any that the
   * end of the stream cuts, are checked against the cut rule in full, the others at their end
   * ({@link Chunker#endsAt}). On a mismatch the guide is dropped, the chunk taken back as by
   * {@link #refuse()}, and false returned.
   */
  public boolean accept() {
    if (proposed < 0) {
      throw new IllegalStateException("the last chunk was not a proposal");
    }
    int from = start - length;
    boolean stands = endCut(proposed) || !guideChecked ? chunker.cut(buf, from, end - from) == length : chunker.endsAt(buf, from, length);
    guideChecked = true;
    if (!stands) {
      refuse();
      guide = null;
    }
    return stands;
  }

  /**
   * The previous chunk (its index in the guide) that the last chunk handed out was proposed as,
   * unchecked; -1 if the chunker cut it.
   */
  public int proposed() {
    return proposed;
  }

  /**
   * Takes back the last chunk handed out, a proposal whose bytes were not the previous chunk's:
   * the next call cuts from its start with the chunker.
   */
  public void refuse() {
    if (proposed < 0) {
      throw new IllegalStateException("the last chunk was not a proposal");
    }
    start -= length;
    position -= length;
    length = 0;
    refusedAt = position;
    proposed = -1;
    nextGuess = -1;
  }

  /** Bytes of accepted proposals so far (the last one counted once the next chunk is asked for). */
  public long reusedBytes() {
    return reused;
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
