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
import java.util.List;

/**
 * Reads objects from packs. Keeps the last decoded block, so that reading the small objects of one
 * block in a row decompresses it once. Thread-safe.
 */
final class PackReader implements ObjectReader {
  private final PackObjectDatabase db;
  private final ThreadLocal<Hasher> hasher;
  private final ThreadLocal<CachedBlock> lastBlock = new ThreadLocal<>();

  private record CachedBlock(String pack, long offset, byte[] raw) {}

  PackReader(PackObjectDatabase db) {
    this.db = db;
    this.hasher = ThreadLocal.withInitial(db.algorithm()::newHasher);
  }

  @Override
  public ObjectLoader open(ObjectId id) throws IOException {
    ObjectLocation loc = db.index().lookup(id);
    if (loc == null) {
      throw new MissingObjectException(id);
    }
    PackFile pack = db.pack(loc.packName());
    String where = pack.path() + " block " + loc.blockOffset();
    byte[] raw = rawBlock(pack, loc, id, where);
    if ((long) loc.offsetInBlock() + loc.length() > raw.length) {
      throw new CorruptObjectException(id, Reason.MALFORMED, where, "object extends past its block");
    }
    Hasher h = hasher.get();
    h.update(raw, loc.offsetInBlock(), loc.length());
    ObjectId actual = h.digest();
    if (!actual.equals(id)) {
      throw new CorruptObjectException(id, Reason.HASH_MISMATCH, where, "content hashes to " + actual.hex());
    }
    byte[] bytes;
    if (loc.offsetInBlock() == 0 && loc.length() == raw.length) {
      bytes = raw;
    } else {
      bytes = new byte[loc.length()];
      System.arraycopy(raw, loc.offsetInBlock(), bytes, 0, loc.length());
    }
    return new ObjectLoader(id, loc.type(), bytes);
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

  @Override
  public boolean has(ObjectId id) {
    return db.index().contains(id);
  }

  @Override
  public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) {
    return db.index().resolve(prefix, limit);
  }

  @Override
  public void close() {
    lastBlock.remove();
  }
}
