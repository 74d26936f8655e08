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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text with a byte-order mark (UTF-16 of either order, UTF-8) previews as its characters, not as NULs and replacements. */
class WebPreviewEncodingTest {
  @TempDir Path tmp;

  @Test
  void utf16AndUtf8MarksAreDecoded() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    String text = "héllo wörld ✓\nline two\n";
    Files.write(src.resolve("le.txt"), WebHtmlTest.withBom(StandardCharsets.UTF_16LE, text));
    Files.write(src.resolve("be.dat"), WebHtmlTest.withBom(StandardCharsets.UTF_16BE, text));
    Files.write(src.resolve("bom8.txt"), WebHtmlTest.withBom(StandardCharsets.UTF_8, text));
    Files.write(src.resolve("table.csv"), WebHtmlTest.withBom(StandardCharsets.UTF_16LE, "name,size\nwörld,3\n"));
    // FF FE at the start of a file of an odd length: no UTF-16 text (its bytes come in pairs).
    Files.write(src.resolve("odd.txt"), new byte[] {(byte) 0xFF, (byte) 0xFE, 'b', 'a', 'd', ' ', 'u', 't', 'f', '8', ' ', (byte) 0xC3,
        '(', ' ', 'h', 'e', 'r', 'e', '\n'});
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("w", "texts").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        String base = "http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/preview?path=";
        HttpClient http = HttpClient.newHttpClient();
        for (String name : new String[] {"le.txt", "be.dat", "bom8.txt"}) {
          String page = http.send(HttpRequest.newBuilder(URI.create(base + name)).build(), HttpResponse.BodyHandlers.ofString()).body();
          assertThat(page).as(name).contains("<pre class=\"head\" id=\"preview-text\">héllo wörld ✓\nline two\n</pre>")
              .doesNotContain("\uFFFD", "\uFEFF");
        }
        String odd = http.send(HttpRequest.newBuilder(URI.create(base + "odd.txt")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(odd).contains("bad utf8").doesNotContain("\u6162"); // "ba" read as one UTF-16LE unit
        String table = http.send(HttpRequest.newBuilder(URI.create(base + "table.csv")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(table).contains("<th>name</th>", "<td>wörld</td>").doesNotContain("\uFFFD", "holds binary data");
      }
    }
  }

  @Test
  void aCutCharacterLatin1TerminalColoursBlankCsvLinesAndAnOverlongHeaderAreShownForWhatTheyAre() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    // A two-byte character across the preview's cut, in a file of one line.
    Files.writeString(src.resolve("long.txt"), "a".repeat(PreviewPage.TEXT_BYTES - 1) + "é and more");
    Files.write(src.resolve("latin1.txt"), "caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.ISO_8859_1));
    Files.writeString(src.resolve("build.log"), "\u001b[32mok\u001b[0m step one\n\u001b[31mfail\u001b[0m step two\n".repeat(20));
    Files.writeString(src.resolve("blank.csv"), "a,b\n1,2\n\n3,4\n\n");
    Files.writeString(src.resolve("wide.csv"), "h".repeat(300 * 1024) + "\n1\n");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("w", "edges").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        String base = "http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/preview?path=";
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.Function<String, String> page = name -> {
          try {
            return http.send(HttpRequest.newBuilder(URI.create(base + name)).build(), HttpResponse.BodyHandlers.ofString()).body();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
        assertThat(page.apply("long.txt")).contains("The first 64.0 KiB of the file:").doesNotContain("\uFFFD");
        assertThat(page.apply("latin1.txt")).contains("Some bytes are not UTF-8 text");
        assertThat(page.apply("build.log")).contains("preview-text").contains("\u241b[32mok").doesNotContain("holds binary data", "\uFFFD");
        assertThat(page.apply("blank.csv")).contains("All 2 rows").contains("<td>3</td>");
        assertThat(page.apply("wide.csv")).contains("The first line is longer than the first").doesNotContain("No rows.");
      }
    }
  }
}
