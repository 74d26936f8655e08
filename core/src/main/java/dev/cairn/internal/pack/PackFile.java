package dev.cairn.internal.pack;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.CorruptObjectException.Reason;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Bytes;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An open, published pack. Opening checks the header, the trailer and the index checksum; reading a
 * block checks the block's checksum. Thread-safe: reads are positional.
 *
 * <p>A thread interrupted while it reads makes the JDK close the channel under every thread that
 * shares it. The channel is then opened again: the interrupted read fails with an
 * {@link InterruptedIOException}, and reads of other threads go on (see {@link #reading}).
 */
public final class PackFile implements AutoCloseable {
  private final Path path;
  private volatile FileChannel channel;
  private volatile boolean closed;
  /** How many reads of this pack are under way, in all threads. */
  private final java.util.concurrent.atomic.AtomicInteger readsUnderWay = new java.util.concurrent.atomic.AtomicInteger();
  /** Told when a read opens the channel again after {@link #release}: its database counts the handles held. */
  private volatile Runnable reopened;
  private final long length;
  private final HashAlgorithm algorithm;
  private final long indexOffset;
  private final int entryCount;

  private PackFile(Path path, FileChannel channel, long length, HashAlgorithm algorithm, long indexOffset, int entryCount) {
    this.path = path;
    this.channel = channel;
    this.length = length;
    this.algorithm = algorithm;
    this.indexOffset = indexOffset;
    this.entryCount = entryCount;
  }

  /**
   * Opens a pack and checks its header, trailer and index checksum.
   *
   * @throws CorruptObjectException if any of those is damaged
   * @throws UnsupportedFormatVersionException if the pack has a newer format version
   */
  public static PackFile open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long len = ch.size();
      String where = path.toString();
      if (len < PackFormat.HEADER_SIZE + PackFormat.INDEX_HEADER_SIZE + PackFormat.TRAILER_SIZE) {
        throw corrupt(Reason.TRUNCATED, where, "file of " + len + " bytes is too short for a pack");
      }
      byte[] header = readFully(ch, 0, PackFormat.HEADER_SIZE);
      if (!startsWith(header, 0, PackFormat.MAGIC)) {
        throw corrupt(Reason.MALFORMED, where, "not a pack (bad magic)");
      }
      int version = header[4] & 0xFF;
      if (version != PackFormat.VERSION) {
        throw new UnsupportedFormatVersionException("pack", version, where);
      }
      HashAlgorithm algorithm;
      try {
        algorithm = HashAlgorithm.fromCode(header[5] & 0xFF);
      } catch (IllegalArgumentException e) {
        throw corrupt(Reason.MALFORMED, where, e.getMessage());
      }
      if (Bytes.u16(header, 6) != 0) {
        throw corrupt(Reason.MALFORMED, where, "reserved header bytes are not zero");
      }
      byte[] trailer = readFully(ch, len - PackFormat.TRAILER_SIZE, PackFormat.TRAILER_SIZE);
      if (!startsWith(trailer, 16, PackFormat.END_MAGIC)) {
        throw corrupt(Reason.TRUNCATED, where, "pack trailer missing");
      }
      long indexOffset = Bytes.u64(trailer, 0);
      long indexLength = len - PackFormat.TRAILER_SIZE - indexOffset;
      if (indexOffset < PackFormat.HEADER_SIZE || indexLength < PackFormat.INDEX_HEADER_SIZE || indexLength > PackFormat.MAX_INDEX_LENGTH
          || (indexLength - PackFormat.INDEX_HEADER_SIZE) % PackFormat.ENTRY_SIZE != 0) {
        throw corrupt(Reason.MALFORMED, where, "index offset " + indexOffset + " out of range");
      }
      byte[] index = readFully(ch, indexOffset, (int) indexLength);
      CRC32C crc = new CRC32C();
      crc.update(index);
      if (crc.getValue() != Bytes.u32(trailer, 8)) {
        throw corrupt(Reason.CHECKSUM_MISMATCH, where, "pack index checksum mismatch");
      }
      if (!startsWith(index, 0, PackFormat.INDEX_MAGIC)) {
        throw corrupt(Reason.MALFORMED, where, "bad index magic");
      }
      long count = Bytes.u32(index, 4);
      if (count * PackFormat.ENTRY_SIZE != indexLength - PackFormat.INDEX_HEADER_SIZE) {
        throw corrupt(Reason.MALFORMED, where, "index count " + count + " does not match its length");
      }
      return new PackFile(path, ch, len, algorithm, indexOffset, (int) count);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Opens a pack whose index is at {@code indexOffset} with {@code entryCount} entries, as
   * {@link PackSalvage} found them, without the checks {@link #open} makes: for reading the blocks
   * of a damaged pack whose objects are each checked by their block's checksum and their hash.
   */
  static PackFile openUnchecked(Path path, FileChannel channel, HashAlgorithm algorithm, long indexOffset, int entryCount)
      throws IOException {
    return new PackFile(path, channel, channel.size(), algorithm, indexOffset, entryCount);
  }

  private static CorruptObjectException corrupt(Reason reason, String where, String detail) {
    return new CorruptObjectException(null, reason, where, detail);
  }

  private static boolean startsWith(byte[] b, int off, String magic) {
    for (int i = 0; i < magic.length(); i++) {
      if (b[off + i] != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static byte[] readFully(FileChannel ch, long pos, int n) throws IOException {
    byte[] out = new byte[n];
    ByteBuffer buf = ByteBuffer.wrap(out);
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos + buf.position());
      if (r < 0) {
        throw new CorruptObjectException(null, Reason.TRUNCATED, null, "unexpected end of file at " + (pos + buf.position()));
      }
    }
    return out;
  }

  public Path path() {
    return path;
  }

  /** The pack's name: the hex part of its file name. */
  public String name() {
    return PackFormat.nameOf(path.getFileName().toString());
  }

  public HashAlgorithm algorithm() {
    return algorithm;
  }

  public long length() {
    return length;
  }

  public int entryCount() {
    return entryCount;
  }

  /**
   * Reads and validates every index entry: sorted, unique, known types, each inside a block in the
   * pack's data section.
   */
  public List<PackEntry> entries() throws IOException {
    byte[] index = reading(ch -> readFully(ch, indexOffset, PackFormat.INDEX_HEADER_SIZE + entryCount * PackFormat.ENTRY_SIZE));
    List<PackEntry> out = new ArrayList<>(entryCount);
    ObjectId previous = null;
    for (int i = 0; i < entryCount; i++) {
      int p = PackFormat.entryOffset(i);
      ObjectId id = ObjectId.fromBytes(index, p);
      ObjectType type = ObjectType.fromCode(index[p + PackFormat.ENTRY_TYPE] & 0xFF);
      long blockOffset = Bytes.u64(index, p + PackFormat.ENTRY_BLOCK_OFFSET);
      long blockLength = Bytes.u32(index, p + PackFormat.ENTRY_BLOCK_LENGTH);
      long offsetInBlock = Bytes.u32(index, p + PackFormat.ENTRY_OFFSET_IN_BLOCK);
      long len = Bytes.u32(index, p + PackFormat.ENTRY_LENGTH);
      String where = path + " index entry " + i;
      if (previous != null && previous.compareTo(id) >= 0) {
        throw new CorruptObjectException(id, Reason.MALFORMED, where, "index not sorted");
      }
      if (type == null) {
        throw new CorruptObjectException(id, Reason.MALFORMED, where, "unknown object type");
      }
      if (!PackFormat.entryInBounds(blockOffset, blockLength, offsetInBlock, len, indexOffset)) {
        throw new CorruptObjectException(id, Reason.MALFORMED, where, "entry points outside the pack");
      }
      out.add(new PackEntry(id, type, blockOffset, (int) blockLength, (int) offsetInBlock, (int) len));
      previous = id;
    }
    return out;
  }

  /** The raw index section, whose hash is the pack's name. */
  public byte[] indexSection() throws IOException {
    return reading(ch -> readFully(ch, indexOffset, PackFormat.INDEX_HEADER_SIZE + entryCount * PackFormat.ENTRY_SIZE));
  }

  /**
   * Reads a whole block (header included) as the index describes it. The caller decodes it with
   * {@link BlockCodec#decode}, which checks its checksum.
   */
  public byte[] readBlock(long offset, int blockLength) throws IOException {
    if (offset < PackFormat.HEADER_SIZE || blockLength < 0 || offset > indexOffset - blockLength) {
      throw new CorruptObjectException(null, Reason.MALFORMED, path.toString(), "block at " + offset + " outside the data section");
    }
    return reading(ch -> readFully(ch, offset, blockLength));
  }

  /**
   * Reads a block as its header and its stored bytes, in two arrays, so that a stored block's
   * bytes need no copy. The caller decodes it with {@link BlockCodec#decode(byte[], byte[])}.
   */
  public byte[][] readBlockParts(long offset, int blockLength) throws IOException {
    if (offset < PackFormat.HEADER_SIZE || blockLength < PackFormat.BLOCK_HEADER_SIZE || offset > indexOffset - blockLength) {
      throw new CorruptObjectException(null, Reason.MALFORMED, path.toString(), "block at " + offset + " outside the data section");
    }
    return reading(ch -> new byte[][] {readFully(ch, offset, PackFormat.BLOCK_HEADER_SIZE),
        readFully(ch, offset + PackFormat.BLOCK_HEADER_SIZE, blockLength - PackFormat.BLOCK_HEADER_SIZE)});
  }

  /**
   * Reads a whole block (header and stored bytes) into {@code dst}, which must have room for it:
   * afterwards its position is 0 and its limit the block's length. With a direct buffer the bytes
   * are copied once, by the kernel. The caller decodes it with {@link BlockCodec#decode(ByteBuffer, ByteBuffer)}.
   */
  public void readBlock(long offset, int blockLength, ByteBuffer dst) throws IOException {
    if (offset < PackFormat.HEADER_SIZE || blockLength < PackFormat.BLOCK_HEADER_SIZE || offset > indexOffset - blockLength) {
      throw new CorruptObjectException(null, Reason.MALFORMED, path.toString(), "block at " + offset + " outside the data section");
    }
    reading(ch -> {
      dst.clear().limit(blockLength);
      while (dst.hasRemaining()) {
        if (ch.read(dst, offset + dst.position()) < 0) {
          throw new CorruptObjectException(null, Reason.TRUNCATED, path.toString(), "unexpected end of file at " + (offset + dst.position()));
        }
      }
      return null;
    });
    dst.flip();
  }

  /** Reads {@code n} bytes at {@code offset}, for copying a pack's bytes elsewhere. */
  public byte[] read(long offset, int n) throws IOException {
    return reading(ch -> readFully(ch, offset, n));
  }

  /**
   * Whether the file's {@code packCrc32c}, where this format version puts it, holds over the bytes
   * before it (read whatever its header says: a pack of a newer version whose checksum holds was
   * written so, not damaged).
   */
  public static boolean checksumHolds(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long end = ch.size() - 8;
      if (end < PackFormat.HEADER_SIZE) {
        return false;
      }
      long crc = crcOfStart(ch, end);
      return crc >= 0 && crc == Bytes.u32(readFully(ch, end, 4), 0);
    }
  }

  /**
   * Checks the checksum over the whole file, which covers every byte but the checksum's own and the
   * end magic.
   *
   * @throws CorruptObjectException if any byte differs from what was written
   */
  public void verifyChecksum() throws IOException {
    long end = length - 8;
    long crc = reading(ch -> crcOfStart(ch, end));
    if (crc < 0) {
      throw corrupt(Reason.TRUNCATED, path.toString(), "unexpected end of pack");
    }
    byte[] stored = reading(ch -> readFully(ch, end, 4));
    if (crc != Bytes.u32(stored, 0)) {
      throw corrupt(Reason.CHECKSUM_MISMATCH, path.toString(), "pack checksum mismatch");
    }
  }

  /** The CRC-32C of the file's first {@code end} bytes, or -1 if it ends before them. */
  private static long crcOfStart(FileChannel ch, long end) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocate(1 << 20);
    for (long pos = 0; pos < end; ) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), end - pos));
      int r = ch.read(buf, pos);
      if (r < 0) {
        return -1;
      }
      buf.flip();
      crc.update(buf);
      pos += r;
    }
    return crc.getValue();
  }

  /** Whether this was closed: by its repository, or by a collection that deleted the pack. */
  boolean isClosed() {
    return closed;
  }

  /** A read of the channel. */
  @FunctionalInterface
  private interface Read<T> {
    T from(FileChannel channel) throws IOException;
  }

  /**
   * Runs {@code read} on the channel. If a thread's interrupt closed the channel, it is opened
   * again: the interrupted thread gets an {@link InterruptedIOException}, the others read again.
   */
  private <T> T reading(Read<T> read) throws IOException {
    readsUnderWay.incrementAndGet(); // a pack being read is not released
    try {
      while (true) {
        FileChannel ch = channel;
        try {
          return read.from(ch);
        } catch (ClosedChannelException e) {
          if (closed) {
            throw e;
          }
          if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
            try {
              reopen(ch); // for the other threads, whose channel the interrupt closed too
            } catch (IOException | RuntimeException gone) {
              e.addSuppressed(gone);
            }
            InterruptedIOException stop = new InterruptedIOException("interrupted while reading " + path);
            stop.initCause(e);
            throw stop;
          }
          Runnable tell = reopen(ch) ? reopened : null;
          if (tell != null) {
            tell.run(); // outside this pack's lock: it may release others
          }
        }
      }
    } finally {
      readsUnderWay.decrementAndGet();
    }
  }

  /**
   * Replaces {@code lost}, closed by an interrupt or by {@link #release}, unless another thread did
   * already; returns whether it opened the file. A pack deleted meanwhile (by another process's
   * gc, which moved its objects) is a {@link MissingPackException}, so that the reader looks the
   * object up again.
   */
  private synchronized boolean reopen(FileChannel lost) throws IOException {
    if (channel != lost || closed) {
      return false;
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (java.nio.file.NoSuchFileException gone) {
      throw new MissingPackException(path);
    }
    if (ch.size() != length) { // not the file this was opened on: its offsets would not hold
      ch.close();
      throw new MissingPackException(path);
    }
    channel = ch;
    return true;
  }

  /** Asks that {@code r} be run whenever a read opens the channel again after {@link #release}. */
  void onReopen(Runnable r) {
    reopened = r;
  }

  /**
   * Closes the file handle, not the pack: the next read opens the file again (packs never change).
   * A read under way when it closes reads again, as after an interrupt.
   */
  synchronized void release() throws IOException {
    if (!closed) {
      channel.close();
    }
  }

  /** Whether this pack holds a file handle now. */
  boolean holdsHandle() {
    return !closed && channel.isOpen();
  }

  /** Whether a read of this pack is under way now (one released would start again). */
  boolean isBeingRead() {
    return readsUnderWay.get() > 0;
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    channel.close();
  }
}
