package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.RepositoryConfig;
import dev.cairn.internal.concurrent.Workers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaxWorkersTest {
  @TempDir Path tmp;

  @Test
  void aCapHoldsOnItsThreadAndTheThreadsItStartsUntilClosed() throws Exception {
    int free = Workers.perCore(4);
    try (MaxWorkers outer = MaxWorkers.of(3)) {
      assertThat(Workers.upTo(4)).isEqualTo(3);
      try (MaxWorkers inner = MaxWorkers.of(1)) {
        assertThat(Workers.perCore(4)).isEqualTo(1);
        assertThat(Workers.single()).isTrue();
        int[] seen = new int[1];
        Thread t = new Thread(() -> seen[0] = Workers.upTo(4));
        t.start();
        t.join();
        assertThat(seen[0]).isEqualTo(1);
      }
      assertThat(Workers.upTo(4)).isEqualTo(3);
      assertThat(Workers.single()).isFalse();
    }
    assertThat(Workers.perCore(4)).isEqualTo(free);
    assertThatThrownBy(() -> MaxWorkers.of(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }

  @Test
  void withOneWorkerALargeFileIsStoredByTheThreadThatReadsIt() throws IOException {
    Path folder = tmp.resolve("src");
    Files.createDirectories(folder);
    byte[] big = new byte[12 << 20]; // more chunks than a file stored without the insert workers
    new Random(5).nextBytes(big);
    Files.write(folder.resolve("big.bin"), big);
    // A control: without a cap, the insert workers take its chunks.
    assertThat(newInsertThreadsWhileAdding(tmp.resolve("free"), folder, null)).isNotEmpty();
    assertThat(newInsertThreadsWhileAdding(tmp.resolve("capped"), folder, 1)).isEmpty();
  }

  private static Set<Thread> newInsertThreadsWhileAdding(Path repoDir, Path folder, Integer cap) throws IOException {
    Set<Thread> before = insertThreads();
    try (DatasetRepository repo = DatasetRepository.open(repoDir, RepositoryConfig.DEFAULT);
        MaxWorkers scope = cap == null ? null : MaxWorkers.of(cap)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").build());
      ds.addFiles(AddOptions.of(folder));
      ds.close();
      Set<Thread> after = insertThreads();
      after.removeAll(before);
      assertThat(ds.listFiles()).hasSize(1);
      return after;
    }
  }

  private static Set<Thread> insertThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("cairn-insert")).collect(Collectors.toSet());
  }
}
