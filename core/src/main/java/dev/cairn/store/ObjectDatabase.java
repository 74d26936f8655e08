package dev.cairn.store;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import java.io.IOException;
import java.util.List;

/**
 * A content-addressed object store: chunks, file objects, manifest nodes and versions keyed by the
 * hash of their bytes. Thread-safe.
 */
public interface ObjectDatabase extends AutoCloseable {
  /** The object format: the hash that names objects. */
  HashAlgorithm algorithm();

  /** How files are cut into chunks. */
  ChunkerParams chunkerParams();

  /** A new inserter; the caller closes it. */
  ObjectInserter newInserter() throws IOException;

  /** A new reader; the caller closes it. */
  ObjectReader newReader() throws IOException;

  /** Whether the store holds {@code id}. */
  boolean has(ObjectId id) throws IOException;

  /** {@link #has} for many ids at once (a store may answer them in one lookup transaction). */
  default boolean[] hasEach(List<ObjectId> ids) throws IOException {
    boolean[] out = new boolean[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = has(ids.get(i));
    }
    return out;
  }

  /**
   * The size in bytes of object {@code id} (as read, uncompressed), or -1 if the store does not
   * hold it. A store that keeps sizes in its index answers without reading the object; the default
   * reads it. Does not check the stored bytes.
   */
  default long sizeOf(ObjectId id) throws IOException {
    if (!has(id)) {
      return -1;
    }
    try (ObjectReader r = newReader()) {
      return r.open(id).size();
    }
  }

  /**
   * Looks for objects that other writers published without indexing them for every process yet
   * (a process that put off its index write, or one that crashed before it), and indexes them.
   * Readers call this when an object they expect is missing, then look again if it returns true.
   *
   * @return whether a lookup may now find more than one made before the call: this call indexed
   *     objects, or another process may have since that lookup (false: nothing changed)
   */
  default boolean refresh() throws IOException {
    return false;
  }

  @Override
  void close() throws IOException;
}
