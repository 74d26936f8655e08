package dev.cairn.web;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.errors.CairnException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The top of every version page: breadcrumbs, title, state, download buttons and the tabs. */
final class VersionHeader {
  /** The version page's tabs: path suffix and label. */
  enum Tab {
    OVERVIEW("", "Overview"),
    LOG("log", "Execution log"),
    CHANGES("changes", "Change-set"),
    FILES("files", "Contents"),
    LINEAGE("lineage", "Lineage"),
    PREVIEW("preview", "Preview");

    final String path;
    final String label;

    Tab(String path, String label) {
      this.path = path;
      this.label = label;
    }

    String href(String id) {
      return path.isEmpty() ? Links.version(id) : Links.tab(id, path);
    }
  }

  private VersionHeader() {}

  static List<Layout.Crumb> crumbs(DatasetRecord r, Tab tab) {
    Layout.Crumb version = new Layout.Crumb(r.version(), tab == Tab.OVERVIEW ? null : Links.version(r.id()));
    List<Layout.Crumb> crumbs = new ArrayList<>(Layout.projectCrumbs(r.project(), Links.project(r.project())));
    crumbs.add(new Layout.Crumb(r.name(), Links.dataset(r.project(), r.name())));
    crumbs.add(version);
    if (tab != Tab.OVERVIEW) {
      crumbs.add(new Layout.Crumb(tab.label, null));
    }
    return crumbs;
  }

  /** Page title: "name 1.2.0 · Change-set". */
  static String title(DatasetRecord r, Tab tab) {
    return r.name() + " " + r.version() + (tab == Tab.OVERVIEW ? "" : " · " + tab.label);
  }

  /** Compare buttons of a merge: one for each of its first parents, the others in a menu. */
  private static final int MAX_PARENT_BUTTONS = 4;

  static Html render(Site site, DatasetRecord r, Tab active) throws IOException {
    Html h = new Html().open("div", "class", "title-row").open("div");
    h.open("h1").text(r.name()).text(" ").el("span", r.version(), "class", "version").close("h1");
    h.open("div", "class", "actions").raw(Widgets.state(r)).raw(Widgets.tags(r.tags())).raw(Widgets.id(r.id())).close("div");
    h.close("div").open("div", "class", "actions");
    // The parents still here (a parent deleted with --force leaves its id in the lineage); of a
    // merge, each by its version (the change-set tab compares with them merged). Past the first
    // few, the others are listed in a menu that opens on a click (no script).
    int shown = 0;
    Html more = new Html();
    int inMenu = 0;
    for (int i = 0; i < r.parents().size(); i++) {
      String p = r.parents().get(i);
      if (site.repository().catalog().exists(p)) {
        String title;
        String named;
        try {
          DatasetRecord pr = site.repository().catalog().read(p);
          title = DatasetRepository.label(pr.project(), pr.name()) + " " + pr.version();
          // Its version string; its name too when it is of another dataset, and its project when of another one.
          boolean sameProject = pr.project().equals(r.project());
          String dataset = sameProject && pr.name().equals(r.name()) ? null : sameProject ? pr.name() : DatasetRepository.label(pr.project(), pr.name());
          named = shortLabel(dataset, pr.version());
        } catch (CairnException unreadable) {
          title = p;
          named = Text.shortId(p);
        }
        String label = r.parents().size() == 1 ? "Compare with parent" : "Compare with " + named;
        if (shown < MAX_PARENT_BUTTONS) {
          h.link(Links.compare(p, r.id()), label, "class", "button secondary", "title", title);
          shown++;
        } else {
          more.open("li").link(Links.compare(p, r.id()), label, "title", title).close("li");
          inMenu++;
        }
      }
    }
    if (inMenu > 0) {
      h.open("details", "class", "more-parents", "id", "more-parents")
          .el("summary", "Compare with " + dev.cairn.internal.io.Text.count(inMenu, "more parent"), "class", "button secondary")
          .open("ul").raw(more).close("ul").close("details");
    }
    String why = StoredFiles.archiveUnavailable(site, r);
    if (why == null) {
      h.link(Links.archive(r.id(), "zip"), "Download .zip", "class", "button", "download", true);
      h.link(Links.archive(r.id(), "tar"), "Download .tar", "class", "button secondary", "download", true);
    } else {
      h.el("span", "Download .zip", "class", "button disabled", "title", why, "aria-disabled", "true", "id", "archive-unavailable");
      h.el("span", "Download .tar", "class", "button secondary disabled", "title", why, "aria-disabled", "true");
    }
    h.close("div").close("div");
    h.open("nav", "class", "tabs");
    for (Tab t : Tab.values()) {
      String label = switch (t) {
        case CHANGES -> t.label + " (" + Text.count(r.summary().total()) + ")";
        case FILES -> t.label + " (" + Text.count(r.fileCount()) + ")";
        default -> t.label;
      };
      h.link(t.href(r.id()), label, "class", t == active ? "active" : null, "data-tab", t.name().toLowerCase(Locale.ROOT));
    }
    return h.close("nav");
  }

  /**
   * {@code dataset version} (the version alone for a null dataset) in 40 characters at most (code
   * points: an emoji is never split): a long name is cut, with "…", never the version string,
   * which tells two parents of one dataset apart (one of 38 characters or more stands alone).
   */
  static String shortLabel(String dataset, String version) {
    if (dataset == null) {
      return version;
    }
    int room = 40 - version.codePointCount(0, version.length()) - 1;
    int length = dataset.codePointCount(0, dataset.length());
    if (length <= room) {
      return dataset + " " + version;
    }
    if (room < 3) {
      return version; // a version string of 38 characters or more leaves no room for a name
    }
    return dataset.substring(0, dataset.offsetByCodePoints(0, Math.min(length, room - 1))) + "… " + version;
  }
}
