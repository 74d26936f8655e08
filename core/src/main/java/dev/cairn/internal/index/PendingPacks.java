package dev.cairn.internal.index;

import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Bytes;
import dev.cairn.internal.pack.PackEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Txn;

/**
 * Small packs registered by name only, found through their own pack index until enough of them
 * gather to be written as one sorted run ({@link ObjectRuns}) in one transaction.
 *
 * <p>Adding a handful of objects to the {@code objects} B-tree copies a leaf and its branch pages
 * per object (random ids land on different leaves): a one-file commit wrote about 150 KiB of LMDB
 * pages for 7 objects. Registering the pack by name touches one small table instead; readers look a
 * missed id up in the pending packs' entries, which each process loads once per pack and keeps.
 *
 * <p>The table {@code pending-packs} maps a pack name to uint32(entry count). Thread-safe.
 */
final class PendingPacks {
  /** Packs with more entries go straight into {@code objects}. */
  static final int MAX_PACK_ENTRIES = 512;
  /** Registering a pack when this many are pending gathers them all into a run. */
  static final int MAX_PACKS = 64;

  /** The pending packs as of one committed LMDB transaction, with their objects' places. */
  record Snapshot(long txnId, List<String> names, Map<ObjectId, ObjectLocation> locations) {}

  private final Dbi<ByteBuffer> dbi;
  private final ObjectIndex.PackEntrySource source;
  private final Map<String, List<PackEntry>> entries = new ConcurrentHashMap<>();
  /** Pending packs whose file could not be read when last looked at, and why: their objects seem missing. */
  private final Map<String, String> unreadable = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot = new Snapshot(-1, List.of(), Map.of());

  PendingPacks(Dbi<ByteBuffer> dbi, ObjectIndex.PackEntrySource source) {
    this.dbi = dbi;
    this.source = source;
  }

  /**
   * The pending packs seen by the read transaction {@code txn}. Re-read only when another write
   * transaction committed since the last call, and rebuilt only when the set of names changed.
   * A pack whose file cannot be read (removed by gc after this snapshot) is left out.
   */
  Snapshot in(Txn<ByteBuffer> txn) {
    Snapshot s = snapshot;
    long id = txn.getId();
    if (s.txnId() == id) {
      return s;
    }
    List<String> names = names(txn);
    Map<ObjectId, ObjectLocation> locations = s.locations();
    if (!names.equals(s.names())) {
      entries.keySet().retainAll(names);
      locations = new HashMap<>();
      for (String name : names) {
        List<PackEntry> es;
        try {
          es = load(name);
          unreadable.remove(name);
        } catch (IOException | RuntimeException damaged) {
          unreadable.put(name, String.valueOf(damaged.getMessage()));
          continue;
        }
        if (es != null) {
          for (PackEntry e : es) {
            locations.putIfAbsent(e.id(), new ObjectLocation(name, e.type(), e.blockOffset(), e.blockLength(),
                e.offsetInBlock(), e.length()));
          }
        }
      }
    }
    Snapshot fresh = new Snapshot(id, names, locations);
    snapshot = fresh;
    return fresh;
  }

  /**
   * The pending packs that could not be read when last looked at, with why: a reader that misses
   * an object says so (the object may be in one of them).
   */
  Map<String, String> unreadable() {
    return Map.copyOf(unreadable);
  }

  /** Names of the pending packs, sorted. */
  List<String> names(Txn<ByteBuffer> txn) {
    List<String> out = new ArrayList<>();
    try (Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
      for (boolean ok = c.first(); ok; ok = c.next()) {
        out.add(new String(Lmdb.key(c), StandardCharsets.US_ASCII));
      }
    }
    return out;
  }

  boolean contains(Txn<ByteBuffer> txn, String name) {
    return Lmdb.get(dbi, txn, key(name)) != null;
  }

  /** Whether a pack of {@code entryCount} entries may wait here, given what already waits. */
  boolean accepts(Txn<ByteBuffer> txn, int entryCount) {
    return entryCount <= MAX_PACK_ENTRIES && dbi.stat(txn).entries < MAX_PACKS;
  }

  /** Adds a published pack in the write transaction {@code txn}. */
  void add(Txn<ByteBuffer> txn, String name, List<PackEntry> packEntries) {
    byte[] count = new byte[4];
    Bytes.putU32(count, 0, packEntries.size());
    Lmdb.put(dbi, txn, key(name), count);
    entries.put(name, List.copyOf(packEntries));
  }

  /**
   * Takes every pending pack out of the table in the write transaction {@code txn} and returns
   * their entries, in name order, for the caller to gather into a run. A pack whose file is gone is
   * dropped; one that cannot be read now stays pending (a rebuild of the index settles it).
   */
  Map<String, List<PackEntry>> takeAll(Txn<ByteBuffer> txn) {
    Map<String, List<PackEntry>> out = new LinkedHashMap<>();
    for (String name : names(txn)) {
      List<PackEntry> es;
      try {
        entries.remove(name); // read the file again: it must still be there to be gathered
        es = load(name);
      } catch (IOException | RuntimeException unreadable) {
        continue;
      }
      Lmdb.delete(dbi, txn, key(name));
      if (es != null) {
        out.put(name, es);
      }
    }
    return out;
  }

  /** Empties the table in the write transaction {@code txn}. */
  void clear(Txn<ByteBuffer> txn) {
    dbi.drop(txn);
  }

  /** The pack's entries, kept for later calls; null if its file is gone. */
  private List<PackEntry> load(String name) throws IOException {
    List<PackEntry> es = entries.get(name);
    if (es == null) {
      List<PackEntry> read = source.entries(name);
      if (read == null) {
        return null;
      }
      es = List.copyOf(read);
      entries.put(name, es);
    }
    return es;
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.US_ASCII);
  }
}
