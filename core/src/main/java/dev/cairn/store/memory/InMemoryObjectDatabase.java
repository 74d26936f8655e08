package dev.cairn.store.memory;

import dev.cairn.chunk.ChunkReader;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.chunk.FastCdcChunker;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.Hasher;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.store.FileContent;
import dev.cairn.store.InsertStats;
import dev.cairn.store.ObjectDatabase;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An object store held in memory, for tests and for tools that build trees they throw away. Same
 * contract as the pack store: objects become visible on flush. Thread-safe.
 */
public final class InMemoryObjectDatabase implements ObjectDatabase {
  private record Stored(ObjectType type, byte[] bytes) {}

  private final HashAlgorithm algorithm;
  private final ChunkerParams chunkerParams;
  private final ConcurrentSkipListMap<ObjectId, Stored> objects = new ConcurrentSkipListMap<>();

  public InMemoryObjectDatabase(HashAlgorithm algorithm, ChunkerParams chunkerParams) {
    this.algorithm = algorithm;
    this.chunkerParams = chunkerParams;
  }

  @Override
  public HashAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public ChunkerParams chunkerParams() {
    return chunkerParams;
  }

  @Override
  public boolean has(ObjectId id) {
    return objects.containsKey(id);
  }

  /** Number of stored objects. */
  public int size() {
    return objects.size();
  }

  /** Replaces an object's bytes, to simulate damage in tests. */
  public void corrupt(ObjectId id, byte[] bytes) {
    objects.computeIfPresent(id, (k, v) -> new Stored(v.type(), bytes.clone()));
  }

  @Override
  public ObjectInserter newInserter() {
    return new Inserter();
  }

  @Override
  public ObjectReader newReader() {
    return new Reader();
  }

  @Override
  public void close() {}

  private final class Inserter implements ObjectInserter {
    private final Map<ObjectId, Stored> pending = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong rawWritten = new AtomicLong();
    private final AtomicLong rawSkipped = new AtomicLong();

    @Override
    public ObjectId insert(ObjectType type, byte[] data, int off, int len) {
      ObjectId id = algorithm.hash(data, off, len);
      byte[] copy = Arrays.copyOfRange(data, off, off + len);
      if (objects.containsKey(id) || pending.putIfAbsent(id, new Stored(type, copy)) != null) {
        skipped.incrementAndGet();
        rawSkipped.addAndGet(len);
      } else {
        written.incrementAndGet();
        rawWritten.addAndGet(len);
      }
      return id;
    }

    @Override
    public FileContent insertFile(InputStream in) throws IOException {
      ChunkReader r = new ChunkReader(new FastCdcChunker(chunkerParams), in);
      Hasher whole = algorithm.newHasher();
      List<ChunkRef> refs = new ArrayList<>();
      long size = 0;
      for (byte[] c = r.next(); c != null; c = r.next()) {
        whole.update(c);
        size += c.length;
        refs.add(new ChunkRef(insert(ObjectType.CHUNK, c), c.length));
      }
      ObjectId digest = whole.digest();
      if (refs.size() < 2) {
        return new FileContent(size, digest, digest);
      }
      ObjectId fileId = insert(ObjectType.FILE, FileObjectFormat.encode(new FileObject(size, digest, refs)));
      return new FileContent(size, digest, fileId);
    }

    @Override
    public ObjectReader newReader() {
      Reader published = new Reader();
      return new ObjectReader() {
        @Override
        public ObjectLoader open(ObjectId id) throws IOException {
          Stored s = pending.get(id);
          return s != null ? new ObjectLoader(id, s.type(), s.bytes()) : published.open(id);
        }

        @Override
        public boolean has(ObjectId id) {
          return pending.containsKey(id) || published.has(id);
        }

        @Override
        public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) {
          return published.resolve(prefix, limit);
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void flush() {
      objects.putAll(pending);
      pending.clear();
    }

    @Override
    public InsertStats stats() {
      return new InsertStats(written.get(), skipped.get(), rawWritten.get(), rawWritten.get(), rawSkipped.get());
    }

    @Override
    public void close() {
      pending.clear();
    }
  }

  private final class Reader implements ObjectReader {
    @Override
    public ObjectLoader open(ObjectId id) throws IOException {
      Stored s = objects.get(id);
      if (s == null) {
        throw new MissingObjectException(id);
      }
      if (!algorithm.hash(s.bytes()).equals(id)) {
        throw new CorruptObjectException(id, CorruptObjectException.Reason.HASH_MISMATCH, "memory", null);
      }
      return new ObjectLoader(id, s.type(), s.bytes());
    }

    @Override
    public boolean has(ObjectId id) {
      return objects.containsKey(id);
    }

    @Override
    public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) {
      List<ObjectId> out = new ArrayList<>();
      for (ObjectId id : objects.tailMap(prefix.lowerBound()).keySet()) {
        if (!prefix.matches(id) || out.size() >= limit) {
          break;
        }
        out.add(id);
      }
      return out;
    }

    @Override
    public void close() {}
  }
}
