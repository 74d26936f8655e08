package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A comparison with a version known here by its record alone says how to fetch it (409), not that data is damaged (500). */
class WebNotFetchedCompareTest {
  @TempDir Path tmp;

  @Test
  void comparingWithAVersionWhoseManifestIsOnItsRemoteIsA409() throws Exception {
    String remote = tmp.resolve("remote").toString();
    String child;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      Dataset prev = null;
      for (int i = 0; i < 3; i++) {
        Path src = Files.createDirectories(tmp.resolve("src" + i));
        Files.writeString(src.resolve("f" + i + ".txt"), "v" + i);
        Dataset v = Dataset.create(a, CreateOptions.of("w", "chain").parents(prev == null ? new String[0] : new String[] {prev.id()}).build());
        v.addFiles(AddOptions.of(src));
        v.close();
        v.upload(remote, null, Progress.NONE);
        prev = v;
      }
      child = prev.id();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"))) {
      b.fetch(child, Selection.ALL, remote, null, Progress.NONE); // the ancestors' records, not the grandparent's manifest
      String first = b.list(null, null, null).stream().filter(r -> r.parents().isEmpty()).findFirst().orElseThrow().id();
      assertThat(b.repository().objects().has(b.catalog().read(first).root())).isFalse();
      try (WebServer server = WebServer.start(b, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        // Its own tabs too: said as the command line says it, with the get that fetches it.
        for (String path : new String[] {Links.compare(first, child), "/api/compare?source=" + first + "&target=" + child,
            Links.files(first, null, 0), Links.tab(first, "changes")}) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(path).isEqualTo(409);
          assertThat(r.body()).as(path).contains("is known here by its record alone").contains("its contents are not here; cairn get --id "
              + first.substring(0, 8) + " --storage ").doesNotContain("fsck").doesNotContain("object is missing");
        }
      }
    }
  }
}
