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

  @Test
  void threadsReadingMorePacksThanTheLimitAllFinish() throws Exception {
    PackObjectDatabase.maxPackHandles = 1; // each open releases the other thread's pack, unless it is being read
    List<String> ids = versions(tmp.resolve("repo"), 6);
    try (DatasetRepository reader = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<?>> reads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          int from = t;
          reads.add(pool.submit(() -> {
            for (int round = 0; round < 5; round++) {
              for (int i = 0; i < ids.size(); i++) {
                int n = (i + from) % ids.size();
                assertThat(reader.get(ids.get(n)).verify()).isEmpty();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : reads) {
          f.get(5, java.util.concurrent.TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aReleasedPackAnotherProcessCollectedIsReadWhereItsObjectsWent() throws Exception {
    PackObjectDatabase.maxPackHandles = 2;
    Path dir = tmp.resolve("repo");
    List<String> ids = versions(dir, 6);
    try (DatasetRepository server = DatasetRepository.open(dir, TestRepos.SMALL);
        DatasetRepository other = DatasetRepository.open(dir, TestRepos.SMALL)) {
      for (String id : ids) {
        assertThat(server.get(id).verify()).isEmpty(); // every pack opened, most released again
      }
      java.util.Set<String> before = server.repository().packs().openPackNames();
      TestRepos.collect(other, 0); // the other process packs them all anew and deletes the old files
      List<String> gone = before.stream().filter(name -> !Files.exists(dir.resolve("packs").resolve(PackFormat.fileName(name)))).toList();
      assertThat(gone).as("packs the server opened, rewritten and deleted").hasSizeGreaterThan(2); // most of them released
      for (int i = 0; i < ids.size(); i++) {
        Path got = server.get(ids.get(i)).getMutableLocalCopy(tmp.resolve("after-" + i), false).resolve("f.bin");
        assertThat(Arrays.equals(Files.readAllBytes(got), TestRepos.random(i, 100_000))).isTrue();
      }
      // A push copies stored blocks through its own reads of the packs, which look the objects up again too.
      server.get(ids.get(5)).upload(tmp.resolve("remote").toString(), null, dev.cairn.dataset.Progress.NONE);
      try (DatasetRepository fresh = DatasetRepository.open(tmp.resolve("fresh"), TestRepos.SMALL)) {
        Path got = Dataset.get(fresh, ids.get(5), tmp.resolve("remote").toString()).getMutableLocalCopy(tmp.resolve("fetched"), false);
        assertThat(Arrays.equals(Files.readAllBytes(got.resolve("f.bin")), TestRepos.random(5, 100_000))).isTrue();
      }
    }
  }

  /** {@code n} versions of one file each, {@code TestRepos.random(i, 100_000)}, in {@code dir}; their ids. */
  private List<String> versions(Path dir, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    try (DatasetRepository writer = DatasetRepository.open(dir, TestRepos.SMALL)) {
      for (int i = 0; i < n; i++) {
        Path src = Files.createDirectories(tmp.resolve("src-" + i));
        Files.write(src.resolve("f.bin"), TestRepos.random(i, 100_000));
        Dataset ds = Dataset.create(writer, CreateOptions.of("p", "v" + i).build());
        ds.addFiles(AddOptions.of(src));
        ids.add(ds.close().id());
      }
    }
    return ids;
  }
}
