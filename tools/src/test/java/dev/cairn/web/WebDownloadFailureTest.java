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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download whose data turns out unreadable after its headers are sent must not look complete. */
class WebDownloadFailureTest {
  @TempDir Path tmp;

  @Test
  void anArchiveThatFailsMidStreamIsCutShortNotEndedCleanly() throws Exception {
    List<String> log = new ArrayList<>();
    Path packFile;
    long zBlock;
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
      new Random(3).nextBytes(random);
      Files.write(second.resolve("a.bin"), random); // first in the archive, past any buffer
      Dataset v2 = Dataset.create(repo, CreateOptions.of("w", "cut").parents(v1.id()).build());
      v2.addFiles(AddOptions.of(second));
      v2.close();
      FileEntry z = v2.listFiles().stream().filter(e -> e.path().equals("z.txt")).findFirst().orElseThrow();
      var at = repo.repository().packs().index().lookup(z.content());
      packFile = repo.repository().packs().packDirectory().resolve(dev.cairn.internal.pack.PackFormat.fileName(at.packName()));
      zBlock = at.blockOffset();
      v2id = v2.id();
    }
    // Damaged where z.txt's block is (after closing the repository, which held the pack open): the
    // archive fails when it reaches it, past the first file's bytes.
    try (var ch = FileChannel.open(packFile, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55}), zBlock + 4);
    }
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

  @Test
  void theOverviewOfAMergeFetchedWithoutItsParentsManifestsStillShows() throws Exception {
    Path remote = tmp.resolve("remote");
    String merge;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), dev.cairn.RepositoryConfig.DEFAULT)) {
      List<String> parents = new ArrayList<>();
      for (String name : List.of("x", "y")) {
        Path src = Files.createDirectories(tmp.resolve("src-" + name));
        Files.writeString(src.resolve(name + ".txt"), name);
        Dataset v = Dataset.create(a, CreateOptions.of("w", name).build());
        v.addFiles(AddOptions.of(src));
        parents.add(v.close().id());
      }
      Dataset m = Dataset.create(a, CreateOptions.of("w", "m").parents(parents.toArray(String[]::new)).build()).close();
      m.upload(remote.toString(), null, dev.cairn.dataset.Progress.NONE);
      merge = m.id();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), dev.cairn.RepositoryConfig.DEFAULT)) {
      b.fetch(merge, dev.cairn.dataset.Selection.ALL, remote.toString(), null, dev.cairn.dataset.Progress.NONE);
      try (WebServer server = WebServer.start(b, "127.0.0.1", 0, new ArrayList<String>()::add)) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/versions/" + merge)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Against each parent:").contains("not here");
      }
    }
  }

  @Test
  void anArchiveOfAVersionFetchedInPartIsRefusedBeforeItStarts() throws Exception {
    Path remote = tmp.resolve("remote");
    String id;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), dev.cairn.RepositoryConfig.DEFAULT)) {
      Path src = tmp.resolve("src");
      Files.createDirectories(src);
      Files.writeString(src.resolve("here.txt"), "fetched");
      byte[] big = new byte[1 << 20]; // blocks of its own: a fetch of the other file leaves it there
      new Random(5).nextBytes(big);
      Files.write(src.resolve("there.bin"), big);
      Dataset v = Dataset.create(a, CreateOptions.of("w", "part").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      v.upload(remote.toString(), null, dev.cairn.dataset.Progress.NONE);
      id = v.id();
    }
    List<String> log = new ArrayList<>();
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), dev.cairn.RepositoryConfig.DEFAULT)) {
      b.fetch(id, new dev.cairn.dataset.Selection(0, 1, List.of(dev.cairn.dataset.Glob.of("here.txt"))), remote.toString(), null,
          dev.cairn.dataset.Progress.NONE);
      try (WebServer server = WebServer.start(b, "127.0.0.1", 0, log::add)) {
        for (String ext : List.of("zip", "tar")) {
          HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/versions/" + id + "/download." + ext)).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(ext).isEqualTo(409);
          assertThat(r.headers().firstValue("Content-Disposition")).as("no attachment of a page").isEmpty();
          assertThat(r.body()).contains("fetched in part").contains("there.bin");
        }
        HttpResponse<String> one = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/versions/" + id + "/file?path=here.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(one.body()).isEqualTo("fetched");
        HttpResponse<String> notHere = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/versions/" + id + "/file?path=there.bin")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notHere.statusCode()).as("in the version, only not here").isEqualTo(409);
        assertThat(notHere.body()).contains("Not in this repository").contains("fetched in part");
        String listing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/api/versions/" + id + "/files")).build(), HttpResponse.BodyHandlers.ofString())
            .body();
        assertThat(listing.replace(" ", "")).containsPattern("\"path\":\"here.txt\"[^}]*\"here\":true")
            .containsPattern("\"path\":\"there.bin\"[^}]*\"here\":false");
        // The pages offer downloads only of what is here: no archive buttons, and no link to there.bin.
        String files = page(server, "/versions/" + id + "/files");
        assertThat(files).contains("id=\"archive-unavailable\"").doesNotContain("download.zip")
            .contains("file?path=here.txt").doesNotContain("file?path=there.bin").contains("not fetched");
        assertThat(page(server, "/versions/" + id + "/preview?path=there.bin")).doesNotContain("file?path=there.bin")
            .contains("aria-disabled=\"true\" id=\"download-file\"");
        assertThat(page(server, "/versions/" + id + "/changes")).doesNotContain("file?path=there.bin").contains("file?path=here.txt");
      }
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), dev.cairn.RepositoryConfig.DEFAULT);
        WebServer server = WebServer.start(a, "127.0.0.1", 0, log::add)) {
      // The uploading repository holds it all: the same pages offer every download.
      String files = page(server, "/versions/" + id + "/files");
      assertThat(files).contains("download.zip").contains("download.tar").doesNotContain("archive-unavailable")
          .contains("file?path=there.bin").doesNotContain("not fetched");
    }
  }

  @Test
  void dataLostInARepositoryWithoutARemoteIsDamageNotDataNotFetched() throws Exception {
    String id;
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("local"), dev.cairn.RepositoryConfig.DEFAULT)) {
      Path src = tmp.resolve("lost");
      Files.createDirectories(src);
      Files.writeString(src.resolve("kept.txt"), "kept");
      Dataset v = Dataset.create(repo, CreateOptions.of("w", "lost").build());
      v.addFiles(AddOptions.of(src));
      Files.writeString(src.resolve("gone.txt"), "gone"); // a second change: its own pack
      v.addFiles(AddOptions.of(src.resolve("gone.txt")));
      Files.writeString(src.resolve("last.txt"), "last"); // a third: the manifest's final nodes go to yet another pack
      v.addFiles(AddOptions.of(src.resolve("last.txt")));
      v.close();
      id = v.id();
      FileEntry gone = v.listFiles().stream().filter(e -> e.path().equals("gone.txt")).findFirst().orElseThrow();
      for (Path pack : repo.repository().packs().packFiles()) {
        boolean holds;
        try (var pf = dev.cairn.internal.pack.PackFile.open(pack)) {
          holds = pf.entries().stream().anyMatch(e -> e.id().equals(gone.content()));
        }
        if (holds) {
          Files.delete(pack);
        }
      }
      repo.repository().rebuildIndex();
    }
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("local"), dev.cairn.RepositoryConfig.DEFAULT);
        WebServer server = WebServer.start(repo, "127.0.0.1", 0, l -> { })) {
      for (String path : List.of("/versions/" + id + "/file?path=gone.txt", "/versions/" + id + "/download.zip")) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(500);
        assertThat(r.body()).as(path).contains("gone.txt").contains("lost or damaged").contains("cairn fsck").doesNotContain("fetched in part");
      }
    }
  }

  private static String page(WebServer server, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }
}
