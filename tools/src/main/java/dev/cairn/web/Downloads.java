package dev.cairn.web;

import dev.cairn.dataset.ArchiveIo;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.RemoteAncestors;
import dev.cairn.dataset.Selection;
import dev.cairn.dataset.StoredContent;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import io.javalin.http.Context;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Streams one file of a version, or the whole version as a {@code .zip} or {@code .tar} archive
 * (Commons Compress, one chunk in memory at a time). A file is found by exact lookup of a valid
 * dataset path in the version's manifest, so nothing outside the version can be named. Served
 * bytes never run as a page: downloads are attachments of type {@code application/octet-stream}
 * with {@code nosniff}; only images are served inline, and those under a sandboxing
 * Content-Security-Policy (an SVG's scripts never run). (A sandbox on attachments would make
 * Chromium refuse the download.)
 */
final class Downloads {
  private static final String SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

  private final Site site;

  Downloads(Site site) {
    this.site = site;
  }

  /**
   * The entry at {@code path}.
   *
   * @throws HttpProblem 400 for a path that is not a valid dataset path, 404 when the version has
   *     no such file
   */
  static FileEntry entry(Manifest m, String path) throws IOException {
    String problem = DatasetPaths.problem(path);
    if (problem != null) {
      throw HttpProblem.badRequest("Cannot read file '" + path + "': " + problem + " (paths are relative to the version)");
    }
    FileEntry e = m.lookup(path);
    if (e == null) {
      e = inOtherUnicodeForm(m, path);
    }
    if (e == null) {
      throw HttpProblem.notFound(m.children(path, null, 1).isEmpty() ? "Cannot find file: the version has no file '" + path + "'"
          : "Cannot find file: '" + path + "' is a folder of the version, not a file");
    }
    return e;
  }

