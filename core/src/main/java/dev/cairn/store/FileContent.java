package dev.cairn.store;

import dev.cairn.id.ObjectId;
import dev.cairn.object.FileObject;

/**
 * A file's content as stored: its size, the digest of its bytes in the repository's object format
 * (what {@code sha256sum} prints), and the object that holds them: the single chunk (then equal to
 * the digest) or a {@link FileObject} listing several chunks. An empty file has no
 * object; its content id is its digest.
 */
public record FileContent(long size, ObjectId digest, ObjectId content) {
  /** Whether the content is split over several chunks, listed by a file object. */
  public boolean chunked() {
    return !content.equals(digest);
  }
}
