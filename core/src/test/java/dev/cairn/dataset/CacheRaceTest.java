package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.fs.Trees;
import dev.cairn.testing.TestRepos;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A get that builds a cached folder while another process removes the cache's unlinked contents (a
 * delete, an eviction) writes again what was removed under it, rather than failing.
 */
class CacheRaceTest {
  @TempDir Path tmp;

  @Test
  void aGetRacingTheRemovalOfUnlinkedContentsSucceeds() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    for (int i = 0; i < 800; i++) {
      Files.writeString(src.resolve("f" + i), "content " + i);
    }
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(repo, CreateOptions.of("p", "n").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      LocalCache cache = repo.cache();
      Method removeOrphans = LocalCache.class.getDeclaredMethod("removeOrphans"); // as another process's delete runs it
      removeOrphans.setAccessible(true);
      AtomicBoolean stop = new AtomicBoolean();
      List<Throwable> sweepFailures = new ArrayList<>();
      Thread sweeper = new Thread(() -> {
        while (!stop.get()) {
          try {
            removeOrphans.invoke(cache);
          } catch (ReflectiveOperationException e) {
            sweepFailures.add(e);
            return;
          }
        }
      });
      sweeper.start();
      List<Throwable> failed = new ArrayList<>();
      try {
        for (int round = 0; round < 10; round++) {
          Path folder = repo.repository().directory().resolve("cache/versions").resolve(v.id());
          if (Files.exists(folder)) {
            Trees.delete(folder); // the folder goes (evicted, or changed): its contents stay, unlinked
          }
          try {
            Path copy = v.getLocalCopy();
            assertThat(Files.readString(copy.resolve("f7"))).isEqualTo("content 7");
          } catch (java.io.IOException e) {
            failed.add(e);
          }
        }
      } finally {
        stop.set(true);
        sweeper.join();
      }
      assertThat(sweepFailures).isEmpty();
      assertThat(failed).isEmpty();
    }
  }
}
