package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.FileOrigins;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * {@code /versions/{id}/preview?path=}: one file of the version: images shown, the first rows of
 * CSV and TSV files as a table, the head of text files. Without a path, the first file that can be
 * previewed.
 */
final class PreviewPage {
  static final int TEXT_BYTES = 64 * 1024;
  static final int TABLE_BYTES = 256 * 1024;
  static final int TABLE_ROWS = 50;
  static final long IMAGE_BYTES = 32L << 20;
  /** How far into the listing the default file is looked for. */
  private static final int DEFAULT_SEARCH = 1000;

  private final Site site;

  PreviewPage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    VersionHeader.Tab tab = VersionHeader.Tab.PREVIEW;
    Html h = new Html().raw(VersionHeader.render(site, r, tab));
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      Manifest m = new Manifest(loader, r.root());
      String path = Params.exact(ctx, "path");
      pathForm(h, r.id(), path);
      StoredFiles files = StoredFiles.of(site, r, reader);
      FileEntry e = path != null ? Downloads.entry(m, path) : defaultEntry(m, files);
      if (e == null) {
        h.el("div", "This version holds no files.", "class", "card empty");
      } else {
        boolean stored = files.has(e);
        fileCard(h, r, e, Widgets.storedIn(site, new FileOrigins(site.repository(), loader).introducer(r, e)),
            m.before(e.path()), next(m, e), stored ? null : files.notFetched());
        h.open("div", "class", "card preview-body")
            .raw(stored ? body(reader, r.id(), e) : new Html().el("p", files.notFetched() + ".", "class", "muted", "id", "not-fetched"))
            .close("div");
      }
    }
    return Layout.page(VersionHeader.title(r, tab), VersionHeader.crumbs(r, tab), h);
  }

  private static void pathForm(Html h, String id, String path) {
    h.open("form", "class", "inline", "method", "get", "action", Links.tab(id, "preview"));
    h.empty("input", "type", "text", "name", "path", "value", path, "placeholder", "path of a file in the version", "size", 50,
        "data-focus-key", true, "aria-label", "Path of the file to preview");
    h.el("button", "Preview", "type", "submit");
    h.link(Links.files(id, null, 0), "or pick one from the contents", "class", "muted");
    h.close("form");
  }

  /** The first file that can be previewed, preferring one whose data is here (a version fetched in part). */
  private static FileEntry defaultEntry(Manifest m, StoredFiles files) throws IOException {
    List<FileEntry> first = m.page(0, DEFAULT_SEARCH);
    FileEntry previewable = null;
    for (FileEntry e : first) {
      if (PreviewKind.of(e) != PreviewKind.NONE) {
        if (files.has(e)) {
          return e;
        }
        previewable = previewable == null ? e : previewable;
      }
    }
    return previewable != null ? previewable : first.isEmpty() ? null : first.get(0);
  }

  private static FileEntry next(Manifest m, FileEntry e) {
    Iterator<FileEntry> it = m.iterator(e.path());
    while (it.hasNext()) {
      FileEntry n = it.next();
      if (!n.path().equals(e.path())) {
        return n;
      }
    }
    return null;
  }

  /** The file's card; {@code notFetched}, why its content is not here, or null when it is. */
  private static void fileCard(Html h, DatasetRecord r, FileEntry e, Html addedIn, FileEntry previous, FileEntry next,
      String notFetched) {
    h.open("div", "class", "card").open("div", "class", "title-row");
    // Each folder on the file's path opens that folder's page; the text stays the path.
    h.open("h2", "class", "path", "id", "preview-path");
    for (int from = 0, slash; (slash = e.path().indexOf('/', from)) >= 0; from = slash + 1) {
      h.link(Links.folder(r.id(), e.path().substring(0, slash), null, FilesPage.PAGE), e.path().substring(from, slash), "class", "folder")
          .text("/");
    }
    h.text(e.path().substring(e.path().lastIndexOf('/') + 1)).close("h2");
    h.open("div", "class", "actions");
    if (previous != null) {
      h.link(Links.preview(r.id(), previous.path()), "← Previous file", "class", "button secondary", "rel", "prev");
    }
    if (next != null) {
      h.link(Links.preview(r.id(), next.path()), "Next file →", "class", "button secondary", "rel", "next");
    }
    if (e.kind() == EntryKind.FILE && notFetched == null) {
      h.link(Links.download(r.id(), e.path()), "Download", "class", "button", "download", true, "id", "download-file");
    } else if (e.kind() == EntryKind.FILE) {
      h.el("span", "Download", "class", "button disabled", "title", notFetched, "aria-disabled", "true", "id", "download-file");
    }
    h.close("div").close("div");
    h.open("dl", "class", "props");
    h.el("dt", "Size").el("dd", Text.bytes(e.size()) + " (" + Text.count(e.size()) + " bytes)");
    h.el("dt", "Hash").open("dd").el("code", e.digest().hex(), "class", "hash").close("dd");
    h.el("dt", "Added in", "title", Widgets.ADDED_IN).open("dd").raw(addedIn).close("dd");
    if (e.executable()) {
      h.el("dt", "Mode").el("dd", "executable");
    }
    if (e.kind() == EntryKind.LINK) {
      h.el("dt", "Link").open("dd").el("code", e.uri()).close("dd");
    }
    h.close("dl").close("div");
  }

  private static Html body(ObjectReader reader, String id, FileEntry e) throws IOException {
    Html h = new Html();
    if (e.kind() != EntryKind.FILE) {
      return h.el("p", "This file stays outside the repository, at its link; there is nothing to preview here.", "class", "muted");
    }
    if (e.size() == 0) {
      return h.el("p", "The file is empty.", "class", "muted");
    }
    PreviewKind kind = PreviewKind.of(e);
    switch (kind) {
      case IMAGE -> {
        if (e.size() > IMAGE_BYTES) {
          return h.el("p", "The image is too large to show here (" + Text.bytes(e.size()) + "); download it instead.", "class", "muted");
        }
        String type = PreviewKind.imageType(e.path());
        FileHead head = FileHead.read(reader, e, ImageSignature.HEAD_BYTES);
        if (!ImageSignature.matches(type, head.bytes(), head.length(), !head.truncated())) {
          return h.el("p", "This file is named as " + article(ImageSignature.formatName(type)) + " image but its bytes are not one;"
              + " download it to open it.", "class", "muted", "id", "not-an-image");
        }
        return h.empty("img", "class", "preview", "src", Links.inline(id, e.path()), "alt", e.path());
      }
      case CSV, TSV -> {
        FileHead head = FileHead.read(reader, e, TABLE_BYTES);
        if (!head.looksLikeText()) {
          return h.el("p", "This file is named as a table but holds binary data; download it to open it.", "class", "muted");
        }
        return table(head, kind == PreviewKind.CSV ? ',' : '\t');
      }
      default -> {
        FileHead head = FileHead.read(reader, e, TEXT_BYTES);
        if (head.looksLikeText()) {
          return text(head);
        }
        return h.el("p", kind == PreviewKind.TEXT ? "This file is named as text but holds binary data; download it to open it."
            : "No preview for this kind of file; download it to open it.", "class", "muted");
      }
    }
  }

  /** "a PNG", "an SVG": the article as the letters' names are said. */
  private static String article(String format) {
    return ("AEFHILMNORSX".indexOf(format.charAt(0)) >= 0 ? "an " : "a ") + format;
  }

  private static Html text(FileHead head) {
    Html h = new Html();
    if (head.truncated()) {
      h.el("p", "The first " + Text.bytes(head.length()) + " of the file:", "class", "muted");
    }
    String text = head.text();
    if (head.hasUndecodable(text)) {
      h.el("p", "Some bytes are not UTF-8 text (another encoding, such as Latin-1?): each shows as \uFFFD.", "class", "muted");
    }
    return h.el("pre", text, "class", "head", "id", "preview-text");
  }

  private static Html table(FileHead head, char separator) {
    List<List<String>> rows = DelimitedText.rows(head.text(), separator, TABLE_ROWS + 1, !head.truncated());
    Html h = new Html();
    if (rows.isEmpty()) {
      return h.el("p", head.truncated() ? "The first line is longer than the first " + Text.bytes(head.length())
          + " of the file, which the preview reads; download the file to see it." : "No rows.", "class", "muted");
    }
    int shown = rows.size() - 1;
    String from = head.truncated() ? ", from the first " + Text.bytes(head.length()) + " of the file" : "";
    if (shown == 0 && head.truncated()) {
      h.el("p", "Only the header fits in the first " + Text.bytes(head.length()) + " of the file, which the preview reads;"
          + " download the file to see its rows.", "class", "muted");
    } else if (shown == 0) {
      h.el("p", "No rows below the header:", "class", "muted");
    } else if (!head.truncated() && shown < TABLE_ROWS) {
      h.el("p", (shown == 1 ? "The one row" : "All " + Text.count(shown) + " rows") + " (the first line is taken as the header):",
          "class", "muted");
    } else {
      h.el("p", "The first " + Text.plural(shown, "row", "rows") + from + " (the first line is taken as the header):", "class", "muted");
    }
    h.open("div", "class", "table-wrap").open("table", "id", "preview-table").open("thead").open("tr");
    rows.get(0).forEach(c -> h.el("th", c));
    h.close("tr").close("thead").open("tbody");
    for (List<String> row : rows.subList(1, rows.size())) {
      h.open("tr");
      row.forEach(c -> h.el("td", c));
      h.close("tr");
    }
    return h.close("tbody").close("table").close("div");
  }
}
