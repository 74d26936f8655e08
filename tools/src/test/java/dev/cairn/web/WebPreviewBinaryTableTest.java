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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file named as a table that holds binary data is not shown as a table of replacement characters. */
class WebPreviewBinaryTableTest {
  @TempDir Path tmp;

  @Test
  void aBinaryCsvGetsNoTable() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    byte[] random = new byte[20_000];
    new Random(5).nextBytes(random);
    Files.write(src.resolve("rand.csv"), random);
    Files.writeString(src.resolve("real.csv"), "a,b\n1,2\n");
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
      }
    }
  }
}
