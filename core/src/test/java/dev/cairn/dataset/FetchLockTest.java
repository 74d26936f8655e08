package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchLockTest {
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
        file.toString(), String.valueOf(FetchLock.offset(id))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    return out.equals("free");
  }

  @Test
  void aFetchThatEndsDoesNotReleaseTheLockOfAnotherFetchOfThisProcess() throws Exception {
    Path file = tmp.resolve("tmp").resolve(FetchLock.FILE_NAME);
    String a = "a".repeat(32);
    String b = "b".repeat(32);
    try (FetchLock first = FetchLock.take(tmp.resolve("tmp"), a, Progress.NONE)) {
      Thread other = new Thread(() -> {
        try (FetchLock second = FetchLock.take(tmp.resolve("tmp"), b, Progress.NONE)) {
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
    assertThat(FetchLock.offset(first)).isEqualTo(FetchLock.offset(second));
    Path file = tmp.resolve("tmp").resolve(FetchLock.FILE_NAME);
    try (FetchLock held = FetchLock.take(tmp.resolve("tmp"), first, Progress.NONE)) {
      java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
      Thread waiter = new Thread(() -> {
        try (FetchLock other = FetchLock.take(tmp.resolve("tmp"), second, Progress.NONE)) {
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
    try (FetchLock later = FetchLock.take(tmp.resolve("tmp"), second, Progress.NONE)) {
      assertThat(freeForAnotherProcess(file, second)).isFalse();
    }
  }
}
