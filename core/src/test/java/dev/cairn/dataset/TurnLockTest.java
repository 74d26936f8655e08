package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TurnLockTest {
  @TempDir Path tmp;

  /** Whether another process can lock the byte of {@code id} in the fetches' lock file now. */
  private boolean freeForAnotherProcess(Path file, String id) throws IOException, InterruptedException {
    Path probe = tmp.resolve("Probe.java");
    Files.writeString(probe, """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        class Probe {
          public static void main(String[] a) throws Exception {
            try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.WRITE)) {
              System.out.println(ch.tryLock(Long.parseLong(a[1]), 1, false) != null ? "free" : "held");
            }
          }
        }
        """);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), probe.toString(),
        file.toString(), String.valueOf(TurnLock.offset(id))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    return out.equals("free");
  }

  @Test
  void aFetchThatEndsDoesNotReleaseTheLockOfAnotherFetchOfThisProcess() throws Exception {
    Path file = tmp.resolve("tmp").resolve(TurnLock.FILE_NAME);
    String a = "a".repeat(32);
    String b = "b".repeat(32);
    try (TurnLock first = TurnLock.take(tmp.resolve("tmp"), a, Progress.NONE)) {
      Thread other = new Thread(() -> {
        try (TurnLock second = TurnLock.take(tmp.resolve("tmp"), b, Progress.NONE)) {
          // fetched
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      other.start();
      other.join();
      // Closing a descriptor of the file releases every lock the process holds there: the other
      // fetch must not have closed one of its own.
      assertThat(freeForAnotherProcess(file, a)).as("a fetch still going on holds its version").isFalse();
      assertThat(freeForAnotherProcess(file, b)).isTrue();
      assertThat(SharedLockFile.openFiles()).isOne();
    }
    assertThat(freeForAnotherProcess(file, a)).isTrue();
    assertThat(SharedLockFile.openFiles()).isZero();
  }

  @Test
  void twoVersionsOfOneByteTakeTurnsAndAnInterruptedWaitReleasesNothing() throws Exception {
    // "Aa" and "BB" have one hash code: so have these two ids, whose locks are one byte of the file.
    String first = "Aa" + "0".repeat(30);
    String second = "BB" + "0".repeat(30);
    assertThat(TurnLock.offset(first)).isEqualTo(TurnLock.offset(second));
    Path file = tmp.resolve("tmp").resolve(TurnLock.FILE_NAME);
    try (TurnLock held = TurnLock.take(tmp.resolve("tmp"), first, Progress.NONE)) {
      java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
      Thread waiter = new Thread(() -> {
        try (TurnLock other = TurnLock.take(tmp.resolve("tmp"), second, Progress.NONE)) {
          failed.set(new AssertionError("taken while the other held the byte"));
        } catch (IOException | RuntimeException e) {
          failed.set(e);
        }
      });
      waiter.start();
      Thread.sleep(300);
      assertThat(waiter.isAlive()).as("waits for its turn").isTrue();
      waiter.interrupt();
      waiter.join(30_000);
      assertThat(failed.get()).isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(freeForAnotherProcess(file, first)).as("the interrupted wait released nothing").isFalse();
    }
    try (TurnLock later = TurnLock.take(tmp.resolve("tmp"), second, Progress.NONE)) {
      assertThat(freeForAnotherProcess(file, second)).isFalse();
    }
  }

  /** Two uploads of one version at once send it once: the second waits, then finds it there. */
  @Test
  void twoUploadsOfOneVersionAtOnceSendItOnce() throws Exception {
    String remote = tmp.resolve("remote").toString();
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), dev.cairn.testing.TestRepos.SMALL)) {
      Path src = Files.createDirectories(tmp.resolve("src"));
      Files.write(src.resolve("a.bin"), dev.cairn.testing.TestRepos.random(5, 3_000_000));
      Dataset v = Dataset.create(repo, CreateOptions.of("p", "twice").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
      Progress first = new Progress() {
        @Override
        public void start(String task, long totalBytes) {
          started.countDown();
          try {
            Thread.sleep(300); // the other upload comes meanwhile
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var one = pool.submit(() -> v.upload(remote, null, first));
        started.await();
        var two = pool.submit(() -> repo.get(v.id()).upload(remote, null, Progress.NONE));
        long sent = one.get().objectsUploaded() + two.get().objectsUploaded();
        assertThat(one.get().objectsUploaded()).isPositive();
        assertThat(sent).as("the second found everything there").isEqualTo(one.get().objectsUploaded());
      } finally {
        pool.shutdownNow();
      }
      assertThat(v.record().log().stream().filter(e -> e.command().equals("upload"))).as("one upload logged").hasSize(1);
    }
  }
}
