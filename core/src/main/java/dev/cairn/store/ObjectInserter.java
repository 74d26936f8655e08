package dev.cairn.store;

import dev.cairn.chunk.ChunkReader;
import dev.cairn.id.ObjectId;
import dev.cairn.object.FileObject;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Adds objects to a store. An object already stored (or already inserted here) is not written
 * again. Inserted objects become visible to readers when {@link #flush()} returns; until then they
 * sit in a pack that no reader can see, and {@link #close()} without a flush discards them.
 *
 * <p>Thread-safe: several threads may insert through one inserter at once, and several inserters
 * (in this or other processes) may write to one repository at once.
 */
public interface ObjectInserter extends AutoCloseable {
  /**
   * Stores {@code len} bytes of {@code data} as an object of {@code type}.
   *
   * @return the object's id: the hash of those bytes
   * @throws IOException if writing fails; objects inserted before stay pending
   */
  ObjectId insert(ObjectType type, byte[] data, int off, int len) throws IOException;

  /** Stores all of {@code data} as an object of {@code type}. */
  default ObjectId insert(ObjectType type, byte[] data) throws IOException {
    return insert(type, data, 0, data.length);
  }

  /**
   * Cuts a stream into content-defined chunks, stores the new ones and, for more than one chunk, a
   * file object listing them. Holds a bounded number of chunks in memory whatever the stream's
   * length. Does not close {@code in}.
   */
  FileContent insertFile(InputStream in) throws IOException;

  /**
   * {@link #insertFile(InputStream)} for a stream expected to hold about {@code expectedSize}
   * bytes, which lets the reader size its buffer once. Any length is still read correctly.
   */
  default FileContent insertFile(InputStream in, long expectedSize) throws IOException {
    return insertFile(in);
  }

  /**
   * {@link #insertFile(InputStream, long)} for a stream whose previous content was {@code
   * previous} (null: unknown), as when a file of a dataset was edited. Where a previous chunk may
   * lie again, its bytes are hashed and compared instead of being cut again (see {@link
   * ChunkReader}). The result is the same as without {@code previous}.
   */
  default FileContent insertFile(InputStream in, long expectedSize, FileObject previous) throws IOException {
    return insertFile(in, expectedSize);
  }

  /**
   * Whether each object is stored, for a caller that is about to reference them without inserting
   * them again (a file whose content the stat cache remembers). Those stored count as reused, as if
   * inserted again and found: a concurrent gc is told that their packs are in use, and {@link
   * #flush()} fails if gc removed one meanwhile.
   */
  default boolean[] reuseEach(List<ObjectId> ids) throws IOException {
    boolean[] out = new boolean[ids.size()];
    try (ObjectReader r = newReader()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = r.has(ids.get(i));
      }
    }
    return out;
  }

  /**
   * Publishes everything inserted so far: finishes the open pack (fsync, atomic rename) and adds
   * its objects to the index, together with any pack this process {@linkplain
   * #flushDeferringIndex() left out of the index} (if this inserter inserted anything). Durable
   * when it returns.
   */
  void flush() throws IOException;

  /**
   * {@link #flush()}, except that a small last pack may be indexed for this process only, its
   * index write put off until the process's next flush or the store's close, so that editing a
   * draft and closing it cost one index write. Durable when it returns, and visible to this
   * process's readers; readers in other processes find the pack when they miss one of its
   * objects ({@link ObjectDatabase#refresh()}).
   */
  default void flushDeferringIndex() throws IOException {
    flush();
  }

  /**
   * A reader that sees, besides everything published, the file objects, tree nodes and versions
   * this inserter holds unflushed (chunks only once flushed), so that a tree can be edited again
   * before it is published. The caller closes it.
   */
  ObjectReader newReader() throws IOException;

  /** Counts of what this inserter wrote and skipped so far. */
  InsertStats stats();

  /** Discards anything not yet flushed and releases resources. */
  @Override
  void close() throws IOException;
}
