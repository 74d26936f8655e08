package dev.cairn.store;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.ObjectId;
import java.io.IOException;
import java.io.InputStream;
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

  @Override
  void close() throws IOException;
}
