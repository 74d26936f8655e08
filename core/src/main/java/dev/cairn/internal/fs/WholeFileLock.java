package dev.cairn.internal.fs;

import dev.cairn.internal.concurrent.LockTable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * An exclusive lock of a repository's, shared by its processes and their threads: an advisory
 * lock of the operating system on the whole of a file, polled, in front of a lock of this
 * process's threads, which is reentrant (a holder may take it again). It ends with its process
 * however that ends, so nothing stale is left to break. The file stays (a waiter may be locking
 * it): not a leftover.
 */
public final class WholeFileLock implements AutoCloseable {
  private static final LockTable<Path> IN_PROCESS = new LockTable<>();

  /** How often a taker that waits tries the lock of the operating system again. */
  private static final long POLL_MILLIS = 50;

  private final LockTable.Entry<Path> inProcess;
  /** Null when this thread held the lock already. */
  private final FileChannel channel;

  private WholeFileLock(LockTable.Entry<Path> inProcess, FileChannel channel) {
    this.inProcess = inProcess;
    this.channel = channel;
  }

  /**
   * Takes the lock of {@code file} (made, with its folder, if missing), waiting as long as another
   * holds it; {@code whenWaiting} runs once, as the wait begins, if there is one.
   */
  public static WholeFileLock take(Path file, Runnable whenWaiting) throws IOException {
    return take(file, holder -> whenWaiting.run());
  }

  /**
   * As {@link #take(Path, Runnable)}; {@code whenWaiting} is told who holds the lock: "process
   * PID" (each holder writes its pid into the file, for its waiters to say), or "another thread
   * of this process".
   */
  public static WholeFileLock take(Path file, Consumer<String> whenWaiting) throws IOException {
    // By its real path: a repository opened through a link shares the lock of this process's other opening.
    file = Files.createDirectories(file.toAbsolutePath().getParent()).toRealPath().resolve(file.getFileName());
    LockTable.Entry<Path> ours = IN_PROCESS.enter(file);
    boolean waited = false;
    try {
      if (!ours.tryLock()) {
        waited = true;
        whenWaiting.accept("another thread of this process");
        ours.lockInterruptibly();
      }
    } catch (InterruptedException e) {
      ours.leave();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + file);
    }
    if (ours.getHoldCount() > 1) {
      return new WholeFileLock(ours, null);
    }
    // One thread of this process at a time gets here, so this channel is the process's only one
    // on the file, and closing it releases no other thread's lock.
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      // Polled, never a blocking lock(): an interrupt during one would close the channel.
      while (ch.tryLock() == null) {
        if (!waited) {
          waited = true;
          whenWaiting.accept(holder(file));
        }
        Thread.sleep(POLL_MILLIS);
      }
      // Who holds it, for a waiter to say: informative only (the lock is the operating system's).
      ch.truncate(0);
      ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new WholeFileLock(ours, ch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close(ch, ours);
      throw new InterruptedIOException("interrupted while waiting for " + file);
    } catch (IOException | RuntimeException e) {
      close(ch, ours);
      throw e;
    }
  }

  /** "process PID" as the holder of {@code file} wrote it, or "another process" when it cannot be read. */
  private static String holder(Path file) {
    try {
      String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return pid.matches("[0-9]{1,19}") ? "process " + pid : "another process";
    } catch (IOException | RuntimeException unreadable) {
      return "another process";
    }
  }

  private static void close(FileChannel ch, LockTable.Entry<Path> ours) throws IOException {
    try {
      if (ch != null) {
        ch.close(); // releases the lock of the operating system, if taken
      }
    } finally {
      ours.release();
    }
  }

  @Override
  public void close() throws IOException {
    close(channel, inProcess);
  }
}
