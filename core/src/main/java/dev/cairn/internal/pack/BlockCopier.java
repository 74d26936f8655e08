package dev.cairn.internal.pack;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.CorruptObjectException.Reason;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.internal.io.Bytes;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies objects of the local packs into new packs, for a push or a collection. A block whose
 * every object is asked for goes as it is stored: its lengths and checksum are checked, and it is
 * neither decompressed nor compressed again (the object hashes were checked when the objects were
 * written, and are checked again by whoever reads them). The objects of other blocks are read,
 * their hashes checked, and compressed anew. Not thread-safe.
 */
public final class BlockCopier {
  private final PackObjectDatabase db;
  private final ObjectReader reader;
  /** Per pack: how many objects each of its blocks holds, by block offset. */
  private final Map<String, Map<Long, Integer>> objectsPerBlock = new HashMap<>();

  /** Reads through {@code reader} what it cannot copy whole. */
  public BlockCopier(PackObjectDatabase db, ObjectReader reader) {
    this.db = db;
    this.reader = reader;
  }

  /** Objects looked up, with their sizes: what {@link #copy} and {@link #repack} take. */
  public static final class Plan {
    private final List<ObjectId> ids = new ArrayList<>();
    private final List<ObjectLocation> locations = new ArrayList<>();
    private long rawBytes;

    /** How many objects. */
    public int count() {
      return ids.size();
    }

    /** Their bytes before compression (of those found). */
    public long rawBytes() {
      return rawBytes;
    }
  }

  /** Looks {@code ids} up; an id not found is read through the reader later (which says it is missing). */
  public Plan plan(Collection<ObjectId> ids) throws IOException {
    Plan plan = new Plan();
    var index = db.index();
    for (ObjectId id : ids) {
      ObjectLocation loc = index.lookup(id);
      plan.ids.add(id);
      plan.locations.add(loc);
      plan.rawBytes += loc == null ? 0 : loc.length();
    }
    return plan;
  }

  /**
   * Writes the plan's objects to {@code out}, grouped by the block they are in (not in the plan's
   * order): a block whose objects are all in the plan is copied as stored.
   *
   * @return the bytes of the blocks copied as stored (the rest were compressed anew)
   */
  public long copy(Plan plan, PackAssembler out) throws IOException {
    Map<String, Map<Long, List<Integer>>> byBlock = new LinkedHashMap<>();
    List<Integer> unknown = new ArrayList<>();
    for (int i = 0; i < plan.count(); i++) {
      ObjectLocation loc = plan.locations.get(i);
      if (loc == null) {
        unknown.add(i);
      } else {
        byBlock.computeIfAbsent(loc.packName(), k -> new LinkedHashMap<>()).computeIfAbsent(loc.blockOffset(), k -> new ArrayList<>()).add(i);
      }
    }
    long copied = 0;
    for (Map.Entry<String, Map<Long, List<Integer>>> pack : byBlock.entrySet()) {
      Map<Long, Integer> counts = objectsPerBlock(pack.getKey());
      for (Map.Entry<Long, List<Integer>> block : pack.getValue().entrySet()) {
        List<Integer> wanted = block.getValue();
        if (counts.getOrDefault(block.getKey(), -1) == wanted.size()) {
          copied += copyBlock(plan, pack.getKey(), block.getKey(), wanted, out);
        } else {
          for (int i : wanted) {
            repackOne(plan.ids.get(i), out);
          }
        }
      }
    }
    for (int i : unknown) {
      repackOne(plan.ids.get(i), out);
    }
    return copied;
  }

  /** Writes the plan's objects to {@code out} in the plan's order, each read and compressed anew. */
  public void repack(Plan plan, PackAssembler out) throws IOException {
    for (ObjectId id : plan.ids) {
      repackOne(id, out);
    }
  }

  private void repackOne(ObjectId id, PackAssembler out) throws IOException {
    ObjectLoader o = reader.open(id);
    out.add(id, o.type(), o.bytes());
  }

  private long copyBlock(Plan plan, String packName, long offset, List<Integer> wanted, PackAssembler out) throws IOException {
    PackFile pack = db.pack(packName);
    ObjectId first = plan.ids.get(wanted.get(0));
    String where = pack.path() + " block " + offset;
    byte[] block = pack.readBlock(offset, plan.locations.get(wanted.get(0)).blockLength());
    try {
      BlockCodec.check(block);
    } catch (BlockCodec.BlockException e) {
      throw new CorruptObjectException(first, e.reason(), where, e.getMessage());
    }
    long rawLength = Bytes.u32(block, 5);
    List<PackWriter.Member> members = new ArrayList<>(wanted.size());
    for (int i : wanted) {
      ObjectLocation loc = plan.locations.get(i);
      if ((long) loc.offsetInBlock() + loc.length() > rawLength) {
        throw new CorruptObjectException(plan.ids.get(i), Reason.MALFORMED, where, "object extends past its block");
      }
      members.add(new PackWriter.Member(plan.ids.get(i), loc.type(), loc.offsetInBlock(), loc.length()));
    }
    out.addBlock(block, members);
    return block.length;
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
