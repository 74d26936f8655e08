package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.Selection;
import dev.cairn.dataset.StoredContent;
import dev.cairn.errors.CairnException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.store.ObjectReader;
import java.io.IOException;

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
  static final int HEADER_CHECK_LIMIT = 10_000;

  private final DatasetRecord version;
  private final String storage;
  private final ObjectReader reader;

  private StoredFiles(DatasetRecord version, String storage, ObjectReader reader) {
    this.version = version;
    this.storage = storage;
    this.reader = reader;
  }

  /** The files of {@code r}, looked up through {@code reader} if its data has a remote. */
  static StoredFiles of(Site site, DatasetRecord r, ObjectReader reader) throws IOException {
    String storage = site.contentStorage(r);
    return new StoredFiles(r, storage, storage == null ? null : reader);
  }

  /** Whether a download of {@code e} can be served from this repository. */
  boolean has(FileEntry e) throws IOException {
    return reader == null || StoredContent.of(reader, e);
  }

  /** Why a file not here cannot be downloaded, and how to get it. */
  String notFetched() {
    return notFetched(version, storage);
  }

  private static String notFetched(DatasetRecord r, String storage) {
    return "Not in this repository: its data is on " + storage + " (fetch it with cairn get --id " + r.shortId() + ")";
  }

  /**
   * The first file of the version, among its first {@code limit}, that cannot go into an archive
   * here: one that stays outside the repository (added with --links: the server reads nothing
   * outside it, as it serves no such file alone), or one whose content is not all here. Null if
   * none; one walk of the manifest.
   */
  static FileEntry firstUnservable(ObjectReader reader, DatasetRecord r, long limit) throws IOException {
    return firstUnservable(reader, r, Selection.ALL, limit);
  }

  /** As {@link #firstUnservable(ObjectReader, DatasetRecord, long)}, among the files of {@code selection}. */
  static FileEntry firstUnservable(ObjectReader reader, DatasetRecord r, Selection selection, long limit) throws IOException {
    return StoredContent.first(reader, r.root(), selection, limit,
        e -> e.kind() == EntryKind.LINK || !StoredContent.of(reader, e));
  }

  /** Why a version holding external files is not served as an archive. */
  static String archiveOfLinks(DatasetRecord r, FileEntry link) {
    return "Cannot download " + r.name() + " " + r.version() + " as an archive: '" + link.path() + "' stays outside the repository, at "
        + link.uri() + " (the server reads nothing outside it); cairn export writes an archive with it";
  }

  /**
   * Why the archive of {@code r} cannot be downloaded, or null: a file outside the repository or
   * not here among its first {@link #HEADER_CHECK_LIMIT}, its manifest not here, or its data
   * unreadable.
   */
  static String archiveUnavailable(Site site, DatasetRecord r) throws IOException {
    String storage = site.contentStorage(r);
    String fetch = storage == null ? "" : ". " + notFetched(r, storage);
    try (ObjectReader reader = site.newReader()) {
      // Content missing with no remote to fetch it from is damage, which the download itself
      // reports: without a remote, only external files are looked for.
      FileEntry e = StoredContent.first(reader, r.root(), Selection.ALL, HEADER_CHECK_LIMIT,
          f -> f.kind() == EntryKind.LINK || (storage != null && !StoredContent.of(reader, f)));
      if (e != null && e.kind() == EntryKind.LINK) {
        return archiveOfLinks(r, e);
      }
      return e == null ? null : "Not all its files are here ('" + e.path() + "' is not)" + fetch;
    } catch (MissingObjectException e) {
      return storage == null ? null : "Its manifest is not here" + fetch;
    } catch (CairnException e) {
      return "Its data cannot be read (" + e.getMessage() + "); cairn fsck tells more";
    }
  }
}
