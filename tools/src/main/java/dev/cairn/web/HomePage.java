package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.TagQuery;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code /}: projects, and datasets searchable by project, name and tag. */
final class HomePage {
  private final Site site;

  /** Datasets a page lists. */
  static final int PAGE = 100;

  HomePage(Site site) {
    this.site = site;
  }

  String render(Context ctx) throws IOException {
    String project = Params.presentOrNull(ctx, "project"); // ?project= is the unnamed project
    String name = Params.string(ctx, "q");
    String tag = Params.joined(ctx, "tag");
    List<DatasetSummary> datasets = site.datasets(project, name, tag);
    long offset = Params.nonNegative(ctx, "offset", 0);
    int limit = Params.limit(ctx, PAGE);
    List<DatasetSummary> shown = datasets.subList((int) Math.min(offset, datasets.size()),
        (int) Math.min(datasets.size(), offset + limit));
    Html h = new Html();
    h.el("h1", project == null ? "Datasets" : "Datasets in " + Text.project(project));
    h.open("div", "class", "layout");
    projects(h, project);
    h.open("div");
    searchForm(h, project, name, tag);
    boolean noSuchProject = datasets.isEmpty() && project != null && site.datasets(project, null, null).isEmpty()
        && !site.datasets(null, null, null).isEmpty();
    if (noSuchProject) {
      // No dataset at all in the project asked for: say so, rather than that none matches the search.
      h.el("div", "No project " + Text.project(project) + " here (nor any project under it): pick one from the list.", "class",
          "card empty");
    } else {
      Html pager = Widgets.pager(offset, shown.size(), datasets.size(), limit, o -> Links.search(project, name, tag, o, limit));
      boolean paged = !datasets.isEmpty() && (datasets.size() > limit || offset > 0); // none at all: the table says so, once
      if (paged) {
        h.raw(pager);
      }
      if (!shown.isEmpty() || datasets.isEmpty()) {
        table(h, shown, project != null || name != null || tag != null, TagQuery.parse(Site.tagList(tag)));
      }
      if (paged && !shown.isEmpty()) {
        h.raw(pager);
      }
    }
    h.close("div").close("div");
    List<Layout.Crumb> crumbs = project == null ? List.of() : Layout.projectCrumbs(project, null);
    return Layout.page(project == null ? "Datasets" : Text.project(project), crumbs, h, false); // its own search form
  }

  /**
   * Projects in the order of their parts (a/b right after a, before a-b and a.b, which sort before
   * '/'), case-insensitively first; projects differing by case stay apart.
   */
  static final Comparator<String> BY_PARTS = (a, b) -> {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.<String>naturalOrder()).compare(x[i], y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  };

  private void projects(Html h, String selected) throws IOException {
    // A project counts the datasets of its subprojects too (a/b is in a), as its page lists them;
    // a subproject shows under its parent, by its last part. Projects differing by case stay apart.
    Map<String, Integer> counts = new TreeMap<>(BY_PARTS);
    for (DatasetSummary d : site.datasets(null, null, null)) {
      String p = d.project();
      counts.merge(p, 1, Integer::sum);
      for (int slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/', slash - 1)) {
        counts.merge(p.substring(0, slash), 1, Integer::sum);
      }
    }
    h.open("aside", "class", "card").el("h2", "Projects");
    h.open("ul", "class", "projects");
    h.open("li").link(Links.home(), "All projects", "class", selected == null ? "active" : null).close("li");
    counts.forEach((p, n) -> {
      int depth = Math.min(3, (int) p.chars().filter(c -> c == '/').count());
      String label = depth == 0 ? Text.project(p) : p.substring(p.lastIndexOf('/') + 1);
      h.open("li", "class", depth == 0 ? null : "sub" + depth, "title", depth == 0 ? null : p)
          .link(Links.project(p), label, "class", p.equals(selected) ? "active" : null)
          .text(" ").el("span", Integer.toString(n), "class", "muted").close("li");
    });
    h.close("ul").close("aside");
  }

  private static void searchForm(Html h, String project, String name, String tag) {
    h.open("form", "class", "inline", "method", "get", "action", "/");
    if (project != null) {
      h.empty("input", "type", "hidden", "name", "project", "value", project);
    }
    h.empty("input", "type", "search", "name", "q", "value", name, "placeholder", "name, or a regular expression", "data-focus-key", true,
        "aria-label", "Dataset name");
    h.empty("input", "type", "text", "name", "tag", "value", tag, "placeholder", "tags, comma-separated", "aria-label", "Tags");
    h.el("button", "Search", "type", "submit");
    if (name != null || tag != null) {
      h.link(project == null ? Links.home() : Links.project(project), "Clear", "class", "button secondary");
    }
    h.close("form");
  }

  /** How many of a dataset's versions a tag search names in its row at most. */
  private static final int TAGGED_SHOWN = 5;

  /** @param tags the tags searched for: each row names the versions that carry them, which picked the dataset */
  private static void table(Html h, List<DatasetSummary> datasets, boolean filtered, TagQuery tags) {
    if (datasets.isEmpty()) {
      h.el("div", filtered ? "No dataset matches." : "No datasets yet: create one with 'cairn create' (or try 'cairn quickstart').",
          "class", "card empty");
      return;
    }
    h.open("div", "class", "table-wrap").open("table", "id", "datasets").open("thead").open("tr");
    for (String c : new String[] {"Project", "Dataset", "Versions", "Latest", "Tags (any version)", "Files", "Size", "Updated"}) {
      h.el("th", c, "class", c.equals("Versions") || c.equals("Files") || c.equals("Size") ? "num" : null);
    }
    h.close("tr").close("thead").open("tbody");
    for (DatasetSummary d : datasets) {
      DatasetRecord latest = d.latest();
      h.open("tr");
      h.open("td", "class", "name").link(Links.project(d.project()), Text.project(d.project()), "class", "muted").close("td");
      h.open("td", "class", "name").link(Links.dataset(d.project(), d.name()), d.name(), "class", "dataset-link").close("td");
      h.el("td", Text.count(d.versions().size()), "class", "num");
      h.open("td").link(Links.version(latest.id()), latest.version()).text(" ").raw(Widgets.state(latest)).close("td");
      h.open("td").raw(Widgets.tags(d.tags()));
      if (!tags.isEmpty()) {
        List<DatasetRecord> tagged = d.versions().stream().filter(v -> tags.matches(v.tags())).toList();
        h.open("div", "class", "muted tagged").text("in ");
        for (int i = 0; i < Math.min(tagged.size(), TAGGED_SHOWN); i++) {
          h.text(i == 0 ? "" : ", ").link(Links.version(tagged.get(i).id()), tagged.get(i).version());
        }
        h.text(tagged.size() > TAGGED_SHOWN ? " and " + (tagged.size() - TAGGED_SHOWN) + " more" : "").close("div");
      }
      h.close("td");
      h.el("td", Text.count(latest.fileCount()), "class", "num");
      h.el("td", Text.bytes(latest.totalBytes()), "class", "num", "title", Text.count(latest.totalBytes()) + " bytes");
      h.el("td", Text.time(d.updatedMillis()), "class", "muted");
      h.close("tr");
    }
    h.close("tbody").close("table").close("div");
  }
}
