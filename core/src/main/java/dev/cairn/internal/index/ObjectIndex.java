package dev.cairn.internal.index;

import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Bytes;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackObjectDatabase;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
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
 * {@code pending-packs} ({@link PendingPacks}), are gathered later into sorted runs in
 * {@code object-runs} ({@link ObjectRuns}), and reach {@code objects} in bulk; every lookup sees all
 * three. A small pack may also be {@linkplain #registerLater registered later}: this process
 * sees it at once, the others once it is written (or once they {@linkplain
 * PackObjectDatabase#refresh() find it} themselves). See
 * spec/repository.md.
 */
public final class ObjectIndex {
  // An objects value (spec/repository.md): uint32(pack number) uint8(type) uint64(blockOffset)
  // uint32(blockLength) uint32(offsetInBlock) uint32(length), big-endian.
  private static final int PACK_NUMBER = 0;
  private static final int TYPE = 4;
  private static final int BLOCK_OFFSET = 5;
  private static final int BLOCK_LENGTH = 13;
  private static final int OFFSET_IN_BLOCK = 17;
  private static final int LENGTH = 21;
  /** Size of an {@code objects} value. */
  static final int VALUE_SIZE = LENGTH + 4;

  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> objects;
  private final Dbi<ByteBuffer> packs;
  private final Dbi<ByteBuffer> packNumbers;
  private final Dbi<ByteBuffer> meta;
  private static final byte[] NEXT_PACK = "next-pack-number".getBytes(StandardCharsets.US_ASCII);
  private final Map<Integer, String> nameCache = new ConcurrentHashMap<>();
  private final PendingPacks pending;
  private final ObjectRuns runs;
  private final DeferredPacks deferred = new DeferredPacks();

  /** Reads the entries of a published pack from its file. */
  @FunctionalInterface
  public interface PackEntrySource {
    /** The pack's entries, or null if no pack of this name exists. */
    List<PackEntry> entries(String packName) throws IOException;
  }

  /** {@code packEntries} reads a pending pack's entries from its file. */
  public ObjectIndex(IndexEnvironment environment, PackEntrySource packEntries) {
    this(environment, packEntries, ObjectRuns.MIN_TREE_MERGE);
  }

  /** As above, with runs merged into {@code objects} past {@code minTreeMerge} records (for tests). */
  ObjectIndex(IndexEnvironment environment, PackEntrySource packEntries, long minTreeMerge) {
    this.env = environment.env();
    this.objects = environment.dbi("objects");
    this.packs = environment.dbi("packs");
    this.packNumbers = environment.dbi("pack-numbers");
    this.meta = environment.dbi("meta");
    this.pending = new PendingPacks(environment.dbi("pending-packs"), packEntries);
    this.runs = new ObjectRuns(environment.dbi("object-runs"), minTreeMerge);
  }

  /** Where {@code id} is stored, or null if the index does not know it. */
  public ObjectLocation lookup(ObjectId id) {
    long forgets = deferred.forgets();
    ObjectLocation loc = lookupWritten(id);
    if (loc == null) {
      loc = deferred.get(id);
    }
    // A pack registered later is forgotten only once its write has committed: missed by the
    // snapshot above and gone from the deferred ones since, it is in a new snapshot.
    return loc == null && deferred.forgets() != forgets ? lookupWritten(id) : loc;
  }

  private ObjectLocation lookupWritten(ObjectId id) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return locate(txn, runs.in(txn), id);
    }
  }

  /**
   * {@link #lookup} for many ids, in one read transaction: one snapshot, and none of the cost of
   * a transaction an object (a collection asks about every object of every old pack).
   */
  public ObjectLocation[] lookupEach(List<ObjectId> ids) {
    ObjectLocation[] out = new ObjectLocation[ids.size()];
    long forgets = deferred.forgets();
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      List<ObjectRuns.Run> waitingRuns = runs.in(txn);
      for (int i = 0; i < out.length; i++) {
        out[i] = locate(txn, waitingRuns, ids.get(i));
      }
    }
    boolean missed = false;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == null) {
        out[i] = deferred.get(ids.get(i));
        missed |= out[i] == null;
      }
    }
    if (missed && deferred.forgets() != forgets) { // as lookup does: what was forgotten meanwhile is written
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        List<ObjectRuns.Run> waitingRuns = runs.in(txn);
        for (int i = 0; i < out.length; i++) {
          if (out[i] == null) {
            out[i] = locate(txn, waitingRuns, ids.get(i));
          }
        }
      }
    }
    return out;
  }

  private ObjectLocation locate(Txn<ByteBuffer> txn, List<ObjectRuns.Run> waitingRuns, ObjectId id) {
    ByteBuffer v = objects.get(txn, Lmdb.key(id.toBytes()));
    if (v != null) {
      return location(txn, v.duplicate(), 0);
    }
    if (!waitingRuns.isEmpty()) {
      long[] key = ObjectRuns.key(id);
      for (ObjectRuns.Run run : waitingRuns) {
        int at = ObjectRuns.find(run.records(), key);
        if (at >= 0) {
          return location(txn, run.records(), at + ObjectId.LENGTH);
        }
      }
    }
    return pending.in(txn).locations().get(id);
  }

  /** The place an {@code objects} value at {@code offset} of {@code v} names; null if its pack is unknown. */
  private ObjectLocation location(Txn<ByteBuffer> txn, ByteBuffer v, int offset) {
    String name = packName(txn, v.getInt(offset + PACK_NUMBER));
    return name == null ? null : decode(name, v, offset);
  }

  private static ObjectLocation decode(String packName, ByteBuffer v, int offset) {
    return new ObjectLocation(packName, ObjectType.fromCode(v.get(offset + TYPE) & 0xFF), v.getLong(offset + BLOCK_OFFSET),
        v.getInt(offset + BLOCK_LENGTH), v.getInt(offset + OFFSET_IN_BLOCK), v.getInt(offset + LENGTH));
  }

  private String packName(Txn<ByteBuffer> txn, int number) {
    String name = nameCache.get(number);
    if (name == null) {
      byte[] n = Lmdb.get(packNumbers, txn, u32(number));
      if (n == null) {
        return null;
      }
      name = new String(n, StandardCharsets.US_ASCII);
      nameCache.put(number, name);
    }
    return name;
  }

  /** Whether the index knows {@code id}. */
  public boolean contains(ObjectId id) {
    long forgets = deferred.forgets(); // as lookup does
    return hasWritten(id) || deferred.get(id) != null || (deferred.forgets() != forgets && hasWritten(id));
  }

  private boolean hasWritten(ObjectId id) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return has(txn, runs.in(txn), id);
    }
  }

  /** {@link #contains} for many ids, in one read transaction (and a second when packs registered later were written meanwhile). */
  public boolean[] containsEach(List<ObjectId> ids) {
    boolean[] out = new boolean[ids.size()];
    long forgets = deferred.forgets();
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      List<ObjectRuns.Run> waitingRuns = runs.in(txn);
      for (int i = 0; i < out.length; i++) {
        out[i] = has(txn, waitingRuns, ids.get(i));
      }
    }
    boolean missed = false;
    for (int i = 0; i < out.length; i++) {
      out[i] = out[i] || deferred.get(ids.get(i)) != null;
      missed |= !out[i];
    }
    if (missed && deferred.forgets() != forgets) { // as lookup does
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        List<ObjectRuns.Run> waitingRuns = runs.in(txn);
        for (int i = 0; i < out.length; i++) {
          out[i] = out[i] || has(txn, waitingRuns, ids.get(i));
        }
      }
    }
    return out;
  }

  private boolean has(Txn<ByteBuffer> txn, List<ObjectRuns.Run> waitingRuns, ObjectId id) {
    if (objects.get(txn, Lmdb.key(id.toBytes())) != null) {
      return true;
    }
    if (!waitingRuns.isEmpty()) {
      long[] key = ObjectRuns.key(id);
      for (ObjectRuns.Run run : waitingRuns) {
        if (ObjectRuns.find(run.records(), key) >= 0) {
          return true;
        }
      }
    }
    return pending.in(txn).locations().containsKey(id);
  }

  /** Whether a pack of this name is registered. */
  public boolean hasPack(String name) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      if (registered(txn, name)) {
        return true;
      }
    }
    return deferred.holds(name);
  }

  /**
   * Packs waiting outside the object table whose file could not be read (damaged), with why: their
   * objects cannot be found until {@code fsck --repair} salvages what it can of them.
   */
  public Map<String, String> unreadablePendingPacks() {
    return pending.unreadable();
  }

  /** Whether {@code packs}, a run's list or {@code pending-packs} names the pack, as of {@code txn}. */
  private boolean registered(Txn<ByteBuffer> txn, String name) {
    if (Lmdb.get(packs, txn, name.getBytes(StandardCharsets.US_ASCII)) != null || pending.contains(txn, name)) {
      return true;
    }
    List<ObjectRuns.Run> waitingRuns = runs.in(txn);
    if (!waitingRuns.isEmpty() && ObjectId.isId(name)) {
      byte[] raw = HexFormat.of().parseHex(name);
      for (ObjectRuns.Run run : waitingRuns) {
        if (run.packNumber(raw) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** Names of every registered pack, sorted. */
  public List<String> packNames() {
    TreeSet<String> out = new TreeSet<>();
    try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = packs.openCursor(txn)) {
      for (boolean ok = c.first(); ok; ok = c.next()) {
        out.add(new String(Lmdb.key(c), StandardCharsets.US_ASCII));
      }
      out.addAll(pending.names(txn));
      for (ObjectRuns.Run run : runs.in(txn)) {
        for (int at = 0; at < run.packs().limit(); at += ObjectRuns.PACK_SIZE) {
          out.add(HexFormat.of().formatHex(run.name(at)));
        }
      }
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

  /** Number of objects the index knows (a walk of all of them). */
  public long objectCount() {
    long[] n = {0};
    forEach((id, where) -> n[0]++);
    return n[0];
  }

  /**
   * Registers a published pack's objects in one transaction, together with every pack this
   * process {@linkplain #registerLater registered later} and has not written yet. Objects already
   * known keep their current place; registering a pack twice changes nothing. A small pack waits
   * among the pending packs; one that finds {@link PendingPacks#MAX_PACKS} waiting first gathers
   * them into a run ({@link ObjectRuns}); a large one does too, then goes into the object table.
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
   * ({@link PackObjectDatabase#refresh()}), or once it is written. A pack
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
  private void writeWithDeferred(Consumer<Txn<ByteBuffer>> body) {
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
      if (!registered(txn, packName)) {
        if (!pending.accepts(txn, entries.size())) {
          foldPending(txn);
        }
        if (pending.accepts(txn, entries.size())) {
          pending.add(txn, packName, entries);
        } else {
          registerIn(txn, packName, entries);
        }
      }
    }
  }

  /** Writes every pending pack and every run into the object table, in one transaction. */
  public void mergeAll() {
    writeWithDeferred(this::mergeAll);
  }

  private void mergeAll(Txn<ByteBuffer> txn) {
    foldPending(txn);
    mergeRuns(txn);
  }

  /**
   * Gives every pending pack its number and gathers them, with their objects that the object table
   * lacks, into a new run, in the write transaction {@code txn}; merges the runs into the table
   * when due. The packs enter {@code pack-numbers} now (its keys only grow, so that is one page)
   * and {@code packs} with the run's records.
   */
  private void foldPending(Txn<ByteBuffer> txn) {
    TreeMap<ObjectId, byte[]> records = new TreeMap<>();
    Map<String, List<PackEntry>> taken = pending.takeAll(txn);
    byte[] packList = new byte[taken.size() * ObjectRuns.PACK_SIZE];
    int[] p = {0};
    taken.forEach((name, entries) -> { // in name order, the order of the raw names too
      int number = nextPackNumber(txn);
      Lmdb.put(packNumbers, txn, u32(number), name.getBytes(StandardCharsets.US_ASCII));
      System.arraycopy(HexFormat.of().parseHex(name), 0, packList, p[0], 32);
      Bytes.putU32(packList, p[0] + 32, number);
      p[0] += ObjectRuns.PACK_SIZE;
      for (PackEntry e : entries) {
        if (!records.containsKey(e.id()) && objects.get(txn, Lmdb.key(e.id().toBytes())) == null) {
          records.put(e.id(), value(number, e));
        }
      }
    });
    byte[] run = new byte[records.size() * ObjectRuns.RECORD_SIZE];
    int at = 0;
    for (Map.Entry<ObjectId, byte[]> r : records.entrySet()) {
      r.getKey().copyTo(run, at);
      System.arraycopy(r.getValue(), 0, run, at + ObjectId.LENGTH, VALUE_SIZE);
      at += ObjectRuns.RECORD_SIZE;
    }
    runs.add(txn, packList, run);
    if (runs.due(runs.records(txn), objects.stat(txn).entries)) {
      mergeRuns(txn);
    }
  }

  /**
   * Moves every run's packs into the {@code packs} table and its records into the object table, in
   * order, in the write transaction {@code txn}.
   */
  private void mergeRuns(Txn<ByteBuffer> txn) {
    ObjectRuns.Taken taken = runs.takeAll(txn);
    registerRunPacks(txn, taken.packs());
    byte[] all = taken.records();
    byte[] key = new byte[ObjectId.LENGTH];
    byte[] value = new byte[VALUE_SIZE];
    for (int at = 0; at < all.length; at += ObjectRuns.RECORD_SIZE) {
      System.arraycopy(all, at, key, 0, key.length);
      System.arraycopy(all, at + key.length, value, 0, value.length);
      Lmdb.put(objects, txn, key, value, PutFlags.MDB_NOOVERWRITE);
    }
  }

  /** Puts the packs of a run's list into the {@code packs} table, in the write transaction {@code txn}. */
  private void registerRunPacks(Txn<ByteBuffer> txn, byte[] packList) {
    for (int at = 0; at < packList.length; at += ObjectRuns.PACK_SIZE) {
      byte[] name = HexFormat.of().formatHex(packList, at, at + 32).getBytes(StandardCharsets.US_ASCII);
      Lmdb.put(packs, txn, name, Arrays.copyOfRange(packList, at + 32, at + 36), PutFlags.MDB_NOOVERWRITE);
    }
  }

  /** The {@code objects} value placing {@code e} in pack {@code number}. */
  private static byte[] value(int number, PackEntry e) {
    byte[] value = new byte[VALUE_SIZE];
    Bytes.putU32(value, PACK_NUMBER, number);
    value[TYPE] = (byte) e.type().code();
    Bytes.putU64(value, BLOCK_OFFSET, e.blockOffset());
    Bytes.putU32(value, BLOCK_LENGTH, e.blockLength());
    Bytes.putU32(value, OFFSET_IN_BLOCK, e.offsetInBlock());
    Bytes.putU32(value, LENGTH, e.length());
    return value;
  }

  /** Registers one pack in full in the write transaction {@code txn}; returns its number. */
  private int registerIn(Txn<ByteBuffer> txn, String packName, List<PackEntry> entries) {
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
    for (PackEntry e : entries) {
      Lmdb.put(objects, txn, e.id().toBytes(), value(number, e), PutFlags.MDB_NOOVERWRITE);
    }
    return number;
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
      registerRunPacks(txn, runs.takeAll(txn).packs()); // their numbers stay theirs
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
  public void dropPacks(Set<String> dropped, Map<String, List<PackEntry>> replacements) {
    writeWithDeferred(txn -> dropPacksIn(txn, dropped, replacements));
  }

  private void dropPacksIn(Txn<ByteBuffer> txn, Set<String> dropped, Map<String, List<PackEntry>> replacements) {
    mergeAll(txn);
    for (Map.Entry<String, List<PackEntry>> e : replacements.entrySet()) {
      registerIn(txn, e.getKey(), List.of());
    }
    Set<Integer> droppedNumbers = new HashSet<>();
    for (String name : dropped) {
      byte[] n = Lmdb.get(packs, txn, name.getBytes(StandardCharsets.US_ASCII));
      if (n != null) {
        droppedNumbers.add((int) Bytes.u32(n, 0));
      }
    }
    Map<ObjectId, byte[]> moved = new HashMap<>();
    for (Map.Entry<String, List<PackEntry>> e : replacements.entrySet()) {
      int number = (int) Bytes.u32(Lmdb.get(packs, txn, e.getKey().getBytes(StandardCharsets.US_ASCII)), 0);
      for (PackEntry pe : e.getValue()) {
        moved.put(pe.id(), value(number, pe));
      }
    }
    List<byte[]> toDelete = new ArrayList<>();
    Map<byte[], byte[]> toPut = new LinkedHashMap<>();
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

  /**
   * Receives every indexed object once, in id order, from one consistent snapshot. An object whose
   * pack number names no pack comes with a null pack name.
   */
  public void forEach(BiConsumer<ObjectId, ObjectLocation> consumer) {
    try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = objects.openCursor(txn)) {
      TreeMap<ObjectId, ObjectLocation> waiting = new TreeMap<>(pending.in(txn).locations());
      deferred.locations().forEach(waiting::putIfAbsent);
      List<Sorted> sources = new ArrayList<>();
      sources.add(new Sorted() { // the object table first: where two sources hold an id, it wins
        boolean ok = c.first();

        public ObjectId id() {
          return ok ? ObjectId.fromBytes(Lmdb.key(c)) : null;
        }

        public ObjectLocation location() {
          ByteBuffer v = c.val().duplicate();
          return decode(packName(txn, v.getInt(0)), v, 0);
        }

        public void next() {
          ok = c.next();
        }
      });
      for (ObjectRuns.Run r : runs.in(txn)) {
        ByteBuffer run = r.records();
        sources.add(new Sorted() {
          int at;

          public ObjectId id() {
            return at < run.limit() ? ObjectRuns.id(run, at) : null;
          }

          public ObjectLocation location() {
            int v = at + ObjectId.LENGTH;
            return decode(packName(txn, run.getInt(v)), run, v);
          }

          public void next() {
            at += ObjectRuns.RECORD_SIZE;
          }
        });
      }
      var rest = waiting.entrySet().iterator();
      sources.add(new Sorted() {
        Map.Entry<ObjectId, ObjectLocation> head = rest.hasNext() ? rest.next() : null;

        public ObjectId id() {
          return head == null ? null : head.getKey();
        }

        public ObjectLocation location() {
          return head.getValue();
        }

        public void next() {
          head = rest.hasNext() ? rest.next() : null;
        }
      });
      mergeSorted(sources, consumer);
    }
  }

  /** One sorted source of index records for {@link #forEach}. */
  private interface Sorted {
    /** The current id, or null past the end. */
    ObjectId id();

    ObjectLocation location();

    void next();
  }

  /** Hands on each id of the sorted {@code sources} once, with its place in the first source that holds it. */
  private static void mergeSorted(List<Sorted> sources, BiConsumer<ObjectId, ObjectLocation> consumer) {
    ObjectId[] heads = new ObjectId[sources.size()];
    for (int i = 0; i < heads.length; i++) {
      heads[i] = sources.get(i).id();
    }
    while (true) {
      int min = -1;
      for (int i = 0; i < heads.length; i++) {
        if (heads[i] != null && (min < 0 || heads[i].compareTo(heads[min]) < 0)) {
          min = i;
        }
      }
      if (min < 0) {
        return;
      }
      ObjectId id = heads[min];
      consumer.accept(id, sources.get(min).location());
      for (int i = 0; i < heads.length; i++) {
        if (id.equals(heads[i])) {
          sources.get(i).next();
          heads[i] = sources.get(i).id();
        }
      }
    }
  }

  /** Up to {@code limit} known ids that start with {@code prefix}, in order. */
  public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) {
    TreeSet<ObjectId> out = new TreeSet<>();
    try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = objects.openCursor(txn)) {
      byte[] start = prefix.lowerBound().toBytes();
      for (boolean ok = Lmdb.seek(c, start); ok && out.size() < limit; ok = c.next()) {
        ObjectId id = ObjectId.fromBytes(Lmdb.key(c));
        if (!prefix.matches(id)) {
          break;
        }
        out.add(id);
      }
      for (ObjectRuns.Run r : runs.in(txn)) {
        ByteBuffer run = r.records();
        for (int at = ObjectRuns.lowerBound(run, prefix.lowerBound()); at < run.limit(); at += ObjectRuns.RECORD_SIZE) {
          ObjectId id = ObjectRuns.id(run, at);
          if (!prefix.matches(id)) {
            break;
          }
          out.add(id);
        }
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
