package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.Selection;
import dev.cairn.dataset.StoredContent;
import dev.cairn.errors.CairnException;
import dev.cairn.errors.MissingObjectException;
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
    return "Not in this repository: its data is on " + storage + " (fetch it with cairn get --id " + r.id().substring(0, 8) + ")";
  }

  /**
   * Why the archive of {@code r} cannot be downloaded, or null: a file not here among its first
   * {@link #HEADER_CHECK_LIMIT}, its manifest not here, or its data unreadable.
   */
  /**
   * The first file of the version that stays outside the repository (added with --links), among
   * its first {@code limit} files, or null. The server reads nothing outside the repository: such
   * a version is not offered as an archive, as such a file is not offered for download.
   */
  static FileEntry firstLink(ObjectReader reader, DatasetRecord r, long limit) throws IOException {
    FileEntry[] found = {null};
    long[] looked = {0};
    Selection.ALL.forEach(new dev.cairn.manifest.Manifest(new dev.cairn.manifest.NodeLoader(reader), r.root()), e -> {
      if (e.kind() == dev.cairn.manifest.EntryKind.LINK) {
        found[0] = e;
        return false;
      }
      return ++looked[0] < limit;
    });
    return found[0];
  }

  /** Why a version holding external files is not served as an archive. */
  static String archiveOfLinks(DatasetRecord r, FileEntry link) {
    return "Cannot download " + r.name() + " " + r.version() + " as an archive: '" + link.path() + "' stays outside the repository, at "
        + link.uri() + " (the server reads nothing outside it); cairn export writes an archive with it";
  }

  static String archiveUnavailable(Site site, DatasetRecord r) throws IOException {
    try (ObjectReader reader = site.newReader()) {
      FileEntry link = firstLink(reader, r, HEADER_CHECK_LIMIT);
      if (link != null) {
        return archiveOfLinks(r, link);
      }
    } catch (CairnException unreadable) {
      // said below, or by the page
    }
    String storage = site.contentStorage(r);
    if (storage == null) {
      return null;
    }
    String fetch = ". " + notFetched(r, storage);
    try (ObjectReader reader = site.newReader()) {
      FileEntry e = StoredContent.firstMissing(reader, r.root(), Selection.ALL, HEADER_CHECK_LIMIT);
      return e == null ? null : "Not all its files are here ('" + e.path() + "' is not)" + fetch;
    } catch (MissingObjectException e) {
      return "Its manifest is not here" + fetch;
    } catch (CairnException e) {
      return "Its data cannot be read (" + e.getMessage() + "); cairn fsck tells more";
    }
  }
}
