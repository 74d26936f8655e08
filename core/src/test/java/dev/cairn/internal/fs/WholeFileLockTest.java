package dev.cairn.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A taker that must wait is told who holds the lock, so that a command can say whom it waits for. */
class WholeFileLockTest {
  @TempDir Path tmp;

  /** Holds the lock of {@code args[0]} until its standard input ends. */
  public static void main(String[] args) throws Exception {
    try (WholeFileLock held = WholeFileLock.take(Path.of(args[0]), () -> {})) {
      System.out.println("held");
      System.out.flush();
      System.in.read();
    }
  }

  @Test
  void aWaiterIsToldTheHoldersProcess() throws Exception {
    Path file = tmp.resolve("tmp/x.lock");
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), WholeFileLockTest.class.getName(), file.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("held");
      List<String> told = new ArrayList<>();
      Thread release = new Thread(() -> {
        try {
          Thread.sleep(300);
          holder.getOutputStream().close(); // the holder ends, and with it its lock
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      release.start();
      try (WholeFileLock ours = WholeFileLock.take(file, (String who) -> told.add(who))) {
        assertThat(told).containsExactly("process " + holder.pid());
      }
      release.join();
    } finally {
      holder.destroy();
    }
  }
}
