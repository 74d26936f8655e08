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
