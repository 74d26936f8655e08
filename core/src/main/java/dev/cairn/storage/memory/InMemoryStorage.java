package dev.cairn.storage.memory;

import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** A remote held in memory, for tests. Thread-safe. */
public final class InMemoryStorage implements RemoteStorage {
  private final URI uri;
  private final ConcurrentSkipListMap<String, byte[]> files = new ConcurrentSkipListMap<>();

  public InMemoryStorage(String name) {
    this.uri = URI.create("memory://" + name);
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public List<RemoteFile> list(String prefix) {
    List<RemoteFile> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : files.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      out.add(new RemoteFile(e.getKey(), e.getValue().length));
    }
    return out;
  }

  @Override
  public long size(String name) {
    byte[] b = files.get(name);
    return b == null ? -1 : b.length;
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    byte[] b = files.get(name);
    if (b == null) {
      throw StorageException.notFound(name);
    }
    if (offset < 0 || offset + length > b.length) {
      throw new StorageException("Cannot read " + name + ": file ends before byte " + (offset + length), false);
    }
    return Arrays.copyOfRange(b, (int) offset, (int) offset + length);
  }

  @Override
  public InputStream open(String name) throws IOException {
    byte[] b = files.get(name);
    if (b == null) {
      throw StorageException.notFound(name);
    }
    return new ByteArrayInputStream(b);
  }

  @Override
  public void publish(String name, Path source) throws IOException {
    files.putIfAbsent(name, Files.readAllBytes(source));
  }

  @Override
  public boolean createIfAbsent(String name, byte[] data) {
    return files.putIfAbsent(name, data.clone()) == null;
  }

  @Override
  public void delete(String name) {
    files.remove(name);
  }

  @Override
  public void close() {}
}
