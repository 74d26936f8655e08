package dev.cairn.internal.index;

import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Bytes;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.object.ObjectType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

/**
 * The LMDB lookup table from object id to its place in a pack. Derived data: {@link #rebuild}
 * recreates it from the packs. Thread-safe, and safe across processes (LMDB serializes writers).
 *
 * <p>Databases: {@code objects} (id[32] → uint32 pack number, uint8 type, uint64 block offset,
 * uint32 block length, uint32 offset in block, uint32 length), {@code packs} (pack name → uint32
 * number) and {@code pack-numbers} (uint32 number → pack name), and in {@code meta} the key
 * {@code next-pack-number}. Pack numbers are never reused, not even across rebuilds, so a number
 * cached by any reader keeps naming the same pack. Small packs first wait in
 * {@code pending-packs} ({@link PendingPacks}) and are merged into the others later; every lookup
 * sees both. A small pack may also be {@linkplain #registerLater registered later}: this process
 * sees it at once, the others once it is written (or once they {@linkplain
 * dev.cairn.internal.pack.PackObjectDatabase#refresh() find it} themselves). See
 * spec/repository.md.
 */
public final class ObjectIndex {
  private static final int VALUE_SIZE = 4 + 1 + 8 + 4 + 4 + 4;

  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> objects;
  private final Dbi<ByteBuffer> packs;
  private final Dbi<ByteBuffer> packNumbers;
  private final Dbi<ByteBuffer> meta;
  private static final byte[] NEXT_PACK = "next-pack-number".getBytes(StandardCharsets.US_ASCII);
  private final Map<Integer, String> nameCache = new ConcurrentHashMap<>();
  private final PendingPacks pending;
  private final DeferredPacks deferred = new DeferredPacks();

  /** Reads the entries of a published pack from its file. */
  @FunctionalInterface
  public interface PackEntrySource {
    /** The pack's entries, or null if no pack of this name exists. */
    List<PackEntry> entries(String packName) throws java.io.IOException;
  }

  /** {@code packEntries} reads a pending pack's entries from its file. */
  public ObjectIndex(IndexEnvironment environment, PackEntrySource packEntries) {
    this.env = environment.env();
    this.objects = environment.dbi("objects");
    this.packs = environment.dbi("packs");
    this.packNumbers = environment.dbi("pack-numbers");
    this.meta = environment.dbi("meta");
    this.pending = new PendingPacks(environment.dbi("pending-packs"), packEntries);
  }

