package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.internal.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.junit.jupiter.api.io.TempDir;

/** The contents one folder at a time: {@code /versions/{id}/folder} and its JSON twin. */
class WebFolderTest {
  @TempDir Path tmp;
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> json(String url) throws Exception {
    HttpResponse<String> r = get(url);
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return (Map<String, Object>) Json.parse(r.body());
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void aFolderListsItsFoldersAndFilesAndPagesByName() throws Exception {
    Path src = tmp.resolve("src");
    for (String p : List.of("top.txt", "images/train/a.png", "images/train/b.png", "images/val/c.png", "images/readme.md",
        "images.csv", "odd #?%/x y.txt")) {
      Files.createDirectories(src.resolve(p).getParent());
      Files.writeString(src.resolve(p), p);
    }
    for (int i = 0; i < 25; i++) {
      Files.createDirectories(src.resolve("many"));
      Files.writeString(src.resolve("many/f" + (char) ('a' + i) + ".txt"), "f" + i);
    }
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, message -> {
        throw new AssertionError("server failure: " + message);
      })) {
        String base = "http://127.0.0.1:" + server.port();
        String api = base + "/api/versions/" + ds.id() + "/folder";
        assertThat(names(json(api))).containsExactly("images.csv", "images/", "many/", "odd #?%/", "top.txt");
        assertThat(names(json(api + "?dir=images"))).containsExactly("readme.md", "train/", "val/");
        assertThat(names(json(api + "?dir=images/train/"))).as("a trailing slash").containsExactly("a.png", "b.png");
        assertThat(names(json(api + "?dir=" + q("odd #?%")))).containsExactly("x y.txt");
        Map<String, Object> file = entries(json(api + "?dir=images/train")).get(0);
        assertThat(file).containsEntry("path", "images/train/a.png").containsEntry("size", 18L).containsEntry("folder", false)
            .containsEntry("here", true).containsEntry("stored_in", ds.id());

        // A folder's row counts what it holds at any depth, not its namesake file images.csv.
        Map<String, Object> images = entries(json(api)).get(1);
        assertThat(images).containsEntry("name", "images").containsEntry("folder", true).containsEntry("files", 4L)
            .containsEntry("bytes", 18L + 18 + 16 + 16);
        assertThat(entries(json(api + "?dir=images")).get(1)).containsEntry("name", "train").containsEntry("files", 2L)
            .containsEntry("bytes", 36L);
        assertThat(get(base + "/versions/" + ds.id() + "/folder").body()).containsPattern(
            "data-path=\"images/\">.*?<td class=\"num\" title=\"68 bytes\">68 B</td><td class=\"muted wide-only\">4 files</td>");

        Map<String, Object> first = json(api + "?dir=many&limit=10");
        assertThat(first).containsEntry("more", true).containsEntry("resume_after", "fj.txt");
        List<String> all = new ArrayList<>(names(first));
        for (Map<String, Object> page = first; (Boolean) page.get("more"); ) {
          page = json(api + "?dir=many&limit=10&after=" + page.get("resume_after"));
          all.addAll(names(page));
        }
        assertThat(all).hasSize(25).startsWith("fa.txt").endsWith("fy.txt").doesNotHaveDuplicates();

        String html = get(base + "/versions/" + ds.id() + "/folder?dir=images").body();
        assertThat(html).contains("href=\"/versions/" + ds.id() + "/folder?dir=images%2Ftrain\">train/</a>")
            .contains(">readme.md</a>").contains(">top</a>").contains("All files, one list");
        String paged = get(base + "/versions/" + ds.id() + "/folder?dir=many&limit=10").body();
        assertThat(paged).contains("10 entries on this page").contains("folder?dir=many&amp;after=fj.txt&amp;limit=10\"");
        assertThat(get(base + "/versions/" + ds.id() + "/files").body()).contains("Browse by folder");
        // A file's page links each folder on its path to that folder's page.
        assertThat(get(base + "/versions/" + ds.id() + "/preview?path=" + q("images/train/a.png")).body())
            .contains("<h2 class=\"path\" id=\"preview-path\"><a href=\"/versions/" + ds.id() + "/folder?dir=images\" class=\"folder\">"
                + "images</a>/<a href=\"/versions/" + ds.id() + "/folder?dir=images%2Ftrain\" class=\"folder\">train</a>/a.png</h2>");

        // One a page, past a file and its namesake folder with a name between them: each once, then the end.
        List<String> one = new ArrayList<>();
        Map<String, Object> page = json(api + "?limit=1");
        for (int i = 0; i < 20 && !entries(page).isEmpty(); i++) {
          one.addAll(names(page));
          page = (Boolean) page.get("more") ? json(api + "?limit=1&after=" + q((String) page.get("resume_after"))) : Map.of("entries", List.of());
        }
        assertThat(one).containsExactly("images.csv", "images/", "many/", "odd #?%/", "top.txt");
        for (String bad : List.of("?offset=5", "?filter=x", "?after=a/b", "?after=" + q("images//"), "?dir=" + q("//"))) {
          assertThat(get(api + bad).statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(get(api + "?dir=" + q("images//")).body()).contains("Cannot list folder 'images//'");
        HttpResponse<String> aFile = get(base + "/versions/" + ds.id() + "/folder?dir=top.txt");
        assertThat(aFile.statusCode()).isEqualTo(404);
        assertThat(aFile.body()).contains("it is a file of the version");
        assertThat(get(base + "/versions/" + ds.id() + "/folder?dir=nothing").statusCode()).isEqualTo(404);
        assertThat(get(base + "/versions/" + ds.id() + "/folder?dir=" + q("../etc")).statusCode()).isEqualTo(400);
        assertThat(get(api + "?dir=nothing").statusCode()).isEqualTo(404);
        HttpResponse<String> folderAsFile = get(base + "/versions/" + ds.id() + "/file?path=images");
        assertThat(folderAsFile.statusCode()).isEqualTo(404);
        assertThat(folderAsFile.body()).contains("images&#39; is a folder of the version, not a file");
      }
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> entries(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("entries");
  }

  static List<String> names(Map<String, Object> page) {
    return entries(page).stream().map(e -> e.get("name") + (Boolean.TRUE.equals(e.get("folder")) ? "/" : "")).toList();
  }

  @Test
  void aBrowserGoesDownAndUpTheFolders() throws Exception {
    assumeTrue(Files.isExecutable(WebBrowserTest.CHROMIUM) && Files.isExecutable(WebBrowserTest.CHROMEDRIVER), "Chromium is not installed");
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("images/train"));
    Files.writeString(src.resolve("images/train/a.png"), "a");
    Files.writeString(src.resolve("top.txt"), "t");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, message -> {
        throw new AssertionError("server failure: " + message);
      })) {
        WebDriver browser = WebBrowserTest.chromium(tmp.resolve("profile"), Files.createDirectories(tmp.resolve("downloads")));
        try {
          browser.get("http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/files");
          browser.findElement(By.linkText("Browse by folder")).click();
          browser.findElement(By.linkText("images/")).click();
          browser.findElement(By.linkText("train/")).click();
          assertThat(browser.findElements(By.cssSelector("#files tbody tr"))).extracting(r -> r.getAttribute("data-path"))
              .containsExactly("images/train/a.png");
          assertThat(browser.findElement(By.cssSelector(".folder-path")).getText()).startsWith("top / images / train");
          browser.findElement(By.linkText("a.png")).click();
          assertThat(browser.findElement(By.id("preview-path")).getText()).isEqualTo("images/train/a.png");
          browser.findElement(By.id("preview-path")).findElement(By.linkText("images")).click();
          assertThat(browser.findElements(By.cssSelector("#files tbody tr"))).extracting(r -> r.getAttribute("data-path"))
              .containsExactly("images/train/");
          browser.findElement(By.linkText("train/")).click();
          browser.findElement(By.cssSelector(".folder-path")).findElement(By.linkText("top")).click();
          assertThat(browser.findElements(By.cssSelector("#files tbody tr"))).extracting(r -> r.getAttribute("data-path"))
              .containsExactly("images/", "top.txt");
        } finally {
          browser.quit();
        }
      }
    }
  }
}
