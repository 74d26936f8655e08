package dev.cairn.storage.wrap;

import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries operations that fail transiently, with exponential backoff and jitter. Permanent
 * failures ({@link StorageException#isTransient()} false) pass through at once. A
 * {@link #createIfAbsent} whose earlier attempt may have succeeded before failing is settled by
 * reading the name back: if it holds our bytes, we created it.
 */
public final class RetryingStorage implements RemoteStorage {
  /**
   * How hard to try: at most {@code maxAttempts}, and no new attempt once the operation has been
   * failing for {@code maxElapsedMillis} (a store that has not answered for that long is down, or
   * frozen: each attempt would wait out the client's timeouts again).
   */
  public record Policy(int maxAttempts, long firstDelayMillis, long maxDelayMillis, long maxElapsedMillis) {
    /**
     * Six attempts within a minute. A store that refuses connections fails each attempt at once;
     * one that accepts them and never answers fails the first after the client's own timeouts (a
     * minute or two), and is not tried again: retries under them had held a command for 19 minutes.
     */
    public static final Policy DEFAULT = new Policy(6, 100, 5_000, 60_000);
    /** For tests: many attempts, no waiting. */
    public static final Policy FAST = new Policy(20, 0, 0, Long.MAX_VALUE);

    public Policy(int maxAttempts, long firstDelayMillis, long maxDelayMillis) {
      this(maxAttempts, firstDelayMillis, maxDelayMillis, Long.MAX_VALUE);
    }
  }

  private final RemoteStorage inner;
  private final Policy policy;

  public RetryingStorage(RemoteStorage inner, Policy policy) {
    this.inner = inner;
    this.policy = policy;
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T retry(String what, Call<T> call) throws IOException {
    long delay = policy.firstDelayMillis();
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (IOException e) {
        boolean retryable = !(e instanceof StorageException se) || se.isTransient();
        long failingMillis = (System.nanoTime() - started) / 1_000_000;
        if (!retryable || attempt >= policy.maxAttempts() || failingMillis >= policy.maxElapsedMillis()) {
          throw e;
        }
        sleep(delay);
        delay = Math.min(policy.maxDelayMillis(), Math.max(1, delay * 2));
      }
    }
  }

  private static void sleep(long millis) throws InterruptedIOException {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }

  @Override
  public URI uri() {
    return inner.uri();
  }

  @Override
  public List<RemoteFile> list(String prefix) throws IOException {
    return retry("list " + prefix, () -> inner.list(prefix));
  }

  @Override
  public List<RemoteFile> list(String prefix, int limit) throws IOException {
    return retry("list " + prefix, () -> inner.list(prefix, limit));
  }

  @Override
  public long size(String name) throws IOException {
    return retry("size " + name, () -> inner.size(name));
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    return retry("read " + name, () -> {
      byte[] b = inner.read(name, offset, length);
      if (b.length != length) {
        throw new StorageException("Cannot read " + name + ": short read", true);
      }
      return b;
    });
  }

  @Override
  public InputStream open(String name) throws IOException {
    return retry("open " + name, () -> inner.open(name));
  }

  @Override
  public void publish(String name, Path source) throws IOException {
    retry("publish " + name, () -> {
      inner.publish(name, source);
      return null;
    });
  }

  @Override
  public boolean createIfAbsent(String name, byte[] data) throws IOException {
    boolean[] failedBefore = {false};
    return retry("create " + name, () -> {
      try {
        boolean created = inner.createIfAbsent(name, data);
        if (!created && failedBefore[0]) {
          // An earlier attempt may have created it before its answer was lost.
          long size = inner.size(name);
          return size == data.length && Arrays.equals(inner.read(name, 0, data.length), data);
        }
        return created;
      } catch (IOException e) {
        failedBefore[0] = true;
        throw e;
      }
    });
  }

  @Override
  public int removeStaleTemporaryFiles(long olderThanMillis) throws IOException {
    return retry("remove temporary files", () -> inner.removeStaleTemporaryFiles(olderThanMillis));
  }

  @Override
  public URI enclosing(String name) throws IOException {
    return retry("look above", () -> inner.enclosing(name));
  }

  @Override
  public String missingParent() {
    return inner.missingParent();
  }

  @Override
  public void delete(String name) throws IOException {
    retry("delete " + name, () -> {
      inner.delete(name);
      return null;
    });
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }

  /** The wrapped storage. */
  public RemoteStorage inner() {
    return inner;
  }
}
