package dev.cairn.store;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ChunkRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * Reads objects. Every object read is checked against its id. Thread-safe.
 */
public interface ObjectReader extends AutoCloseable {
  /**
   * Reads an object and verifies its hash.
   *
   * @throws MissingObjectException if the store does not hold it (fetching it may help)
   * @throws CorruptObjectException if its stored bytes are damaged (naming object and file)
   */
  ObjectLoader open(ObjectId id) throws IOException;

  /** Whether the store holds {@code id}. Does not read it. */
  boolean has(ObjectId id) throws IOException;

  /** Up to {@code limit} stored ids starting with {@code prefix}, in id order. */
  List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) throws IOException;

  /**
   * Streams a file's bytes: the single chunk, or every chunk its file object lists, each verified
   * as it is read. The stream fails with the typed exceptions of {@link #open} if data is missing or
   * damaged, and if the bytes read do not add up to {@code content.size()}.
   */
  default InputStream openContent(FileContent content) throws IOException {
    return new ContentInputStream(this, content);
  }

  /**
   * The chunks holding a file's bytes, in order, reading at most its file object (no chunk): the
   * single chunk, or those its file object lists, none for an empty file.
   *
   * @throws MissingObjectException if the file object is not here
   * @throws CorruptObjectException if the file object is damaged or disagrees with {@code content}
   */
  default List<ChunkRef> chunksOf(FileContent content) throws IOException {
    return ContentInputStream.chunks(this, content);
  }

  /**
   * Writes a file's bytes to {@code out}, each chunk verified as {@link #openContent} verifies it,
   * and returns how many were written. Fails like {@link #openContent}; what was written before a
   * failure stays written. Implementations may avoid copying bytes through the Java heap.
   */
  default long copyContent(FileContent content, WritableByteChannel out) throws IOException {
    return ContentInputStream.copy(this, content, out);
  }

  /**
   * Reads an object like {@link #open}, into a buffer that this reader may reuse: its bytes are
   * valid only until the calling thread's next call on this reader. {@link #copyContent} streams
   * chunks through it; the default wraps {@link #open}.
   */
  default ByteBuffer openTransient(ObjectId id) throws IOException {
    return ByteBuffer.wrap(open(id).bytes());
  }

  @Override
  void close() throws IOException;
}
