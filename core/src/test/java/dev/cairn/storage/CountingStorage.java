package dev.cairn.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** Counts the calls made to a storage and the bytes read from it. */
public final class CountingStorage implements RemoteStorage {
  private final RemoteStorage inner;
  public final AtomicLong calls = new AtomicLong();
  public final AtomicLong bytesRead = new AtomicLong();
  public final AtomicLong publishes = new AtomicLong();
  /** Names whose reads fail as a file this user may not read would (tests run as root). */
  public volatile Predicate<String> denied = name -> false;

  public CountingStorage(RemoteStorage inner) {
    this.inner = inner;
  }

  private void deny(String name) throws IOException {
    if (denied.test(name)) {
      throw new AccessDeniedException(name);
    }
  }

  @Override
  public URI uri() {
    return inner.uri();
  }

  @Override
  public List<RemoteFile> list(String prefix) throws IOException {
    calls.incrementAndGet();
    return inner.list(prefix);
  }

  @Override
  public long size(String name) throws IOException {
    calls.incrementAndGet();
    return inner.size(name);
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    calls.incrementAndGet();
    bytesRead.addAndGet(length);
    deny(name);
    return inner.read(name, offset, length);
  }

  @Override
  public InputStream open(String name) throws IOException {
    calls.incrementAndGet();
    deny(name);
    return inner.open(name);
  }

  @Override
  public void publish(String name, Path source) throws IOException {
    calls.incrementAndGet();
    publishes.incrementAndGet();
    inner.publish(name, source);
  }

  @Override
  public boolean createIfAbsent(String name, byte[] data) throws IOException {
    calls.incrementAndGet();
    return inner.createIfAbsent(name, data);
  }

  @Override
  public void delete(String name) throws IOException {
    calls.incrementAndGet();
    inner.delete(name);
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }

  @Override
  public URI enclosing(String name) throws IOException {
    return inner.enclosing(name);
  }
}
