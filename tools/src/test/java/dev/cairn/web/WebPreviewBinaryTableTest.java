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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file named as a table or as text that holds binary data is not shown as replacement characters. */
class WebPreviewBinaryTableTest {
  @TempDir Path tmp;

  @Test
  void aBinaryCsvGetsNoTable() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    byte[] random = new byte[20_000];
    new Random(5).nextBytes(random);
    Files.write(src.resolve("rand.csv"), random);
    Files.writeString(src.resolve("real.csv"), "a,b\n1,2\n");
    Files.write(src.resolve("bin.txt"), Arrays.copyOf(random, 2560));
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("w", "tables").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        String base = "http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/preview?path=";
        HttpClient http = HttpClient.newHttpClient();
        String binary = http.send(HttpRequest.newBuilder(URI.create(base + "rand.csv")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(binary).contains("holds binary data").doesNotContain("<table").doesNotContain("\uFFFD");
        String real = http.send(HttpRequest.newBuilder(URI.create(base + "real.csv")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(real).contains("<table");
        String text = http.send(HttpRequest.newBuilder(URI.create(base + "bin.txt")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("named as text but holds binary data").doesNotContain("preview-text").doesNotContain("\uFFFD");
      }
    }
  }

  @Test
  void aFileNamedAsAnImageThatIsNotOneIsSaidToBeSo() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.write(src.resolve("real.png"), WebFixture.png(java.awt.Color.RED));
    Files.writeString(src.resolve("fake.png"), "not a picture\n");
    Files.write(src.resolve("fake.jpg"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0}); // a PNG's start
    Files.write(src.resolve("empty-ish.gif"), new byte[] {'G', 'I', 'F'});
    Files.write(src.resolve("header-only.gif"), "GIF89a".getBytes(StandardCharsets.US_ASCII));
    Files.write(src.resolve("dot.gif"), java.util.Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")); // 1x1
    Files.write(src.resolve("cut.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0});
    Files.writeString(src.resolve("icon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("w", "images").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        String base = "http://127.0.0.1:" + server.port() + "/versions/" + ds.id() + "/preview?path=";
        HttpClient http = HttpClient.newHttpClient();
        java.util.function.Function<String, String> page = path -> {
          try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
        assertThat(page.apply("real.png")).contains("<img").doesNotContain("not-an-image");
        assertThat(page.apply("icon.svg")).contains("<img").doesNotContain("not-an-image");
        assertThat(page.apply("fake.png")).contains("named as a PNG image but its bytes are not one").doesNotContain("<img");
        assertThat(page.apply("fake.jpg")).contains("named as a JPEG image").doesNotContain("<img");
        assertThat(page.apply("empty-ish.gif")).contains("named as a GIF image").doesNotContain("<img");
        assertThat(page.apply("header-only.gif")).as("its signature only").contains("named as a GIF image").doesNotContain("<img");
        assertThat(page.apply("dot.gif")).contains("<img").doesNotContain("not-an-image");
        assertThat(page.apply("cut.jpg")).as("its first bytes only").contains("named as a JPEG image").doesNotContain("<img");
      }
    }
  }

  @Test
  void withoutAPathThePreviewPicksAFileWhoseDataIsHere() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "not fetched\n".repeat(30_000)); // a block of its own: left on the remote
    Files.writeString(src.resolve("z.csv"), "a,b\n1,2\n");
    String remote = tmp.resolve("remote").toString();
    String id;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      Dataset ds = Dataset.create(a, CreateOptions.of("w", "part").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      ds.upload(remote, null, null);
      id = ds.id();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"))) {
      Dataset.get(b, id, remote).getLocalCopy(new dev.cairn.dataset.Selection(0, 1, List.of(dev.cairn.dataset.Glob.filter("z.csv"))),
          null);
      try (WebServer server = WebServer.start(b, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/versions/"
            + id + "/preview")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("<table").doesNotContain("id=\"not-fetched\"");
      }
    }
  }
}
