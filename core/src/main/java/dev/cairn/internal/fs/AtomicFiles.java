package dev.cairn.internal.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The crash-safe write path: write a temporary file, fsync it, rename it into place, fsync the
 * directory. A reader sees either the old file or the whole new one, never a part.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  private static final long PID = ProcessHandle.current().pid();
  private static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("p(\\d+)-[0-9a-f]{8}-[0-9a-f]{4}-");

  /** A fresh, unused temporary path in {@code tmpDir}. */
  public static Path tempPath(Path tmpDir, String prefix) {
    return tmpDir.resolve(tempName(prefix) + ".tmp");
  }

  /**
   * A fresh name for a temporary file or folder: {@code prefix}, this process's id and a random
   * part, so that a collection can leave a running process's temporary files alone.
   */
  public static String tempName(String prefix) {
    return prefix + "p" + PID + "-" + UUID.randomUUID();
  }

  /** Whether {@code name} was made by {@link #tempName} in a process that still runs. */
  public static boolean ownerAlive(String name) {
    java.util.regex.Matcher m = OWNER.matcher(name);
    if (!m.find()) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Writes {@code data} to {@code target} atomically, replacing any existing file. */
  public static void write(Path target, byte[] data, Path tmpDir) throws IOException {
    Path tmp = tempPath(tmpDir, "." + target.getFileName() + "-");
    try {
      writeAndSync(tmp, data);
      move(tmp, target, true);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code data} to {@code target} only if no file is there yet.
   *
   * @return false if {@code target} already existed (it is left as it was)
   */
  public static boolean createIfAbsent(Path target, byte[] data, Path tmpDir) throws IOException {
    Path tmp = tempPath(tmpDir, "." + target.getFileName() + "-");
    try {
      writeAndSync(tmp, data);
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      fsyncDirectory(target.getParent());
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes and fsyncs a new file. */
  public static void writeAndSync(Path path, byte[] data) throws IOException {
    WriteGuard.charge(data.length);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Renames {@code from} to {@code to} atomically and fsyncs the target directory. */
  public static void move(Path from, Path to, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("Cannot publish " + to + ": the file system cannot rename atomically", e);
    }
    fsyncDirectory(to.getParent());
  }

  /** Makes a directory's entries durable (a rename is not durable until its directory is synced). */
  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open directories for sync; the rename itself stays atomic.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }
}
