package dev.cairn.internal.pack;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.CorruptObjectException.Reason;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.Hasher;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads objects from packs. Keeps the last decoded block, so that reading the small objects of one
 * block in a row decompresses it once. Thread-safe.
 */
final class PackReader implements ObjectReader {
  private final PackObjectDatabase db;
  private final ThreadLocal<Hasher> hasher;
  private final ThreadLocal<CachedBlock> lastBlock = new ThreadLocal<>();

  private record CachedBlock(String pack, long offset, byte[] raw) {}

  /** Per thread: direct buffers that {@link #openTransient} reads and decodes blocks into. */
  private final ThreadLocal<BlockBuffers> buffers = ThreadLocal.withInitial(BlockBuffers::new);

  PackReader(PackObjectDatabase db) {
    this.db = db;
    this.hasher = ThreadLocal.withInitial(db.algorithm()::newHasher);
  }

  @Override
  public ObjectLoader open(ObjectId id) throws IOException {
    return read(id, at -> {
      byte[] raw = rawBlock(at.pack(), at.loc(), id, at.where());
      ObjectLocation loc = at.loc();
      verify(id, at, ByteBuffer.wrap(raw, 0, raw.length));
      byte[] bytes;
      if (loc.offsetInBlock() == 0 && loc.length() == raw.length) {
        bytes = raw;
      } else {
        bytes = new byte[loc.length()];
        System.arraycopy(raw, loc.offsetInBlock(), bytes, 0, loc.length());
      }
      return new ObjectLoader(id, loc.type(), bytes);
    });
  }

  /**
   * Reads the object's block into this thread's direct buffers, so that streaming a file allocates
   * nothing per chunk and its bytes never pass through the Java heap: the kernel copies them into
   * the buffer, zstd decodes them into the other, and the caller writes them from there.
   */
  @Override
  public ByteBuffer openTransient(ObjectId id) throws IOException {
    return read(id, at -> {
      ByteBuffer raw = buffers.get().decoded(at.pack(), at.loc(), id, at.where());
      verify(id, at, raw);
      return raw.slice(at.loc().offsetInBlock(), at.loc().length());
    });
  }

  /** A read of an object at the place the index gives. */
  @FunctionalInterface
  private interface ReadAt<T> {
    T from(Located at) throws IOException;
  }

  /**
   * Runs {@code read} where the index finds the object. A collection in this process may have
   * moved it meanwhile: copied it to a new pack, indexed there, then deleted (and closed) the pack
   * the lookup gave. Then the object is looked up again and read from its new place; an error on a
   * pack the index still names is the pack's own. A pack whose file is gone (deleted by hand, lost
   * with a disk) leaves the index ({@link PackObjectDatabase#forgetLostPacks}): its objects are
   * missing, and a fetch brings them again, instead of found here and unreadable ever after.
   */
  private <T> T read(ObjectId id, ReadAt<T> read) throws IOException {
    for (int attempt = 1; ; attempt++) {
      ObjectLocation loc = lookup(id);
      PackFile pack = null;
      try {
        pack = db.pack(loc.packName());
        return read.from(new Located(loc, pack, pack.path() + " block " + loc.blockOffset()));
      } catch (MissingPackException | ClosedChannelException e) {
        boolean gone = e instanceof MissingPackException || pack != null && pack.isClosed();
        ObjectLocation now = gone && attempt < MOVES_FOLLOWED ? db.index().lookup(id) : null;
        if (now != null && !now.packName().equals(loc.packName())) {
          continue; // moved
        }
        if (e instanceof MissingPackException && (now == null && attempt < MOVES_FOLLOWED || forgotten(loc.packName()))) {
          // Collected meanwhile, or its pack was lost: not here, so that a fetch from a remote brings it again.
          throw new MissingObjectException(id, "object (its pack " + loc.packName().substring(0, 12) + " is gone from "
              + db.packDirectory() + ")");
        }
        throw e;
      }
    }
  }

  /**
   * Whether pack {@code name}, whose file a read found gone, has left the index as lost: by this
   * call, or by another thread's that met it at the same time.
   */
  private boolean forgotten(String name) throws IOException {
    db.forgetLostPacks();
    return !db.index().hasPack(name);
  }

  /**
   * How many reads of one object are tried: a collection moves it once, so one look again is
   * enough; a second covers a collection that ran meanwhile too.
   */
  private static final int MOVES_FOLLOWED = 3;

  /** Where an object is: its index entry, its open pack, and how errors name the place. */
  private record Located(ObjectLocation loc, PackFile pack, String where) {}

