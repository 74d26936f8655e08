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
 * What a cached version folder held when it was built: its number of files, their bytes, and a
 * sum over its files of their paths, inodes and sizes (spec/datasets.md, "Local cache"). Every
 * content file of the cache carries one fixed modification time, {@link #SENTINEL}, which no write
 * leaves behind. A {@code get} that finds the folder walks it once (stats only) and returns it
 * only if all of that is as when built and every file still has that time; else the folder was
 * written to, or had files replaced, renamed, added or deleted, and is built again. No clock is
 * compared with another.
 */
record FolderStamp(long files, long bytes, long layout) {
  /** The modification time of every cached content file: 2000-01-01T00:00:00Z. */
  static final FileTime SENTINEL = FileTime.fromMillis(946_684_800_000L);

  /** Whether {@code t} is {@link #SENTINEL} (to the millisecond, whatever the file system keeps beyond). */
  static boolean isSentinel(FileTime t) {
    return t.toMillis() == SENTINEL.toMillis();
  }

  /** The stamp of a folder as it is now. */
  static FolderStamp of(Path folder) throws IOException {
    Walk w = new Walk(folder);
    Files.walkFileTree(folder, w);
    return new FolderStamp(w.files, w.bytes, w.layout);
  }

  /**
   * Whether {@code folder} still holds the same files, by name, inode and size, and every one
   * with the sentinel time: a file written to, replaced, renamed, added or deleted fails it.
   */
  boolean matches(Path folder) throws IOException {
    Walk w = new Walk(folder);
    try {
      Files.walkFileTree(folder, w);
    } catch (NoSuchFileException goneMidWalk) {
      return false; // evicted or rebuilt by another process meanwhile: not as stamped
    }
    return !w.written && w.files == files && w.bytes == bytes && w.layout == layout;
  }

  /** Sums over the files of a folder, in any order. */
  private static final class Walk extends SimpleFileVisitor<Path> {
    final Path root;
    long files;
    long bytes;
    /** The sum of a 64-bit mix of each file's path, file key (device and inode) and size. */
    long layout;
    boolean written;

    Walk(Path root) {
      this.root = root;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
      files++;
      bytes += a.size();
      layout += mix(root.relativize(file) + "\u0000" + a.fileKey() + "\u0000" + a.size());
      if (!isSentinel(a.lastModifiedTime())) {
        written = true;
        return FileVisitResult.TERMINATE;
      }
      return FileVisitResult.CONTINUE;
    }
  }

  /** FNV-1a over the UTF-16 units, then a finalizing mix (splitmix64's): well spread, not cryptographic. */
  private static long mix(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  /**
   * The stamp of the folder {@code name} under {@code dir}, or null if there is none (lost with an
   * eviction racing a build, say): a folder without one is built again, never trusted unchecked.
   */
  static FolderStamp read(Path dir, String name) throws IOException {
    try {
      String[] f = Files.readString(dir.resolve(name), StandardCharsets.US_ASCII).trim().split(" ");
      return new FolderStamp(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseUnsignedLong(f[2], 16));
    } catch (NoSuchFileException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  /** Writes it under {@code dir} as {@code name}, atomically (before the folder takes its name). */
  void write(Path dir, String name, Path tmpDir) throws IOException {
    Path tmp = tmpDir.resolve(AtomicFiles.tempName("stamp-"));
    Files.writeString(tmp, files + " " + bytes + " " + Long.toHexString(layout) + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
