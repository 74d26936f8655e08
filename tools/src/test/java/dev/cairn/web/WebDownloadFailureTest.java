package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.manifest.FileEntry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download whose data turns out unreadable after its headers are sent must not look complete. */
class WebDownloadFailureTest {
  @TempDir Path tmp;

  @Test
  void anArchiveThatFailsMidStreamIsCutShortNotEndedCleanly() throws Exception {
    List<String> log = new ArrayList<>();
    Path packFile;
    String v2id;
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), dev.cairn.RepositoryConfig.DEFAULT)) {
      Path first = tmp.resolve("first");
      Files.createDirectories(first);
      Files.writeString(first.resolve("z.txt"), "stored in the first version's pack");
      Dataset v1 = Dataset.create(repo, CreateOptions.of("w", "cut").build());
      v1.addFiles(AddOptions.of(first));
      v1.close();
      Path second = tmp.resolve("second");
      Files.createDirectories(second);
      byte[] random = new byte[3 << 20];
      new java.util.Random(3).nextBytes(random);
      Files.write(second.resolve("a.bin"), random); // first in the archive, past any buffer
      Dataset v2 = Dataset.create(repo, CreateOptions.of("w", "cut").parents(v1.id()).build());
      v2.addFiles(AddOptions.of(second));
      v2.close();
      FileEntry z = v2.listFiles().stream().filter(e -> e.path().equals("z.txt")).findFirst().orElseThrow();
      String pack = repo.repository().packs().index().lookup(z.content()).packName();
      packFile = repo.repository().packs().packDirectory().resolve(dev.cairn.internal.pack.PackFormat.fileName(pack));
      v2id = v2.id();
    }
    Files.delete(packFile); // after closing the repository, which held it open
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"))) {
      try (WebServer server = WebServer.start(repo, "127.0.0.1", 0, log::add)) {
        for (String ext : List.of("zip", "tar")) {
          HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/versions/" + v2id + "/download." + ext)).build();
          assertThatThrownBy(() -> HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray()))
              .as(ext).isInstanceOf(IOException.class);
        }
      }
      assertThat(log).anyMatch(l -> l.contains("failed mid-stream"));
    }
  }
}
