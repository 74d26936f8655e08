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

/**
 * What a cached version folder held when it was built: its number of files, their bytes, and a
 * time no file in it was modified after (spec/datasets.md, "Local cache"). A {@code get} that
 * finds the folder compares it with one walk of stats, and rebuilds a folder whose files were
 * written to, replaced, added or deleted since: the folder is handed out as the version, and its
 * files are the content cache itself.
 *
 * <p>Content files are dated {@code 2 * MARGIN_MILLIS} before they are written, and the stamp's
 * time is {@code MARGIN_MILLIS} before the build's end: a file written after the build, even
 * within the file system clock's tick, is newer than the stamp; no file of an untouched folder is.
 *
 * @param builtAtMillis no file of an untouched folder is newer (the build's end less the margin,
 *     or the newest file's time if a clock ran ahead)
 */
record FolderStamp(long files, long bytes, long builtAtMillis) {
  /** Between a content file's date and the stamp's time, and between the stamp's time and the build's end. */
  static final long MARGIN_MILLIS = 1000;

  /** A stamp that matches any folder: one built by a release that wrote none. */
  static final FolderStamp UNKNOWN = new FolderStamp(-1, -1, Long.MAX_VALUE);

  /** The stamp of a folder as it is now. */
  static FolderStamp of(Path folder) throws IOException {
    long[] sum = new long[3];
    sum[2] = System.currentTimeMillis() - MARGIN_MILLIS;
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        sum[0]++;
        sum[1] += a.size();
        sum[2] = Math.max(sum[2], a.lastModifiedTime().toMillis());
        return FileVisitResult.CONTINUE;
      }
    });
    return new FolderStamp(sum[0], sum[1], sum[2]);
  }

  /** Whether {@code folder} still holds as many files, as many bytes, none modified since the build. */
  boolean matches(Path folder) throws IOException {
    if (this == UNKNOWN) {
      return true;
    }
    long[] seen = new long[2];
    boolean[] newer = {false};
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
        seen[0]++;
        seen[1] += a.size();
        if (a.lastModifiedTime().toMillis() > builtAtMillis) {
          newer[0] = true;
          return FileVisitResult.TERMINATE;
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return !newer[0] && seen[0] == files && seen[1] == bytes;
  }

  /** The stamp of the folder {@code name} under {@code dir}, or {@link #UNKNOWN}. */
  static FolderStamp read(Path dir, String name) throws IOException {
    try {
      String[] f = Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim().split(" ");
      return new FolderStamp(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
    } catch (NoSuchFileException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return UNKNOWN;
    }
  }

  /** Writes it under {@code dir} as {@code name}, atomically (before the folder takes its name). */
  void write(Path dir, String name, Path tmpDir) throws IOException {
    Path tmp = tmpDir.resolve(AtomicFiles.tempName("stamp-"));
    Files.writeString(tmp, files + " " + bytes + " " + builtAtMillis + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
