package dev.cairn.dataset;

import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.store.ObjectReader;
import java.io.IOException;

/**
 * Whether a version's files are all here: a version fetched in part, or whose fetch stopped, has
 * its manifest and only some of its files' contents.
 */
public final class StoredContent {
  private StoredContent() {}

  /** Whether all of a file's content is stored (an empty file's, and a link's, which lives elsewhere, count as stored). */
  public static boolean of(ObjectReader reader, FileEntry e) throws IOException {
    return missingObject(reader, e) == null;
  }

  /** The first object of a file's content that is not stored ({@code e}'s file object, or one of its chunks), or null. */
  public static ObjectId missingObject(ObjectReader reader, FileEntry e) throws IOException {
    if (e.kind() != EntryKind.FILE || e.size() == 0) {
      return null;
    }
    if (!reader.has(e.content())) {
      return e.content();
    }
    if (e.chunked()) {
      for (ChunkRef c : FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content()).chunks()) {
        if (!reader.has(c.id())) {
          return c.id();
        }
      }
    }
    return null;
  }

  /**
   * The first selected file of the manifest {@code root} whose content is not all stored, or null.
   *
   * @throws MissingObjectException if a node of the manifest is not stored
   */
  public static FileEntry firstMissing(ObjectReader reader, ObjectId root, Selection selection) throws IOException {
    return firstMissing(reader, root, selection, Long.MAX_VALUE);
  }

  /**
   * As {@link #firstMissing(ObjectReader, ObjectId, Selection)}, looking at the first {@code limit}
   * selected files only: null also when those are all stored and later ones are not.
   */
  public static FileEntry firstMissing(ObjectReader reader, ObjectId root, Selection selection, long limit) throws IOException {
    return first(reader, root, selection, limit, e -> !of(reader, e));
  }

  /**
   * The first selected file of the manifest {@code root}, among the first {@code limit}, that
   * {@code test} picks, or null (one walk of the manifest, however many things are looked for).
   */
  public static FileEntry first(ObjectReader reader, ObjectId root, Selection selection, long limit, EntryTest test) throws IOException {
    FileEntry[] found = {null};
    long[] looked = {0};
    selection.forEach(new Manifest(new NodeLoader(reader), root), e -> {
      if (test.picks(e)) {
        found[0] = e;
        return false;
      }
      return ++looked[0] < limit;
    });
    return found[0];
  }

  /** Picks files for {@link #first}. */
  @FunctionalInterface
  public interface EntryTest {
    boolean picks(FileEntry e) throws IOException;
  }
}
