package dev.cairn.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process that reads many packs holds a bounded number of file handles, and reads on. */
class PackHandlesTest {
  @TempDir Path tmp;

  @AfterEach
  void restoreLimit() {
    PackObjectDatabase.maxPackHandles = 128;
  }

  @Test
  void handlesBeyondTheLimitAreReleasedAndTheirPacksStillRead() throws Exception {
    PackObjectDatabase.maxPackHandles = 3;
    Path dir = tmp.resolve("repo");
    List<String> ids = new ArrayList<>();
    try (DatasetRepository writer = DatasetRepository.open(dir, TestRepos.SMALL)) {
      for (int i = 0; i < 8; i++) {
        Path src = Files.createDirectories(tmp.resolve("src-" + i));
        Files.write(src.resolve("f.bin"), TestRepos.random(i, 100_000));
        Dataset ds = Dataset.create(writer, CreateOptions.of("p", "v" + i).build());
        ds.addFiles(AddOptions.of(src));
        ids.add(ds.close().id());
      }
    }
    try (DatasetRepository reader = DatasetRepository.open(dir, TestRepos.SMALL)) {
      PackObjectDatabase packs = reader.repository().packs();
      // Two threads read every version, twice: released packs are opened again as they are read.
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> reads = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
          for (int i = 0; i < ids.size(); i++) {
            int n = i;
            Path copy = tmp.resolve("copy-" + round + "-" + i);
            reads.add(pool.submit(() -> {
              Path got = reader.get(ids.get(n)).getMutableLocalCopy(copy, false).resolve("f.bin");
              assertThat(Arrays.equals(Files.readAllBytes(got), TestRepos.random(n, 100_000))).isTrue();
              return null;
            }));
          }
        }
        for (Future<?> f : reads) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      assertThat(packs.openPackNames()).as("packs read").hasSizeGreaterThan(3);
      assertThat(packs.packsHoldingHandles()).isLessThanOrEqualTo(3);
    }
  }
}
