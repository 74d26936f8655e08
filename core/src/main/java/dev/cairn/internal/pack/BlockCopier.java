package dev.cairn.internal.pack;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.CorruptObjectException.Reason;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.ObjectIndex;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.internal.io.Bytes;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies objects of the local packs into new packs, for a push or a collection. A block whose
 * every object is asked for goes as it is stored: its lengths and checksum are checked, and it is
 * neither decompressed nor compressed again (the object hashes were checked when the objects were
 * written, and are checked again by whoever reads them). The objects of other blocks are read,
 * their hashes checked, and compressed anew.
 *
 * <p>Objects are taken as they come: a block of one object is copied at once, and (when shared
 * blocks are copied too) the objects of a shared block wait until the last of them arrives (objects stored together are usually asked
 * for together, so few wait long). Those of blocks never completed are compressed anew by
 * {@link #finish}. Not thread-safe.
 */
public final class BlockCopier {
  private final PackObjectDatabase db;
  private final ObjectIndex index;
  private final ObjectReader reader;
  private final PackAssembler out;
  /** Per pack: how many objects each of its blocks holds, by block offset. */
  private final Map<String, Map<Long, Integer>> objectsPerBlock = new HashMap<>();
  /** Shared blocks some of whose objects were asked for, with those objects. */
  private final Map<BlockKey, List<Wanted>> waiting = new LinkedHashMap<>();
  private long copiedBytes;

  private record BlockKey(String pack, long offset) {}

  private record Wanted(ObjectId id, ObjectLocation location) {}

  private final boolean copyGroups;

  /**
   * Copies into {@code out}; reads through {@code reader} what it cannot copy whole. With
   * {@code copyGroups} false, only blocks of one object are copied, and the objects of shared
   * blocks are compressed anew in the order asked: a push keeps its remote's blocks in manifest
   * order, so that a partial fetch reads only its own files (a local block may mix the small files
   * of several folders, ingested side by side), while a collection keeps whole blocks as they are.
   */
  public BlockCopier(PackObjectDatabase db, ObjectReader reader, PackAssembler out, boolean copyGroups) throws IOException {
    this.db = db;
    this.index = db.index();
    this.reader = reader;
    this.out = out;
    this.copyGroups = copyGroups;
  }

  /** Asks for one object (once: the caller removes duplicates). */
  public void add(ObjectId id) throws IOException {
    ObjectLocation loc = index.lookup(id);
    if (loc == null) {
      repack(id); // the reader says it is missing, or finds it in a pack indexed since
      return;
    }
    int inBlock;
    try {
      inBlock = objectsPerBlock(loc.packName()).getOrDefault(loc.blockOffset(), -1);
    } catch (MissingPackException moved) {
      repack(id); // deleted by another process's gc since the lookup: the reader finds its new place
      return;
    }
    if (inBlock == 1) {
      copyBlock(List.of(new Wanted(id, loc)));
      return;
    }
    if (!copyGroups) {
      repack(id);
      return;
    }
    BlockKey key = new BlockKey(loc.packName(), loc.blockOffset());
    List<Wanted> w = waiting.computeIfAbsent(key, k -> new ArrayList<>());
    w.add(new Wanted(id, loc));
    if (w.size() == inBlock) {
      waiting.remove(key);
      copyBlock(w);
    }
  }

  /** Asks for each of {@code ids}, then {@link #finish}es. */
  public void copy(Iterable<ObjectId> ids) throws IOException {
    for (ObjectId id : ids) {
      add(id);
    }
    finish();
  }

  /** Compresses anew the objects of shared blocks not wholly asked for. */
  public void finish() throws IOException {
    for (List<Wanted> w : waiting.values()) {
      for (Wanted x : w) {
        repack(x.id());
      }
    }
    waiting.clear();
  }

  /** Reads an object (its hash checked) and adds it to be compressed anew. */
  public void repack(ObjectId id) throws IOException {
    ObjectLoader o = reader.open(id);
    out.add(id, o.type(), o.bytes());
  }

  /** Bytes of the blocks copied as stored so far. */
  public long copiedBytes() {
    return copiedBytes;
  }

  private void copyBlock(List<Wanted> wanted) throws IOException {
    ObjectLocation first = wanted.get(0).location();
    PackFile pack;
    byte[] block;
    try {
      pack = db.pack(first.packName());
      block = pack.readBlock(first.blockOffset(), first.blockLength());
    } catch (MissingPackException moved) {
      // Deleted by another process's gc (which moved its objects) since the lookup, while its file
      // was not open here: each object is read where the index now finds it.
      for (Wanted w : wanted) {
        repack(w.id());
      }
      return;
    }
    String where = pack.path() + " block " + first.blockOffset();
    try {
      BlockCodec.check(block);
    } catch (BlockCodec.BlockException e) {
      throw new CorruptObjectException(wanted.get(0).id(), e.reason(), where, e.getMessage());
    }
    long rawLength = Bytes.u32(block, 5);
    List<PackWriter.Member> members = new ArrayList<>(wanted.size());
    for (Wanted w : wanted) {
      ObjectLocation loc = w.location();
      if ((long) loc.offsetInBlock() + loc.length() > rawLength) {
        throw new CorruptObjectException(w.id(), Reason.MALFORMED, where, "object extends past its block");
      }
      members.add(new PackWriter.Member(w.id(), loc.type(), loc.offsetInBlock(), loc.length()));
    }
    out.addBlock(block, members);
    copiedBytes += block.length;
  }

  private Map<Long, Integer> objectsPerBlock(String packName) throws IOException {
    Map<Long, Integer> counts = objectsPerBlock.get(packName);
    if (counts == null) {
      counts = new HashMap<>();
      for (PackEntry e : db.pack(packName).entries()) {
        counts.merge(e.blockOffset(), 1, Integer::sum);
      }
      objectsPerBlock.put(packName, counts);
    }
    return counts;
  }
}
