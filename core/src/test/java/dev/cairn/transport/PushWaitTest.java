package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.Storages;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload that must wait for a collection of its remote says so, and for whom, rather than hang silently. */
class PushWaitTest {
  @TempDir Path tmp;

  @Test
  void anUploadWaitingForACollectionSaysWhoItWaitsFor() throws Exception {
    Path remote = tmp.resolve("remote");
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.write(src.resolve("a.bin"), TestRepos.random(3, 20_000));
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL);
        RemoteStorage storage = Storages.open(Storages.parse(remote.toString()), Map.of())) {
      Dataset first = Dataset.create(repo, CreateOptions.of("p", "n").build());
      first.addFiles(AddOptions.of(src));
      first.close().upload(remote.toString(), null, Progress.NONE); // the remote exists
      Dataset v = Dataset.create(repo, CreateOptions.of("p", "m").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      List<String> warnings = new CopyOnWriteArrayList<>();
      Progress told = new Progress() {
        @Override
        public void warn(String message) {
          warnings.add(message);
        }
      };
      CompletableFuture<Void> upload;
      try (RemoteLocks.Held collection = RemoteLocks.gc(storage)) {
        upload = CompletableFuture.runAsync(() -> {
          try {
            v.upload(remote.toString(), null, told);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        long until = System.currentTimeMillis() + 30_000;
        while (warnings.isEmpty() && System.currentTimeMillis() < until) {
          Thread.sleep(50);
        }
        assertThat(upload).isNotDone();
      }
      upload.get(60, TimeUnit.SECONDS);
      assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
          .startsWith("waiting for a collection or repair of " + storage.uri() + " to end (up to 10 min): a collection or repair (gc or"
              + " fsck --repair) holds locks/gc-")
          .contains("by pid " + ProcessHandle.current().pid()));
    }
  }
}
