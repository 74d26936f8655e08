package dev.cairn.web;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.DatasetRecord;
import java.util.List;
import java.util.Objects;

/**
 * Draws a {@link Lineage} as inline SVG: one box per version (name, version, short id and change
 * counts) linking to its page, and a curved arrow from each parent to each child. Roots are at the
 * top, the version itself at the bottom and highlighted.
 */
final class LineageSvg {
  private static final int BOX_W = 210;
  private static final int BOX_H = 66;
  private static final int GAP_X = 36;
  private static final int GAP_Y = 54;
  private static final int MARGIN = 16;
  private static final int NAME_CHARS = 26;

  private LineageSvg() {}

  static Html render(Lineage lineage) {
    int cols = Math.max(1, lineage.width());
    int width = MARGIN * 2 + cols * BOX_W + (cols - 1) * GAP_X;
    int height = MARGIN * 2 + lineage.layers() * BOX_H + Math.max(0, lineage.layers() - 1) * GAP_Y;
    Html svg = new Html();
    svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "dag", "width", width, "height", height,
        "viewBox", "0 0 " + width + " " + height, "role", "img", "aria-label", "Lineage of the version");
    svg.open("defs").open("marker", "id", "arrow", "viewBox", "0 0 10 10", "refX", 9, "refY", 5, "markerWidth", 7,
        "markerHeight", 7, "orient", "auto-start-reverse");
    svg.empty("path", "d", "M 0 0 L 10 5 L 0 10 z", "class", "dag-arrow").close("marker").close("defs");
    for (Lineage.Node child : lineage.nodes()) {
      List<Lineage.Node> parents = child.parents().stream().map(lineage::node).filter(Objects::nonNull).toList();
      for (int i = 0; i < parents.size(); i++) {
        edge(svg, lineage, parents.get(i), child, (int) Math.round((i - (parents.size() - 1) / 2.0) * 18));
      }
    }
    for (Lineage.Node n : lineage.nodes()) {
      node(svg, lineage, n);
    }
    return svg.close("svg");
  }

  private static int x(Lineage lineage, Lineage.Node n) {
    int inLayer = lineage.layerSize(n.layer());
    int cols = Math.max(1, lineage.width());
    int rowWidth = inLayer * BOX_W + (inLayer - 1) * GAP_X;
    int full = cols * BOX_W + (cols - 1) * GAP_X;
    return MARGIN + (full - rowWidth) / 2 + n.slot() * (BOX_W + GAP_X);
  }

  private static int y(Lineage.Node n) {
    return MARGIN + n.layer() * (BOX_H + GAP_Y);
  }

  /** A curve from the bottom of {@code parent} to the top of {@code child}, entering {@code shift} px off centre. */
  private static void edge(Html svg, Lineage lineage, Lineage.Node parent, Lineage.Node child, int shift) {
    int x1 = x(lineage, parent) + BOX_W / 2;
    int y1 = y(parent) + BOX_H;
    int x2 = x(lineage, child) + BOX_W / 2 + shift;
    int y2 = y(child) - 2;
    int mid = (y1 + y2) / 2;
    svg.empty("path", "class", "dag-edge", "marker-end", "url(#arrow)",
        "d", "M " + x1 + " " + y1 + " C " + x1 + " " + mid + ", " + x2 + " " + mid + ", " + x2 + " " + y2);
  }

  private static void node(Html svg, Lineage lineage, Lineage.Node n) {
    int x = x(lineage, n);
    int y = y(n);
    DatasetRecord r = n.record();
    boolean focus = n.id().equals(lineage.focus());
    String cls = "dag-node" + (focus ? " focus" : "") + (r == null ? " deleted" : "");
    if (r != null) {
      svg.open("a", "href", Links.version(n.id()), "class", cls, "data-id", n.id());
    } else {
      svg.open("g", "class", cls, "data-id", n.id());
    }
    svg.el("title", r == null ? n.missingLabel() + " " + n.id()
        : Text.project(r.project()) + " / " + r.name() + " " + r.version() + " (" + n.id() + ")");
    svg.empty("rect", "x", x, "y", y, "width", BOX_W, "height", BOX_H, "rx", 8);
    if (r == null) {
      svg.el("text", n.missingLabel(), "x", x + 12, "y", y + 26, "class", "dag-name");
      svg.el("text", Text.shortId(n.id()), "x", x + 12, "y", y + 46, "class", "dag-meta");
    } else {
      svg.el("text", cut(r.name()), "x", x + 12, "y", y + 22, "class", "dag-name");
      svg.el("text", "v" + r.version() + " · " + Text.shortId(n.id()) + " · " + r.state().label(), "x", x + 12, "y", y + 40,
          "class", "dag-meta");
      counts(svg, r.summary(), x + 12, y + 57);
    }
    svg.close(r != null ? "a" : "g");
  }

  private static void counts(Html svg, ChangeSummary s, int x, int y) {
    svg.open("text", "x", x, "y", y, "class", "dag-counts");
    svg.el("tspan", "+" + Text.count(s.added()), "class", "added");
    svg.el("tspan", "  ~" + Text.count(s.modified()), "class", "modified");
    svg.el("tspan", "  −" + Text.count(s.removed()), "class", "removed");
    svg.close("text");
  }

  private static String cut(String s) {
    return s.length() <= NAME_CHARS ? s : s.substring(0, NAME_CHARS - 1) + "…";
  }
}
