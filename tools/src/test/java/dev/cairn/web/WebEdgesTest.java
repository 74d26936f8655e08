package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user found at the edges of the web UI: external files, the unnamed project, deleted parents, damage. */
class WebEdgesTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void open() throws Exception {
    repo = DatasetRepository.open(tmp.resolve("repo"), dev.cairn.RepositoryConfig.DEFAULT);
  }

  @AfterEach
  void close() throws Exception {
    repo.close();
  }

  Dataset version(String project, String name, String file, String content, String... parents) throws Exception {
    Path dir = tmp.resolve("src-" + project + "-" + name + "-" + System.nanoTime());
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), content);
    Dataset ds = Dataset.create(repo, CreateOptions.of(project, name).parents(parents).build());
    ds.addFiles(AddOptions.of(dir));
    return ds.close();
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFileMovedIsSaidToBeMovedFromItsOldPath() throws Exception {
    Path dir = tmp.resolve("moves");
    Files.createDirectories(dir.resolve("old"));
    Files.writeString(dir.resolve("old/a.txt"), "the bytes that move");
    Files.writeString(dir.resolve("stays.txt"), "stays");
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "moves").build());
    v1.syncFolder(dir);
    v1.close();
    Files.createDirectories(dir.resolve("new"));
    Files.move(dir.resolve("old/a.txt"), dir.resolve("new/b.txt"));
    Files.writeString(dir.resolve("fresh.txt"), "fresh");
    Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "moves").parents(v1.id()).build());
    v2.syncFolder(dir);
    v2.close();
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      for (String page : List.of(Links.tab(v2.id(), "changes"), Links.compare(v1.id(), v2.id()))) {
        String html = get(base + page).body();
        assertThat(html).as(page).contains(">moved from old/a.txt</span>").containsOnlyOnce("moved from");
      }
      // Filtered to what was added, the move is still told.
      assertThat(get(base + Links.changes(v2.id(), "added", 0, 100)).body()).contains(">moved from old/a.txt</span>");
    }
  }

  @Test
  void theComparePickersOfferTheNewestVersionsAndTheOnePicked() throws Exception {
    Dataset first = version("long", "history", "f.txt", "0");
    Dataset v = first;
    for (int i = 1; i < ComparePage.PICKED_FROM + 10; i++) {
      v = version("long", "history", "f.txt", Integer.toString(i), v.id());
    }
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String page = get("http://127.0.0.1:" + server.port() + "/compare?source=" + first.id() + "&target=" + v.id()).body();
      String source = page.substring(page.indexOf("<select name=\"source\""), page.indexOf("</select>"));
      String target = page.substring(page.indexOf("<select name=\"target\""));
      target = target.substring(0, target.indexOf("</select>"));
      assertThat(source.split("<option value=\"[0-9a-f]{32}\"", -1)).as("the newest, and the one picked").hasSize(ComparePage.PICKED_FROM + 2);
      assertThat(source).contains("… 9 older: pick them on the dataset&#39;s page")
          .contains("value=\"" + first.id() + "\" selected");
      assertThat(target).as("the other one compared too").contains("value=\"" + first.id() + "\">")
          .contains("value=\"" + v.id() + "\" selected");
    }
  }

  @Test
  void theHomePagePagesItsDatasetsAndRefusesBadNumbers() throws Exception {
    for (String name : List.of("a", "b", "c")) {
      version("paged", name, "f.txt", name);
    }
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      String first = get(base + "/?limit=2").body();
      assertThat(first).contains("Showing 1–2 of 3 (page 1 of 2)").contains("rel=\"next\"");
      assertThat(first.split("class=\"dataset-link\"", -1)).hasSize(3);
      String second = get(base + "/?project=paged&offset=2&limit=2").body();
      // Newest first: the first made is last.
      assertThat(first).contains("class=\"dataset-link\">c</a>").doesNotContain("class=\"dataset-link\">a</a>");
      assertThat(second).contains("Showing 3–3 of 3 (page 2 of 2)").contains("class=\"dataset-link\">a</a>");
      assertThat(second).contains("href=\"/?project=paged&amp;limit=2\"").as("back to the first page, in the project");
      assertThat(get(base + "/?offset=9").body()).contains("Past the end (3 in all)");
      for (String bad : List.of("/?limit=abc", "/?limit=0", "/?offset=-1")) {
        assertThat(get(base + bad).statusCode()).as(bad).isEqualTo(400);
      }
    }
  }

  @Test
  void anErrorRepeatingALongAddressShowsItCut() throws Exception {
    Dataset v = version("e", "long", "f.txt", "f");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> version = get(base + "/versions/" + "a".repeat(5000));
      assertThat(version.statusCode()).isEqualTo(404);
      assertThat(version.body()).contains("characters in all").doesNotContain("a".repeat(1000)).hasSizeLessThan(6000);
      HttpResponse<String> file = get(base + "/versions/" + v.id() + "/file?path=" + "b".repeat(7000));
      assertThat(file.statusCode()).isIn(400, 404);
      assertThat(file.body()).contains("characters in all").doesNotContain("b".repeat(1000)).hasSizeLessThan(6000);
    }
  }

  @Test
  void aVersionHoldingExternalFilesIsNotOfferedAsAnArchive() throws Exception {
    Path outside = tmp.resolve("outside.txt");
    Files.writeString(outside, "read by nobody here");
    Dataset ds = Dataset.create(repo, CreateOptions.of("links", "l").build());
    ds.addLinks(List.of(outside.toString()), null, null);
    ds.close();
    Files.writeString(outside, "changed since");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      for (String ext : List.of("zip", "tar")) {
        HttpResponse<String> r = get(base + "/versions/" + ds.id() + "/download." + ext);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
        assertThat(r.body()).startsWith("<!doctype html>").contains("stays outside the repository").contains("cairn export");
      }
      assertThat(get(base + "/versions/" + ds.id()).body()).contains("stays outside the repository");
    }
  }

  @Test
  void aMergeOfManyParentsOffersToCompareWithEachOfThem() throws Exception {
    List<String> parents = new java.util.ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      parents.add(version("m", "p" + i, "f" + i + ".txt", "x" + i).id());
    }
    Dataset merge = version("m", "merge", "own.txt", "own", parents.toArray(String[]::new));
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String page = get("http://127.0.0.1:" + server.port() + "/versions/" + merge.id()).body();
      for (int i = 1; i <= 7; i++) {
        assertThat(page).as("parent " + i).contains(Links.compare(parents.get(i - 1), merge.id()).replace("&", "&amp;"))
            .contains(">Compare with p" + i + " 1.0.0<");
      }
      assertThat(page).contains("<summary class=\"button secondary\">Compare with 3 more parents</summary>");
    }
  }

  @Test
  void aLongHistoryGetsEachChartARowOfItsOwn() throws Exception {
    Dataset v = version("c", "short", "f.txt", "0");
    Dataset w = version("c", "long", "f.txt", "0");
    for (int i = 1; i <= DatasetPage.CHARTS_SIDE_BY_SIDE; i++) {
      w = version("c", "long", "f.txt", Integer.toString(i), w.id());
    }
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(base + Links.dataset("c", "short")).body()).contains("class=\"grid charts\"");
      assertThat(get(base + Links.dataset("c", "long")).body()).contains("class=\"grid charts one-a-row\"");
    }
  }

  @Test
  void aDatasetWhoseHighestVersionIsADraftSaysSo() throws Exception {
    Dataset closed = version("d", "drafty", "a.txt", "a");
    Dataset.create(repo, CreateOptions.of("d", "drafty").parents(closed.id()).build());
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String page = get("http://127.0.0.1:" + server.port() + Links.dataset("d", "drafty")).body();
      assertThat(page).contains("files in 1.0.1 (draft)").contains("size of 1.0.1 (draft)");
    }
  }

  @Test
  void dataLostWithNoRemoteToFetchItFromIsAServerErrorNotAConflict() throws Exception {
    Dataset v = version("lost", "l", "a.txt", "a");
    try (var packs = Files.list(repo.repository().directory().resolve("packs"))) {
      for (Path p : packs.toList()) {
        Files.delete(p);
      }
    }
    repo.repository().rebuildIndex();
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      HttpResponse<String> r = get("http://127.0.0.1:" + server.port() + "/versions/" + v.id() + "/files");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("cairn fsck").doesNotContain("fetch the whole version");
    }
  }

  @Test
  void anIndexSetAsideByAnotherProcessIsSaidOnTheServersLog() throws Exception {
    Dataset v = version("stale", "s", "a.txt", "a");
    List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, log::add)) {
      String page = "http://127.0.0.1:" + server.port() + "/versions/" + v.id() + "/files";
      assertThat(get(page).statusCode()).isEqualTo(200); // the index is open now
      // As another process does with an index it judged damaged: moved aside, a new one built.
      Path index = repo.repository().directory().resolve("index");
      Path aside = index.resolveSibling("index.damaged-1-1");
      Files.move(index, aside);
      Files.createDirectories(index);
      Files.copy(aside.resolve("data.mdb"), index.resolve("data.mdb"));
      assertThat(get(page).statusCode()).isEqualTo(200);
      assertThat(log).singleElement().asString().startsWith("The index this server has open was set aside by another process");
      get(page);
      assertThat(log).as("said once").hasSize(1);
    }
  }

  @Test
  void aRenameIsLoggedAsWhatItDidNotAsACommandLine() throws Exception {
    Dataset v = version("scratch", "oldname", "a.txt", "a");
    v.rename("newname");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String log = get("http://127.0.0.1:" + server.port() + "/versions/" + v.id() + "/log").body();
      assertThat(log).contains("<code>rename</code> <span class=\"muted\">to scratch/newname</span>")
          .doesNotContain("cairn rename scratch");
      // To the second: the steps of one command are often less than a minute apart.
      assertThat(log).containsPattern("<td class=\"muted\">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC</td>");
    }
  }

  @Test
  void apiProjectsCountsSubprojectsAsTheSidebarDoesAndKeepsProjectsOfAnotherCaseApart() throws Exception {
    version("big proj/nested", "many", "a.txt", "a");
    version("Vision", "a", "a.txt", "a");
    version("vision", "b", "a.txt", "a");
    version("vision", "c", "a.txt", "a");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String body = get("http://127.0.0.1:" + server.port() + "/api/projects").body();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> projects = (List<Map<String, Object>>) dev.cairn.internal.json.Json.parse(body);
      assertThat(projects).extracting(p -> p.get("project") + " " + p.get("datasets") + " " + p.get("datasets_with_subprojects"))
          .containsExactly("Vision 1 1", "big proj 0 1", "big proj/nested 1 1", "vision 2 2");
      // A subproject's pages have a crumb for each part of its name, each a link to its project.
      String nested = get("http://127.0.0.1:" + server.port() + Links.dataset("big proj/nested", "many")).body();
      assertThat(nested).contains("href=\"" + Links.project("big proj") + "\">big proj</a>")
          .contains("href=\"" + Links.project("big proj/nested") + "\">nested</a>");

    }
  }

  @Test
  void theCompareFormKeepsTheKindOfChangeAndThePageSize() throws Exception {
    Dataset a = version("c", "a", "a.txt", "a");
    Dataset b = version("c", "a", "b.txt", "b", a.id());
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String page = get("http://127.0.0.1:" + server.port() + Links.compare(a.id(), b.id(), "added", 0, 2)).body();
      assertThat(page).contains("type=\"hidden\" name=\"type\" value=\"added\"").contains("type=\"hidden\" name=\"limit\" value=\"2\"");
    }
  }

  @Test
  void theUnnamedProjectHasAPageOfItsOwn() throws Exception {
    version("", "loose", "a.txt", "a").addTags(List.of("raw data"));
    version("named", "kept", "a.txt", "a");
    assertThat(Links.project("")).isEqualTo("/?project=");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(base + "/?project=nope").body()).contains("No project nope here (nor any project under it)");
      assertThat(get(base + "/?project=named&q=zzz").body()).contains("No dataset matches.");
      String unnamed = get(base + "/?project=").body();
      assertThat(unnamed).contains("Datasets in (no project)").contains("loose").doesNotContain(">kept<");
      assertThat(get(base + "/").body()).contains("loose").contains("kept").contains("href=\"/?project=\"");
      // A tag is a link to the datasets carrying it.
      assertThat(get(base + "/").body()).contains("<a href=\"/?tag=raw%20data\" class=\"tag\"");
      assertThat(get(base + "/?tag=raw%20data").body()).contains("loose").doesNotContain(">kept<");
      // The API reads ?project= alone as the page does: the unnamed project.
      assertThat(get(base + "/api/datasets?project=").body()).contains("\"loose\"").doesNotContain("\"kept\"");
      assertThat(get(base + "/api/versions?project=").body()).contains("\"loose\"").doesNotContain("\"kept\"");
      assertThat(get(base + "/api/versions").body()).contains("\"loose\"").contains("\"kept\"");
    }
  }

  @Test
  void aDatasetPageWithoutItsProjectFindsTheOneProjectHoldingTheName() throws Exception {
    version("vision", "pets", "a.txt", "a");
    version("", "shared", "a.txt", "a");
    version("audio", "shared", "a.txt", "a");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(base + "/dataset?name=pets").body()).contains("pets").contains("vision");
      HttpResponse<String> several = get(base + "/dataset?name=shared");
      assertThat(several.statusCode()).isEqualTo(400);
      assertThat(several.body()).contains("projects &#39;&#39;, &#39;audio&#39; each hold one");
      assertThat(get(base + "/dataset?project=&name=shared").statusCode()).isEqualTo(200);
      assertThat(get(base + "/api/dataset?name=pets").body()).contains("\"project\": \"vision\"");
      assertThat(get(base + "/dataset?project=&name=pets").body()).contains("no dataset named &#39;pets&#39; without a project");
    }
  }

  @Test
  void aParameterGivenTwiceWithDifferentValuesIsRefused() throws Exception {
    version("p", "d", "a.txt", "1");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      for (String page : List.of("/api/datasets?project=p&project=q", "/?project=p&project=q", "/dataset?project=p&name=d&limit=1&limit=2")) {
        HttpResponse<String> r = get(base + page);
        assertThat(r.statusCode()).as(page).isEqualTo(400);
        assertThat(r.body()).as(page).contains("twice with different values");
      }
      assertThat(get(base + "/dataset?project=p&name=d&limit=2&limit=2").statusCode()).isEqualTo(200);
      // Tags are the one parameter meant to repeat: ?tag=a&tag=b asks for both.
      assertThat(get(base + "/?tag=a&tag=b").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aDeletedParentIsNamedNotLinked() throws Exception {
    Dataset v1 = version("p", "d", "a.txt", "1");
    Dataset v2 = version("p", "d", "b.txt", "2", v1.id());
    Dataset v3 = version("p", "d", "c.txt", "3", v2.id());
    v2.delete(true);
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      for (String page : List.of(Links.dataset("p", "d"), "/versions/" + v3.id() + "/lineage")) {
        String html = get(base + page).body();
        assertThat(html).as(page).contains(v2.id().substring(0, 8) + " (deleted)").doesNotContain("href=\"/versions/" + v2.id() + "\"");
      }
    }
  }

  @Test
  void aDamagedRecordIsAnErrorPageThatKeepsTheServersPathsToItself() throws Exception {
    Dataset v = version("p", "d", "a.txt", "1");
    Files.writeString(tmp.resolve("repo/refs/datasets/" + v.id() + ".json"), "{\"garbage");
    StringBuilder log = new StringBuilder();
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, log::append)) {
      String base = "http://127.0.0.1:" + server.port();
      for (String page : List.of("/versions/" + v.id(), "/api/versions/" + v.id())) {
        HttpResponse<String> r = get(base + page);
        assertThat(r.statusCode()).as(page).isEqualTo(500);
        assertThat(r.body()).as(page).contains("bad dataset record").contains("cairn fsck").doesNotContain(tmp.toString());
      }
      assertThat(log.toString()).doesNotContain("\tat ");
    }
  }

  @Test
  void aDownloadResumesFromTheByteAsked() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 3_000_000; i++) {
      text.append(i).append('\n');
    }
    String content = text.toString();
    Dataset ds = version("p", "big", "big.txt", content);
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String url = "http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/file?path=big.txt";
      BiFunction<String, String, HttpResponse<String>> ranged = (range, ifRange) -> {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Range", range);
        if (ifRange != null) {
          b.header("If-Range", ifRange);
        }
        try {
          return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      int size = content.length();
      HttpResponse<String> middle = ranged.apply("bytes=1500000-1500999", null);
      assertThat(middle.statusCode()).isEqualTo(206);
      assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1500000-1500999/" + size);
      assertThat(middle.body()).isEqualTo(content.substring(1_500_000, 1_501_000));
      assertThat(ranged.apply("bytes=2999990-", null).body()).isEqualTo(content.substring(2_999_990));
      assertThat(ranged.apply("bytes=-7", null).body()).isEqualTo(content.substring(size - 7));
      assertThat(ranged.apply("bytes=0-99999999", null).body()).isEqualTo(content);
      HttpResponse<String> past = ranged.apply("bytes=" + size + "-", null);
      assertThat(past.statusCode()).isEqualTo(416);
      assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
      // Asked of another content, or as several ranges: the whole file.
      assertThat(ranged.apply("bytes=10-20", "\"0000\"").statusCode()).isEqualTo(200);
      assertThat(ranged.apply("bytes=0-1,5-6", null).body()).isEqualTo(content);
      assertThat(ranged.apply("Bytes=10-20", null).body()).as("units are case-insensitive").isEqualTo(content.substring(10, 21));
      assertThat(ranged.apply("bytes=99999999999999999999-", null).statusCode()).isEqualTo(416);
      HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody())
          .header("Range", "bytes=0-9").build(), HttpResponse.BodyHandlers.discarding());
      assertThat(head.statusCode()).as("Range is for GET alone").isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(size));
      String etag = get(url).headers().firstValue("ETag").orElseThrow();
      assertThat(ranged.apply("bytes=10-20", etag).body()).isEqualTo(content.substring(10, 21));
    }
  }

  @Test
  void aFileNamedInTheOtherUnicodeFormIsFound() throws Exception {
    String nfc = java.text.Normalizer.normalize("caf\u00e9.txt", java.text.Normalizer.Form.NFC);
    String nfd = java.text.Normalizer.normalize(nfc, java.text.Normalizer.Form.NFD);
    Dataset ds = version("p", "forms", nfc, "composed\n");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/file?path=";
      for (String asked : List.of(nfc, nfd)) {
        HttpResponse<String> r = get(base + java.net.URLEncoder.encode(asked, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        assertThat(r.statusCode()).as(asked.length() + " chars").isEqualTo(200);
        assertThat(r.body()).isEqualTo("composed\n");
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).as("named as stored")
            .endsWith("filename*=UTF-8''caf%C3%A9.txt");
      }
    }
  }

  @Test
  void aDownloadIsRevalidatedByItsEntityTag() throws Exception {
    Dataset ds = version("p", "tagged", "a.txt", "alpha\n");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String url = "http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/file?path=a.txt";
      HttpResponse<String> first = get(url);
      String etag = first.headers().firstValue("ETag").orElseThrow();
      assertThat(first.headers().firstValue("Cache-Control")).as("kept, but asked again each time").hasValue("private, no-cache");
      assertThat(first.headers().firstValue("Vary")).hasValue("Accept-Encoding");
      for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", W/" + etag, "*")) {
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(url)).header("If-None-Match", ifNoneMatch).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).as(ifNoneMatch).isEqualTo(304);
        assertThat(again.headers().firstValue("ETag")).as("a 304 names the tag it confirms").hasValue(etag);
        assertThat(again.body()).isEmpty();
      }
      HttpResponse<String> changed = http.send(HttpRequest.newBuilder(URI.create(url)).header("If-None-Match", "\"other\"").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(changed.body()).isEqualTo("alpha\n");
    }
  }

  @Test
  void aDownloadOfDamagedDataIsAnErrorPageNotACutFile() throws Exception {
    byte[] random = new byte[300_000];
    new Random(3).nextBytes(random);
    Path dir = tmp.resolve("damaged");
    Files.createDirectories(dir);
    Files.write(dir.resolve("big.bin"), random);
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "damaged").build());
    ds.addFiles(AddOptions.of(dir));
    ds.close();
    Path pack;
    try (var packs = Files.walk(tmp.resolve("repo/packs"))) {
      pack = packs.filter(p -> p.toString().endsWith(".pack")).max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(pack);
    for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
      bytes[i] ^= 0x5a;
    }
    pack.toFile().setWritable(true);
    Files.write(pack, bytes);
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      HttpResponse<String> r = get("http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/file?path=big.bin");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("cairn fsck").doesNotContain(tmp.toString());
      assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
      assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
  }

  @Test
  void aTablePreviewSaysWhenItsRowsDoNotFit() throws Exception {
    Path dir = tmp.resolve("wide");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("wide.csv"), "a,b\n" + "x".repeat(300_000) + ",y\n");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "wide").build());
    ds.addFiles(AddOptions.of(dir));
    ds.close();
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String html = get("http://127.0.0.1:" + server.port() + Links.preview(ds.id(), "wide.csv")).body();
      assertThat(html).contains("Only the header fits").doesNotContain("The first 0 rows");
    }
  }

  @Test
  void aProjectTakesItsSubprojectsAsSearchDoes() throws Exception {
    version("team/sub proj", "nested", "a.txt", "a");
    version("teams", "other", "a.txt", "a");
    version("Team", "cased", "a.txt", "a");
    version("team-v2", "dashed", "a.txt", "a");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      String versions = get(base + "/api/versions?project=team").body();
      assertThat(versions).contains("\"nested\"").doesNotContain("\"other\"", "\"cased\"");
      assertThat(get(base + "/api/datasets?project=team/").body()).contains("\"nested\"").doesNotContain("\"other\"");
      String home = get(base + "/?project=team").body();
      assertThat(home).contains(">nested<").doesNotContain(">other<");
      // The sidebar: the parent (counting its subproject), the subproject under it, and Team apart from team.
      String all = get(base + "/").body();
      assertThat(all).contains("href=\"/?project=team\"", "class=\"sub1\" title=\"team/sub proj\"", ">sub proj</a>",
          "href=\"/?project=Team\"");
      // The subproject right under its parent, not under team-v2 (which sorts before '/').
      assertThat(all.indexOf(">sub proj</a>")).isBetween(all.indexOf("href=\"/?project=team\""), all.indexOf("href=\"/?project=team-v2\""));
    }
  }

  @Test
  void aChangeOfModeAloneIsSaidAndValuesKeepTheirLines() throws Exception {
    Path dir = tmp.resolve("modes");
    Files.createDirectories(dir);
    Path script = Files.writeString(dir.resolve("run.sh"), "echo hi\n");
    Dataset first = Dataset.create(repo, CreateOptions.of("m", "modes").build());
    first.syncFolder(dir);
    first.close();
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Dataset second = Dataset.create(repo, CreateOptions.of("m", "modes").parents(first.id()).build());
    second.syncFolder(dir);
    second.setMetadata(Map.of("notes", "line1\nline2\u0001\u001b[31m"));
    second.close();
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      assertThat(get(base + "/versions/" + second.id() + "/changes").body()).contains("now executable");
      assertThat(get(base + "/versions/" + first.id() + "/changes").body()).doesNotContain("executable");
      String page = get(base + "/versions/" + second.id()).body();
      assertThat(page).contains("<td class=\"written\">line1\nline2\\x01\\x1b[31m</td>").doesNotContain("\uFFFD");
    }
  }

  @Test
  void numbersInParametersArePlainDigits() throws Exception {
    Dataset ds = version("p", "n", "a.txt", "a");
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String base = "http://127.0.0.1:" + server.port();
      for (String limit : List.of("%D9%A1%D9%A0", "%EF%BC%91%EF%BC%90", "-1", "1e3")) {
        HttpResponse<String> r = get(base + "/api/versions/" + ds.id() + "/files?limit=" + limit);
        assertThat(r.statusCode()).as(limit).isEqualTo(400);
      }
      assertThat(get(base + "/api/versions/" + ds.id() + "/files?limit=10").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aLongNameIsSqueezedIntoItsLineageBoxAShortOneIsNot() throws Exception {
    Dataset parent = version("p", "short", "a.txt", "a");
    Dataset child = version("p", "a_very_long_dataset_name_without_any_spaces_at_all", "b.txt", "b", parent.id());
    try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, line -> { })) {
      String svg = get("http://127.0.0.1:" + server.port() + Links.tab(child.id(), "lineage")).body();
      assertThat(svg).contains("class=\"dag-name\" textLength=\"186\" lengthAdjust=\"spacingAndGlyphs\">a_very_long_dataset_name_…<")
          .contains("class=\"dag-name\">short<");
    }
  }
}
