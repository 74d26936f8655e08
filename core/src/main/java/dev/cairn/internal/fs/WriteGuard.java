package dev.cairn.internal.fs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seam every local write of Cairn goes through before it touches the disk: packs, records,
 * cache files. It lets tests make the disk "fill up" at an exact byte ({@code cairn.test.diskLimitBytes}
 * for child processes), so that the handling of a full disk is tested for real. In production it
 * only adds a counter.
 */
public final class WriteGuard {
  private static final AtomicLong written = new AtomicLong();
  private static volatile long limit = Long.getLong("cairn.test.diskLimitBytes", Long.MAX_VALUE);

  private WriteGuard() {}

  /**
   * Accounts for {@code bytes} about to be written.
   *
   * @throws IOException "No space left on device" once the limit is passed
   */
  public static void charge(long bytes) throws IOException {
    if (limit == Long.MAX_VALUE) {
      return;
    }
    if (written.addAndGet(bytes) > limit) {
      throw full();
    }
  }

  /**
   * Accounts for {@code bytes} about to be written by a writer that can write part of them, as a
   * full disk lets {@code write(2)} do: how many of them fit before the limit. The writer writes
   * those, then fails with {@link #full()}.
   */
  public static long fits(long bytes) {
    if (limit == Long.MAX_VALUE) {
      return bytes;
    }
    long before = written.getAndAdd(bytes);
    return Math.max(0, Math.min(bytes, limit - before));
  }

  /** The error of a write that found the disk full. */
  public static IOException full() {
    return new FileSystemException(null, null, "No space left on device");
  }

  /** Lets at most {@code bytes} more be written (for tests); {@link Long#MAX_VALUE} lifts the limit. */
  public static void limit(long bytes) {
    written.set(0);
    limit = bytes;
  }
}
