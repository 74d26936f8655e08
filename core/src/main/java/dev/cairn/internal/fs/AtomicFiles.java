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

  /** A fresh, unused temporary path in {@code tmpDir}. */
  public static Path tempPath(Path tmpDir, String prefix) {
    return tmpDir.resolve(prefix + UUID.randomUUID() + ".tmp");
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
