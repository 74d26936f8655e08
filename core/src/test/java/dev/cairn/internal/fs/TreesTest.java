package dev.cairn.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreesTest {
  @TempDir Path tmp;

  @Test
  void regularFilesReportsSizesAndSkipsLinksAndFolders() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("a/b"));
    Files.write(root.resolve("a/b/one"), new byte[7]);
    Files.write(root.resolve("two"), new byte[3]);
    Files.createSymbolicLink(root.resolve("link"), root.resolve("two"));
    assertThat(Trees.regularFiles(root))
        .extracting(f -> root.relativize(f.path()).toString() + "=" + f.size())
        .containsExactlyInAnyOrder("a/b/one=7", "two=3");
    assertThat(Trees.regularFiles(tmp.resolve("absent"))).isEmpty();
  }

  @Test
  void walkingNeverFailsWhileAnotherThreadCreatesAndDeletesFiles() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("d"));
    Files.write(root.resolve("stays"), new byte[1]);
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Integer> churn = pool.submit(() -> {
      int n = 0;
      while (!done.get()) {
        Path dir = root.resolve("d/" + (n % 4));
        Files.createDirectories(dir);
        Files.write(dir.resolve("f" + n), new byte[1]);
        Trees.delete(dir);
        n++;
      }
      return n;
    });
    try {
      for (int i = 0; i < 3000; i++) {
        assertThat(Trees.regularFiles(root)).extracting(Trees.FileEntry::path).contains(root.resolve("stays"));
      }
    } finally {
      done.set(true);
      pool.shutdown();
    }
    assertThat(churn.get()).isPositive();
  }

  @Test
  void twoThreadsDeletingOneTreeBothSucceed() throws Exception {
    for (int round = 0; round < 50; round++) {
      Path root = tmp.resolve("t" + round);
      for (int d = 0; d < 20; d++) {
        Files.createDirectories(root.resolve("d" + d));
        for (int f = 0; f < 20; f++) {
          Files.write(root.resolve("d" + d + "/f" + f), new byte[1]);
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<?>> both = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        both.add(pool.submit(() -> {
          Trees.delete(root);
          return null;
        }));
      }
      for (Future<?> f : both) {
        f.get();
      }
      pool.shutdown();
      assertThat(root).doesNotExist();
    }
  }
}
