package dev.cairn.manifest;

import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Text;
import dev.cairn.store.FileContent;
import java.util.Objects;

/**
 * One path of a manifest and what it holds. For a {@link EntryKind#FILE}: its size, whole-file
 * digest and content object (the single chunk, equal to the digest, or a file object); an empty
 * file's content is its digest and no object is stored. For a {@link EntryKind#LINK}: the URI the
 * file stays at, with the size and digest recorded when it was added; content is null.
 */
public record FileEntry(String path, EntryKind kind, boolean executable, long size, ObjectId digest, ObjectId content, String uri) {
  public FileEntry {
    DatasetPaths.check(path);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
    if (kind == EntryKind.FILE) {
      Objects.requireNonNull(content, "content");
      if (uri != null) {
        throw new IllegalArgumentException("a stored file has no URI");
      }
      if (size == 0 && !content.equals(digest)) {
        throw new IllegalArgumentException("an empty file has no content object");
      }
    } else {
      Text.check("link URI", Objects.requireNonNull(uri, "uri"), TreeFormat.MAX_URI_BYTES);
      if (content != null) {
        throw new IllegalArgumentException("a link has no content object");
      }
    }
  }

  /** A stored file. */
  public static FileEntry file(String path, FileContent c, boolean executable) {
    return new FileEntry(path, EntryKind.FILE, executable, c.size(), c.digest(), c.content(), null);
  }

  /** An external file. */
  public static FileEntry link(String path, String uri, long size, ObjectId digest) {
    return new FileEntry(path, EntryKind.LINK, false, size, digest, null, uri);
  }

  /** Whether the content is split over several chunks listed by a file object. */
  public boolean chunked() {
    return content != null && !content.equals(digest);
  }

  /** The stored content, for reading (files only). */
  public FileContent fileContent() {
    if (kind != EntryKind.FILE) {
      throw new IllegalStateException(path + " is a link, not a stored file");
    }
    return new FileContent(size, digest, content);
  }

  /** This entry under another path. */
  public FileEntry withPath(String newPath) {
    return new FileEntry(newPath, kind, executable, size, digest, content, uri);
  }

  /** Whether the two entries hold the same bytes the same way (path aside). */
  public boolean sameContent(FileEntry o) {
    return kind == o.kind && executable == o.executable && size == o.size && digest.equals(o.digest)
        && Objects.equals(content, o.content) && Objects.equals(uri, o.uri);
  }
}