  /** Where {@code id} is stored, or null if the index does not know it. */
  public ObjectLocation lookup(ObjectId id) {
    byte[] v;
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      v = Lmdb.get(objects, txn, id.toBytes());
      if (v == null) {
        ObjectLocation p = pending.in(txn).locations().get(id);
        return p != null ? p : deferred.get(id);
      }
      int pack = (int) Bytes.u32(v, 0);
      String name = nameCache.get(pack);
      if (name == null) {
        byte[] n = Lmdb.get(packNumbers, txn, u32(pack));
        if (n == null) {
          return null;
        }
        name = new String(n, StandardCharsets.US_ASCII);
        nameCache.put(pack, name);
      }
      return new ObjectLocation(
          name,
          ObjectType.fromCode(v[4] & 0xFF),
          Bytes.u64(v, 5),
          (int) Bytes.u32(v, 13),
          (int) Bytes.u32(v, 17),
          (int) Bytes.u32(v, 21));
    }
  }

  /** Whether the index knows {@code id}. */
  public boolean contains(ObjectId id) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return has(txn, id);
    }
  }

  /** {@link #contains} for many ids, in one read transaction. */
  public boolean[] containsEach(List<ObjectId> ids) {
    boolean[] out = new boolean[ids.size()];
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      for (int i = 0; i < out.length; i++) {
        out[i] = has(txn, ids.get(i));
      }
    }
    return out;
  }

  private boolean has(Txn<ByteBuffer> txn, ObjectId id) {
    return Lmdb.get(objects, txn, id.toBytes()) != null || pending.in(txn).locations().containsKey(id)
        || deferred.get(id) != null;
  }

  /** Whether a pack of this name is registered. */
  public boolean hasPack(String name) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      if (Lmdb.get(packs, txn, name.getBytes(StandardCharsets.US_ASCII)) != null || pending.contains(txn, name)) {
        return true;
      }
    }
    return deferred.holds(name);
  }

  /** Names of every registered pack, sorted. */
  public List<String> packNames() {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = packs.openCursor(txn)) {
      for (boolean ok = c.first(); ok; ok = c.next()) {
        out.add(new String(Lmdb.key(c), StandardCharsets.US_ASCII));
      }
      out.addAll(pending.names(txn));
    }
    out.addAll(deferred.names());
    return new ArrayList<>(out);
  }

  /** Names of the packs still waiting to be merged into the object table, sorted. */
  public List<String> pendingPackNames() {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return pending.names(txn);
    }
  }

  /** Number of objects the index knows. */
  public long objectCount() {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      long n = objects.stat(txn).entries;
      Map<ObjectId, ObjectLocation> waiting = pending.in(txn).locations();
      for (ObjectId id : waiting.keySet()) {
        if (Lmdb.get(objects, txn, id.toBytes()) == null) {
          n++;
        }
      }
      for (ObjectId id : deferred.locations().keySet()) {
        if (!waiting.containsKey(id) && Lmdb.get(objects, txn, id.toBytes()) == null) {
          n++;
        }
      }
      return n;
    }
  }

  /**
   * Registers a published pack's objects in one transaction, together with every pack this
   * process {@linkplain #registerLater registered later} and has not written yet. Objects already
   * known keep their current place; registering a pack twice changes nothing. A small pack waits
   * among the pending packs; a large one, or one that finds {@link PendingPacks#MAX_PACKS}
   * waiting, is written to the object table together with every pending pack.
   */
  public void register(String packName, List<PackEntry> entries) {
    registerAll(Map.of(packName, entries));
  }

  /** {@link #register} for several packs, in one transaction. */
  public void registerAll(Map<String, List<PackEntry>> packEntries) {
    writeWithDeferred(txn -> registerAllIn(txn, packEntries));
  }

  /**
   * Registers a small published pack for this process only, putting off the write transaction
   * until the next {@link #register}, {@link #registerDeferred} or any other write of this index,
   * or until {@link DeferredPacks#MAX_PACKS} wait: a draft's edit and its close then cost one
   * write instead of two. Other processes find the pack when they miss one of its objects
   * ({@link dev.cairn.internal.pack.PackObjectDatabase#refresh()}), or once it is written. A pack
   * of more than {@link PendingPacks#MAX_PACK_ENTRIES} entries is registered at once.
   */
  public void registerLater(String packName, List<PackEntry> entries) {
    if (!deferred.add(packName, entries)) {
      register(packName, entries);
    }
  }

  /** Writes the packs {@linkplain #registerLater registered later}, if any, in one transaction. */
  public void registerDeferred() {
    if (!deferred.isEmpty()) {
      writeWithDeferred(txn -> {});
    }
  }

  /** Whether packs {@linkplain #registerLater registered later} are still unwritten. */
  public boolean hasDeferred() {
    return !deferred.isEmpty();
  }

  /**
   * Runs {@code body} in one write transaction that first writes the packs registered later: every
   * write of this index takes them along, so that none is left behind a merge or a drop.
   */
  private void writeWithDeferred(java.util.function.Consumer<Txn<ByteBuffer>> body) {
    Map<String, List<PackEntry>> waiting = deferred.snapshot();
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      registerAllIn(txn, waiting);
      body.accept(txn);
      txn.commit();
    }
    deferred.forget(waiting.keySet());
  }

  /** Registers packs in the write transaction {@code txn}, as {@link #register} describes. */
  private void registerAllIn(Txn<ByteBuffer> txn, Map<String, List<PackEntry>> packsToWrite) {
    for (Map.Entry<String, List<PackEntry>> p : packsToWrite.entrySet()) {
      String packName = p.getKey();
      List<PackEntry> entries = p.getValue();
      if (Lmdb.get(packs, txn, packName.getBytes(StandardCharsets.US_ASCII)) == null && !pending.contains(txn, packName)) {
        if (pending.accepts(txn, entries.size())) {
          pending.add(txn, packName, entries);
        } else {
          mergePending(txn);
          registerIn(txn, packName, entries);
        }
      }
    }
  }

  /** Writes every pending pack into the object table, in one transaction. */
  public void mergePending() {
    writeWithDeferred(this::mergePending);
  }

  private void mergePending(Txn<ByteBuffer> txn) {
    pending.takeAll(txn).forEach((name, entries) -> registerIn(txn, name, entries));
  }

  private void registerIn(Txn<ByteBuffer> txn, String packName, List<PackEntry> entries) {
    byte[] nameKey = packName.getBytes(StandardCharsets.US_ASCII);
    byte[] existing = Lmdb.get(packs, txn, nameKey);
    int number;
    if (existing != null) {
      number = (int) Bytes.u32(existing, 0);
    } else {
      number = nextPackNumber(txn);
      Lmdb.put(packs, txn, nameKey, u32(number));
      Lmdb.put(packNumbers, txn, u32(number), nameKey);
    }
    byte[] value = new byte[VALUE_SIZE];
    Bytes.putU32(value, 0, number);
    for (PackEntry e : entries) {
      value[4] = (byte) e.type().code();
      Bytes.putU64(value, 5, e.blockOffset());
      Bytes.putU32(value, 13, e.blockLength());
      Bytes.putU32(value, 17, e.offsetInBlock());
      Bytes.putU32(value, 21, e.length());
      Lmdb.put(objects, txn, e.id().toBytes(), value, PutFlags.MDB_NOOVERWRITE);
    }
  }

  private int nextPackNumber(Txn<ByteBuffer> txn) {
    byte[] stored = Lmdb.get(meta, txn, NEXT_PACK);
    int next = stored != null ? (int) Bytes.u32(stored, 0) : 1;
    try (Cursor<ByteBuffer> c = packNumbers.openCursor(txn)) {
      if (c.last()) {
        next = Math.max(next, (int) Bytes.u32(Lmdb.key(c), 0) + 1);
      }
    }
    Lmdb.put(meta, txn, NEXT_PACK, u32(next + 1));
    return next;
  }

  /**
   * Replaces the whole index with the given packs' entries, in one transaction. Packs keep their
   * numbers; packs no longer present lose theirs for good.
   */
  public void rebuild(Map<String, List<PackEntry>> packEntries) {
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      objects.drop(txn);
      pending.clear(txn);
      List<byte[]> gone = new ArrayList<>();
      try (Cursor<ByteBuffer> c = packs.openCursor(txn)) {
        for (boolean ok = c.first(); ok; ok = c.next()) {
          if (!packEntries.containsKey(new String(Lmdb.key(c), StandardCharsets.US_ASCII))) {
            gone.add(Lmdb.key(c));
          }
        }
      }
      for (byte[] name : gone) {
        byte[] number = Lmdb.get(packs, txn, name);
        Lmdb.delete(packs, txn, name);
        if (number != null) {
          Lmdb.delete(packNumbers, txn, number);
        }
      }
      for (Map.Entry<String, List<PackEntry>> e : packEntries.entrySet()) {
        registerIn(txn, e.getKey(), e.getValue());
      }
      txn.commit();
    }
    // Packs registered later are files like any other: those the caller read are written now.
    deferred.forget(packEntries.keySet());
  }

  /**
   * Drops packs from the index in one transaction: objects they held that {@code replacements}
   * (packs already published) hold too are pointed there; the others leave the index. Readers never
   * see an object vanish that a replacement holds.
   */
  public void dropPacks(java.util.Set<String> dropped, Map<String, List<PackEntry>> replacements) {
    writeWithDeferred(txn -> dropPacksIn(txn, dropped, replacements));
  }

  private void dropPacksIn(Txn<ByteBuffer> txn, java.util.Set<String> dropped, Map<String, List<PackEntry>> replacements) {
    mergePending(txn);
    for (Map.Entry<String, List<PackEntry>> e : replacements.entrySet()) {
      registerIn(txn, e.getKey(), List.of());
    }
    java.util.Set<Integer> droppedNumbers = new java.util.HashSet<>();
    for (String name : dropped) {
      byte[] n = Lmdb.get(packs, txn, name.getBytes(StandardCharsets.US_ASCII));
      if (n != null) {
        droppedNumbers.add((int) Bytes.u32(n, 0));
      }
    }
    Map<ObjectId, byte[]> moved = new java.util.HashMap<>();
    for (Map.Entry<String, List<PackEntry>> e : replacements.entrySet()) {
      int number = (int) Bytes.u32(Lmdb.get(packs, txn, e.getKey().getBytes(StandardCharsets.US_ASCII)), 0);
      for (PackEntry pe : e.getValue()) {
        byte[] value = new byte[VALUE_SIZE];
        Bytes.putU32(value, 0, number);
        value[4] = (byte) pe.type().code();
        Bytes.putU64(value, 5, pe.blockOffset());
        Bytes.putU32(value, 13, pe.blockLength());
        Bytes.putU32(value, 17, pe.offsetInBlock());
        Bytes.putU32(value, 21, pe.length());
        moved.put(pe.id(), value);
      }
    }
    List<byte[]> toDelete = new ArrayList<>();
    Map<byte[], byte[]> toPut = new java.util.LinkedHashMap<>();
    try (Cursor<ByteBuffer> c = objects.openCursor(txn)) {
      for (boolean ok = c.first(); ok; ok = c.next()) {
        if (droppedNumbers.contains((int) Bytes.u32(Lmdb.value(c), 0))) {
          byte[] key = Lmdb.key(c);
          byte[] replacement = moved.get(ObjectId.fromBytes(key));
          if (replacement != null) {
            toPut.put(key, replacement);
          } else {
            toDelete.add(key);
          }
        }
      }
    }
    toPut.forEach((k, v) -> Lmdb.put(objects, txn, k, v));
    for (Map.Entry<String, List<PackEntry>> e : replacements.entrySet()) {
      registerIn(txn, e.getKey(), e.getValue());
    }
    toDelete.forEach(k -> Lmdb.delete(objects, txn, k));
    for (String name : dropped) {
      byte[] key = name.getBytes(StandardCharsets.US_ASCII);
      byte[] n = Lmdb.get(packs, txn, key);
      if (n != null) {
        Lmdb.delete(packs, txn, key);
        Lmdb.delete(packNumbers, txn, n);
      }
    }
  }

  /** Receives every indexed object, in id order, from one consistent snapshot. */
  public void forEach(java.util.function.BiConsumer<ObjectId, ObjectLocation> consumer) {
    Map<Integer, String> names = new java.util.HashMap<>();
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      try (Cursor<ByteBuffer> c = packNumbers.openCursor(txn)) {
        for (boolean ok = c.first(); ok; ok = c.next()) {
          names.put((int) Bytes.u32(Lmdb.key(c), 0), new String(Lmdb.value(c), StandardCharsets.US_ASCII));
        }
      }
      java.util.TreeMap<ObjectId, ObjectLocation> waiting = new java.util.TreeMap<>(pending.in(txn).locations());
      deferred.locations().forEach(waiting::putIfAbsent);
      try (Cursor<ByteBuffer> c = objects.openCursor(txn)) {
        for (boolean ok = c.first(); ok; ok = c.next()) {
          ObjectId id = ObjectId.fromBytes(Lmdb.key(c));
          for (var w = waiting.firstEntry(); w != null && w.getKey().compareTo(id) <= 0; w = waiting.firstEntry()) {
            waiting.pollFirstEntry();
            if (!w.getKey().equals(id)) {
              consumer.accept(w.getKey(), w.getValue());
            }
          }
          byte[] v = Lmdb.value(c);
          consumer.accept(id, new ObjectLocation(names.get((int) Bytes.u32(v, 0)),
              ObjectType.fromCode(v[4] & 0xFF), Bytes.u64(v, 5), (int) Bytes.u32(v, 13), (int) Bytes.u32(v, 17), (int) Bytes.u32(v, 21)));
        }
      }
      waiting.forEach(consumer);
    }
  }

  /** Up to {@code limit} known ids that start with {@code prefix}, in order. */
  public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) {
    java.util.TreeSet<ObjectId> out = new java.util.TreeSet<>();
    try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = objects.openCursor(txn)) {
      byte[] start = prefix.lowerBound().toBytes();
      for (boolean ok = Lmdb.seek(c, start); ok && out.size() < limit; ok = c.next()) {
        ObjectId id = ObjectId.fromBytes(Lmdb.key(c));
        if (!prefix.matches(id)) {
          break;
        }
        out.add(id);
      }
      for (ObjectId id : pending.in(txn).locations().keySet()) {
        if (prefix.matches(id)) {
          out.add(id);
        }
      }
      for (ObjectId id : deferred.locations().keySet()) {
        if (prefix.matches(id)) {
          out.add(id);
        }
      }
    }
    return out.stream().limit(limit).toList();
  }

  /** The id of the last committed write transaction of this index's environment (one more per write). */
  public long lastTransactionId() {
    return env.info().lastTransactionId;
  }

  private static byte[] u32(int v) {
    byte[] b = new byte[4];
    Bytes.putU32(b, 0, v);
    return b;
  }
}
