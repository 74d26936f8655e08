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

/**
 * {@code /versions/{id}/files}: the full content listing (ClearML's Dataset Content), paginated
 * and filterable, fast on a million files (see {@link FilePage}).
 */
final class FilesPage {
  static final int PAGE = 100;

  private final Site site;

  FilesPage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    String filter = Params.exact(ctx, "filter");
    long offset = Params.offsetWithoutFilter(ctx, filter);
    String after = Params.afterWithFilter(ctx, filter);
    int limit = Params.limit(ctx, PAGE);
    VersionHeader.Tab tab = VersionHeader.Tab.FILES;
    Html h = new Html().raw(VersionHeader.render(site, r, tab));
    filterForm(h, r.id(), filter, limit);
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      Manifest m = new Manifest(loader, r.root());
      FilePage page = filter == null ? FilePage.unfiltered(m, offset, limit) : FilePage.filtered(m, filter, after, limit);
      if (page.scanCut()) {
        h.open("div", "class", "notice").text("Scanned " + Text.count(page.scanned()) + " of " + Text.count(page.total())
            + " files up to " + page.resumeAfter() + " and found " + Text.count(page.files().size()) + " matches so far. ")
            .link(Links.filesAfter(r.id(), filter, page.resumeAfter(), limit), "Continue scanning →").close("div");
      }
      Html pager = Widgets.pager(offset, page.files().size(), page.total(), limit, o -> Links.files(r.id(), null, o, limit));
      if (filter == null) {
        h.raw(pager);
      }
      table(h, site, r, page, new FileOrigins(site.repository(), loader), StoredFiles.of(site, r, reader));
      if (filter == null) {
        h.raw(pager);
      } else if (!page.files().isEmpty() || after != null) {
        // Paged by the path it stopped at, not by a count: a way back to the first page, not to the one before.
        h.open("div", "class", "pager");
        if (after != null) {
          h.link(Links.files(r.id(), filter, 0, limit), "← First matches", "class", "button secondary", "rel", "first");
        }
        h.el("span", Text.plural(page.files().size(), "match", "matches") + " on this page"
            + (after != null ? " (from " + after + " on)" : ""));
        if (page.more() && !page.scanCut()) {
          h.link(Links.filesAfter(r.id(), filter, page.resumeAfter(), limit), "More matches →", "class", "button secondary", "rel", "next");
        }
        h.close("div");
      }
    }
    return Layout.page(VersionHeader.title(r, tab), VersionHeader.crumbs(r, tab), h);
  }

  private static void filterForm(Html h, String id, String filter, int limit) {
    h.open("form", "class", "inline", "method", "get", "action", Links.tab(id, "files"));
    h.empty("input", "type", "search", "name", "filter", "value", filter, "placeholder", "text in the path, or a glob: images/*.png",
        "size", 40, "data-focus-key", true, "aria-label", "Filter files");
    if (limit != PAGE) {
      h.empty("input", "type", "hidden", "name", "limit", "value", limit);
    }
    h.el("button", "Filter", "type", "submit");
    if (filter != null) {
      h.link(Links.files(id, null, 0, limit), "Clear", "class", "button secondary");
    }
    h.link(Links.folder(id, "", null, limit), "Browse by folder", "class", "button secondary");
    h.close("form");
  }

  private static void table(Html h, Site site, DatasetRecord r, FilePage page, FileOrigins provenance, StoredFiles stored)
      throws IOException {
    if (page.files().isEmpty()) {
      // A scan cut short has said above how far it looked: no match there yet, not none at all.
      String none = page.filter() != null ? (page.scanCut() ? "No match among the files scanned so far." : "No file matches.")
          : page.total() > 0 ? "No files past number " + Text.count(page.offset()) + ": the version holds " + Text.count(page.total()) + "."
          : "This version holds no files.";
      h.el("div", none, "class", "card empty");
      return;
    }
    head(h, "Path");
    for (FileEntry e : page.files()) {
      row(h, site, r, e, e.path(), provenance, stored);
    }
    h.close("tbody").close("table").close("div");
  }

  /** The head of a table of files, {@link #row}'s columns. */
  static void head(Html h, String first) {
    h.open("div", "class", "table-wrap").open("table", "id", "files").open("thead").open("tr");
    h.el("th", first).el("th", "Size", "class", "num").el("th", "Hash", "class", Widgets.WIDE_ONLY).el("th", "Added in", "title", Widgets.ADDED_IN).el("th", "", "class", Widgets.WIDE_ONLY);
    h.close("tr").close("thead").open("tbody");
  }

  /** One file's row, shown as {@code label} (its path, or its name in a folder). */
  static void row(Html h, Site site, DatasetRecord r, FileEntry e, String label, FileOrigins provenance, StoredFiles stored)
      throws IOException {
    h.open("tr", "data-path", e.path());
    h.open("td", "class", "path").link(Links.preview(r.id(), e.path()), label);
    if (e.kind() == EntryKind.LINK) {
      h.text(" ").el("span", "link", "class", "badge", "title", e.uri());
    }
    h.close("td");
    h.el("td", Text.bytes(e.size()), "class", "num", "title", Text.count(e.size()) + " bytes");
    h.open("td", "class", Widgets.WIDE_ONLY).raw(ChangesPage.hash(e)).close("td");
    DatasetRecord where = provenance.introducer(r, e);
    h.open("td", "class", "added-in").raw(Widgets.storedIn(site, where)).close("td");
    h.open("td", "class", Widgets.WIDE_ONLY); // a phone downloads from the preview
    if (e.kind() == EntryKind.FILE) {
      Widgets.download(h, r, e, stored);
    }
    h.close("td").close("tr");
  }
}
