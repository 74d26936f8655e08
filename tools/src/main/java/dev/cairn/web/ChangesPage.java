package dev.cairn.web;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.FileOrigins;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /versions/{id}/changes}: the change-set against the merged parents (ClearML's ARTIFACTS):
 * its summary, then one row per file with path, size, hash and the version its content is stored
 * in.
 */
final class ChangesPage {
  static final int PAGE = 200;

  private final Site site;

  ChangesPage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    DiffEntry.ChangeType type = Params.changeType(ctx);
    long offset = Params.nonNegative(ctx, "offset", 0);
    int limit = Params.limit(ctx, PAGE);
    VersionHeader.Tab tab = VersionHeader.Tab.CHANGES;
    Html h = new Html().raw(VersionHeader.render(site, r, tab));
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      ChangePage page = ChangePage.read(loader, r.base(), r.root(), r.summary(), type, offset, limit);
      h.raw(summary(page.summary(), type, t -> Links.changes(r.id(), t, 0, limit)));
      FileOrigins provenance = new FileOrigins(site.repository(), loader);
      h.raw(table(site, r, page, d -> provenance.introducer(r, d), StoredFiles.of(site, r, reader), null,
          ChangePage.removedByContent(loader, r.base(), r.root(), page)));
      h.raw(Widgets.pager(offset, page.rows().size(), page.matching(), limit, o -> Links.changes(r.id(), label(type), o, limit)));
    }
    return Layout.page(VersionHeader.title(r, tab), VersionHeader.crumbs(r, tab), h);
  }

  /** Where a change's content is stored, or null when unknown. */
  @FunctionalInterface
  interface StoredIn {
    DatasetRecord of(DiffEntry d) throws IOException;
  }

  /** Builds a link for a change-type filter ("added", ..., or null for all). */
  @FunctionalInterface
  interface FilterLink {
    String to(String type);
  }

  static String label(DiffEntry.ChangeType t) {
    return t == null ? null : t.name().toLowerCase(Locale.ROOT);
  }

  /** The summary table (counts and bytes per kind), each kind linking to its filtered rows. */
  static Html summary(ChangeSummary s, DiffEntry.ChangeType active, FilterLink link) {
    Html h = new Html().open("div", "class", "card").open("div", "class", "stats");
    // No bytes for all of them: bytes added and bytes removed do not add up to anything.
    filterStat(h, "all changes", s.total(), -1, link.to(null), active == null);
    filterStat(h, "added", s.added(), s.addedBytes(), link.to("added"), active == DiffEntry.ChangeType.ADDED);
    filterStat(h, "modified", s.modified(), s.modifiedBytes(), link.to("modified"), active == DiffEntry.ChangeType.MODIFIED);
    filterStat(h, "removed", s.removed(), s.removedBytes(), link.to("removed"), active == DiffEntry.ChangeType.REMOVED);
    return h.close("div").close("div");
  }

  private static void filterStat(Html h, String label, long count, long bytes, String href, boolean active) {
    h.open("a", "href", href, "class", "filter-stat" + (active ? " active" : ""), "data-filter", label);
    h.el("div", Text.count(count), "class", "stat " + label.replace("all changes", "all"));
    h.el("div", bytes < 0 ? label : label + " · " + Text.bytes(bytes), "class", "stat-label");
    h.close("a");
  }

  /**
   * One row per change: kind, path, size, hash, previous size and hash, where it is stored.
   * {@code none} is what a comparison that finds nothing says; null for {@code version}'s own
   * change-set: "No changes.", or for a merge the versions to compare it with. An added file whose
   * content {@code removedByContent} holds is said to be moved from that path.
   */
  static Html table(Site site, DatasetRecord version, ChangePage page, StoredIn storedIn, StoredFiles stored, String none,
      Map<ObjectId, String> removedByContent) throws IOException {
    String versionId = version.id();
    boolean ownChangeSet = none == null;
    Html h = new Html();
    if (page.rows().isEmpty()) {
      String empty = page.matching() == 0 && page.summary().isEmpty() ? (ownChangeSet ? "No changes." : none)
          : page.matching() == 0 ? "No changes of this kind."
          : "No changes past number " + page.offset() + ": there " + (page.matching() == 1 ? "is 1." : "are " + page.matching() + ".");
      if (ownChangeSet && page.summary().isEmpty() && version.parents().size() > 1) {
        // A merge that changed nothing on top of its parents merged: what it holds against each is elsewhere.
        h.open("div", "class", "card empty", "id", "merge-no-changes").text("No changes on top of the parents merged. Compare it with ");
        for (int i = 0; i < version.parents().size(); i++) {
          String parent = version.parents().get(i);
          h.text(i == 0 ? "" : i == version.parents().size() - 1 ? " or " : ", ");
          if (site.recordPresent(parent)) {
            h.link(Links.compare(parent, versionId), "parent " + Text.shortId(parent));
          } else { // deleted (or its record unreadable): named, not linked to a compare that cannot be made
            h.el("span", "parent " + Text.shortId(parent) + (site.unreadable(parent) ? " (unreadable record)" : " (deleted)"),
                "class", "muted", "title", parent);
          }
        }
        return h.text(".").close("div");
      }
      return h.el("div", empty, "class", "card empty");
    }
    h.open("div", "class", "table-wrap").open("table", "id", "changes").open("thead").open("tr");
    h.el("th", "Change").el("th", "Path").el("th", "Size", "class", "num").el("th", "Hash", "class", Widgets.WIDE_ONLY).el("th", "Before", "class", Widgets.WIDE_ONLY)
        .el("th", "Added in", "title", Widgets.ADDED_IN).el("th", "", "class", Widgets.WIDE_ONLY);
    h.close("tr").close("thead").open("tbody");
    for (DiffEntry d : page.rows()) {
      FileEntry e = d.entry();
      h.open("tr", "data-path", d.path());
      h.open("td").raw(Widgets.changeType(d.type())).close("td");
      if (d.newEntry() != null) {
        h.open("td", "class", "path").link(Links.preview(versionId, d.path()), d.path()).close("td");
      } else {
        h.el("td", d.path(), "class", "path");
      }
      h.el("td", Text.bytes(e.size()), "class", "num", "title", Text.count(e.size()) + " bytes");
      h.open("td", "class", Widgets.WIDE_ONLY).raw(hash(e)).close("td");
      h.open("td", "class", Widgets.WIDE_ONLY);
      String movedFrom = d.type() == DiffEntry.ChangeType.ADDED ? removedByContent.get(e.digest()) : null;
      if (movedFrom != null) {
        h.el("span", "moved from " + movedFrom, "class", "badge moved", "title", "the same content as " + movedFrom
            + ", which this change removed");
      }
      if (d.type() == DiffEntry.ChangeType.MODIFIED) {
        h.text(Text.bytes(d.oldEntry().size())).text(" ").raw(hash(d.oldEntry()));
        if (d.oldEntry().executable() != d.newEntry().executable()) {
          // Otherwise a change of mode alone would show two equal sides.
          h.text(" ").el("span", d.newEntry().executable() ? "now executable" : "no longer executable", "class", "badge");
        }
      }
      h.close("td");
      DatasetRecord where = storedIn.of(d);
      h.open("td", "class", "added-in").raw(Widgets.storedIn(site, where)).close("td");
      h.open("td", "class", Widgets.WIDE_ONLY); // a phone downloads from the preview
      if (d.newEntry() != null && d.newEntry().kind() == EntryKind.FILE) {
        Widgets.download(h, version, d.newEntry(), stored);
      }
      h.close("td").close("tr");
    }
    return h.close("tbody").close("table").close("div");
  }

  /** The first 12 hex digits of a file's hash; all of them on hover. */
  static Html hash(FileEntry e) {
    String hex = e.digest().hex();
    return new Html().el("code", hex.substring(0, 12), "class", "hash", "title", hex);
  }
}
