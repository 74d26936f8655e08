package dev.cairn.dataset;

import dev.cairn.internal.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * What a cached version folder held when it was built: its number of files, their bytes, and a
 * sum over its files of their paths, inodes, sizes and modes (spec/datasets.md, "Local cache").
 * Every content file of the cache carries one fixed modification time, {@link #SENTINEL}, which no
 * write leaves behind, and a read-only mode. A {@code get} that finds the folder walks it once (stats only) and returns it
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

  /** The mode of every cached content file: {@code r--r--r--}. */
  static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
  /** The mode of every cached executable: {@code r-xr-xr-x}. */
  static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("r-xr-xr-x");

  /**
   * Whether a cached file is as the cache wrote it: the sentinel time and, where the file system
   * keeps POSIX modes, {@link #READ_ONLY} or {@link #EXECUTABLE} (a {@code chmod} leaves the time
   * alone, and would change what every folder linking the file hands out).
   */
  static boolean asWritten(BasicFileAttributes a) {
    return asWritten(a.lastModifiedTime(), mode(a));
  }

  private static boolean asWritten(FileTime time, Set<PosixFilePermission> mode) {
    return isSentinel(time) && (mode == null || mode.equals(READ_ONLY) || mode.equals(EXECUTABLE));
  }

  /** As {@link #asWritten}, and executable exactly when {@code executable} (where modes are kept). */
  static boolean asWritten(BasicFileAttributes a, boolean executable) {
    Set<PosixFilePermission> mode = mode(a);
    return asWritten(a) && (mode == null || mode.equals(executable ? EXECUTABLE : READ_ONLY));
  }

  /** The file's POSIX mode, or null where the file system keeps none. */
  private static Set<PosixFilePermission> mode(BasicFileAttributes a) {
    return a instanceof PosixFileAttributes p ? p.permissions() : null;
  }

  /** The stamp of a folder as it is now. */
  static FolderStamp of(Path folder) throws IOException {
    Walk w = new Walk(folder);
    w.walk(folder);
    return new FolderStamp(w.files, w.bytes, w.layout);
  }

  /**
   * Whether {@code folder} still holds the same files, by name, inode, size and mode, and every
   * one as the cache wrote it ({@link #asWritten}): a file written to, replaced, renamed, added,
   * deleted or given another mode fails it.
   */
  boolean matches(Path folder) throws IOException {
    Walk w = new Walk(folder);
    try {
      if (!w.walk(folder)) {
        return false;
      }
    } catch (NoSuchFileException goneMidWalk) {
      return false; // evicted or rebuilt by another process meanwhile: not as stamped
    }
    return w.files == files && w.bytes == bytes && w.layout == layout;
  }

  /**
   * A file's attributes, not following links: POSIX ones (with the mode, from the same single
   * {@code stat}) where the file system keeps them.
   */
  static BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException noModes) {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** Sums over the files of a folder, in any order. */
  private static final class Walk {
    final Path root;
    long files;
    long bytes;
    /** The sum of a 64-bit mix of each file's path, file key (device and inode), size and mode. */
    long layout;

    Walk(Path root) {
      this.root = root;
    }

    /** Walks {@code dir} (links are not followed); false at the first file not as written. */
    boolean walk(Path dir) throws IOException {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path p : entries) {
          BasicFileAttributes a = attributes(p);
          if (a.isDirectory() ? !walk(p) : !visit(p, a)) {
            return false;
          }
        }
      }
      return true;
    }

    private boolean visit(Path file, BasicFileAttributes a) {
      files++;
      bytes += a.size();
      Set<PosixFilePermission> mode = mode(a); // a new set at each call: read once
      layout += mix(root.relativize(file) + "\u0000" + a.fileKey() + "\u0000" + a.size()
          + (mode == null ? "" : "\u0000" + PosixFilePermissions.toString(mode)));
      return asWritten(a.lastModifiedTime(), mode);
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
