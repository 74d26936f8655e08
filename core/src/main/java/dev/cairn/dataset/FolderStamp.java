package dev.cairn.dataset;

import dev.cairn.internal.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a cached version folder held when it was built: its number of files and their bytes
 * (spec/datasets.md, "Local cache"). Every content file of the cache carries one fixed
 * modification time, {@link #SENTINEL}, which no write leaves behind. A {@code get} that finds the
 * folder walks it once (stats only) and returns it only if it holds as many files and bytes as
 * when built and every file still has that time; else the folder was written to, added to or
 * deleted from, and is built again. No clock is compared with another.
 */
record FolderStamp(long files, long bytes) {
  /** The modification time of every cached content file: 2000-01-01T00:00:00Z. */
  static final FileTime SENTINEL = FileTime.fromMillis(946_684_800_000L);

  /** Whether {@code t} is {@link #SENTINEL} (to the millisecond, whatever the file system keeps beyond). */
  static boolean isSentinel(FileTime t) {
    return t.toMillis() == SENTINEL.toMillis();
  }

  /** The stamp of a folder as it is now. */
  static FolderStamp of(Path folder) throws IOException {
    long[] sum = new long[2];
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        sum[0]++;
        sum[1] += a.size();
        return FileVisitResult.CONTINUE;
      }
    });
    return new FolderStamp(sum[0], sum[1]);
  }

  /** Whether {@code folder} still holds as many files and bytes, every file with the sentinel time. */
  boolean matches(Path folder) throws IOException {
    long[] seen = new long[2];
    boolean[] written = {false};
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        seen[0]++;
        seen[1] += a.size();
        if (!isSentinel(a.lastModifiedTime())) {
          written[0] = true;
          return FileVisitResult.TERMINATE;
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return !written[0] && seen[0] == files && seen[1] == bytes;
  }

  /**
   * The stamp of the folder {@code name} under {@code dir}, or null if there is none (lost with an
   * eviction racing a build, say): a folder without one is built again, never trusted unchecked.
   */
  static FolderStamp read(Path dir, String name) throws IOException {
    try {
      String[] f = Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim().split(" ");
      return new FolderStamp(Long.parseLong(f[0]), Long.parseLong(f[1]));
    } catch (NoSuchFileException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Writes it under {@code dir} as {@code name}, atomically (before the folder takes its name). */
  void write(Path dir, String name, Path tmpDir) throws IOException {
    Path tmp = tmpDir.resolve(AtomicFiles.tempName("stamp-"));
    Files.writeString(tmp, files + " " + bytes + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
