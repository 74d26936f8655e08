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
        String table = http.send(HttpRequest.newBuilder(URI.create(base + "table.csv")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(table).contains("<th>name</th>", "<td>wörld</td>").doesNotContain("\uFFFD", "holds binary data");
      }
    }
  }
}
