package dev.cairn.object;

import dev.cairn.id.ObjectId;
import java.util.List;
import java.util.Objects;

/**
 * A file cut into several chunks: their ids and sizes in file order, the total size, and the
 * digest of the whole file in the repository's object format (what {@code sha256sum} prints).
 * Files of zero or one chunk have no file object: a manifest entry names their single chunk.
 */
public record FileObject(long size, ObjectId digest, List<ChunkRef> chunks) {
  public FileObject {
    Objects.requireNonNull(digest, "digest");
    chunks = List.copyOf(chunks);
    if (chunks.size() < 2) {
      throw new IllegalArgumentException("a file object lists at least two chunks, got " + chunks.size());
    }
    long sum = 0;
    for (ChunkRef c : chunks) {
      sum += c.size();
    }
    if (sum != size) {
      throw new IllegalArgumentException("chunk sizes add up to " + sum + ", not " + size);
    }
  }
}
