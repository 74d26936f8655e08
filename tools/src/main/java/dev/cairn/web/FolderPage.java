package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.FileOrigins;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

/**
 * {@code /versions/{id}/folder?dir=a/b}: the contents one folder at a time, as a file browser shows
 * them: the folders and files directly in it, in path order, {@link FilesPage#PAGE} a page, each
 * page resuming after the name the last one ended with; a folder's row gives how many files it
 * holds, at any depth, and their size. A folder's files are passed over by a seek
 * ({@link Manifest#children}) and counted from the manifest's counts ({@link Manifest#under}), so a
 * page reads a few descents of the manifest per row.
 */
final class FolderPage {
  private final Site site;

  FolderPage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    String dir = folder(ctx);
    String after = after(ctx);
    int limit = Params.limit(ctx, FilesPage.PAGE);
    VersionHeader.Tab tab = VersionHeader.Tab.FILES;
    Html h = new Html().raw(VersionHeader.render(site, r, tab));
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      Manifest m = new Manifest(loader, r.root());
      Listing listing = Listing.of(m, dir, after, limit);
      List<Manifest.Child> page = listing.children();
      path(h, r.id(), dir, limit);
      if (!dir.isEmpty()) {
        downloads(h, r, dir);
      }
      if (page.isEmpty()) {
        h.el("div", after != null ? "Nothing in this folder after " + after + "." : "This version holds no files.", "class", "card empty");
      } else {
        table(h, r, m, dir, limit, page, new FileOrigins(site.repository(), loader), StoredFiles.of(site, r, reader));
      }
      if (after != null || listing.more()) {
        h.open("div", "class", "pager");
        if (after != null) {
          h.link(Links.folder(r.id(), dir, null, limit), "← First", "class", "button secondary", "rel", "first");
        }
        h.el("span", Text.plural(page.size(), "entry", "entries") + " on this page" + (after != null ? " (after " + after + ")" : ""));
        if (listing.more()) {
          h.link(Links.folder(r.id(), dir, listing.resumeAfter(), limit), "More →", "class", "button secondary", "rel", "next");
        }
        h.close("div");
      }
    }
    return Layout.page(VersionHeader.title(r, tab), VersionHeader.crumbs(r, tab), h);
  }

  /**
   * A page of a folder: its children, whether more follow, and where the next page starts.
   *
   * @throws HttpProblem 404 for a folder the version does not have (saying so of a file of that path)
   */
  record Listing(List<Manifest.Child> children, boolean more, String resumeAfter) {
    static Listing of(Manifest m, String dir, String after, int limit) throws IOException {
      List<Manifest.Child> page = m.children(dir, after, limit + 1);
      boolean more = page.size() > limit;
      page = more ? page.subList(0, limit) : page;
      if (page.isEmpty() && after == null && !dir.isEmpty()) {
        throw HttpProblem.notFound(m.lookup(dir) != null ? "Cannot list folder '" + dir + "': it is a file of the version"
            : "Cannot find folder: the version has no folder '" + dir + "'");
      }
      return new Listing(page, more, more ? page.get(page.size() - 1).resumeAfter() : null);
    }
  }

  /**
   * The folder asked for, without a trailing '/'; "" for the top; a 400 for a path no folder can
   * have, and for the flat listing's parameters, which a folder page does not take.
   */
  static String folder(Context ctx) {
    for (String flat : new String[] {"offset", "filter"}) {
      if (Params.string(ctx, flat) != null) {
        throw HttpProblem.badRequest("Cannot use " + flat + " with a folder's listing: it goes on with after=NAME (the contents' flat"
            + " listing takes " + flat + ")");
      }
    }
    return dirParam(ctx, "list");
  }

  /**
   * The {@code dir} parameter, without a trailing '/'; "" for the top (absent, empty or "/"); a
   * 400 saying "Cannot {@code verb} folder ..." for a path no folder can have.
   */
  static String dirParam(Context ctx, String verb) {
    String given = Params.exact(ctx, "dir");
    if (given == null || given.isEmpty() || given.equals("/")) {
      return "";
    }
    String dir = given.endsWith("/") ? given.substring(0, given.length() - 1) : given;
    String problem = DatasetPaths.problem(dir);
    if (problem != null) {
      throw HttpProblem.badRequest("Cannot " + verb + " folder '" + given + "': " + problem + " (folders are named from the version's top: a/b)");
    }
    return dir;
  }

  /** Where a page goes on: a {@link Manifest.Child#resumeAfter}, one name (a folder's with a '/'); null when absent or empty. */
  static String after(Context ctx) {
    String after = Params.exact(ctx, "after");
    if (after == null || after.isEmpty()) {
      return null;
    }
    String name = after.endsWith("/") ? after.substring(0, after.length() - 1) : after;
    if (name.indexOf('/') >= 0 || DatasetPaths.problem(name) != null) {
      throw HttpProblem.badRequest("Cannot go on after '" + after + "': give the name a page ended with (resume_after: a file's"
          + " name, or a folder's with a '/')");
    }
    return after;
  }

  /**
   * The folder's files as an archive (the version's are in the header), offered as the version's
   * are: disabled, with the reason, when its files are not all here to go into one.
   */
  private void downloads(Html h, DatasetRecord r, String dir) throws IOException {
    String why = StoredFiles.archiveUnavailable(site, r);
    h.open("div", "class", "folder-downloads");
    if (why == null) {
      h.link(Links.archive(r.id(), "zip", dir), "Download this folder (.zip)", "class", "button secondary", "download", true,
          "id", "folder-zip");
      h.link(Links.archive(r.id(), "tar", dir), "(.tar)", "class", "button secondary", "download", true, "id", "folder-tar");
    } else {
      h.el("span", "Download this folder (.zip)", "class", "button secondary disabled", "title", why, "aria-disabled", "true",
          "id", "folder-zip");
    }
    h.close("div");
  }

  /** Where the folder is: the top and each folder on the way, linked, then the way back to the flat listing. */
  private static void path(Html h, String id, String dir, int limit) {
    h.open("div", "class", "folder-path");
    h.link(Links.folder(id, "", null, limit), "top", "class", dir.isEmpty() ? "active" : null);
    int from = 0;
    while (!dir.isEmpty() && from <= dir.length()) {
      int slash = dir.indexOf('/', from);
      int end = slash < 0 ? dir.length() : slash;
      h.text(" / ").link(Links.folder(id, dir.substring(0, end), null, limit), dir.substring(from, end), "class",
          end == dir.length() ? "active" : null);
      from = end + 1;
    }
    h.text(" ").link(Links.files(id, null, 0, limit), "All files, one list", "class", "button secondary");
    h.close("div");
  }

  private void table(Html h, DatasetRecord r, Manifest m, String dir, int limit, List<Manifest.Child> page, FileOrigins provenance,
      StoredFiles stored) throws IOException {
    FilesPage.head(h, "Name");
    String prefix = dir.isEmpty() ? "" : dir + "/";
    for (Manifest.Child c : page) {
      if (c.isFolder()) {
        h.open("tr", "class", "folder", "data-path", prefix + c.name() + "/");
        h.open("td", "class", "path").link(Links.folder(r.id(), prefix + c.name(), null, limit), c.name() + "/").close("td");
        Manifest.Totals under = m.under(prefix + c.name());
        h.el("td", Text.bytes(under.bytes()), "class", "num", "title", Text.count(under.bytes()) + " bytes");
        h.el("td", Text.plural(under.entries(), "file", "files"), "class", "muted " + Widgets.WIDE_ONLY).el("td", "")
            .el("td", "", "class", Widgets.WIDE_ONLY);
        h.close("tr");
      } else {
        FilesPage.row(h, site, r, c.file(), c.name(), provenance, stored);
      }
    }
    h.close("tbody").close("table").close("div");
  }
}
