package dev.cairn.web;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /versions/{id}/lineage}: the DAG of every ancestor (click a node to open it) and the
 * genealogy table, one row per ancestor with its change-set counts and bytes (ClearML's RESULTS >
 * PLOTS).
 */
final class LineagePage {
  /** Versions the page draws unless {@code limit} says otherwise. */
  static final int PAGE = 200;

  private final Site site;

  LineagePage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    Dataset ds = site.version(ctx.pathParam("id"));
    DatasetRecord r = ds.record();
    Dataset.Ancestry ancestry = ds.ancestry();
    Map<String, List<String>> graph = ancestry.parents();
    int limit = Params.limit(ctx, PAGE);
    Lineage lineage = Lineage.of(r.id(), nearest(graph, r.id(), limit), site::recordOrNull, site::unreadable, ancestry.deleted());
    VersionHeader.Tab tab = VersionHeader.Tab.LINEAGE;
    Html h = new Html().raw(VersionHeader.render(site, r, tab));
    String shown = graph.size() > limit ? "The nearest " + Text.count(limit) + " of the " + Text.count(graph.size())
        + " versions in the lineage (older ones are left out; /api/versions/" + r.id() + "/lineage lists them all), "
        : Text.plural(lineage.nodes().size(), "version", "versions") + " in the lineage, ";
    h.el("p", shown + "oldest at the top. "
        + "Each box shows the files its change-set added (+), modified (~) and removed (−); click one to open it.", "class", "muted");
    h.open("div", "class", "dag-wrap").raw(LineageSvg.render(lineage)).close("div");
    h.el("h2", "Genealogy");
    genealogy(h, lineage);
    return Layout.page(VersionHeader.title(r, tab), VersionHeader.crumbs(r, tab), h);
  }

  /**
   * The first {@code max} versions of {@code graph} found walking up from {@code focus}, nearest
   * first, each with the parents among them: a long history stays a drawing one can read.
   */
  static Map<String, List<String>> nearest(Map<String, List<String>> graph, String focus, int max) {
    if (graph.size() <= max) {
      return graph;
    }
    Set<String> kept = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(List.of(focus));
    while (!queue.isEmpty() && kept.size() < max) {
      String id = queue.poll();
      if (kept.add(id)) {
        queue.addAll(graph.getOrDefault(id, List.of()));
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String id : kept) {
      out.put(id, graph.getOrDefault(id, List.of()).stream().filter(kept::contains).toList());
    }
    return out;
  }

  private void genealogy(Html h, Lineage lineage) {
    h.open("div", "class", "table-wrap").open("table", "id", "genealogy").open("thead").open("tr");
    h.el("th", "Version").el("th", "Id").el("th", "Parents");
    for (String c : new String[] {"Added", "Added bytes", "Modified", "Modified bytes", "Removed", "Removed bytes", "Files", "Size",
        "Stored"}) {
      h.el("th", c, "class", "num");
    }
    h.close("tr").close("thead").open("tbody");
    for (Lineage.Node n : lineage.nodes()) {
      DatasetRecord r = n.record();
      h.open("tr", "data-id", n.id(), "class", n.id().equals(lineage.focus()) ? "focus" : null);
      if (r == null) {
        // Its parents are known from its version object, kept for its descendants: drawn, and listed.
        h.el("td", n.missingLabel(), "class", "muted").el("td", Text.shortId(n.id()), "class", "mono").open("td");
        n.parents().forEach(p -> h.raw(Widgets.parentId(site, p)).text(" "));
        h.close("td").open("td", "colspan", 9).close("td").close("tr");
        continue;
      }
      h.open("td", "class", "name").raw(Widgets.versionLink(r)).close("td");
      h.open("td").raw(Widgets.id(n.id())).close("td");
      h.open("td");
      n.parents().forEach(p -> h.raw(Widgets.parentId(site, p)).text(" "));
      h.close("td");
      ChangeSummary s = r.summary();
      h.el("td", Text.count(s.added()), "class", "num added").el("td", Text.bytes(s.addedBytes()), "class", "num", "title", Text.count(s.addedBytes()) + " bytes");
      h.el("td", Text.count(s.modified()), "class", "num modified").el("td", Text.bytes(s.modifiedBytes()), "class", "num", "title", Text.count(s.modifiedBytes()) + " bytes");
      h.el("td", Text.count(s.removed()), "class", "num removed").el("td", Text.bytes(s.removedBytes()), "class", "num", "title", Text.count(s.removedBytes()) + " bytes");
      h.el("td", Text.count(r.fileCount()), "class", "num").el("td", Text.bytes(r.totalBytes()), "class", "num", "title", Text.count(r.totalBytes()) + " bytes");
      h.el("td", Text.bytes(r.storedBytes()), "class", "num", "title", Text.count(r.storedBytes()) + " bytes").close("tr");
    }
    h.close("tbody").close("table").close("div");
  }
}
