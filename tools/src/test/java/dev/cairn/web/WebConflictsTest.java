package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.internal.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version whose parents conflict on many paths: its page lists the first ones, its JSON all. */
class WebConflictsTest {
  @TempDir Path tmp;

  private Dataset version(DatasetRepository repo, String name, String content) throws Exception {
    Path src = Files.createDirectories(tmp.resolve(name));
    for (int i = 0; i < 150; i++) {
      Files.writeString(src.resolve("f" + i), content + i);
    }
    Dataset ds = Dataset.create(repo, CreateOptions.of("w", name).build());
    ds.addFiles(AddOptions.of(src));
    return ds.close();
  }

  @Test
  void thePageListsTheFirstHundredConflictsAndSaysWhereAllAre() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      Dataset x = version(repo, "x", "x");
      Dataset y = version(repo, "y", "y");
      Dataset m = Dataset.create(repo, CreateOptions.of("w", "xy").parents(x.id(), y.id()).build());
      assertThat(m.record().conflicts()).hasSize(150);
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/versions/" + m.id())).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page.split("<td class=\"path\">", -1)).hasSize(101);
        assertThat(page).contains("The first 100 of 150 conflicting paths; all of them: ").contains("/api/versions/" + m.id());
        String api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/versions/" + m.id())).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat((List<?>) ((Map<?, ?>) Json.parse(api)).get("conflicts")).hasSize(150);
      }
    }
  }
}
