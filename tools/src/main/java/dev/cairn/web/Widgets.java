package dev.cairn.web;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.FileOrigins;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;

/** Small fragments the pages share: badges, tags, ids, change counts, pagers. */
final class Widgets {
  /** The class of table columns a phone's narrow window leaves out (the stylesheet hides them). */
  static final String WIDE_ONLY = "wide-only";

  private Widgets() {}

  /** A file's download link, or, when its content is not here, a note that says why. */
  static void download(Html h, DatasetRecord r, FileEntry e, StoredFiles stored) throws IOException {
    if (stored.has(e)) {
      h.link(Links.download(r.id(), e.path()), "download", "download", true);
    } else {
      h.el("span", "not fetched", "class", "muted", "title", stored.notFetched());
    }
  }

  static Html state(DatasetRecord r) {
    return new Html().el("span", r.state().label(), "class", "badge " + r.state().label());
  }

  /** Tags, each a link to the datasets carrying it. */
  static Html tags(Collection<String> tags) {
    Html h = new Html();
    tags.forEach(t -> h.link(Links.search(null, null, t), t, "class", "tag", "title", "datasets tagged " + t));
    return h;
  }

  /** A short id linking to its version, with a button copying the full id. */
  static Html id(String id) {
    return new Html().open("span", "class", "id").link(Links.version(id), Text.shortId(id), "class", "mono", "title", id)
        .el("button", "copy", "class", "copy", "type", "button", "data-copy", id, "title", "Copy the full id").close("span");
  }

  /** "name 1.2.0" linking to the version. */
  static Html versionLink(DatasetRecord r) {
    return new Html().link(Links.version(r.id()), r.name() + " " + r.version(), "title", r.id());
  }

  /** A version named "name 1.2.0", linked, while its record can be read; else by its id ({@link #parentId}). */
  static Html versionNamed(Site site, String id) {
    DatasetRecord r;
    try {
      r = site.recordOrNull(id);
    } catch (java.io.IOException unreadable) {
      r = null;
    }
    return r != null ? versionLink(r) : parentId(site, id);
  }

  /**
   * A parent named by its short id in a table: a link while its record is here, else said to be
   * deleted (or its record unreadable), as the version page says, instead of a link to a 404.
   */
  static Html parentId(Site site, String id) {
    if (site.recordPresent(id)) {
      return new Html().link(Links.version(id), Text.shortId(id), "class", "mono", "title", id);
    }
    return new Html().el("span", Text.shortId(id) + " (deleted)", "class", "mono muted", "title", id + " was deleted");
  }

  /** What the "Added in" column tells ({@link FileOrigins}). */
  static final String ADDED_IN = "the version whose change-set added this path with this content (renamed or copied bytes are stored once, with the version that first held them)";

  /**
   * Where a file's content is stored ({@link FileOrigins}): a link to the version;
   * a version deleted here named, not linked; or, when the trail of parents cannot be followed,
   * that it is not known (the content is still stored: this version holds it).
   */
  static Html storedIn(Site site, DatasetRecord where) {
    if (where != null && !site.recordPresent(where.id())) {
      // Deleted here, found through its version object: its content stays stored with it.
      return new Html().el("span", where.name() + " " + where.version() + " (deleted)", "class", "muted", "title",
          where.id() + " was deleted here; the bytes it brought are still stored");
    }
    return where != null ? versionLink(where)
        : new Html().el("span", "not known here", "class", "muted", "title",
            "the trail of parents reaches a version whose manifest is only on a remote, or one deleted whose version object is not"
                + " here either, or goes round a cycle of a damaged catalog (cairn fsck)");
  }

  /** "+3 ~1 −2", coloured. */
  static Html counts(ChangeSummary s) {
    return new Html()
        .el("span", "+" + Text.count(s.added()), "class", "added", "title", "added")
        .text(" ").el("span", "~" + Text.count(s.modified()), "class", "modified", "title", "modified")
        .text(" ").el("span", "−" + Text.count(s.removed()), "class", "removed", "title", "removed");
  }

  static Html changeType(DiffEntry.ChangeType t) {
    String label = t.name().toLowerCase(Locale.ROOT);
    return new Html().el("span", label, "class", "change " + label);
  }

  /** Builds the link to the page starting at an offset. */
  @FunctionalInterface
  interface PageLink {
    String at(long offset);
  }

  /**
   * "Showing 101–200 of 2,000 (page 2 of 20)" with first, previous, next and last links. The
   * links go to page boundaries (multiples of {@code pageSize}) even when {@code offset} is not
   * one: previous to the boundary before it (the last page when past the end), next to the one
   * after it. A page that straddles two boundaries says so ("pages 1–2 of 2"). Nothing at all
   * on the first page of nothing.
   */
  static Html pager(long offset, int shown, long total, int pageSize, PageLink link) {
    if (total == 0 && offset == 0) {
      return new Html(); // nothing to page through: the table's own empty state says so, once
    }
    Html h = new Html().open("div", "class", "pager");
    long pages = (total + pageSize - 1) / pageSize;
    if (total == 0 || shown == 0) {
      h.el("span", total == 0 ? "Nothing to show" : "Past the end (" + Text.count(total) + " in all)");
    } else {
      long first = offset / pageSize + 1;
      long last = (offset + shown - 1) / pageSize + 1;
      String which = first == last ? "page " + Text.count(first) : "pages " + Text.count(first) + "–" + Text.count(last);
      h.el("span", "Showing " + Text.count(offset + 1) + "–" + Text.count(offset + shown) + " of " + Text.count(total)
          + (pages > 1 ? " (" + which + " of " + Text.count(pages) + ")" : ""));
    }
    long lastPage = Math.max(0, pages - 1) * pageSize;
    if (offset > 0) {
      long previous = offset > lastPage ? lastPage : (offset - 1) / pageSize * pageSize;
      h.link(link.at(0), "« First", "class", "button secondary", "rel", "first");
      h.link(link.at(previous), "← Previous", "class", "button secondary", "rel", "prev");
    }
    if (offset + shown < total) {
      h.link(link.at((offset / pageSize + 1) * pageSize), "Next →", "class", "button secondary", "rel", "next");
      h.link(link.at(lastPage), "Last »", "class", "button secondary", "rel", "last");
    }
    return h.close("div");
  }

  /** A thin bar showing {@code part} of {@code whole} (inline SVG: the pages allow no inline styles). */
  static Html meter(long part, long whole) {
    double f = whole <= 0 ? 0 : Math.min(1, (double) part / whole);
    int w = (int) Math.round(f * 1000);
    return new Html().open("div", "class", "meter")
        .open("svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", "0 0 1000 8", "preserveAspectRatio", "none",
            "width", "100%", "height", 8)
        .empty("rect", "x", 0, "y", 0, "width", w, "height", 8, "fill", "#60a5fa")
        .close("svg").close("div");
  }
}
