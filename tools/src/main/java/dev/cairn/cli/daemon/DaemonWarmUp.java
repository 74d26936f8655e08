package dev.cairn.cli.daemon;

import dev.cairn.cli.Main;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** The daemon's warm-up: what it runs before it serves, so that its first command is compiled. */
final class DaemonWarmUp {
  private DaemonWarmUp() {}

  /**
   * Runs typical commands on a small generated dataset in a temporary folder for a few seconds
   * before the socket opens, so that the JIT has compiled the hot paths (folder scan, stat cache,
   * manifest walk, chunking, hashing, packs) before the first real command: in a fresh JVM an
   * unchanged sync of 6,330 files took 180 ms, and 45 ms once warm. Returns the number of
   * commands run; {@code -Dcairn.daemon.warmupMillis} sets the budget (default 4 s).
   */
  static int run() throws IOException {
    long t0 = System.nanoTime();
    long budget = Long.getLong("cairn.daemon.warmupMillis", 4000) * 1_000_000L;
    Path dir = Files.createTempDirectory("cairn-daemon-warmup");
    int commands = 0;
    // Its commands never see the user's remote ($CAIRN_STORAGE): they would upload the warm-up's
    // dataset there, and search and get would list and fetch from it.
    DatasetRepository.setAsideEnvironmentStorage(true);
    // Deleted at exit too: a daemon stopped while it warms up (kill -TERM) leaves nothing behind.
    try (var atExit = ExitCleanup.register(dir)) {
      Path data = dir.resolve("data");
      Random random = new Random(42);
      for (int i = 0; i < 500; i++) {
        Path f = data.resolve("d" + i % 16).resolve("f" + i + (i % 3 == 0 ? ".csv" : ".bin"));
        Files.createDirectories(f.getParent());
        byte[] b = new byte[64 + random.nextInt(4096)];
        if (i % 3 == 0) {
          Arrays.fill(b, (byte) ('a' + i % 26));
        } else {
          random.nextBytes(b);
        }
        Files.write(f, b);
      }
      byte[] big = new byte[3 << 20];
      random.nextBytes(big);
      Files.write(data.resolve("big.bin"), big);
      String repo = dir.resolve("repo").toString();
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      // One round at least, however slow the machine: a warm-up that ran nothing compiled nothing.
      for (int round = 0; round == 0 || System.nanoTime() - t0 < budget && round < 200; round++) {
        if (round % 4 == 1) {
          Files.writeString(data.resolve("d1").resolve("f" + round + ".txt"), "round " + round);
        }
        String[][] cmds = {
            {"--repo", repo, "sync", "--project", "warmup", "--name", "w", "--folder", data.toString()},
            {"--repo", repo, "list", "--project", "warmup", "--name", "w"},
            {"--repo", repo, "search"},
            {"--repo", repo, "log", "--project", "warmup", "--name", "w"},
            {"--repo", repo, "get", "--project", "warmup", "--name", "w"}};
        for (String[] c : cmds) {
          Main.runOrThrow(sink, sink, false, c);
          commands++;
        }
        if (round % 10 == 0) {
          Main.runOrThrow(sink, sink, false, "--repo", repo, "get", "--project", "warmup", "--name", "w",
              "--copy", dir.resolve("copy" + round).toString());
          commands++;
        }
      }
    } finally {
      DatasetRepository.setAsideEnvironmentStorage(false);
      Trees.delete(dir);
    }
    return commands;
  }
}
