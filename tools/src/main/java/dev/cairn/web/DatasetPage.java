package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * {@code /dataset?project=&name=}: a dataset's versions, charted and tabled, with a compare picker;
 * the newest {@link #PAGE} at a time ({@code offset} counts back from the newest), so that a long
 * history stays a page, not megabytes.
 */
final class DatasetPage {
  /** Versions a page shows unless {@code limit} says otherwise. */
  static final int PAGE = 100;

  private final Site site;

  DatasetPage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    DatasetSummary d = site.dataset(Params.presentOrNull(ctx, "project"), Params.exact(ctx, "name"));
    List<DatasetRecord> versions = d.versions();
    long offset = Params.nonNegative(ctx, "offset", 0);
    int limit = Params.limit(ctx, PAGE);
    int end = (int) (versions.size() - Math.min(offset, versions.size()));
    List<DatasetRecord> shown = versions.subList(Math.max(0, end - limit), end);
    Html h = new Html();
    h.open("h1").text(d.name()).text(" ").el("span", "in " + Text.project(d.project()), "class", "version").close("h1");
    stats(h, versions);
    if (!shown.isEmpty()) {
      // Side by side they hold about six bars each: a longer history gets each chart a row of its own.
      h.open("div", "class", shown.size() > CHARTS_SIDE_BY_SIDE ? "grid charts one-a-row" : "grid charts");
      h.open("div", "class", "card").raw(chart("Size of files", shown, DatasetRecord::totalBytes, true)).close("div");
      h.open("div", "class", "card").raw(chart("File count", shown, DatasetRecord::fileCount, false)).close("div");
      h.open("div", "class", "card").raw(chart("Stored bytes (change-set, packed)", shown, DatasetRecord::storedBytes, true)).close("div");
      h.close("div");
    }
    h.el("h2", "Versions");
    Html pager = Widgets.pager(offset, shown.size(), versions.size(), limit, o -> Links.dataset(d.project(), d.name(), o, limit));
    boolean paged = versions.size() > limit || offset > 0;
    if (paged) {
      h.raw(pager);
    }
    table(h, shown);
    if (paged) {
      h.raw(pager);
    }
    List<Layout.Crumb> crumbs = new ArrayList<>(Layout.projectCrumbs(d.project(), Links.project(d.project())));
    crumbs.add(new Layout.Crumb(d.name(), null));
    return Layout.page(d.name(), crumbs, h);
  }

  private static void stats(Html h, List<DatasetRecord> versions) {
    DatasetRecord latest = versions.get(versions.size() - 1);
    long stored = versions.stream().mapToLong(DatasetRecord::storedBytes).sum();
    h.open("div", "class", "card stats");
    stat(h, Text.count(versions.size()), "versions");
    // The highest version, a draft included (as the list of versions below shows it), named so.
    String which = latest.version() + (latest.isDraft() ? " (draft)" : "");
    stat(h, Text.count(latest.fileCount()), "files in " + which);
    sizeStat(h, latest.totalBytes(), "size of " + which);
    sizeStat(h, stored, "stored for all versions");
    h.close("div");
  }

  static void stat(Html h, String value, String label) {
    h.open("div").el("div", value, "class", "stat").el("div", label, "class", "stat-label").close("div");
  }

  /** A size as a stat: rounded, its exact bytes in its title (as the CLI's --json gives them). */
  static void sizeStat(Html h, long bytes, String label) {
    h.open("div").el("div", Text.bytes(bytes), "class", "stat", "title", Text.count(bytes) + " bytes").el("div", label, "class", "stat-label")
        .close("div");
  }

  /** The version a compare with the newest of {@code shown} starts from (see {@link #table}), or null. */
  static String compareSource(List<DatasetRecord> shown) {
    DatasetRecord newest = shown.get(shown.size() - 1);
    Set<String> ids = new HashSet<>();
    shown.forEach(r -> ids.add(r.id()));
    for (int i = newest.parents().size() - 1; i >= 0; i--) {
      if (ids.contains(newest.parents().get(i))) {
        return newest.parents().get(i);
      }
    }
    for (int i = shown.size() - 2; i >= 0; i--) {
      if (!shown.get(i).isDraft()) {
        return shown.get(i).id();
      }
    }
    return shown.size() > 1 ? shown.get(shown.size() - 2).id() : null;
  }

  /** Versions the three charts show side by side at most; past it, one a row. */
  static final int CHARTS_SIDE_BY_SIDE = 6;

  private static Html chart(String title, List<DatasetRecord> versions, ToLongFunction<DatasetRecord> value, boolean bytes) {
    List<BarChart.Bar> bars = versions.stream()
        .map(r -> new BarChart.Bar(r.version(), value.applyAsLong(r), Links.version(r.id()))).toList();
    return BarChart.render(title, bars, bytes ? Text::bytes : Text::count);
  }

  /**
   * The table of {@code shown}, a run of the versions, oldest first; its newest is preselected as a
   * compare's target, and as its source the target's parent (the last one shown, of a merge), else
   * the newest closed version before it, else the one before it.
   */
  private void table(Html h, List<DatasetRecord> shown) {
    String target = shown.isEmpty() ? null : shown.get(shown.size() - 1).id();
    String source = shown.isEmpty() ? null : compareSource(shown);
    h.open("form", "method", "get", "action", "/compare", "id", "compare-form");
    h.open("div", "class", "table-wrap").open("table", "id", "versions").open("thead").open("tr");
    for (String c : new String[] {"Source", "Target", "Version", "Id", "State", "Tags", "Files", "Size", "Stored", "Changes",
        "Created", "Parents"}) {
      h.el("th", c, "class", switch (c) {
        case "Files", "Size", "Stored" -> "num";
        default -> null;
      });
    }
    h.close("tr").close("thead").open("tbody");
    for (int i = shown.size() - 1; i >= 0; i--) {
      DatasetRecord r = shown.get(i);
      h.open("tr", "data-id", r.id());
      h.open("td").empty("input", "type", "radio", "name", "source", "value", r.id(), "checked", r.id().equals(source),
          "aria-label", "compare from " + r.version()).close("td");
      h.open("td").empty("input", "type", "radio", "name", "target", "value", r.id(), "checked", r.id().equals(target),
          "aria-label", "compare to " + r.version()).close("td");
      h.open("td").link(Links.version(r.id()), r.version(), "class", "version-link").close("td");
      h.open("td").raw(Widgets.id(r.id())).close("td");
      h.open("td").raw(Widgets.state(r)).close("td");
      h.open("td").raw(Widgets.tags(r.tags())).close("td");
      h.el("td", Text.count(r.fileCount()), "class", "num");
      h.el("td", Text.bytes(r.totalBytes()), "class", "num", "title", Text.count(r.totalBytes()) + " bytes");
      h.el("td", Text.bytes(r.storedBytes()), "class", "num", "title", Text.count(r.storedBytes()) + " bytes");
      h.open("td").raw(Widgets.counts(r.summary())).close("td");
      h.el("td", Text.time(r.createdMillis()), "class", "muted");
      h.open("td");
      for (String p : r.parents()) {
        h.raw(Widgets.parentId(site, p)).text(" ");
      }
      h.close("td").close("tr");
    }
    h.close("tbody").close("table").close("div");
    if (shown.size() > 1) {
      h.open("div", "class", "actions").el("button", "Compare selected versions", "type", "submit").close("div");
    }
    h.close("form");
  }
}
