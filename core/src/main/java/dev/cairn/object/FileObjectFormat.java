package dev.cairn.object;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.ByteReader;
import dev.cairn.internal.io.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical encoding of a {@link FileObject} (spec/objects.md):
 * <pre>
 *   'CRNF' uint8(version=1) varint(size) digest[32] varint(count)
 *   count * ( varint(chunkSize) chunkId[32] )
 * </pre>
 */
public final class FileObjectFormat {
  static final String MAGIC = "CRNF";
  static final int VERSION = 1;
  /** 2^31 - 1 chunks is beyond any real file; the bound keeps decoding allocation-safe. */
  private static final int MAX_CHUNKS = Integer.MAX_VALUE - 8;

  private FileObjectFormat() {}

  public static byte[] encode(FileObject f) {
    ByteWriter w = new ByteWriter(16 + f.chunks().size() * 36);
    w.ascii(MAGIC).u8(VERSION).varint(f.size()).id(f.digest()).varint(f.chunks().size());
    for (ChunkRef c : f.chunks()) {
      w.varint(c.size()).id(c.id());
    }
    return w.toByteArray();
  }

  /**
   * Decodes a file object.
   *
   * @param id the object's id, named in errors
   * @throws CorruptObjectException if the bytes are not a canonical file object
   * @throws UnsupportedFormatVersionException if it is of a later format than this build reads
   */
  public static FileObject decode(byte[] data, ObjectId id) throws CorruptObjectException, UnsupportedFormatVersionException {
    ByteReader r = new ByteReader(data, id);
    r.expectHeader(MAGIC, VERSION, "file object");
    long size = r.varintLong();
    ObjectId digest = r.id();
    int count = r.varintInt(Math.min(MAX_CHUNKS, data.length / 33));
    List<ChunkRef> chunks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int chunkSize = r.varintInt(Integer.MAX_VALUE);
      if (chunkSize == 0) {
        throw r.malformed("empty chunk in file object");
      }
      chunks.add(new ChunkRef(r.id(), chunkSize));
    }
    r.expectEnd();
    try {
      return new FileObject(size, digest, chunks);
    } catch (IllegalArgumentException e) {
      throw r.malformed(e.getMessage());
    }
  }
}
