package dev.cairn.web;

import java.util.ArrayList;
import java.util.List;

/** The frame around every page: head, top bar with search, breadcrumbs and footer. */
final class Layout {
  /** One step of the breadcrumb trail; the last has no link. */
  record Crumb(String label, String href) {}

  /**
   * "Datasets" and a crumb for each part of {@code project} ({@code a/b}: a, then b), each linking
   * to its project, the last one to {@code lastHref} (null: not a link, the page itself).
   */
  static List<Crumb> projectCrumbs(String project, String lastHref) {
    List<Crumb> out = new ArrayList<>();
    out.add(new Crumb("Datasets", Links.home()));
    if (project.isEmpty()) {
      out.add(new Crumb(Text.project(project), lastHref));
      return out;
    }
    int from = 0;
    while (true) {
      int slash = project.indexOf('/', from);
      String prefix = slash < 0 ? project : project.substring(0, slash);
      out.add(new Crumb(project.substring(from, slash < 0 ? project.length() : slash), slash < 0 ? lastHref : Links.project(prefix)));
      if (slash < 0) {
        return out;
      }
      from = slash + 1;
    }
  }

  private Layout() {}

  /** A whole page. {@code title} and the crumbs are escaped; {@code body} was built escaped. */
  static String page(String title, List<Crumb> crumbs, Html body) {
    return page(title, crumbs, body, true);
  }

  /**
   * A whole page, with the top bar's search box or not: a page whose body has a search form of its
   * own (the list of datasets) shows one, not two that do the same.
   */
  static String page(String title, List<Crumb> crumbs, Html body, boolean topSearch) {
    Html h = new Html().doctype();
    h.open("html", "lang", "en").open("head");
    h.empty("meta", "charset", "utf-8");
    h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    h.el("title", title + " · Cairn");
    h.empty("link", "rel", "stylesheet", "href", "/static/cairn.css");
    h.empty("link", "rel", "icon", "href", "data:,");
    h.close("head").open("body");
    topBar(h, topSearch);
    h.open("main");
    if (!crumbs.isEmpty()) {
      h.open("nav", "class", "crumbs", "aria-label", "breadcrumb");
      for (int i = 0; i < crumbs.size(); i++) {
        Crumb c = crumbs.get(i);
        if (i > 0) {
          h.el("span", "›", "class", "sep");
        }
        if (c.href() != null) {
          h.link(c.href(), c.label());
        } else {
          h.el("span", c.label());
        }
      }
      h.close("nav");
    }
    h.raw(body);
    h.close("main");
    h.open("footer").text("Cairn · read-only view of the repository · ").link("/api", "JSON API").close("footer");
    h.open("script", "src", "/static/cairn.js", "defer", true).close("script");
    return h.close("body").close("html").toString();
  }

  private static void topBar(Html h, boolean search) {
    h.open("header", "class", "top");
    h.link(Links.home(), "cairn", "class", "brand");
    if (search) {
      h.open("form", "action", "/", "method", "get", "role", "search");
      h.empty("input", "type", "search", "name", "q", "placeholder", "Search datasets by name…", "aria-label", "Search datasets by name");
      h.el("button", "Search", "type", "submit");
      h.close("form");
    }
    h.open("nav").link(Links.home(), "Datasets").link("/compare", "Compare").link("/api", "API").close("nav");
    h.close("header");
  }
}
