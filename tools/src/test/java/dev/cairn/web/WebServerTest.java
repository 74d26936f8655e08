package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Repository;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.internal.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over HTTP, without a browser: every page and endpoint, errors, escaping, downloads. */
class WebServerTest {
  @TempDir static Path tmp;
  static WebFixture fixture;
  static Repository repository;
  static DatasetRepository repo;
  static WebServer server;
  static final List<String> serverLog = new ArrayList<>();
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    fixture = WebFixture.build(tmp);
    repository = Repository.open(fixture.repoDir);
    repo = DatasetRepository.of(repository);
    server = WebServer.start(repo, "127.0.0.1", 0, serverLog::add);
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    repository.close();
  }

  static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A request the JDK client refuses to send (malformed or dot-segment paths), over a plain socket. */
  static String rawGet(String target) throws IOException {
    return rawRequest("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  }

  static String rawRequest(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void assetsCarryATagAndAreNotSentAgainWhenItMatches() throws Exception {
    HttpResponse<byte[]> css = get("/static/cairn.css");
    assertThat(css.statusCode()).isEqualTo(200);
    String etag = css.headers().firstValue("ETag").orElseThrow();
    assertThat(css.headers().firstValue("Cache-Control")).hasValue("max-age=300");
    HttpResponse<byte[]> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/static/cairn.css"))
        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(get("/static/cairn.js").headers().firstValue("ETag")).isPresent().isNotEqualTo(Optional.of(etag));
  }

  @Test
  void answersOnlyToLoopbackNames() throws Exception {
    // A page elsewhere whose name now resolves to 127.0.0.1 (DNS rebinding) sends its own name.
    for (String host : List.of("attacker.example:" + server.port(), "attacker.example", "127.0.0.1.attacker.example", "10.0.0.1")) {
      String r = rawRequest("GET /api/versions HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(r).as(host).startsWith("HTTP/1.1 403").contains("answers to loopback names").contains("--allow-host")
          .doesNotContain(fixture.v1);
    }
    assertThat(rawRequest("GET /api/versions HTTP/1.0\r\n\r\n")).as("no Host header").startsWith("HTTP/1.1 403");
    assertThat(rawRequest("GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"))
        .contains("<title>Forbidden · Cairn</title>");
    for (String host : List.of("127.0.0.1:" + server.port(), "localhost:" + server.port(), "LocalHost", "[::1]:" + server.port(), "127.0.0.2", "localhost.:" + server.port(), "[0:0:0:0:0:0:0:1]")) {
      String r = rawRequest("GET /api/versions HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
      assertThat(r).as(host).startsWith("HTTP/1.1 200").contains(fixture.v1);
    }
  }

  @Test
  void boundToEveryInterfaceItAnswersToAddressesAndItsOwnNamesOnly() throws Exception {
    try (WebServer wide = WebServer.start(repo, "0.0.0.0", 0, List.of("data.example"), line -> { })) {
      assertThat(wide.url()).isEqualTo("http://localhost:" + wide.port() + "/");
      for (String host : List.of("attacker.example", "127.0.0.1.attacker.example", "data.example.attacker.example")) {
        String r = rawRequest(wide.port(), host);
        assertThat(r).as(host).startsWith("HTTP/1.1 403").contains("a name pointed at it by another site is refused")
            .contains("--allow-host").doesNotContain(fixture.v1).doesNotContain("data.example,");
      }
      for (String host : List.of("127.0.0.1", "localhost:" + wide.port(), "10.1.2.3:" + wide.port(), "[fd00::2]", "data.example",
          "DATA.example.")) {
        assertThat(rawRequest(wide.port(), host)).as(host).startsWith("HTTP/1.1 200").contains(fixture.v1);
      }
    }
    // Bound to loopback, a name of the user's (a proxy on this machine) is answered too; its port is not compared.
    try (WebServer proxied = WebServer.start(repo, "127.0.0.1", 0, List.of("data.example:443"), line -> { })) {
      assertThat(rawRequest(proxied.port(), "data.example")).startsWith("HTTP/1.1 200");
      assertThat(rawRequest(proxied.port(), "10.1.2.3")).startsWith("HTTP/1.1 403");
    }
    try (WebServer v6 = WebServer.start(repo, "[::]", 0, line -> { })) {
      assertThat(v6.url()).isEqualTo("http://localhost:" + v6.port() + "/");
    }
    // Nor does another site get to load what it serves (an image there would tell whether a file exists here).
    assertThat(get("/api/versions").headers().firstValue("Cross-Origin-Resource-Policy")).hasValue("same-origin");
  }

  private static String rawRequest(int port, String host) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(("GET /api/versions HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String page(String path) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  static <T> T json(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return (T) Json.parse(new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void aDatasetPageShowsItsNewestVersionsAPageAtATime() throws Exception {
    String newest = page("/dataset?project=vision&name=pets&limit=1");
    assertThat(newest).contains(fixture.v2).doesNotContain("data-id=\"" + fixture.v1).contains("Showing 1–1 of 2").contains("Next →")
        .contains("2 ").contains("versions");
    String older = page("/dataset?project=vision&name=pets&limit=1&offset=1");
    assertThat(older).contains("data-id=\"" + fixture.v1).doesNotContain("data-id=\"" + fixture.v2).contains("Showing 2–2 of 2")
        .contains("← Previous");
    assertThat(page("/dataset?project=vision&name=pets")).contains("data-id=\"" + fixture.v1).contains("data-id=\"" + fixture.v2)
        .doesNotContain("Showing");
    assertThat(page("/dataset?project=vision&name=pets&offset=9")).contains("Past the end");
  }

  @Test
  void everyPageRenders() throws Exception {
    assertThat(page("/")).contains("pets", "pets-extra", "pets-merged", "vision");
    assertThat(page("/?q=extra")).contains("pets-extra").doesNotContain(">pets-merged<");
    assertThat(page("/?tag=clean")).contains(">pets<").doesNotContain("pets-extra");
    // Several tags ask for any of them, as the command line's --tags a b and clearml read them; all
    // of them (on one version) after __$all.
    assertThat(page("/?tag=clean&tag=")).contains(">pets<").doesNotContain("pets-extra");
    assertThat(page("/?tag=clean&tag=raw")).contains(">pets<");
    // A tag search names the versions that carry the tag, which picked the dataset.
    assertThat(page("/?tag=raw")).contains("<div class=\"muted tagged\">in <a href=\"" + Links.version(fixture.v1) + "\">1.0.0</a></div>");
    assertThat(page("/")).doesNotContain("muted tagged");
    // The list of datasets has a search form of its own, so the top bar shows none there; other pages keep it.
    assertThat(page("/").split("type=\"search\"", -1)).hasSize(2);
    assertThat(page("/?project=vision").split("type=\"search\"", -1)).hasSize(2);
    assertThat(page("/dataset?project=vision&name=pets")).contains("Search datasets by name");
    assertThat(page("/?tag=__%24all,clean,raw")).doesNotContain(">pets<");
    // A dataset a tag picks is shown whole: all its versions, its latest, every tag.
    String raw = new String(get("/api/datasets?tag=raw").body(), StandardCharsets.UTF_8);
    assertThat(raw).contains("\"versions\": 2").contains("\"version\": \"1.0.1\"").contains("\"clean\"");
    assertThat(get("/?tag=__%24nor,raw").statusCode()).isEqualTo(400);
    assertThat(page("/?tag=+")).contains("pets-extra");
    assertThat(page("/dataset?project=vision&name=pets")).contains("1.0.0", "1.0.1", "Size of files", "File count", "Stored bytes");
    String v2 = fixture.v2;
    assertThat(page("/versions/" + v2)).contains("size of the files", "size stored", "run-42", "train", "Changes against parents");
    assertThat(page("/versions/" + v2 + "/log")).contains("<code>sync ", "<code>create ");
    assertThat(page("/versions/" + v2 + "/changes")).contains("images/bird.png", "labels.csv", "data.bin");
    assertThat(page("/versions/" + v2 + "/changes?offset=1500")).contains("No changes past number 1500: there are ");
    assertThat(page("/versions/" + v2 + "/changes?type=added")).contains("images/bird.png");
    assertThat(page("/versions/" + v2 + "/files")).contains("images/cat.png", "notes/readme.txt");
    assertThat(page("/versions/" + fixture.merged + "/lineage")).contains("<svg", "Genealogy", "pets-extra");
    assertThat(page("/versions/" + fixture.merged + "/lineage?limit=2")).contains("The nearest 2 of the ").contains("lists them all");
    assertThat(page("/versions/" + v2 + "/preview?path=labels.csv")).contains("<table", "bird")
        .contains("href=\"" + Links.preview(v2, "images/dog.png").replace("&", "&amp;") + "\" class=\"button secondary\" rel=\"prev\"")
        .contains("href=\"" + Links.preview(v2, "notes/readme.txt").replace("&", "&amp;") + "\" class=\"button secondary\" rel=\"next\"");
    assertThat(page("/versions/" + v2 + "/preview?path=" + Links.encode(WebFixture.HOSTILE_NAME))).doesNotContain("rel=\"prev\"")
        .contains("rel=\"next\"");
    assertThat(page("/compare?source=" + fixture.v1 + "&target=" + v2)).contains("images/bird.png", "data.bin");
    assertThat(page("/compare")).contains("Pick a source");
    assertThat(serverLog).isEmpty();
  }

  @Test
  void idPrefixesWork() throws Exception {
    assertThat(page("/versions/" + fixture.v2.substring(0, 8))).contains(fixture.v2);
  }

  @Test
  void userTextIsEscapedEverywhere() throws Exception {
    List<String> pages = List.of("/", "/dataset?project=vision&name=pets", "/versions/" + fixture.v1, "/versions/" + fixture.v1 + "/files",
        "/versions/" + fixture.v1 + "/changes", "/versions/" + fixture.v1 + "/preview?path=" + Links.encode(WebFixture.HOSTILE_NAME),
        "/versions/" + fixture.v1 + "/preview?path=labels.csv", "/versions/" + fixture.v1 + "/log");
    for (String p : pages) {
      String html = page(p);
      assertThat(html).as(p).doesNotContain("<img src=x", "<script>alert", "<i>camera</i>", "<b>good</b>");
    }
    String version = page("/versions/" + fixture.v1);
    assertThat(version).contains("Pets &lt;script&gt;alert(&#39;description&#39;)&lt;/script&gt; &amp; friends", "&lt;i&gt;camera&lt;/i&gt;");
    assertThat(page("/versions/" + fixture.v1 + "/files")).contains("&lt;img src=x onerror=alert(1)&gt;.txt");
    String filtered = page("/versions/" + fixture.v1 + "/files?filter=" + Links.encode("<img src"));
    assertThat(filtered).contains("&lt;img src=x onerror=alert(1)&gt;.txt").doesNotContain("<img src");
  }

  @Test
  void pagesForbidInlineScript() throws Exception {
    HttpResponse<byte[]> r = get("/");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'").doesNotContain("unsafe-inline");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void unknownIdsGetA404PageNotAStackTrace() throws Exception {
    for (String p : List.of("/versions/0123456789abcdef0123456789abcdef", "/versions/deadbeef/files", "/versions/not-an-id",
        "/versions/" + fixture.v1 + "/preview?path=missing.txt", "/dataset?project=vision&name=nope", "/no/such/page",
        "/compare?source=deadbeef&target=" + fixture.v1)) {
      HttpResponse<byte[]> r = get(p);
      String body = new String(r.body(), StandardCharsets.UTF_8);
      assertThat(r.statusCode()).as(p).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).as(p).startsWith("text/html");
      assertThat(body).as(p).contains("Not found", "Back to the datasets").doesNotContain("Exception", "\tat ", "dev.cairn.");
      // A page of a version that exists links back to it; one of a version not found cannot.
      assertThat(body.contains("id=\"back-to-version\"")).as(p).isEqualTo(p.contains(fixture.v1 + "/"));
    }
    assertThat(error("/versions/" + fixture.v1.substring(0, 10) + "/preview?path=missing.txt", 404))
        .contains("href=\"" + Links.version(fixture.v1) + "\" id=\"back-to-version\"");
    HttpResponse<byte[]> api = get("/api/versions/0123456789abcdef0123456789abcdef");
    assertThat(api.statusCode()).isEqualTo(404);
    Map<?, ?> error = (Map<?, ?>) Json.parse(new String(api.body(), StandardCharsets.UTF_8));
    assertThat(error.get("status")).isEqualTo(404L);
    assertThat((String) error.get("error")).startsWith("Cannot find dataset version");
    assertThat(get("/versions/" + fixture.v1 + "/files?offset=-3").statusCode()).isEqualTo(400);
    assertThat(page("/versions/" + fixture.v1 + "/files?offset=100000")).contains("No files past number 100,000").doesNotContain("holds no files");
    assertThat(get("/api/versions/" + fixture.v1 + "/files?limit=0").statusCode()).isEqualTo(400);
    for (String target : List.of("/versions/%ZZ", "/../config", "/versions/" + fixture.v1 + "/%2e%2e/%2e%2e/config")) {
      String raw = rawGet(target);
      assertThat(raw).as(target).startsWith("HTTP/1.1 40").doesNotContain("Exception", "\tat ", "Caused by");
    }
    // Headers too large: under /api, the API's JSON error; elsewhere the page, titled.
    String big = " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(20_000) + "\r\nConnection: close\r\n\r\n";
    String tooLarge = rawRequest("GET /api/versions" + big);
    assertThat(tooLarge).startsWith("HTTP/1.1 431").contains("Content-Type: application/json; charset=utf-8",
        "\"error\": \"Cannot read the request: its headers are too large\"");
    assertThat(rawRequest("GET /versions" + big)).startsWith("HTTP/1.1 431").contains("Request headers too large", "its headers are too large");
    assertThat(get("/versions/" + fixture.v1 + "/changes?type=renamed").statusCode()).isEqualTo(400);
    // A malformed escape in the query is refused, never dropped (which would list everything).
    for (String q : List.of("?filter=a%ZZ", "?limit=1%ZZ", "?filter=a%2")) {
      assertThat(rawGet("/versions/" + fixture.v1 + "/files" + q)).as(q).startsWith("HTTP/1.1 400").contains("is not a %-escape");
    }
    assertThat(get("/versions/" + fixture.v1 + "/files?filter=%2A.csv").statusCode()).isEqualTo(200);
    // A pattern whose matching backtracks without end is refused, not left to spin a thread.
    String costly = URLEncoder.encode("**?".repeat(12) + "**x", StandardCharsets.UTF_8);
    assertThat(error("/api/versions/" + fixture.v1 + "/files?filter=" + costly, 400)).contains("too many steps");
    String alternatives = URLEncoder.encode("{?,?,?,?,?,?,?,?}".repeat(12) + "*Z", StandardCharsets.UTF_8);
    assertThat(error("/versions/" + fixture.v1 + "/files?filter=" + alternatives, 400)).contains("too many steps");
    assertThat(serverLog).isEmpty();
  }

  static String error(String path, int status) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(status);
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void limitsOutOfRangeAreRefusedOnPagesAndApiAlike() throws Exception {
    String v = fixture.merged;
    for (String limit : List.of("0", "1001", "5000", "99999999999", "-1", "ten")) {
      for (String p : List.of("/api/datasets", "/api/versions", "/api/versions/" + v + "/files", "/api/versions/" + v + "/changes",
          "/api/compare?source=" + fixture.v1
          + "&target=" + v, "/versions/" + v + "/files", "/versions/" + v + "/changes", "/compare?source=" + fixture.v1 + "&target=" + v)) {
        String url = p + (p.contains("?") ? "&" : "?") + "limit=" + limit;
        assertThat(error(url, 400)).as(url).contains("give a limit of 1 to 1000");
      }
    }
    Map<String, Object> all = json("/api/versions/" + v + "/files?limit=1000");
    assertThat(all).containsEntry("total", 9L);
    String two = page("/versions/" + v + "/files?limit=2");
    assertThat(two).contains("Showing 1–2 of 9 (page 1 of 5)", "offset=2&amp;limit=2\" class=\"button secondary\" rel=\"next\"");
    assertThat(page("/versions/" + v + "/files?limit=2&filter=png")).contains("name=\"limit\" value=\"2\"");
    // The listings of datasets and versions answer whole by default, a slice when asked.
    List<?> versions = json("/api/versions");
    assertThat(versions).hasSizeGreaterThan(3);
    assertThat((List<?>) json("/api/versions?offset=1&limit=2")).isEqualTo(versions.subList(1, 3));
    assertThat((List<?>) json("/api/versions?offset=99")).isEmpty();
    List<?> datasets = json("/api/datasets");
    assertThat((List<?>) json("/api/datasets?limit=1")).isEqualTo(datasets.subList(0, 1));
    assertThat(error("/api/datasets?offset=-1", 400)).contains("offset");
  }

  @Test
  void offsetAndAfterBelongToOneKindOfListingEach() throws Exception {
    for (String p : List.of("/versions/" + fixture.v1 + "/files", "/api/versions/" + fixture.v1 + "/files")) {
      assertThat(error(p + "?filter=png&offset=2", 400)).as(p).contains("Cannot use offset with filter");
      assertThat(error(p + "?after=images%2Fcat.png", 400)).as(p).contains("Cannot use after without filter");
      assertThat(get(p + "?filter=png&after=images%2Fcat.png").statusCode()).as(p).isEqualTo(200);
      assertThat(get(p + "?offset=2").statusCode()).as(p).isEqualTo(200);
    }
    // A later page of a filtered listing leads back to its first; a filter matching nothing says so once.
    String later = page("/versions/" + fixture.v1 + "/files?filter=png&after=images%2Fcat.png");
    assertThat(later).contains("← First matches").contains("href=\"" + Links.files(fixture.v1, "png", 0).replace("&", "&amp;") + "\"")
        .contains("(from images/cat.png on)");
    assertThat(page("/versions/" + fixture.v1 + "/files?filter=png")).doesNotContain("First matches");
    assertThat(page("/versions/" + fixture.v1 + "/files?filter=nothing-matches")).contains("No file matches.")
        .doesNotContain("on this page");
  }

  @Test
  void jettysOwnErrorsCarryTheSecurityHeadersInUtf8() throws Exception {
    String longUrl = "/versions/" + "a".repeat(20_000);
    for (String target : List.of("/versions/%ZZ", "/../config", longUrl)) {
      String raw = rawGet(target);
      String head = raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
      assertThat(raw).as(target).startsWith(target.equals(longUrl) ? "HTTP/1.1 414" : "HTTP/1.1 400").contains("Cannot read the request");
      assertThat(head).as(target).contains("content-security-policy: default-src 'none'", "x-content-type-options: nosniff",
          "x-frame-options: deny", "content-type: text/html; charset=utf-8").doesNotContain("iso-8859-1");
    }
  }

  @Test
  void aVersionWithoutParentsSharesNothingWithAncestors() throws Exception {
    assertThat(page("/versions/" + fixture.v1)).contains("This version ").doesNotContain("shared with its ancestors");
  }

  @Test
  void downloadsAFileByteForByte() throws Exception {
    for (Map.Entry<String, byte[]> e : fixture.v1Files.entrySet()) {
      HttpResponse<byte[]> r = get(Links.download(fixture.v1, e.getKey()));
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
      assertThat(r.body()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment;");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }
    HttpResponse<byte[]> image = get(Links.inline(fixture.v1, "images/cat.png"));
    assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(image.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");
    assertThat(image.body()).isEqualTo(fixture.v1Files.get("images/cat.png"));
  }

  @Test
  void downloadsRefusePathsOutsideTheVersion() throws Exception {
    String base = "/versions/" + fixture.v1 + "/file?path=";
    for (String bad : List.of("../config", "/etc/passwd", "images/../labels.csv", "./labels.csv", "images\\cat.png", "images/")) {
      assertThat(get(base + Links.encode(bad)).statusCode()).as(bad).isEqualTo(400);
    }
    for (String missing : List.of("config", "images", "refs/CURRENT", "data.bin.missing")) {
      assertThat(get(base + Links.encode(missing)).statusCode()).as(missing).isEqualTo(404);
    }
    assertThat(get("/versions/" + fixture.v1 + "/file").statusCode()).isEqualTo(400);
    assertThat(get("/versions/" + fixture.v2 + "/file?path=data.bin").statusCode()).as("removed in v2").isEqualTo(404);
  }

  @Test
  void streamsWholeVersionsAsZipAndTar() throws Exception {
    HttpResponse<byte[]> zip = get("/versions/" + fixture.v2 + "/download.zip");
    assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
    assertThat(zip.headers().firstValue("Content-Disposition").orElse("")).contains("pets-1.0.1.zip");
    assertThat(unpack(new ZipArchiveInputStream(new ByteArrayInputStream(zip.body())))).isEqualTo(hashes(fixture.v2Files));
    HttpResponse<byte[]> tar = get("/versions/" + fixture.v2 + "/download.tar");
    assertThat(tar.headers().firstValue("Content-Type")).hasValue("application/x-tar");
    assertThat(unpack(new TarArchiveInputStream(new ByteArrayInputStream(tar.body())))).isEqualTo(hashes(fixture.v2Files));
  }

  @Test
  void streamsOneFoldersFilesAsZipAndTarFromItsPage() throws Exception {
    Map<String, byte[]> images = new TreeMap<>();
    fixture.v2Files.forEach((path, bytes) -> {
      if (path.startsWith("images/")) {
        images.put(path, bytes);
      }
    });
    String base = "/versions/" + fixture.v2 + "/download.";
    for (String dir : List.of("images", "images/")) {
      HttpResponse<byte[]> zip = get(base + "zip?dir=" + Links.encode(dir));
      assertThat(zip.statusCode()).as(dir).isEqualTo(200);
      assertThat(zip.headers().firstValue("Content-Disposition").orElse("")).contains("pets-1.0.1-images.zip");
      assertThat(unpack(new ZipArchiveInputStream(new ByteArrayInputStream(zip.body())))).as(dir).isEqualTo(hashes(images));
    }
    HttpResponse<byte[]> tar = get(base + "tar?dir=images");
    assertThat(unpack(new TarArchiveInputStream(new ByteArrayInputStream(tar.body())))).isEqualTo(hashes(images));
    // A folder is taken as named (spaces, letters beyond ASCII), never as a pattern (Selection.folder).
    HttpResponse<byte[]> spaced = get(base + "zip?dir=" + Links.encode("spaces in name"));
    assertThat(unpack(new ZipArchiveInputStream(new ByteArrayInputStream(spaced.body())))).containsOnlyKeys("spaces in name/ünïcødé.txt");
    assertThat(get(base + "zip?dir=" + Links.encode("image?")).statusCode()).as("not a pattern").isEqualTo(404);
    // What no folder of the version is: a file (said, with its own download), a missing folder, a path no folder can have.
    HttpResponse<byte[]> file = get(base + "zip?dir=labels.csv");
    assertThat(file.statusCode()).isEqualTo(404);
    assertThat(new String(file.body(), StandardCharsets.UTF_8)).contains("it is a file of the version");
    assertThat(get(base + "tar?dir=nowhere").statusCode()).isEqualTo(404);
    assertThat(get(base + "zip?dir=" + Links.encode("../images")).statusCode()).isEqualTo(400);
    // A parameter the address does not take is refused, not ignored: a typo would send the whole version.
    HttpResponse<byte[]> typo = get(base + "zip?folder=images");
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(new String(typo.body(), StandardCharsets.UTF_8)).contains("unknown parameter &#39;folder&#39; (this address takes dir=)");
    assertThat(get("/versions/" + fixture.v2 + "/file?path=labels.csv&inline=1").statusCode()).isEqualTo(200);
    assertThat(get("/versions/" + fixture.v2 + "/file?path=labels.csv&inline=0").statusCode()).isEqualTo(200);
    assertThat(get("/versions/" + fixture.v2 + "/file?path=labels.csv&inline=banana").statusCode()).isEqualTo(400);
    assertThat(get("/versions/" + fixture.v2 + "/file?path=labels.csv&pth=x").statusCode()).isEqualTo(400);
    // Offered on the folder's page (the top's are the version's own, in its header).
    String page = page("/versions/" + fixture.v2 + "/folder?dir=images");
    assertThat(page).contains("id=\"folder-zip\"").contains(Html.escape(Links.archive(fixture.v2, "zip", "images")))
        .contains(Html.escape(Links.archive(fixture.v2, "tar", "images")));
    assertThat(page("/versions/" + fixture.v2 + "/folder")).doesNotContain("folder-zip");
  }

  static Map<String, String> unpack(ArchiveInputStream<? extends ArchiveEntry> in) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (in) {
      for (ArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), HexFormat.of().formatHex(sha256(in)));
      }
    }
    return out;
  }

  static Map<String, String> hashes(Map<String, byte[]> files) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      out.put(e.getKey(), HexFormat.of().formatHex(sha256(new ByteArrayInputStream(e.getValue()))));
    }
    return out;
  }

  static byte[] sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[8192];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void apiServesTheSameData() throws Exception {
    List<Map<String, Object>> versions = json("/api/versions?project=vision");
    assertThat(versions).extracting(v -> v.get("name")).containsExactly("pets", "pets", "pets-extra", "pets-merged");
    List<Map<String, Object>> datasets = json("/api/datasets?tag=raw");
    assertThat(datasets).extracting(d -> d.get("name")).containsExactly("pets");
    assertThat((String) datasets.get(0).get("updated")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    Map<String, Object> dataset = json("/api/dataset?project=vision&name=pets");
    assertThat((List<Object>) dataset.get("versions")).hasSize(2);
    List<Map<String, Object>> projects = json("/api/projects");
    assertThat(projects).singleElement().satisfies(p -> assertThat(p).containsEntry("project", "vision").containsEntry("datasets", 3L));

    Map<String, Object> v2 = json("/api/versions/" + fixture.v2);
    assertThat(v2).containsEntry("id", fixture.v2).containsEntry("description", "").containsKey("stored_bytes");
    assertThat((List<Map<String, Object>>) v2.get("runs")).singleElement().satisfies(r -> assertThat(r).containsEntry("run", "run-42"));
    assertThat((List<Object>) json("/api/versions/" + fixture.v2 + "/log")).isNotEmpty();

    Map<String, Object> changes = json("/api/versions/" + fixture.v2 + "/changes");
    assertThat((Map<String, Object>) changes.get("summary")).containsEntry("added", 1L).containsEntry("modified", 1L).containsEntry("removed", 1L);
    Map<String, Map<String, Object>> byPath = new TreeMap<>();
    ((List<Map<String, Object>>) changes.get("changes")).forEach(c -> byPath.put((String) c.get("path"), c));
    assertThat(byPath.get("images/bird.png")).containsEntry("change", "added").containsEntry("stored_in", fixture.v2);
    assertThat(byPath.get("labels.csv")).containsEntry("change", "modified").containsEntry("stored_in", fixture.v2).containsKey("old_hash");
    assertThat(byPath.get("data.bin")).containsEntry("change", "removed").containsEntry("stored_in", fixture.v1);

    Map<String, Object> removedOnly = json("/api/versions/" + fixture.v2 + "/changes?type=removed");
    assertThat((List<Object>) removedOnly.get("changes")).hasSize(1);
    assertThat(removedOnly).containsEntry("matching", 1L);

    Map<String, Object> compare = json("/api/compare?source=" + fixture.v1 + "&target=" + fixture.v2);
    assertThat((List<Object>) compare.get("changes")).hasSize(3);
  }

  @Test
  @SuppressWarnings("unchecked")
  void contentListingTellsWhereEachFileIsStored() throws Exception {
    Map<String, Object> files = json("/api/versions/" + fixture.merged + "/files?limit=100");
    assertThat(files).containsEntry("total", 9L).containsEntry("more", false);
    Map<String, Object> storedIn = new TreeMap<>();
    ((List<Map<String, Object>>) files.get("files")).forEach(f -> storedIn.put((String) f.get("path"), f.get("stored_in")));
    assertThat(storedIn).containsEntry("images/cat.png", fixture.v1).containsEntry("images/bird.png", fixture.v2)
        .containsEntry("labels.csv", fixture.v2).containsEntry("extra/fish.png", fixture.extra);

    Map<String, Object> page2 = json("/api/versions/" + fixture.merged + "/files?offset=3&limit=2");
    assertThat((List<Object>) page2.get("files")).hasSize(2);
    assertThat(page2).containsEntry("offset", 3L).containsEntry("more", true);

    Map<String, Object> globbed = json("/api/versions/" + fixture.merged + "/files?filter=" + Links.encode("images/*.png"));
    assertThat((List<Map<String, Object>>) globbed.get("files")).extracting(f -> f.get("path"))
        .containsExactly("images/bird.png", "images/cat.png", "images/dog.png");
  }

  @Test
  @SuppressWarnings("unchecked")
  void lineageHasEveryAncestor() throws Exception {
    Map<String, Object> lineage = json("/api/versions/" + fixture.merged + "/lineage");
    List<Map<String, Object>> nodes = (List<Map<String, Object>>) lineage.get("nodes");
    assertThat(nodes).extracting(n -> n.get("id")).containsExactlyInAnyOrder(fixture.v1, fixture.v2, fixture.extra, fixture.merged);
    assertThat(nodes.get(nodes.size() - 1)).containsEntry("id", fixture.merged);
  }

  static HttpResponse<byte[]> head(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void headAnswersWhatGetWould() throws Exception {
    for (String p : List.of("/", "/versions/" + fixture.v1, "/versions/" + fixture.v1 + "/files", "/api/versions/" + fixture.v1,
        "/versions/" + fixture.v1 + "/download.zip", "/versions/" + fixture.v1 + "/download.tar")) {
      HttpResponse<byte[]> h = head(p);
      assertThat(h.statusCode()).as(p).isEqualTo(get(p).statusCode()).isEqualTo(200);
      assertThat(h.body()).as(p).isEmpty();
    }
    for (String p : List.of("/versions/00000000", "/api/versions/zzzz", "/versions/" + fixture.v1 + "/file?path=no-such-file")) {
      assertThat(head(p).statusCode()).as(p).isEqualTo(get(p).statusCode()).isIn(400, 404);
    }
    for (String ext : List.of("zip", "tar")) {
      // An archive's length is known only once written: no Content-Length, and surely not 0.
      assertThat(head("/versions/" + fixture.v1 + "/download." + ext).headers().firstValue("Content-Length")).as(ext).isEmpty();
    }
  }

  @Test
  void isReadOnly() throws Exception {
    Map<String, Long> before = snapshot(fixture.repoDir);
    everyPageRenders();
    apiServesTheSameData();
    streamsWholeVersionsAsZipAndTar();
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/versions/" + fixture.v1))
          .method(method, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method).isIn(404, 405);
    }
    assertThat(snapshot(fixture.repoDir)).isEqualTo(before);
  }

  /** Path → size and modification time of every file of the repository but its LMDB index (readers touch its lock table). */
  static Map<String, Long> snapshot(Path dir) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> !dir.relativize(p).startsWith("index")).toList()) {
        m.put(dir.relativize(p) + " size", Files.size(p));
        m.put(dir.relativize(p) + " mtime", Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }
}
