package dev.cairn.internal.pack;

import dev.cairn.chunk.ChunkGuide;
import dev.cairn.chunk.ChunkReader;
import dev.cairn.chunk.FastCdcChunker;
import dev.cairn.errors.CairnException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.Hasher;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.internal.io.ByteWriter;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.store.FileContent;
import dev.cairn.store.InsertStats;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes objects into packs. Hashing and compression run in the calling threads (and, for the
 * chunks of a large file, in the database's worker threads); appends to the open pack are
 * serialized. Objects below {@link PackSettings#smallObjectLimit()} are grouped into blocks of
 * about {@link PackSettings#blockTargetBytes()} so that they compress together.
 *
 * <p>A pack that reaches the target size is published at once, by the thread whose append filled
 * it, while the others append to the next pack (its fsync does not hold them up); {@link #flush()}
 * publishes the rest and waits for those in progress. Thread-safe.
 */
final class PackInserter implements ObjectInserter {
  /** Chunks of one file being hashed and compressed at once, bounding memory to a few chunks. */
  private static final int MAX_CHUNKS_IN_FLIGHT = 8;
  /** Files expected to hold at most this many maximum-size chunks are stored without the workers. */
  private static final int INLINE_CHUNKS = 4;

  private final PackObjectDatabase db;
  private final PackSettings settings;
  private final ThreadLocal<Hasher> hasher;
  private final FastCdcChunker chunker;
  /** Ids written to the open pack or the open group, not yet in the index. */
  private final Set<ObjectId> pending = ConcurrentHashMap.newKeySet();
  /** Bytes of the unpublished metadata objects (not chunks), for {@link #newReader()}. */
  private final Map<ObjectId, PendingObject> pendingMetadata = new ConcurrentHashMap<>();
  /** Packs whose modification time this inserter refreshed. */
  private final Set<String> freshened = ConcurrentHashMap.newKeySet();
  /** Ids found stored and not written again; checked at flush. */
  private final Set<ObjectId> reused = ConcurrentHashMap.newKeySet();

  private record PendingObject(ObjectType type, byte[] bytes) {}

  private final Object writeLock = new Object();
  private PackWriter writer;
  /** Full packs taken from {@link #writer} and being published. Guarded by {@link #writeLock}. */
  private int publishing;
  /** Why publishing a full pack failed, for {@link #flush()}. Guarded by {@link #writeLock}. */
  private Exception publishFailure;

  /** Small chunks, grouped into blocks of the configured size for a good compression ratio. */
  private final Group dataGroup;
  /** File objects, tree nodes and versions: smaller blocks, since they are read one at a time. */
  private final Group metadataGroup;

  private final AtomicLong objectsWritten = new AtomicLong();
  private final AtomicLong objectsSkipped = new AtomicLong();
  private final AtomicLong rawWritten = new AtomicLong();
  private final AtomicLong storedWritten = new AtomicLong();
  private final AtomicLong rawSkipped = new AtomicLong();
  private volatile boolean closed;

  PackInserter(PackObjectDatabase db) {
    this.db = db;
    this.settings = db.settings();
    this.hasher = ThreadLocal.withInitial(db.algorithm()::newHasher);
    this.chunker = new FastCdcChunker(db.chunkerParams());
    this.dataGroup = new Group(settings.blockTargetBytes(), settings.smallObjectLimit());
    this.metadataGroup = new Group(Math.min(settings.blockTargetBytes(), METADATA_BLOCK_BYTES), settings.smallObjectLimit());
  }

  /** Raw size of blocks that group metadata objects. */
  static final int METADATA_BLOCK_BYTES = 64 << 10;

  /** Objects waiting to fill a block. */
  private static final class Group {
    private static final int INITIAL_CAPACITY = 16 << 10;
    private final int targetBytes;
    /** A group that filled up once is given room for a whole block from then on. */
    private final int fullCapacity;
    private ByteWriter bytes = new ByteWriter(INITIAL_CAPACITY);
    private List<PackWriter.Member> members = new ArrayList<>();

    Group(int targetBytes, int largestObject) {
      this.targetBytes = targetBytes;
      this.fullCapacity = targetBytes + largestObject;
    }

    /** Adds an object; returns the group's content if it is now full (and empties it), else null. */
    synchronized Taken add(ObjectId id, ObjectType type, byte[] data, int off, int len) {
      members.add(new PackWriter.Member(id, type, bytes.length(), len));
      bytes.bytes(data, off, len);
      return bytes.length() >= targetBytes ? take(fullCapacity) : null;
    }

    /** Empties the group, returning what it held, or null if it was empty. */
    synchronized Taken take() {
      return take(INITIAL_CAPACITY);
    }

    private Taken take(int nextCapacity) {
      if (members.isEmpty()) {
        return null;
      }
      // The writer's own array is handed over, not copied: a new writer takes its place.
      Taken t = new Taken(bytes.array(), bytes.length(), members);
      bytes = new ByteWriter(nextCapacity);
      members = new ArrayList<>();
      return t;
    }
  }

  private record Taken(byte[] raw, int length, List<PackWriter.Member> members) {}

  private void appendGroup(Taken t) throws IOException {
    if (t != null) {
      append(BlockCodec.local().encode(t.raw(), 0, t.length(), settings.zstdLevel()), t.members());
    }
  }

  @Override
  public ObjectId insert(ObjectType type, byte[] data, int off, int len) throws IOException {
    Hasher h = hasher.get();
    h.update(data, off, len);
    ObjectId id = h.digest();
    insertHashed(id, type, data, off, len);
    return id;
  }

  private void insertHashed(ObjectId id, ObjectType type, byte[] data, int off, int len) throws IOException {
    ensureOpen();
    if (pending.contains(id) || isStoredFreshening(id) || !pending.add(id)) {
      objectsSkipped.incrementAndGet();
      rawSkipped.addAndGet(len);
      return;
    }
    objectsWritten.incrementAndGet();
    rawWritten.addAndGet(len);
    if (type != ObjectType.CHUNK) {
      pendingMetadata.put(id, new PendingObject(type, Arrays.copyOfRange(data, off, off + len)));
    }
    if (len >= settings.smallObjectLimit()) {
      byte[] block = BlockCodec.local().encode(data, off, len, settings.zstdLevel());
      append(block, List.of(new PackWriter.Member(id, type, 0, len)));
      return;
    }
    Group group = type == ObjectType.CHUNK ? dataGroup : metadataGroup;
    appendGroup(group.add(id, type, data, off, len));
  }

  @Override
  public boolean[] reuseEach(List<ObjectId> ids) throws IOException {
    ensureOpen();
    boolean[] out = new boolean[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = pending.contains(ids.get(i)) || isStoredFreshening(ids.get(i));
    }
    return out;
  }

  /**
   * Whether {@code id} is already stored. If so, its pack's modification time is refreshed (once per
   * pack), which tells a concurrent gc that the pack is in use again, and the id is remembered so
   * that {@link #flush()} can check it was not collected meanwhile.
   */
  private boolean isStoredFreshening(ObjectId id) throws IOException {
    ObjectLocation loc = db.index().lookup(id);
    if (loc == null) {
      return false;
    }
    if (freshened.add(loc.packName()) && !db.freshen(loc.packName())) {
      // gc is deleting that pack: the object is written again.
      freshened.remove(loc.packName());
      return false;
    }
    reused.add(id);
    return true;
  }

  private void append(byte[] block, List<PackWriter.Member> members) throws IOException {
    PackWriter full = null;
    synchronized (writeLock) {
      if (writer == null) {
        writer = new PackWriter(db.algorithm(), db.packDirectory(), db.tmpDirectory());
      }
      writer.appendBlock(block, members);
      storedWritten.addAndGet(block.length);
      if (writer.size() >= settings.packTargetBytes()) {
        full = writer;
        writer = null;
        publishing++;
      }
    }
    if (full != null) {
      // Outside the lock: while this thread waits for the full pack's fsync, the others go on
      // appending to a new one. flush() waits for it.
      try {
        publish(full);
      } catch (IOException | RuntimeException e) {
        synchronized (writeLock) {
          if (publishFailure == null) {
            publishFailure = e;
          }
        }
        throw e;
      } finally {
        synchronized (writeLock) {
          publishing--;
          writeLock.notifyAll();
        }
      }
    }
  }

  /** Finishes a pack taken from {@link #writer} and registers it, without holding {@link #writeLock}. */
  private void publish(PackWriter w) throws IOException {
    publish(w, false);
  }

  private void publish(PackWriter w, boolean later) throws IOException {
    if (w == null) {
      return;
    }
    PackInfo info = w.finish();
    if (info != null) {
      if (later) {
        db.publishLater(info);
      } else {
        db.publish(info);
      }
      for (PackEntry e : info.entries()) {
        pending.remove(e.id());
        pendingMetadata.remove(e.id());
      }
    }
  }

  @Override
  public FileContent insertFile(InputStream in) throws IOException {
    return insertFile(in, -1);
  }

  @Override
  public FileContent insertFile(InputStream in, long expectedSize) throws IOException {
    return insertFile(in, expectedSize, null);
  }

  @Override
  public FileContent insertFile(InputStream in, long expectedSize, FileObject previous) throws IOException {
    ensureOpen();
    ChunkReader chunks = new ChunkReader(chunker, in, expectedSize);
    List<ChunkRef> before = previous == null ? List.of() : previous.chunks();
    if (previous != null) {
      chunks.guide(new ChunkGuide(before.stream().mapToLong(ChunkRef::size).toArray(), expectedSize));
    }
    // The first two chunks are copied: whether the file has more than one is known only then.
    Cut first = next(chunks, before, null);
    if (first == null) {
      return new FileContent(0, db.algorithm().hash(new byte[0]), db.algorithm().hash(new byte[0]));
    }
    Cut second = next(chunks, before, null);
    if (second == null) {
      ObjectId id = store(first);
      return new FileContent(first.size(), id, id);
    }
    // Several chunks: this thread reads, cuts and hashes the whole file while workers hash,
    // compress and append each chunk. A file of a few chunks is stored by this thread alone:
    // waking workers for them cost more than it saved, and callers store many such files at once.
    // So is every file when the caller allows one thread (Workers.cap).
    boolean inline = expectedSize >= 0 && expectedSize <= INLINE_CHUNKS * (long) chunker.params().maxSize() || Workers.single();
    Hasher whole = db.algorithm().newHasher();
    whole.update(first.bytes());
    whole.update(second.bytes());
    // At most the caller's cap of chunks in the workers' hands at once (Workers.cap, --max-workers).
    Semaphore inFlight = new Semaphore(Workers.upTo(MAX_CHUNKS_IN_FLIGHT));
    List<Future<ChunkRef>> refs = new ArrayList<>();
    // Set when the file fails: a chunk store not begun then returns at once. None is cancelled or
    // interrupted (they write to one pack, whose file an interrupt would close under them all); the
    // failure waits for those under way, so that none writes for this file once it is thrown.
    AtomicBoolean abandoned = new AtomicBoolean();
    long size = 0;
    try {
      for (Cut c = first; c != null; c = (c == first ? second : next(chunks, before, whole))) {
        size += c.size();
        if (c.bytes() == null || inline) {
          refs.add(CompletableFuture.completedFuture(new ChunkRef(store(c), c.size())));
          continue;
        }
        inFlight.acquire();
        Cut chunk = c;
        refs.add(db.workers().submit(() -> {
          try {
            return abandoned.get() ? null : new ChunkRef(store(chunk), chunk.size());
          } finally {
            inFlight.release();
          }
        }));
      }
      List<ChunkRef> list = new ArrayList<>(refs.size());
      for (Future<ChunkRef> f : refs) {
        try {
          list.add(awaitChunk(f));
        } catch (ExecutionException failed) {
          throw Workers.rethrow(failed.getCause());
        }
      }
      ObjectId digest = whole.digest();
      ObjectId fileId = insert(ObjectType.FILE, FileObjectFormat.encode(new FileObject(size, digest, list)));
      return new FileContent(size, digest, fileId);
    } catch (InterruptedException e) {
      abandon(abandoned, refs);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while storing a file");
    } catch (IOException | RuntimeException | Error e) {
      abandon(abandoned, refs);
      db.requireNotClosedUnder(e instanceof Exception ex ? ex : new IOException(e));
      throw e;
    }
  }

  /**
   * The result of a chunk store; fails as the store's close does if it dropped the task (a store
   * closed under the operation stops waiting for its work, and what was queued never runs).
   */
  private ChunkRef awaitChunk(Future<ChunkRef> f) throws InterruptedException, ExecutionException, IOException {
    while (true) {
      try {
        return f.get(CLOSE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException notYet) {
        if (db.isShutDown()) {
          IOException cut = new InterruptedIOException("the store was closed while a file was stored");
          db.requireNotClosedUnder(cut);
          throw cut;
        }
      }
    }
  }

  /** How often a wait for a chunk store looks whether the store was closed under it. */
  private static final long CLOSE_POLL_MILLIS = 200;

  /**
   * Stops the chunk stores of a file that failed: those not begun return at once, and those under
   * way are waited for (an interrupt meanwhile is kept for after), so that none writes once the
   * failure is thrown; unless the store was closed under them, which dropped what was queued.
   */
  private void abandon(AtomicBoolean abandoned, List<Future<ChunkRef>> refs) {
    abandoned.set(true);
    boolean interrupted = Thread.interrupted();
    for (Future<ChunkRef> f : refs) {
      while (true) {
        try {
          f.get(CLOSE_POLL_MILLIS, TimeUnit.MILLISECONDS);
          break;
        } catch (InterruptedException again) {
          interrupted = true;
        } catch (TimeoutException notYet) {
          if (db.isShutDown()) {
            break;
          }
        } catch (ExecutionException | java.util.concurrent.CancellationException ended) {
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A chunk cut from a file: its bytes (null when it is known to be stored), and its id if known
   * (a previous chunk whose hash was checked).
   */
  private record Cut(byte[] bytes, ObjectId id, int size) {}

  /** Stores a chunk unless it is known to be stored; returns its id. */
  private ObjectId store(Cut c) throws IOException {
    if (c.bytes() == null) {
      return c.id();
    }
    if (c.id() == null) {
      return insert(ObjectType.CHUNK, c.bytes());
    }
    insertHashed(c.id(), ObjectType.CHUNK, c.bytes(), 0, c.size());
    return c.id();
  }

  /**
   * The next chunk of {@code chunks}, null at the end, fed to {@code whole} if not null. A
   * proposed previous chunk is hashed in place: kept if it is the previous chunk (and not copied
   * at all if stored and {@code whole} took it), else refused and cut again.
   */
  private Cut next(ChunkReader chunks, List<ChunkRef> before, Hasher whole) throws IOException {
    while (chunks.step()) {
      byte[] buf = chunks.array();
      int off = chunks.offset();
      int len = chunks.length();
      int k = chunks.proposed();
      ObjectId id = null;
      if (k >= 0) {
        Hasher h = hasher.get();
        h.update(buf, off, len);
        id = h.digest();
        if (!id.equals(before.get(k).id())) {
          chunks.refuse();
          continue;
        }
        if (!chunks.accept()) {
          continue; // the previous chunks were cut otherwise
        }
      }
      if (whole != null) {
        whole.update(buf, off, len);
        if (id != null && (pending.contains(id) || isStoredFreshening(id))) {
          objectsSkipped.incrementAndGet();
          rawSkipped.addAndGet(len);
          return new Cut(null, id, len);
        }
      }
      return new Cut(chunks.copy(), id, len);
    }
    return null;
  }

  @Override
  public void flush() throws IOException {
    flush(false);
  }

  @Override
  public void flushDeferringIndex() throws IOException {
    flush(true);
  }

  private void flush(boolean deferIndex) throws IOException {
    ensureOpen();
    appendGroup(dataGroup.take());
    appendGroup(metadataGroup.take());
    PackWriter last;
    synchronized (writeLock) {
      last = writer;
      writer = null;
    }
    publish(last, deferIndex);
    synchronized (writeLock) {
      // Objects inserted earlier may be in a full pack another thread is still publishing.
      while (publishing > 0) {
        try {
          writeLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for a pack to be published");
        }
      }
      if (publishFailure != null) {
        throw new IOException("Cannot store data: a pack could not be published", publishFailure);
      }
    }
    if (!deferIndex && (objectsWritten.get() > 0 || objectsSkipped.get() > 0)) {
      db.publishDeferred();
    }
    for (ObjectId id : reused) {
      if (!db.index().contains(id)) {
        throw new CairnException("Cannot store data: object " + id.hex()
            + ", which this command reused, was removed by a concurrent gc; run the command again");
      }
    }
    reused.clear();
  }

  @Override
  public ObjectReader newReader() {
    ObjectReader published = db.newReader();
    return new ObjectReader() {
      @Override
      public ObjectLoader open(ObjectId id) throws IOException {
        PendingObject p = pendingMetadata.get(id);
        return p != null ? new ObjectLoader(id, p.type(), p.bytes()) : published.open(id);
      }

      @Override
      public boolean has(ObjectId id) throws IOException {
        return pendingMetadata.containsKey(id) || published.has(id);
      }

      @Override
      public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) throws IOException {
        return published.resolve(prefix, limit);
      }

      @Override
      public void close() throws IOException {
        published.close();
      }
    };
  }

  @Override
  public InsertStats stats() {
    return new InsertStats(objectsWritten.get(), objectsSkipped.get(), rawWritten.get(), storedWritten.get(), rawSkipped.get());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("inserter is closed");
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      synchronized (writeLock) {
        if (writer != null) {
          writer.close();
          writer = null;
        }
      }
      dataGroup.take();
      metadataGroup.take();
      pending.clear();
      pendingMetadata.clear();
    } finally {
      db.leave();
    }
  }
}
