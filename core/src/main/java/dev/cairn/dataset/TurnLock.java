package dev.cairn.dataset;

import dev.cairn.internal.concurrent.LockTable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps two fetches of one version apart, so that its data is downloaded once, and two uploads of
 * it, so that it is sent once: the second waits for the first, then finds what it needs here, or
 * there (spec/remote.md, "Fetch" and "Push"). An advisory lock of the operating system on one byte
 * of {@code tmp/fetch.lock} (or {@code tmp/push.lock}), at an offset the version's id gives, which
 * ends with its process however that ends (nothing stale is left to break), in front of a lock of
 * this process's threads; one channel of this process on the file ({@link SharedLockFile}). The
 * file stays: a waiter may be locking it.
 */
final class TurnLock implements AutoCloseable {
  private static final LockTable<Path> IN_PROCESS = new LockTable<>();

  /** What takes turns: each its own file. */
  enum Kind {
    FETCH("fetch.lock", "get"),
    PUSH("push.lock", "upload");

    /** The lock file's name in {@code tmp/}: not a leftover, though it stays. */
    final String fileName;
    private final String command;

    Kind(String fileName, String command) {
      this.fileName = fileName;
      this.command = command;
    }
  }

  private final LockTable.Entry<Path> inProcess;
  private final SharedLockFile file;
  private final FileLock lock;

  private TurnLock(LockTable.Entry<Path> inProcess, SharedLockFile file, FileLock lock) {
    this.inProcess = inProcess;
    this.file = file;
    this.lock = lock;
  }

  /** Takes the fetch lock of version {@code id}, telling {@code progress} when it must wait for another fetch. */
  static TurnLock take(Path tmpDir, String id, Progress progress) throws IOException {
    return take(Kind.FETCH, tmpDir, id, progress);
  }

  /** Takes the {@code kind} lock of version {@code id}, telling {@code progress} when it must wait for another. */
  static TurnLock take(Kind kind, Path tmpDir, String id, Progress progress) throws IOException {
    Path file = Files.createDirectories(tmpDir).resolve(kind.fileName).toAbsolutePath().normalize();
    LockTable.Entry<Path> ours = IN_PROCESS.enter(file.resolve(id));
    boolean waited = false;
    if (!ours.tryLock()) {
      waited = waiting(progress, kind, id);
      try {
        ours.lockInterruptibly();
      } catch (InterruptedException e) {
        ours.leave();
        Thread.currentThread().interrupt();
        progress.finish(); // the wait it started
        throw new InterruptedIOException("interrupted while waiting for another " + kind.command + " of " + id);
      }
    }
    if (ours.getHoldCount() > 1) {
      return new TurnLock(ours, null, null); // a fetch within a fetch of the same version: its file lock is held
    }
    SharedLockFile shared = null;
    try {
      shared = SharedLockFile.open(file);
      FileChannel ch = shared.channel();
      long at = offset(id);
      // Polled, never a blocking lock(): an interrupt during one closes the channel, which every
      // fetch of this process shares, and so releases all their locks.
      FileLock l;
      while ((l = tryLock(ch, at)) == null) {
        if (!waited) {
          waited = waiting(progress, kind, id);
        }
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for another " + kind.command + " of " + id);
        }
      }
      if (waited) {
        waited = false;
        progress.finish();
      }
      return new TurnLock(ours, shared, l);
    } catch (IOException | RuntimeException e) {
      if (waited) {
        progress.finish();
      }
      if (shared != null) {
        shared.release();
      }
      ours.release();
      throw e;
    }
  }

  /** How often a fetch that waits for another tries the lock again. */
  private static final long POLL_MILLIS = 50;

  /**
   * The lock of the byte at {@code at}, or null while another process holds it, or another fetch of
   * this process holds it for a version whose id gives the same byte (the two then take turns).
   */
  private static FileLock tryLock(FileChannel ch, long at) throws IOException {
    try {
      return ch.tryLock(at, 1, false);
    } catch (java.nio.channels.OverlappingFileLockException sameByteInThisProcess) {
      return null;
    }
  }

  /** The fetch lock file's name in {@code tmp/}: not a leftover, though it stays. */
  static final String FILE_NAME = Kind.FETCH.fileName;

  /** The byte of the lock file that stands for version {@code id}: two versions rarely share one, and then wait in turn. */
  static long offset(String id) {
    return id.hashCode() & 0x7fffffffL;
  }

  private static boolean waiting(Progress progress, Kind kind, String id) {
    progress.start("waiting for another " + kind.command + " of " + id.substring(0, Math.min(8, id.length())) + " to finish", -1);
    return true;
  }

  @Override
  public void close() throws IOException {
    try {
      if (file != null) {
        try {
          lock.release();
        } finally {
          file.release();
        }
      }
    } finally {
      inProcess.release();
    }
  }
}
