package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a repository while another thread works in it lets that work finish first. */
class CloseWhileInUseTest {
  @TempDir Path tmp;

  @Test
  void closeWaitsForAnAddInProgressAndLaterCallsAreRefused() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    for (int i = 0; i < 10; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(i, 20_000));
    }
    DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL);
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
    SlowStart slow = new SlowStart(1_500);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Dataset.Change> add = pool.submit(() -> ds.addFiles(AddOptions.of(src), slow));
      assertThat(slow.started.await(30, TimeUnit.SECONDS)).isTrue();
      repo.close();
      // Close waited for the add's store work: the add ends whole (not cut by the close), though
      // its thread may still be returning when close does.
      assertThat(add.get(30, TimeUnit.SECONDS).summary().added()).as("close waited for the add").isEqualTo(10);
    } finally {
      pool.shutdownNow();
    }
    assertThatThrownBy(ds::listFiles).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    try (DatasetRepository again = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      assertThat(again.get(ds.id()).listFiles()).hasSize(10);
    }
  }

  /** An add that outlasts close's wait is refused as the close's javadoc says, and changes nothing. */
  @Test
  void anAddStillRunningWhenCloseStopsWaitingFailsAsClosed() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    for (int i = 0; i < 4; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(i, 300_000));
    }
    DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL);
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
    SlowStart slow = new SlowStart(11_000); // past the ten seconds close waits for work in progress
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Dataset.Change> add = pool.submit(() -> ds.addFiles(AddOptions.of(src), slow));
      assertThat(slow.started.await(30, TimeUnit.SECONDS)).isTrue();
      repo.close();
      assertThatThrownBy(add::get).hasCauseInstanceOf(IllegalStateException.class).cause().hasMessageContaining("was closed");
    } finally {
      pool.shutdownNow();
    }
    try (DatasetRepository again = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      assertThat(again.get(ds.id()).listFiles()).isEmpty();
    }
  }
}
