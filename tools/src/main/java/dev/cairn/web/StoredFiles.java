package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.StoredContent;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Which files of a version have their content here, so that pages offer downloads only of those: a
 * version with a remote may have been fetched in part (a filter, a part, or only its manifest). A
 * version without one holds all its content.
 */
final class StoredFiles {
  /**
   * Files the version header checks before it offers the archive downloads anyway: past them the
   * check would slow every page of a large version, and the download itself still refuses, before
   * its first byte, a version that is not all here.
   */
  static final int HEADER_CHECK_LIMIT = 20_000;

  private final ObjectReader reader;

  private StoredFiles(ObjectReader reader) {
    this.reader = reader;
  }

  /** The files of {@code r}, looked up through {@code reader} if {@code r} has a remote. */
  static StoredFiles of(DatasetRecord r, ObjectReader reader) {
    return new StoredFiles(r.storage() == null ? null : reader);
  }

  /** Whether a download of {@code e} can be served from this repository. */
  boolean has(FileEntry e) throws IOException {
    return reader == null || StoredContent.of(reader, e);
  }

  /**
   * A file of {@code r} whose content is not here, found among its first
   * {@link #HEADER_CHECK_LIMIT} files, or null. A manifest not here counts as nothing stored.
   */
  static String firstMissing(Site site, DatasetRecord r) throws IOException {
    if (r.storage() == null) {
      return null;
    }
    try (ObjectReader reader = site.newReader()) {
      int checked = 0;
      for (FileEntry e : new Manifest(new NodeLoader(reader), r.root())) {
        if (e.kind() == EntryKind.FILE && !StoredContent.of(reader, e)) {
          return e.path();
        }
        if (++checked >= HEADER_CHECK_LIMIT) {
          return null;
        }
      }
      return null;
    } catch (dev.cairn.errors.MissingObjectException | UncheckedIOException e) {
      return "";
    }
  }
}