  private ObjectLocation lookup(ObjectId id) throws IOException {
    ObjectLocation loc = db.index().lookup(id);
    if (loc == null && db.refresh()) {
      loc = db.index().lookup(id);
    }
    if (loc == null) {
      Map<String, String> unreadable = db.index().unreadablePendingPacks();
      if (!unreadable.isEmpty()) {
        Map.Entry<String, String> first = unreadable.entrySet().iterator().next();
        throw new MissingObjectException(id, "object (pack " + first.getKey().substring(0, 12) + (unreadable.size() > 1
            ? " and " + (unreadable.size() - 1) + " more" : "") + ", which may hold it, cannot be read: " + first.getValue()
            + "; cairn fsck --repair saves what can be saved of it)");
      }
      throw new MissingObjectException(id);
    }
    return loc;
  }

  /** Checks that the object's range of its decoded block (from 0 to the limit) hashes to its id. */
  private void verify(ObjectId id, Located at, ByteBuffer block) throws CorruptObjectException {
    int off = at.loc().offsetInBlock();
    int len = at.loc().length();
    if ((long) off + len > block.limit()) {
      throw new CorruptObjectException(id, Reason.MALFORMED, at.where(), "object extends past its block");
    }
    Hasher h = hasher.get();
    h.update(block.slice(off, len));
    ObjectId actual = h.digest();
    if (!actual.equals(id)) {
      throw new CorruptObjectException(id, Reason.HASH_MISMATCH, at.where(), "content hashes to " + actual.hex());
    }
  }

  private byte[] rawBlock(PackFile pack, ObjectLocation loc, ObjectId id, String where) throws IOException {
    CachedBlock cached = lastBlock.get();
    if (cached != null && cached.offset == loc.blockOffset() && cached.pack.equals(loc.packName())) {
      return cached.raw;
    }
    byte[][] block = pack.readBlockParts(loc.blockOffset(), loc.blockLength());
    byte[] raw;
    try {
      raw = BlockCodec.local().decode(block[0], block[1]);
    } catch (BlockCodec.BlockException e) {
      throw new CorruptObjectException(id, e.reason(), where, e.getMessage());
    }
    if (loc.length() < raw.length) {
      // Only grouped blocks are worth keeping: a block of one object is read once.
      lastBlock.set(new CachedBlock(loc.packName(), loc.blockOffset(), raw));
    }
    return raw;
  }

  /**
   * The largest block a chunk can be in: a group of small objects fills up to the largest block
   * target (64 MiB) plus one object; a chunk alone is at most the largest chunk size (64 MiB).
   */
  private static final int MAX_CHUNK_BLOCK_BYTES = 128 << 20;

  /** A block as read and as decoded, in direct buffers that grow to the largest block seen. */
  private static final class BlockBuffers {
    private ByteBuffer block = ByteBuffer.allocateDirect(0);
    private ByteBuffer decoded = ByteBuffer.allocateDirect(0);
    private String pack;
    private long offset = -1;
    private ByteBuffer raw;

    /** The raw bytes of the block at {@code loc}, decoded once for consecutive objects of one block. */
    ByteBuffer decoded(PackFile file, ObjectLocation loc, ObjectId id, String where) throws IOException {
      if (raw != null && offset == loc.blockOffset() && loc.packName().equals(pack)) {
        return raw;
      }
      raw = null;
      block = ensure(block, loc.blockLength());
      file.readBlock(loc.blockOffset(), loc.blockLength(), block);
      int rawLength = BlockCodec.rawLength(block);
      if (rawLength > MAX_CHUNK_BLOCK_BYTES) {
        // A damaged header (its checksum would tell), or not a chunk: none is in a block this large.
        throw new CorruptObjectException(id, Reason.MALFORMED, where, "block of " + rawLength + " bytes is too large for a chunk");
      }
      try {
        decoded = ensure(decoded, rawLength);
        raw = BlockCodec.local().decode(block, decoded);
      } catch (BlockCodec.BlockException e) {
        throw new CorruptObjectException(id, e.reason(), where, e.getMessage());
      }
      pack = loc.packName();
      offset = loc.blockOffset();
      return raw;
    }

    private static ByteBuffer ensure(ByteBuffer b, int capacity) {
      return b.capacity() >= capacity ? b : ByteBuffer.allocateDirect(Math.max(capacity, 1 << 20));
    }
  }

  @Override
  public boolean has(ObjectId id) throws IOException {
    return db.index().contains(id);
  }

  @Override
  public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) throws IOException {
    return db.index().resolve(prefix, limit);
  }

  @Override
  public void close() {
    lastBlock.remove();
    buffers.remove();
    if (closed.compareAndSet(false, true)) {
      db.leave();
    }
  }

  private final AtomicBoolean closed = new AtomicBoolean();
}
