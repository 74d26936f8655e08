package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * Pages in a phone's window, in a real Chromium (skipped without it): a lineage wider than the
 * window opens scrolled to the version it is of; file tables leave out their hash columns.
 */
class WebNarrowWindowBrowserTest {
  @TempDir Path tmp;

  @Test
  void aWideLineageOpensWithItsVersionInView() throws Exception {
    assumeTrue(Files.isExecutable(WebBrowserTest.CHROMIUM) && Files.isExecutable(WebBrowserTest.CHROMEDRIVER), "Chromium is not installed");
    String merge;
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      List<String> roots = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        Path src = Files.createDirectories(tmp.resolve("src" + i));
        Files.writeString(src.resolve("part" + i + ".txt"), "part " + i + "\n");
        Dataset root = Dataset.create(repo, CreateOptions.of("wide", "root" + i).build());
        root.addFiles(AddOptions.of(src));
        root.close();
        roots.add(root.id());
      }
      // A merge of all seven: seven boxes side by side above it, wider than a phone.
      Dataset m = Dataset.create(repo, CreateOptions.of("wide", "all").parents(roots.toArray(String[]::new)).build());
      m.close();
      merge = m.id();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, message -> {
        throw new AssertionError("server failure: " + message);
      })) {
        WebDriver browser = WebBrowserTest.chromium(tmp.resolve("profile"), Files.createDirectories(tmp.resolve("downloads")));
        try {
          browser.manage().window().setSize(new Dimension(420, 900));
          browser.get("http://127.0.0.1:" + server.port() + "/versions/" + merge + "/lineage");
          @SuppressWarnings("unchecked")
          Map<String, Object> view = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
              "var w = document.querySelector('.dag-wrap'), f = w.querySelector('.dag-node.focus');"
              + "var a = w.getBoundingClientRect(), b = f.getBoundingClientRect();"
              + "return {wide: w.scrollWidth > w.clientWidth, left: b.left - a.left, right: a.right - b.right, scrolled: w.scrollLeft};");
          assertThat(view.get("wide")).as("the lineage is wider than the window").isEqualTo(true);
          assertThat(((Number) view.get("left")).doubleValue()).as("focus box's left edge inside the card").isGreaterThanOrEqualTo(0);
          assertThat(((Number) view.get("right")).doubleValue()).as("focus box's right edge inside the card").isGreaterThanOrEqualTo(0);
          assertThat(browser.findElement(By.cssSelector("svg.dag .dag-node.focus")).getAttribute("data-id")).isEqualTo(merge);

          browser.get("http://127.0.0.1:" + server.port() + "/versions/" + merge + "/files");
          assertThat(browser.findElements(By.cssSelector("#files tbody tr"))).hasSize(7);
          assertThat(browser.findElement(By.cssSelector("#files thead th:nth-child(3)")).isDisplayed()).as("hash column").isFalse();
          // "part0.txt" on one line: the path is not squeezed to a few letters a line.
          assertThat(browser.findElement(By.cssSelector("#files tbody td.path a")).getSize().getHeight()).isLessThan(30);
          // The home page and a preview fit the phone's width: a wide table scrolls in its own box.
          for (String page : List.of("/", "/versions/" + merge + "/preview")) {
            browser.get("http://127.0.0.1:" + server.port() + page);
            Object pageWidth = ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth");
            Object window = ((JavascriptExecutor) browser).executeScript("return document.documentElement.clientWidth");
            assertThat(((Number) pageWidth).intValue()).as(page).isLessThanOrEqualTo(((Number) window).intValue());
          }
          browser.manage().window().setSize(new Dimension(1200, 900));
          browser.get("http://127.0.0.1:" + server.port() + "/versions/" + merge + "/files");
          assertThat(browser.findElement(By.cssSelector("#files thead th:nth-child(3)")).isDisplayed()).as("hash column, wide").isTrue();
        } finally {
          browser.quit();
        }
      }
    }
  }

  @Test
  void aLongTagOrMetadataValueWrapsInsideThePage() throws Exception {
    assumeTrue(Files.isExecutable(WebBrowserTest.CHROMIUM) && Files.isExecutable(WebBrowserTest.CHROMEDRIVER), "Chromium is not installed");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Path src = Files.createDirectories(tmp.resolve("src"));
      Files.writeString(src.resolve("a.txt"), "a\n");
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").tags("T".repeat(255))
          .metadata(Map.of("long", "V".repeat(3000))).build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, message -> {
        throw new AssertionError("server failure: " + message);
      })) {
        WebDriver browser = WebBrowserTest.chromium(tmp.resolve("profile"), Files.createDirectories(tmp.resolve("downloads")));
        try {
          browser.manage().window().setSize(new Dimension(1200, 900));
          for (String page : List.of("/", "/versions/" + ds.id())) {
            browser.get("http://127.0.0.1:" + server.port() + page);
            @SuppressWarnings("unchecked")
            Map<String, Object> widths = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "var most = 0; document.querySelectorAll('.table-wrap').forEach(function (w) {"
                + " most = Math.max(most, w.scrollWidth - w.clientWidth); });"
                + "return {page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth, tables: most};");
            assertThat(((Number) widths.get("page")).intValue()).as(page).isLessThanOrEqualTo(((Number) widths.get("window")).intValue());
            assertThat(((Number) widths.get("tables")).intValue()).as(page + ": a table wider than its box").isZero();
          }
        } finally {
          browser.quit();
        }
      }
    }
  }
}
