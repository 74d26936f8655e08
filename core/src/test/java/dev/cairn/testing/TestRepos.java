package dev.cairn.testing;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.internal.pack.PackSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small repositories and seeded data for tests. */
public final class TestRepos {
  private TestRepos() {}

  /** Small chunks and packs, so that tests exercise many of each with little data. */
  public static final RepositoryConfig SMALL = RepositoryConfig.DEFAULT
      .withChunker(new ChunkerParams(1024, 4096, 16384, 1))
      .withPack(new PackSettings(256 << 10, 16 << 10, 2048, 3));

  public static Repository create(Path dir) throws IOException {
    return Repository.create(dir, SMALL);
  }

  /** A name as {@code AtomicFiles.tempName(prefix)} makes it in this machine's pid table, but for process {@code pid}. */
  public static String tempNameOfProcess(String prefix, long pid) {
    String own = dev.cairn.internal.fs.AtomicFiles.tempName(prefix);
    return prefix + own.substring(prefix.length()).replaceFirst("^p" + ProcessHandle.current().pid(), "p" + pid);
  }

  public static byte[] random(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Text-like bytes that compress well. */
  public static byte[] text(long seed, int n) {
    Random r = new Random(seed);
    String[] words = {"alpha", "beta", "gamma", "delta", "label", "image", "0.125", "cat", "dog", "\n", ","};
    StringBuilder sb = new StringBuilder(n + 16);
    while (sb.length() < n) {
      sb.append(words[r.nextInt(words.length)]).append(' ');
    }
    return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Runs a collection without grace once the file system's clock has moved past the newest pack:
   * a pack of the same (coarse) tick as the collection's start counts as young and is kept, so a
   * test that expects what it just wrote to be collected first lets a tick pass.
   */
  public static dev.cairn.gc.GarbageCollector.Result collect(dev.cairn.dataset.DatasetRepository repo, long settleMillis)
      throws IOException {
    awaitClockPastNewestPack(repo);
    return new dev.cairn.gc.GarbageCollector(repo, 0, settleMillis, dev.cairn.dataset.Progress.NONE).run();
  }

  /** The mode a folder made now under {@code dir} gets (the umask's), less {@code taken}. */
  public static java.util.Set<java.nio.file.attribute.PosixFilePermission> folderModeWithout(Path dir,
      java.nio.file.attribute.PosixFilePermission... taken) throws IOException {
    // Not createTempDirectory, which makes rwx------ whatever the umask.
    Path probe = Files.createDirectory(dir.resolve("mode-probe-" + System.nanoTime()));
    try {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(probe);
      java.util.Arrays.asList(taken).forEach(mode::remove);
      return mode;
    } finally {
      Files.delete(probe);
    }
  }

  /**
   * Waits until a file written now gets a later modification time than the newest pack: before a
   * collection without grace that must collect what the test just wrote ({@link #collect}).
   */
  public static void awaitClockPastNewestPack(dev.cairn.dataset.DatasetRepository repo) throws IOException {
    long newest = 0;
    for (Path p : repo.repository().packs().packFiles()) {
      newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
    }
    Path probe = repo.repository().tmpDirectory().resolve("clock-probe");
    for (long t = 0; t <= newest; ) {
      Files.write(probe, new byte[0]);
      t = Files.getLastModifiedTime(probe).toMillis();
      Files.delete(probe);
      if (t <= newest) {
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException();
        }
      }
    }
  }

  /** Copies a closed repository's folder, as a backup would (LMDB's lock file left out). */
  public static void copyRepository(Path from, Path to) throws IOException {
    try (java.util.stream.Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("lock.mdb")) {
          Files.copy(p, target);
        }
      }
    }
  }
}
