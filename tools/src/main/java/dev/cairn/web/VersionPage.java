package dev.cairn.web;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.Conflict;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.Usage;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /versions/{id}}: what ClearML's version panel shows: metadata and description, size of
 * the files against bytes newly stored, file count, the changes against the parents, conflicts of
 * the parent merge, and the runs that used the version.
 */
final class VersionPage {
  private final Site site;

  VersionPage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    DatasetRecord r = site.version(ctx.pathParam("id")).record();
    Html h = new Html().raw(VersionHeader.render(site, r, VersionHeader.Tab.OVERVIEW));
    h.open("div", "class", "grid");
    properties(h, r);
    size(h, r);
    changes(h, r.summary(), r.conflicts().size(), r.parents().isEmpty(), againstEachParent(r));
    h.close("div");
    h.el("h2", "Description");
    boolean none = r.description().isBlank();
    h.el("p", none ? "No description." : Text.multiline(r.description()), "class", none ? "muted" : "description");
    metadata(h, r.metadata());
    conflicts(h, r, site.version(r.id()).conflictsResolvedByDeletion());
    runs(h, site.repository().usage().usesOf(r.id()));
    return Layout.page(VersionHeader.title(r, VersionHeader.Tab.OVERVIEW), VersionHeader.crumbs(r, VersionHeader.Tab.OVERVIEW), h);
  }

  private void properties(Html h, DatasetRecord r) throws IOException {
    h.open("div", "class", "card").el("h2", "Version").open("dl", "class", "props");
    prop(h, "Id", new Html().el("code", r.id()));
    prop(h, "Project", new Html().link(Links.project(r.project()), Text.project(r.project())));
    prop(h, "Dataset", new Html().link(Links.dataset(r.project(), r.name()), r.name()));
    prop(h, "Version", new Html().text(r.version()));
    prop(h, "State", Widgets.state(r));
    prop(h, "Created", new Html().text(Text.time(r.createdMillis())));
    prop(h, "Closed", new Html().text(Text.time(r.closedMillis())));
    if (r.publishedMillis() > 0) {
      prop(h, "Published", new Html().text(Text.time(r.publishedMillis())));
    }
    Html parents = new Html();
    if (r.parents().isEmpty()) {
      parents.el("span", "none", "class", "muted");
    }
    Map<String, DatasetRecord> deletedParents = null;
    for (String p : r.parents()) {
      DatasetRecord pr = site.recordOrNull(p);
      if (pr == null && !site.unreadable(p) && deletedParents == null) {
        deletedParents = site.repository().get(r.id()).deletedParents();
      }
      DatasetRecord gone = pr == null && deletedParents != null ? deletedParents.get(p) : null;
      Html label = pr != null ? Widgets.versionLink(pr)
          : gone != null ? new Html().el("span", gone.name() + " " + gone.version() + " (deleted)", "class", "muted", "title", p + " was deleted")
          : new Html().el("span", Text.shortId(p) + (site.unreadable(p) ? " (unreadable record)" : " (deleted)"), "class", "muted");
      parents.open("div").raw(label).close("div");
    }
    prop(h, "Parents", parents);
    // Where the version is besides here: a closed one that no remote holds is said to be here only
    // (cairn lock warns of such a version: only this repository can restore it).
    Html storage = new Html();
    boolean named = r.storage() != null && !r.storage().isBlank();
    if (named) {
      storage.el("code", r.storage());
    }
    if (!r.isDraft() && !named && r.wasRecovered()) {
      storage.el("span", "not known: cairn fsck --repair recovered this record from the version object, which names none"
          + " (cairn refresh --storage URI takes a remote's record of it back)", "class", "muted");
    } else if (!r.isDraft() && !r.wasUploaded()) {
      storage.text(named ? " " : "").el("span", named ? "(not uploaded yet: cairn upload --id " + Text.shortId(r.id()) + ")"
          : "here only: never uploaded to a remote", "class", "muted");
    }
    if (!storage.isEmpty()) {
      prop(h, "Storage", storage);
    }
    prop(h, "Manifest", new Html().el("code", r.root().hex(), "class", "hash"));
    h.close("dl").close("div");
  }

  private static void size(Html h, DatasetRecord r) {
    h.open("div", "class", "card").el("h2", "Size");
    h.open("div", "class", "stats");
    DatasetPage.sizeStat(h, r.totalBytes(), "size of the files");
    DatasetPage.sizeStat(h, r.storedBytes(), "size stored");
    DatasetPage.stat(h, Text.count(r.fileCount()), r.fileCount() == 1 ? "file" : "files");
    h.close("div");
    h.raw(Widgets.meter(r.storedBytes(), r.totalBytes()));
    h.el("p", r.wasRecovered() && r.storedBytes() == 0
        ? "How much this version stored is not known: cairn fsck --repair recovered its record from the version object, which does"
            + " not keep it (cairn refresh --storage URI takes a remote's record of it back)."
        : storedSentence(r.storedBytes(), r.totalBytes(), !r.parents().isEmpty(), r.summary().addedBytes() + r.summary().modifiedBytes()),
        "class", "muted");
    h.close("div");
  }

  /** Below this, a version storing more than its files hold is explained by their size, not their content. */
  private static final long SMALL_VERSION = 1 << 20;

  /**
   * What the bytes newly stored mean against the size of the files: a share only when it is one
   * (object overhead can make a tiny version store more than its files hold), and "shared with
   * its ancestors" only for a version that has some.
   */
  static String storedSentence(long storedBytes, long totalBytes, boolean hasParents) {
    return storedSentence(storedBytes, totalBytes, hasParents, -1);
  }

  /** As above; {@code changedBytes}, what the change-set added or modified (-1: not known), tells a small change's listing apart. */
  static String storedSentence(long storedBytes, long totalBytes, boolean hasParents, long changedBytes) {
    String stored = Text.bytes(storedBytes);
    if (storedBytes == 0) {
      return hasParents ? "This version stored nothing new: all its content is shared with its ancestors."
          : "This version stored nothing new: all its content was already in the repository.";
    }
    if (totalBytes == 0) {
      return "This version newly stored " + stored + ", the listing of its files; the files themselves hold no bytes.";
    }
    if (storedBytes >= totalBytes) {
      return "This version newly stored " + stored + ", " + (storedBytes == totalBytes ? "as much as" : "more than")
          + " its files hold (" + Text.bytes(totalBytes) + "): the listing of the files and each stored object's header"
          + (totalBytes < SMALL_VERSION ? " outweigh what compression saves on files this small, or add to content that it"
              + " cannot shrink (already compressed, or random)."
              : " come on top of content that compression cannot shrink (already compressed, or random).");
    }
    long pct = Math.round(100.0 * storedBytes / totalBytes);
    // Here stored < total: a share that rounds to 100 is said to be under it, or "the rest" would read oddly.
    String share = (pct == 0 ? "under 1" : pct >= 100 ? "over 99" : Long.toString(pct)) + "% of the files' size";
    if (hasParents && changedBytes >= 0 && storedBytes > changedBytes) {
      // A small change: what is stored is mostly the new listing of the files, not their bytes.
      return "This version newly stored " + stored + " (" + share + "), more than the " + Text.bytes(changedBytes)
          + " its change-set added or modified: mostly the new listing of its files; the rest is shared with its ancestors.";
    }
    return hasParents
        ? "This version newly stored " + stored + " (" + share + ", after deduplication and compression); the rest is shared with its ancestors."
        : "This version stored " + stored + " (" + share + "): it has no parents; the rest was saved by compression and by"
            + " deduplication, within the version and against content already in the repository.";
  }

  private static void changes(Html h, ChangeSummary s, int conflicts, boolean squashed, Html eachParent) {
    h.open("div", "class", "card").el("h2", "Changes against parents");
    h.open("table", "class", "summary").open("tbody");
    row(h, "added", s.added(), s.addedBytes());
    row(h, "modified", s.modified(), s.modifiedBytes());
    row(h, "removed", s.removed(), s.removedBytes());
    h.close("tbody").close("table");
    if (conflicts > 0) {
      h.el("p", Text.plural(conflicts, "conflict", "conflicts") + " between " + mergedFrom(squashed) + " (the last one won).", "class", "notice");
    }
    if (eachParent != null) {
      h.raw(eachParent);
    }
    h.close("div");
  }

  /**
   * Of a merge: what it holds against each parent, with a link to the comparison (the change-set
   * above is against the parents merged, which may show nothing though each parent differs);
   * null for a version of one parent or none.
   */
  private Html againstEachParent(DatasetRecord r) throws IOException {
    if (r.parents().size() < 2) {
      return null;
    }
    Html h = new Html().el("p", "Against each parent:", "class", "muted").open("table", "class", "summary", "id", "against-parents")
        .open("tbody");
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      for (String p : r.parents()) {
        DatasetRecord parent = site.recordOrNull(p);
        h.open("tr").open("td").raw(parent != null ? Widgets.versionLink(parent) : Widgets.parentId(site, p)).close("td");
        ChangeSummary s = null;
        if (parent != null && !parent.isDraft()) {
          try {
            s = ChangePage.read(loader, parent.root(), r.root(), null, 0, 0).summary();
          } catch (MissingObjectException notFetched) {
            // a parent whose manifest is only on a remote (a version fetched without it): nothing to tell here
          }
        }
        if (s == null) {
          h.el("td", parent == null ? "" : "not here", "class", "num muted").close("tr");
          continue;
        }
        h.open("td", "class", "num").open("a", "href", Links.compare(p, r.id()), "title", "compare with this parent")
            .raw(Widgets.counts(s)).close("a").close("td").close("tr");
      }
    }
    return h.close("tbody").close("table");
  }

  private static void row(Html h, String label, long count, long bytes) {
    h.open("tr").open("td").el("span", label, "class", "change " + label).close("td")
        .el("td", Text.count(count), "class", "num").el("td", Text.bytes(bytes), "class", "num", "title", Text.count(bytes) + " bytes").close("tr");
  }

  private static void prop(Html h, String name, Html value) {
    h.el("dt", name).open("dd").raw(value).close("dd");
  }

  private static void metadata(Html h, Map<String, String> metadata) {
    h.el("h2", "Metadata");
    if (metadata.isEmpty()) {
      h.el("p", "No metadata.", "class", "muted");
      return;
    }
    h.open("div", "class", "table-wrap").open("table", "id", "metadata").open("thead").open("tr").el("th", "Key").el("th", "Value")
        .close("tr").close("thead").open("tbody");
    metadata.forEach((k, v) -> h.open("tr").el("td", DatasetPaths.printable(k), "class", "mono")
        .el("td", Text.multiline(v), "class", "written").close("tr"));
    h.close("tbody").close("table").close("div");
  }

  /**
   * What a version's files were merged from: its parents, or, for a version without parents that
   * has conflicts (a squash), the versions it was made from.
   */
  private static String mergedFrom(boolean squashed) {
    return squashed ? "the versions it was made from" : "parents";
  }

  /**
   * The paths the merged versions disagreed on: each one's versions in merge order (the ones that
   * held it, or deleted it, differently), and the one taken; a deleted version is named, not linked.
   */
  private void conflicts(Html h, DatasetRecord r, Set<String> deleted) {
    List<Conflict> conflicts = r.conflicts();
    if (conflicts.isEmpty()) {
      return;
    }
    boolean squashed = r.parents().isEmpty();
    h.el("h2", squashed ? "Conflicts between the versions it was made from" : "Conflicts of the parent merge");
    h.open("div", "class", "table-wrap").open("table").open("thead").open("tr").el("th", "Path")
        .el("th", squashed ? "Versions in conflict" : "Parents in conflict").el("th", "Taken from").close("tr").close("thead").open("tbody");
    java.util.Map<String, Html> named = new java.util.HashMap<>();
    for (Conflict c : conflicts.subList(0, Math.min(conflicts.size(), LISTED_CONFLICTS))) {
      h.open("tr").el("td", c.path(), "class", "path").open("td");
      for (int i = 0; i < c.parents().size(); i++) {
        h.text(i == 0 ? "" : ", ").raw(conflictId(c.parents().get(i), named));
      }
      h.close("td").open("td").raw(conflictId(c.winner(), named));
      if (deleted.contains(c.path())) {
        h.text(" (deleted there)");
      }
      h.close("td").close("tr");
    }
    h.close("tbody").close("table").close("div");
    if (conflicts.size() > LISTED_CONFLICTS) {
      // A merge of large unrelated versions may conflict on every path: the page stays small.
      h.open("p", "class", "muted", "id", "more-conflicts").text("The first " + Text.count(LISTED_CONFLICTS) + " of "
          + Text.plural(conflicts.size(), "conflicting path", "conflicting paths") + "; all of them: ")
          .link("/api/versions/" + r.id(), "the version's JSON").text(", or cairn show --id " + r.shortId() + ".").close("p");
    }
  }

  /** Conflicting paths the page lists at most. */
  static final int LISTED_CONFLICTS = 100;

  /** A version of a conflict: named and linked while its record is here, else said to be deleted. */
  private Html conflictId(String id, java.util.Map<String, Html> named) {
    // A squash's rows may each name many versions: each record read once a page.
    return named.computeIfAbsent(id, i -> Widgets.versionNamed(site, i));
  }

  private static void runs(Html h, List<Usage.Use> uses) {
    h.el("h2", "Runs that used this version");
    if (uses.isEmpty()) {
      h.el("p", "No run recorded a use of this version (cairn get --run RUN --alias NAME records one).", "class", "muted");
      return;
    }
    h.open("div", "class", "table-wrap").open("table", "id", "runs").open("thead").open("tr").el("th", "Run").el("th", "Alias")
        .el("th", "When").close("tr").close("thead").open("tbody");
    for (Usage.Use u : uses) {
      h.open("tr").el("td", u.run(), "class", "mono").el("td", u.alias()).el("td", Text.time(u.timeMillis()), "class", "muted").close("tr");
    }
    h.close("tbody").close("table").close("div");
  }
}
