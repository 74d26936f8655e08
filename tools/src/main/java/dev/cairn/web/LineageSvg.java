package dev.cairn.web;

import dev.cairn.dataset.ChangeSummary;
import dev.cairn.dataset.DatasetRecord;
import java.util.ArrayList;
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
        int shift = (int) Math.round((i - (parents.size() - 1) / 2.0) * 18);
        edge(svg, lineage, parents.get(i), child, shift);
        if (parents.size() > 1) { // the merge order, on each edge above its arrowhead: the last one won
          svg.el("text", i + 1, "x", x(lineage, child) + BOX_W / 2 + shift, "y", y(child) - 13, "class", "dag-order", "text-anchor",
              "middle");
        }
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

  /**
   * A curve from the bottom of {@code parent} to the top of {@code child}, entering {@code shift} px
   * off centre. An edge that skips layers runs down a free lane between the boxes of the layers it
   * skips (or beside them all), so that it never crosses a box and reads as an edge of that box.
   */
  private static void edge(Html svg, Lineage lineage, Lineage.Node parent, Lineage.Node child, int shift) {
    int x1 = x(lineage, parent) + BOX_W / 2;
    int y1 = y(parent) + BOX_H;
    int x2 = x(lineage, child) + BOX_W / 2 + shift;
    int y2 = y(child) - 2;
    String d;
    if (child.layer() - parent.layer() <= 1) {
      int mid = (y1 + y2) / 2;
      d = "M " + x1 + " " + y1 + " C " + x1 + " " + mid + ", " + x2 + " " + mid + ", " + x2 + " " + y2;
    } else {
      int lane = lane(lineage, parent.layer() + 1, child.layer() - 1, (x1 + x2) / 2);
      int down = y1 + GAP_Y / 2; // the middle of the gap below the parent's layer
      int up = y(child) - GAP_Y / 2; // and of the gap above the child's
      d = "M " + x1 + " " + y1 + " C " + x1 + " " + down + ", " + lane + " " + down + ", " + lane + " " + (down + GAP_Y / 3)
          + " L " + lane + " " + (up - GAP_Y / 3) + " C " + lane + " " + up + ", " + x2 + " " + up + ", " + x2 + " " + y2;
    }
    svg.empty("path", "class", "dag-edge", "marker-end", "url(#arrow)", "d", d);
  }

  /**
   * The x of a vertical lane that no box of layers {@code from} to {@code to} covers, nearest to
   * {@code near}: the middle of a gap between two boxes, or the margin beside them all.
   */
  private static int lane(Lineage lineage, int from, int to, int near) {
    int cols = Math.max(1, lineage.width());
    int width = MARGIN * 2 + cols * BOX_W + (cols - 1) * GAP_X;
    List<Integer> candidates = new ArrayList<>(List.of(MARGIN / 2, width - MARGIN / 2));
    for (Lineage.Node n : lineage.nodes()) {
      if (n.layer() >= from && n.layer() <= to) {
        candidates.add(x(lineage, n) - GAP_X / 2);
        candidates.add(x(lineage, n) + BOX_W + GAP_X / 2);
      }
    }
    int best = candidates.get(0);
    for (int c : candidates) {
      boolean free = lineage.nodes().stream().noneMatch(n -> n.layer() >= from && n.layer() <= to
          && c > x(lineage, n) - GAP_X / 4 && c < x(lineage, n) + BOX_W + GAP_X / 4);
      if (free && Math.abs(c - near) < Math.abs(best - near)) {
        best = c;
      }
    }
    return best;
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
      svg.el("text", cut(n.missingLabel()), "x", x + 12, "y", y + 26, "class", "dag-name");
      svg.el("text", Text.shortId(n.id()), "x", x + 12, "y", y + 46, "class", "dag-meta");
    } else {
      String name = cut(r.name());
      String meta = "v" + r.version() + " · " + Text.shortId(n.id()) + " · " + r.state().label();
      svg.el("text", name, "x", x + 12, "y", y + 22, "class", "dag-name", "textLength", fitted(name, 18), "lengthAdjust",
          fitted(name, 18) == null ? null : "spacingAndGlyphs");
      svg.el("text", meta, "x", x + 12, "y", y + 40, "class", "dag-meta", "textLength", fitted(meta, 32), "lengthAdjust",
          fitted(meta, 32) == null ? null : "spacingAndGlyphs");
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

  /**
   * The width a label of more than {@code roomy} characters is squeezed into (the box's, less its
   * margins), or null for one that fits as it is: a wide or bold face would run a long one past
   * the box's edge.
   */
  private static Integer fitted(String label, int roomy) {
    return label.codePointCount(0, label.length()) > roomy ? BOX_W - 24 : null;
  }

  static String cut(String s) {
    int n = s.codePointCount(0, s.length()); // cut between characters, not inside a surrogate pair
    return n <= NAME_CHARS ? s : s.substring(0, s.offsetByCodePoints(0, NAME_CHARS - 1)) + "…";
  }
}
