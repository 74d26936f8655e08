package dev.cairn.internal.pack;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.WriteGuard;
import dev.cairn.internal.io.ByteWriter;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one pack to a temporary file and publishes it under its final name when finished. Until
 * {@link #finish} returns, no reader can see the pack. Not thread-safe: callers serialize appends.
 */
public final class PackWriter implements AutoCloseable {
  private final HashAlgorithm algorithm;
  private final Path packDir;
  private final Path tmp;
  private final FileChannel out;
  private final CRC32C crc = new CRC32C();
  private final List<PackEntry> entries = new ArrayList<>();
  private long size;
  private boolean done;
  /** Why a failed write could not be undone: the file no longer ends where {@link #size} says. */
  private Exception broken;

  /** Starts a pack in {@code tmpDir}; it will be published into {@code packDir}. */
  public PackWriter(HashAlgorithm algorithm, Path packDir, Path tmpDir) throws IOException {
    this.algorithm = algorithm;
    this.packDir = packDir;
    this.tmp = AtomicFiles.tempPath(tmpDir, "pack-");
    this.out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ByteWriter header = new ByteWriter(PackFormat.HEADER_SIZE);
    header.ascii(PackFormat.MAGIC).u8(PackFormat.VERSION).u8(algorithm.code()).u16(0);
    try {
      write(header.toByteArray());
    } catch (IOException | RuntimeException e) {
      // Interrupted (the channel closes then), say: no one holds this writer to close it.
      abort(e);
      throw e;
    }
  }

  /** One object inside a block being appended. */
  public record Member(ObjectId id, ObjectType type, int offsetInBlock, int length) {}

  /**
   * Appends an encoded block (see {@link BlockCodec#encode}) holding the given objects.
   *
   * @return the block's offset in the pack
   */
  public long appendBlock(byte[] block, List<Member> members) throws IOException {
    long offset = size;
    write(block);
    for (Member m : members) {
      entries.add(new PackEntry(m.id(), m.type(), offset, block.length, m.offsetInBlock(), m.length()));
    }
    return offset;
  }

  /** Bytes written so far. */
  public long size() {
    return size;
  }

  /** Objects appended so far. */
  public int objectCount() {
    return entries.size();
  }

  /**
   * Writes all of {@code b} at the end, or nothing: a write that fails part way (the disk filled)
   * is cut off again, so that the next block is written where its entries will say it is. Were it
   * not, the blocks after it would be indexed at offsets that hold other bytes.
   */
  private void write(byte[] b) throws IOException {
    if (broken != null) {
      throw new IOException("Cannot write to " + tmp + ": an earlier write to it failed and could not be undone", broken);
    }
    long fits = WriteGuard.fits(b.length);
    ByteBuffer buf = ByteBuffer.wrap(b, 0, (int) fits);
    try {
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      if (fits < b.length) {
        throw WriteGuard.full();
      }
    } catch (IOException | RuntimeException e) {
      undoPartialWrite(e);
      throw e;
    }
    crc.update(b, 0, b.length);
    size += b.length;
  }

  private void undoPartialWrite(Exception cause) {
    try {
      out.truncate(size);
      out.position(size);
    } catch (IOException | RuntimeException again) {
      cause.addSuppressed(again);
      broken = cause;
    }
  }

  /**
   * Writes the index and trailer, fsyncs, and renames the pack to {@code pack-<name>.pack}, where
   * the name is the hash of its index section. Returns null (and deletes the file) if the pack
   * holds no object.
   */
  public PackInfo finish() throws IOException {
    if (done) {
      throw new IllegalStateException("pack already finished");
    }
    done = true;
    try {
      if (entries.isEmpty()) {
        out.close();
        Files.deleteIfExists(tmp);
        return null;
      }
      entries.sort(Comparator.comparing(PackEntry::id));
      List<PackEntry> unique = dedup(entries);
      long indexOffset = size;
      byte[] index = encodeIndex(unique);
      write(index);
      CRC32C indexCrc = new CRC32C();
      indexCrc.update(index);
      ByteWriter trailer = new ByteWriter(PackFormat.TRAILER_SIZE);
      trailer.u64(indexOffset).u32(indexCrc.getValue());
      byte[] t1 = trailer.toByteArray();
      write(t1);
      ByteWriter t2 = new ByteWriter(8);
      t2.u32(crc.getValue()).ascii(PackFormat.END_MAGIC);
      write(t2.toByteArray());
      out.force(true);
      out.close();
      String name = algorithm.hash(index).hex();
      Path target = packDir.resolve(PackFormat.fileName(name));
      // A pack of this name holds the very same objects (another writer published them, or gc is
      // about to delete a pack whose dead objects this one wrote again). It is replaced, not kept:
      // the new file's modification time tells gc that the pack is in use again.
      AtomicFiles.move(tmp, target, true);
      return new PackInfo(name, target, List.copyOf(unique), size);
    } catch (IOException | RuntimeException e) {
      abort(e);
      throw e;
    }
  }

  private static List<PackEntry> dedup(List<PackEntry> sorted) {
    List<PackEntry> out = new ArrayList<>(sorted.size());
    for (PackEntry e : sorted) {
      if (out.isEmpty() || !out.get(out.size() - 1).id().equals(e.id())) {
        out.add(e);
      }
    }
    return out;
  }

  static byte[] encodeIndex(List<PackEntry> sorted) {
    ByteWriter w = new ByteWriter(PackFormat.INDEX_HEADER_SIZE + sorted.size() * PackFormat.ENTRY_SIZE);
    w.ascii(PackFormat.INDEX_MAGIC).u32(sorted.size());
    for (PackEntry e : sorted) {
      w.id(e.id()).u8(e.type().code()).u64(e.blockOffset()).u32(e.blockLength()).u32(e.offsetInBlock()).u32(e.length());
    }
    return w.toByteArray();
  }

  private void abort(Exception cause) {
    try {
      out.close();
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }

  /** Discards an unfinished pack. */
  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      out.close();
      Files.deleteIfExists(tmp);
    }
  }
}
