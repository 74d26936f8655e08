package dev.cairn.web;

import java.util.List;
import java.util.function.LongFunction;

/**
 * A small bar chart as inline SVG: one bar per version, labelled below, the value above, and the
 * exact value in a tooltip. Each bar links to its version.
 */
final class BarChart {
  private static final int HEIGHT = 170;
  private static final int PLOT_TOP = 22;
  private static final int PLOT_BOTTOM = 140;
  private static final int BAR_W = 38;
  private static final int GAP = 18;
  private static final int LEFT = 10;

  /**
   * One bar.
   *
   * @param label shown under the bar (a version)
   * @param value the height
   * @param href where a click on the bar goes
   */
  record Bar(String label, long value, String href) {}

  private BarChart() {}

  static Html render(String title, List<Bar> bars, LongFunction<String> format) {
    long max = bars.stream().mapToLong(Bar::value).max().orElse(0);
    int width = Math.max(220, LEFT * 2 + bars.size() * (BAR_W + GAP));
    Html h = new Html().open("figure", "class", "chart");
    h.el("figcaption", title);
    h.open("div", "class", "chart-scroll");
    h.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", width, "height", HEIGHT, "viewBox",
        "0 0 " + width + " " + HEIGHT, "role", "img", "aria-label", title);
    h.empty("line", "x1", 0, "y1", PLOT_BOTTOM, "x2", width, "y2", PLOT_BOTTOM, "class", "axis");
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int x = LEFT + i * (BAR_W + GAP);
      int barH = max == 0 ? 0 : (int) Math.max(b.value() > 0 ? 2 : 0, Math.round((double) b.value() / max * (PLOT_BOTTOM - PLOT_TOP)));
      h.open("a", "href", b.href(), "class", "bar");
      h.el("title", b.label() + ": " + format.apply(b.value()));
      h.empty("rect", "x", x, "y", PLOT_BOTTOM - barH, "width", BAR_W, "height", barH, "rx", 3);
      h.el("text", format.apply(b.value()), "x", x + BAR_W / 2, "y", PLOT_BOTTOM - barH - 5, "class", "value");
      h.el("text", cut(b.label()), "x", x + BAR_W / 2, "y", PLOT_BOTTOM + 16, "class", "label");
      h.close("a");
    }
    return h.close("svg").close("div").close("figure");
  }

  /**
   * A label that fits under its bar: its last characters, where versions differ ({@code 10.20.300}
   * and {@code 10.20.301} read {@code …0.300} and {@code …0.301}); the tooltip holds it whole.
   */
  static String cut(String s) {
    int n = s.codePointCount(0, s.length());
    return n <= 7 ? s : "…" + s.substring(s.offsetByCodePoints(0, n - 6));
  }
}
