package dev.cairn.storage.wrap;

import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a remote misbehave, for tests: a seeded fraction of calls (or exactly the Nth) fails with a
 * transient error, some before and some after doing their work (so the caller cannot know the
 * outcome), is delayed, or has its data truncated. Counts what it did, so tests can check that
 * faults really fired.
 */
public final class FaultInjectingStorage implements RemoteStorage {
  /** What to do to a call. */
  public enum Fault {
    NONE,
    /** Fail before doing anything. */
    FAIL_BEFORE,
    /** Do the work, then report a failure. */
    FAIL_AFTER,
    /** Wait a little, then do the work. */
    DELAY,
    /** Return or store fewer bytes than asked (reads) / fail a publish halfway (writes). */
    TRUNCATE
  }

  private final RemoteStorage inner;
  private final Random random;
  private final double rate;
  private final int failCallNumber;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger faults = new AtomicInteger();

  private FaultInjectingStorage(RemoteStorage inner, long seed, double rate, int failCallNumber) {
    this.inner = inner;
    this.random = new Random(seed);
    this.rate = rate;
    this.failCallNumber = failCallNumber;
  }

  /** Faults a {@code rate} fraction of calls, chosen by a seeded random sequence. */
  public static FaultInjectingStorage randomly(RemoteStorage inner, long seed, double rate) {
    return new FaultInjectingStorage(inner, seed, rate, -1);
  }

  /** Fails exactly the {@code n}-th call (1-based), before doing its work. */
  public static FaultInjectingStorage failingCall(RemoteStorage inner, int n) {
    return new FaultInjectingStorage(inner, 0, 0, n);
  }

  /** Calls seen so far. */
  public int calls() {
    return calls.get();
  }

  /** Faults injected so far. */
  public int faults() {
    return faults.get();
  }

  private synchronized Fault next() {
    int n = calls.incrementAndGet();
    if (failCallNumber > 0) {
      if (n == failCallNumber) {
        faults.incrementAndGet();
        return Fault.FAIL_BEFORE;
      }
      return Fault.NONE;
    }
    if (random.nextDouble() >= rate) {
      return Fault.NONE;
    }
    faults.incrementAndGet();
    Fault[] kinds = {Fault.FAIL_BEFORE, Fault.FAIL_AFTER, Fault.DELAY, Fault.TRUNCATE};
    return kinds[random.nextInt(kinds.length)];
  }

  private static StorageException injected(String what) {
    return new StorageException("Cannot " + what + ": injected fault", true);
  }

  private static void delay() throws IOException {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  @Override
  public URI uri() {
    return inner.uri();
  }

  @Override
  public List<RemoteFile> list(String prefix) throws IOException {
    Fault f = next();
    if (f == Fault.FAIL_BEFORE || f == Fault.TRUNCATE) {
      throw injected("list " + prefix);
    }
    if (f == Fault.DELAY) {
      delay();
    }
    List<RemoteFile> out = inner.list(prefix);
    if (f == Fault.FAIL_AFTER) {
      throw injected("list " + prefix);
    }
    return out;
  }

  @Override
  public long size(String name) throws IOException {
    Fault f = next();
    if (f == Fault.FAIL_BEFORE || f == Fault.FAIL_AFTER || f == Fault.TRUNCATE) {
      throw injected("stat " + name);
    }
    if (f == Fault.DELAY) {
      delay();
    }
    return inner.size(name);
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    Fault f = next();
    if (f == Fault.FAIL_BEFORE || f == Fault.FAIL_AFTER) {
      throw injected("read " + name);
    }
    if (f == Fault.DELAY) {
      delay();
    }
    byte[] b = inner.read(name, offset, length);
    if (f == Fault.TRUNCATE && b.length > 0) {
      return Arrays.copyOf(b, b.length / 2);
    }
    return b;
  }

  @Override
  public InputStream open(String name) throws IOException {
    Fault f = next();
    if (f != Fault.NONE && f != Fault.DELAY) {
      throw injected("open " + name);
    }
    return inner.open(name);
  }

  @Override
  public void publish(String name, Path source) throws IOException {
    Fault f = next();
    if (f == Fault.FAIL_BEFORE) {
      throw injected("publish " + name);
    }
    if (f == Fault.TRUNCATE) {
      // A writer that dies halfway leaves at most an invisible partial upload: nothing to publish.
      Path half = Files.createTempFile("cairn-fault", ".part");
      try {
        byte[] all = Files.readAllBytes(source);
        Files.write(half, Arrays.copyOf(all, all.length / 2));
      } finally {
        Files.deleteIfExists(half);
      }
      throw injected("publish " + name);
    }
    if (f == Fault.DELAY) {
      delay();
    }
    inner.publish(name, source);
    if (f == Fault.FAIL_AFTER) {
      throw injected("publish " + name);
    }
  }

  @Override
  public boolean createIfAbsent(String name, byte[] data) throws IOException {
    Fault f = next();
    if (f == Fault.FAIL_BEFORE || f == Fault.TRUNCATE) {
      throw injected("create " + name);
    }
    if (f == Fault.DELAY) {
      delay();
    }
    boolean created = inner.createIfAbsent(name, data);
    if (f == Fault.FAIL_AFTER) {
      throw injected("create " + name);
    }
    return created;
  }

  @Override
  public int removeStaleTemporaryFiles(long olderThanMillis) throws IOException {
    return inner.removeStaleTemporaryFiles(olderThanMillis);
  }

  @Override
  public URI enclosing(String name) throws IOException {
    return inner.enclosing(name);
  }

  @Override
  public String missingParent() {
    return inner.missingParent();
  }

  @Override
  public void delete(String name) throws IOException {
    Fault f = next();
    if (f == Fault.FAIL_BEFORE) {
      throw injected("delete " + name);
    }
    inner.delete(name);
    if (f == Fault.FAIL_AFTER) {
      throw injected("delete " + name);
    }
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