  /**
   * The entry whose path is {@code path} in its composed or decomposed Unicode form (a path pasted
   * from macOS comes decomposed), or null; a version holds one form of a name only.
   */
  private static FileEntry inOtherUnicodeForm(Manifest m, String path) throws IOException {
    for (String other : DatasetPaths.otherForms(path)) {
      FileEntry e = m.lookup(other);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /**
   * Whether an {@code If-None-Match} header names {@code etag}: {@code *}, or a list of entity tags
   * compared weakly (a {@code W/} prefix ignored), as RFC 9110 section 13.1.2 says.
   */
  static boolean anyTagMatches(String header, String etag) {
    if (header == null) {
      return false;
    }
    for (String tag : header.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** {@code GET /versions/{id}/file?path=[&inline=1]}. */
  void file(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    Params.onlyKnown(ctx, "download a file", "path", "inline");
    String inline = Params.one(ctx, "inline");
    if (inline != null && !inline.equals("0") && !inline.equals("1")) {
      throw HttpProblem.badRequest("Cannot use inline=" + inline + ": give inline=1 to show an image in the page, or leave it out");
    }
    String path = Params.exact(ctx, "path");
    if (path == null) {
      throw HttpProblem.badRequest("Cannot download a file: give its path (?path=...)");
    }
    try (ObjectReader reader = site.newReader()) {
      FileEntry e = entry(new Manifest(new NodeLoader(reader), r.root()), path);
      if (e.kind() != EntryKind.FILE) {
        throw HttpProblem.notHere("Cannot download '" + path + "': it stays outside the repository, at " + e.uri());
      }
      requireStored(reader, r, e, "'" + path + "'");
      String etag = "\"" + e.digest().hex() + "\"";
      ctx.header("ETag", etag);
      // The bytes at a path of a version never change: a browser may keep them, asking again by ETag.
      ctx.header("Cache-Control", "private, no-cache");
      if (anyTagMatches(ctx.header("If-None-Match"), etag)) {
        ctx.status(304);
        return;
      }
      String imageType = "1".equals(inline) ? PreviewKind.imageType(e.path()) : null;
      ctx.header("Content-Type", imageType != null ? imageType : "application/octet-stream");
      ctx.header("Content-Disposition", disposition(imageType != null ? "inline" : "attachment", fileName(e.path())));
      ctx.header("Accept-Ranges", "bytes");
      if (imageType != null) {
        ctx.header("Content-Security-Policy", SANDBOX);
      }
      // A download resumed: the range asked, unless it was asked of another content (If-Range).
      String ifRange = ctx.header("If-Range");
      ByteRange range;
      try {
        // Range is for GET alone (RFC 9110 section 14.2): a HEAD describes the whole file.
        range = "GET".equals(ctx.method().name()) && (ifRange == null || ifRange.equals(etag))
            ? ByteRange.parse(ctx.header("Range"), e.size()) : null;
      } catch (HttpProblem unsatisfiable) {
        ctx.header("Content-Range", "bytes */" + e.size());
        throw unsatisfiable;
      }
      if (range != null) {
        ctx.status(206);
        ctx.header("Content-Range", range.contentRange(e.size()));
      }
      ctx.header("Content-Length", Long.toString(range == null ? e.size() : range.length()));
      if (!"HEAD".equals(ctx.method().name())) {
        try (InputStream in = reader.openContent(e.fileContent())) {
          OutputStream out = ctx.res().getOutputStream();
          if (range == null) {
            in.transferTo(out);
          } else {
            in.skipNBytes(range.first()); // whole chunks before it are not read
            copy(in, out, range.length());
          }
          out.flush();
        }
      }
    }
  }

  /**
   * Refuses, before any header is sent, a file whose content is not all here (a version fetched in
   * part from a remote): a download cut short after its length was announced is no answer.
   */
  private void requireStored(ObjectReader reader, DatasetRecord r, FileEntry e, String what) throws IOException {
    if (StoredContent.of(reader, e)) {
      return;
    }
    DatasetRecord remote = site.remoteAncestor(r);
    if (RemoteAncestors.onRemote(e, r, remote, reader)) {
      throw HttpProblem.notHere("Cannot download " + what + ": the content of '" + e.path() + "' is not in this repository (fetched in"
          + " part); its data is on " + remote.storage() + ": fetch it with cairn get --id " + r.shortId());
    }
    throw HttpProblem.damaged("Cannot download " + what + ": the content of '" + e.path() + "' is lost or damaged in this repository;"
        + " cairn fsck tells more");
  }

  /**
   * Refuses, before any header is sent, an archive of a version whose files are not all here: an
   * archive cut short after its first bytes went out would reach the user as a damaged file.
   */
  private void requireAllStored(DatasetRecord r, Selection selection) throws IOException {
    try (ObjectReader reader = site.newReader()) {
      FileEntry e = StoredFiles.firstUnservable(reader, r, selection, Long.MAX_VALUE);
      if (e != null && e.kind() == EntryKind.LINK) {
        throw HttpProblem.notHere(StoredFiles.archiveOfLinks(r, e));
      }
      if (e != null) {
        requireStored(reader, r, e, r.name() + " " + r.version() + " as an archive");
      }
    }
  }

  /**
   * {@code GET /versions/{id}/download.zip} and {@code .tar}: the whole version, or with
   * {@code ?dir=a/b} the files of that folder, at their paths in the version.
   */
  void archive(Context ctx, ArchiveIo.Format format) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    Params.onlyKnown(ctx, "download an archive", "dir");
    String dir = archiveFolder(ctx, r);
    Selection selection = Selection.folder(dir);
    requireAllStored(r, selection);
    String ext = format.name().toLowerCase(Locale.ROOT);
    ctx.header("Content-Type", format == ArchiveIo.Format.ZIP ? "application/zip" : "application/x-tar");
    String name = r.name() + "-" + r.version() + (dir.isEmpty() ? "" : "-" + dir);
    ctx.header("Content-Disposition", disposition("attachment", safeName(name) + "." + ext));
    if ("HEAD".equals(ctx.method().name())) {
      // Send the headers now, as a GET would (chunked: an archive's length is known only once
      // written), instead of a completed empty answer, whose Content-Length would be 0.
      ctx.res().flushBuffer();
    } else {
      OutputStream out = ctx.res().getOutputStream();
      long time = r.closedMillis() > 0 ? r.closedMillis() : r.createdMillis();
      ArchiveIo.write(site.repository(), r.root(), selection, format, out, time, Progress.NONE);
      out.flush();
    }
  }

  /**
   * The folder an archive is asked of ({@code dir}, from the version's top, a trailing '/' or not),
   * "" for the whole version: a 400 for a path no folder can have, a 404 for a folder the version
   * does not have (saying so of a file of that path).
   */
  private String archiveFolder(Context ctx, DatasetRecord r) throws IOException {
    String dir = FolderPage.dirParam(ctx, "download");
    if (dir.isEmpty()) {
      return dir;
    }
    try (ObjectReader reader = site.newReader()) {
      Manifest m = new Manifest(new NodeLoader(reader), r.root());
      if (m.lookup(dir) != null) {
        throw HttpProblem.notFound("Cannot download folder '" + dir + "': it is a file of the version (" + Links.download(r.id(), dir)
            + " downloads it)");
      }
      java.util.Iterator<FileEntry> under = m.iterator(dir + "/");
      if (!under.hasNext() || !DatasetPaths.isUnder(under.next().path(), dir)) {
        throw HttpProblem.notFound("Cannot find folder: the version has no folder '" + dir + "'");
      }
    }
    return dir;
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (n > 0) {
      int k = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (k < 0) {
        throw new EOFException("the file ended " + n + " bytes before the range did");
      }
      out.write(buf, 0, k);
      n -= k;
    }
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** A name for headers: anything but letters, digits, {@code .-_} becomes {@code _}. */
  static String safeName(String s) {
    String n = s.replaceAll("[^\\p{L}\\p{N}._-]", "_");
    return n.isEmpty() ? "download" : n;
  }

  /**
   * RFC 6266: an ASCII fallback name and the exact UTF-8 name. The fallback, for clients that
   * read no other, keeps what a file name may hold (spaces, {@code & + #}), accents dropped from
   * their letters ({@code ü}: {@code u}); anything else, a quote, a backslash and {@code %} (which
   * some clients decode there) become {@code _}.
   */
  static String disposition(String type, String name) {
    String unaccented = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    String ascii = unaccented.replaceAll("[^\\x20-\\x7e]|[\"\\\\%/]", "_");
    ascii = ascii.isBlank() ? "download" : ascii;
    return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + Links.encode(name);
  }
}
