package dev.cairn.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** A storage that passes every call to another; decorators override what they change. */
public class ForwardingStorage implements RemoteStorage {
  private final RemoteStorage inner;

  public ForwardingStorage(RemoteStorage inner) {
    this.inner = inner;
  }

  /** The wrapped storage. */
  public RemoteStorage inner() {
    return inner;
  }

  @Override
  public URI uri() {
    return inner.uri();
  }

  @Override
  public List<RemoteFile> list(String prefix) throws IOException {
    return inner.list(prefix);
  }

  @Override
  public List<RemoteFile> list(String prefix, int limit) throws IOException {
    return inner.list(prefix, limit);
  }

  @Override
  public long size(String name) throws IOException {
    return inner.size(name);
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    return inner.read(name, offset, length);
  }

  @Override
  public InputStream open(String name) throws IOException {
    return inner.open(name);
  }

  @Override
  public void publish(String name, Path source) throws IOException {
    inner.publish(name, source);
  }

  @Override
  public boolean createIfAbsent(String name, byte[] data) throws IOException {
    return inner.createIfAbsent(name, data);
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
    inner.delete(name);
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
