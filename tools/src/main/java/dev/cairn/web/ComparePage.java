package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.FileOrigins;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;

/**
 * {@code /compare?source=&target=}: what changed from one version to another, any two versions of
 * any datasets: the summary, then the changed files, paginated.
 */
final class ComparePage {
  static final int PAGE = 200;

  private final Site site;

  ComparePage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    String sourceId = Params.string(ctx, "source");
    String targetId = Params.string(ctx, "target");
    DatasetRecord source = sourceId == null ? null : site.version(sourceId).record();
    DatasetRecord target = targetId == null ? null : site.version(targetId).record();
    Html h = new Html().el("h1", "Compare versions");
    picker(h, ctx, source, target);
    if (source != null && target != null) {
      comparison(h, ctx, source, target);
    } else {
      h.el("div", "Pick a source (the baseline) and a target version.", "class", "card empty");
    }
    List<Layout.Crumb> crumbs = List.of(new Layout.Crumb("Datasets", Links.home()), new Layout.Crumb("Compare", null));
    String title = source != null && target != null
        ? "Compare " + source.name() + " " + source.version() + " → " + target.name() + " " + target.version() : "Compare";
    return Layout.page(title, crumbs, h);
  }

  private void picker(Html h, Context ctx, DatasetRecord source, DatasetRecord target) throws IOException {
    List<DatasetSummary> datasets = site.datasets(null, null, null);
    h.open("form", "class", "inline card", "method", "get", "action", "/compare", "id", "compare-picker");
    h.el("label", "From", "for", "source");
    select(h, "source", datasets, source, target);
    h.el("button", "⇄", "id", "swap", "class", "secondary", "type", "button", "title", "Swap source and target");
    h.el("label", "to", "for", "target");
    select(h, "target", datasets, target, source);
    // The kind of change and the page size shown stay as they are across a new pick or a swap.
    for (String kept : new String[] {"type", "limit"}) {
      String v = Params.string(ctx, kept);
      if (v != null && !v.isEmpty()) {
        h.empty("input", "type", "hidden", "name", kept, "value", v);
      }
    }
    h.el("button", "Compare", "type", "submit");
    h.close("form");
  }

  /** Versions of a dataset the pickers offer: its newest (a long history would make the page megabytes). */
  static final int PICKED_FROM = 50;

  /** @param other the version the other picker holds: offered here too, as the one compared */
  private static void select(Html h, String name, List<DatasetSummary> datasets, DatasetRecord chosen, DatasetRecord other) {
    h.open("select", "name", name, "id", name);
    h.el("option", "choose a version…", "value", "");
    for (DatasetSummary d : datasets) {
      h.open("optgroup", "label", Text.project(d.project()) + " / " + d.name());
      List<DatasetRecord> versions = d.versions(); // oldest first
      int newest = Math.max(0, versions.size() - PICKED_FROM);
      List<DatasetRecord> offered = new java.util.ArrayList<>();
      for (int i = 0; i < versions.size(); i++) {
        DatasetRecord r = versions.get(i);
        if (i >= newest || isOne(r, chosen) || isOne(r, other)) {
          offered.add(r);
        }
      }
      int left = versions.size() - offered.size();
      if (left > 0) {
        h.el("option", "… " + Text.count(left) + " older: pick them on the dataset's page", "value", "", "disabled", true);
      }
      for (DatasetRecord r : offered) {
        boolean picked = isOne(r, chosen);
        // The whole name in the option: a closed select shows the option alone, not its group.
        String dataset = r.project().isEmpty() ? r.name() : r.project() + " / " + r.name();
        h.el("option", dataset + " " + r.version() + " (" + Text.shortId(r.id()) + ")", "value", r.id(), "selected", picked);
      }
      h.close("optgroup");
    }
    h.close("select");
  }

  private static boolean isOne(DatasetRecord r, DatasetRecord version) {
    return version != null && version.id().equals(r.id());
  }

  private void comparison(Html h, Context ctx, DatasetRecord source, DatasetRecord target) throws IOException {
    DiffEntry.ChangeType type = Params.changeType(ctx);
    long offset = Params.nonNegative(ctx, "offset", 0);
    int limit = Params.limit(ctx, PAGE);
    h.open("div", "class", "grid");
    side(h, "Source", source);
    side(h, "Target", target);
    h.close("div");
    try (ObjectReader reader = site.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      ChangePage page = ChangePage.read(loader, source.root(), target.root(), type, offset, limit);
      h.raw(ChangesPage.summary(page.summary(), type, t -> Links.compare(source.id(), target.id(), t, 0, limit)));
      FileOrigins provenance = new FileOrigins(site.repository(), loader);
      h.raw(ChangesPage.table(site, target, page, d -> d.newEntry() != null
          ? provenance.introducer(target, d.newEntry()) : provenance.introducer(source, d.oldEntry()), StoredFiles.of(site, target, reader),
          source.id().equals(target.id()) ? "No differences: it is the same version." : "No differences: the two hold the same files.",
          ChangePage.removedByContent(loader, source.root(), target.root(), page)));
      String t = ChangesPage.label(type);
      h.raw(Widgets.pager(offset, page.rows().size(), page.matching(), limit, o -> Links.compare(source.id(), target.id(), t, o, limit)));
    }
  }

  private static void side(Html h, String label, DatasetRecord r) {
    h.open("div", "class", "card compare-side").el("div", label, "class", "stat-label");
    h.open("h2").raw(Widgets.versionLink(r)).text(" ").raw(Widgets.state(r)).close("h2");
    h.el("div", Text.project(r.project()) + " · " + Text.plural(r.fileCount(), "file", "files") + " · " + Text.bytes(r.totalBytes())
        + " · created " + Text.time(r.createdMillis()), "class", "muted");
    h.close("div");
  }
}
