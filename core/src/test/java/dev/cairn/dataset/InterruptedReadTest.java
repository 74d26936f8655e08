package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thread interrupted while it reads fails alone: the repository stays usable for every other thread. */
class InterruptedReadTest {
  @TempDir Path tmp;

  @Test
  void anInterruptedReadFailsOnlyItsOwnCall() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    for (int i = 0; i < 20; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(i, 50_000 + i));
    }
    String id;
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      ds.syncFolder(src);
      id = ds.close().id();
    }
    // Opened again: nothing cached, every read goes to the packs' channels.
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset ds = repo.get(id);
      assertThat(ds.listFiles()).hasSize(20); // the packs are open now, their channels shared
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(() -> {
        Thread.currentThread().interrupt();
        try {
          ds.verify();
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.start();
      t.join();
      assertThat(failure.get()).as("the interrupted thread's own read fails")
          .isInstanceOfAny(InterruptedIOException.class, ClosedByInterruptException.class);

      assertThat(ds.listFiles()).hasSize(20);
      assertThat(ds.verify()).as("an intact version is not reported damaged").isEmpty();
      assertThat(Files.readAllBytes(ds.getLocalCopy().resolve("f7.bin"))).isEqualTo(Files.readAllBytes(src.resolve("f7.bin")));
    }
    // A thread interrupted before its first read, which opens the index, is told so as every read tells it.
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(() -> {
        Thread.currentThread().interrupt();
        try {
          repo.get(id).listFiles();
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      t.start();
      t.join();
      assertThat(failure.get()).isInstanceOf(InterruptedIOException.class).hasMessageStartingWith("interrupted while");
      assertThat(repo.get(id).listFiles()).hasSize(20);
    }
  }
}
