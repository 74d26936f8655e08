package dev.cairn.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Txn;

/**
 * Small packs gathered into sorted runs ({@code object-runs}) are found like any other, the runs
 * stay few, reach the object table in bulk, and leave with a rebuild or a dropped pack. Real LMDB;
 * the packs' entries come from a map in place of pack files.
 */
class ObjectRunsTest {
  @TempDir Path tmp;

  /** The packs "on disk": what the index reads when it gathers a pending pack. */
  private final Map<String, List<PackEntry>> packFiles = new HashMap<>();
  private int packCounter;

  private String pack(List<ObjectId> ids) {
    String name = HashAlgorithm.SHA256.hash(("pack " + packCounter++).getBytes()).hex();
    List<PackEntry> entries = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      entries.add(new PackEntry(ids.get(i), ObjectType.CHUNK, 1000L * i, 900, i, 10 + i));
    }
    entries.sort(Comparator.comparing(PackEntry::id));
    packFiles.put(name, entries);
    return name;
  }

  private static ObjectId id(long n) {
    return HashAlgorithm.SHA256.hash(("object " + n).getBytes());
  }

  private ObjectIndex index(IndexEnvironment env, long minTreeMerge) {
    return new ObjectIndex(env, packFiles::get, minTreeMerge);
  }

  private static List<ObjectRuns.Run> runs(IndexEnvironment env, Txn<ByteBuffer> txn) {
    return new ObjectRuns(env.dbi("object-runs"), 0).in(txn);
  }

  private static List<Integer> runSizes(IndexEnvironment env) {
    try (Txn<ByteBuffer> txn = env.env().txnRead()) {
      return runs(env, txn).stream().map(r -> r.records().limit() / ObjectRuns.RECORD_SIZE).toList();
    }
  }

  private static long treeEntries(IndexEnvironment env) {
    try (Txn<ByteBuffer> txn = env.env().txnRead()) {
      return env.dbi("objects").stat(txn).entries;
    }
  }

  /** Registers {@code count} packs of {@code perPack} new objects, one transaction each. */
  private List<ObjectId> registerSmallPacks(ObjectIndex index, int count, int perPack, long firstId) {
    List<ObjectId> all = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      List<ObjectId> ids = new ArrayList<>();
      for (int i = 0; i < perPack; i++) {
        ids.add(id(firstId + (long) p * perPack + i));
      }
      String name = pack(ids);
      index.register(name, packFiles.get(name));
      all.addAll(ids);
    }
    return all;
  }

  private void assertIndexed(ObjectIndex index, List<ObjectId> ids) {
    for (ObjectId id : ids) {
      ObjectLocation where = index.lookup(id);
      assertThat(where).as("lookup %s", id).isNotNull();
      assertThat(packFiles.get(where.packName())).as("the pack named for %s holds it", id)
          .anyMatch(e -> e.id().equals(id) && e.blockOffset() == where.blockOffset() && e.length() == where.length());
    }
    assertThat(index.containsEach(ids)).containsOnly(true);
    // One transaction for all: the same places as one lookup each, and null for an id not indexed.
    List<ObjectId> withUnknown = new ArrayList<>(ids);
    withUnknown.add(id(-7));
    List<ObjectLocation> one = new ArrayList<>();
    withUnknown.forEach(id -> one.add(index.lookup(id)));
    assertThat(index.lookupEach(withUnknown)).containsExactlyElementsOf(one).endsWith((ObjectLocation) null);
  }

  @Test
  void aFullSetOfPendingPacksBecomesOneSortedRunThatLookupsSearchInPlace() throws IOException {
    try (IndexEnvironment env = IndexEnvironment.open(tmp.resolve("index"), 1L << 30)) {
      ObjectIndex index = index(env, 1_000_000);
      List<ObjectId> ids = registerSmallPacks(index, PendingPacks.MAX_PACKS + 1, 3, 0);
      assertThat(index.pendingPackNames()).hasSize(1);
      assertThat(runSizes(env)).containsExactly(3 * PendingPacks.MAX_PACKS);
      assertThat(treeEntries(env)).isZero();
      assertThat(index.packNames()).hasSize(PendingPacks.MAX_PACKS + 1);
      assertIndexed(index, ids);
      assertThat(index.contains(id(-1))).isFalse();
      assertThat(index.lookup(id(-1))).isNull();

      // the run's bytes: u32 pack count, the packs (name[32], u32 number) sorted by name, then
      // records of id[32] and the objects value, sorted by id; the packs are not in `packs` yet
      try (Txn<ByteBuffer> txn = env.env().txnRead()) {
        ByteBuffer value = env.dbi("object-runs").get(txn, Lmdb.key(u32(1)));
        assertThat(value.getInt(0)).isEqualTo(PendingPacks.MAX_PACKS);
        ObjectRuns.Run r = runs(env, txn).get(0);
        assertThat(r.packs().limit()).isEqualTo(PendingPacks.MAX_PACKS * 36);
        assertThat(4 + r.packs().limit() + r.records().limit()).isEqualTo(value.limit());
        String previousName = "";
        for (int at = 0; at < r.packs().limit(); at += 36) {
          String name = HexFormat.of().formatHex(r.name(at));
          assertThat(name).isGreaterThan(previousName);
          previousName = name;
          assertThat(packFiles).containsKey(name);
          assertThat(Lmdb.get(env.dbi("pack-numbers"), txn, u32(r.packs().getInt(at + 32))))
              .isEqualTo(name.getBytes(StandardCharsets.US_ASCII));
          assertThat(Lmdb.get(env.dbi("packs"), txn, name.getBytes(StandardCharsets.US_ASCII))).isNull();
          assertThat(index.hasPack(name)).isTrue();
        }
        ByteBuffer run = r.records();
        ObjectId previous = null;
        for (int at = 0; at < run.limit(); at += ObjectRuns.RECORD_SIZE) {
          ObjectId id = ObjectRuns.id(run, at);
          assertThat(previous == null || previous.compareTo(id) < 0).as("sorted, each id once").isTrue();
          previous = id;
          int number = run.getInt(at + 32);
          String name = new String(Lmdb.get(env.dbi("pack-numbers"), txn, u32(number)), StandardCharsets.US_ASCII);
          PackEntry e = packFiles.get(name).stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
          assertThat(run.get(at + 36) & 0xFF).isEqualTo(ObjectType.CHUNK.code());
          assertThat(run.getLong(at + 37)).isEqualTo(e.blockOffset());
          assertThat(run.getInt(at + 45)).isEqualTo(e.blockLength());
          assertThat(run.getInt(at + 49)).isEqualTo(e.offsetInBlock());
          assertThat(run.getInt(at + 53)).isEqualTo(e.length());
        }
      }
      // another reader, with nothing loaded, finds them the same way
      assertIndexed(index(env, 1_000_000), ids);
      List<ObjectId> seen = new ArrayList<>();
      index.forEach((id, where) -> seen.add(id));
      assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
      ObjectId some = ids.get(17);
      assertThat(index.resolve(AbbreviatedObjectId.parse(some.hex().substring(0, 12)), 3)).containsExactly(some);
    }
  }

  @Test
  void runsStayFewAndGoIntoTheTreeOnceTheyHoldAnEighthOfIt() throws IOException {
    try (IndexEnvironment env = IndexEnvironment.open(tmp.resolve("index"), 1L << 30)) {
      // a tree of 20,000 objects from one large pack
      List<ObjectId> big = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        big.add(id(1_000_000 + i));
      }
      ObjectIndex index = index(env, 1000);
      String bigPack = pack(big);
      index.register(bigPack, packFiles.get(bigPack));
      assertThat(treeEntries(env)).isEqualTo(20_000);

      List<ObjectId> small = new ArrayList<>();
      long tree = treeEntries(env);
      boolean merged = false;
      for (int round = 0; round < 40 && !merged; round++) {
        small.addAll(registerSmallPacks(index, PendingPacks.MAX_PACKS, 2, 10_000L * round));
        List<Integer> sizes = runSizes(env);
        // newest first; each run holds more than twice the records of the next newer one
        for (int i = 1; i < sizes.size(); i++) {
          assertThat(sizes.get(i)).isGreaterThan(2 * sizes.get(i - 1));
        }
        merged = treeEntries(env) > tree;
        if (!merged) {
          assertThat(sizes.stream().mapToLong(Integer::longValue).sum()).isLessThanOrEqualTo(tree / 8);
        }
      }
      assertThat(merged).as("the runs reached the tree").isTrue();
      assertThat(runSizes(env)).isEmpty();
      try (Txn<ByteBuffer> txn = env.env().txnRead()) {
        assertThat(env.dbi("packs").stat(txn).entries).as("their packs came along")
            .isEqualTo(1 + small.size() / 2 - index.pendingPackNames().size());
      }
      assertThat(treeEntries(env) + 2L * PendingPacks.MAX_PACKS).isGreaterThan(20_000L + small.size() - 2L * PendingPacks.MAX_PACKS);
      assertIndexed(index, small);
      assertIndexed(index, big.subList(0, 500));
    }
  }

  @Test
  void aRebuildEmptiesTheRunsAndADroppedPackLeavesThem() throws IOException {
    try (IndexEnvironment env = IndexEnvironment.open(tmp.resolve("index"), 1L << 30)) {
      ObjectIndex index = index(env, 1_000_000);
      List<ObjectId> ids = registerSmallPacks(index, PendingPacks.MAX_PACKS + 1, 2, 0);
      String dropped = index.lookup(ids.get(0)).packName();
      assertThat(runSizes(env)).hasSize(1);

      // gc drops a pack: its objects leave the index, the rest go into the tree
      index.dropPacks(Set.of(dropped), Map.of());
      assertThat(runSizes(env)).isEmpty();
      assertThat(index.lookup(ids.get(0))).isNull();
      assertThat(index.lookup(ids.get(1))).isNull();
      assertIndexed(index, ids.subList(2, ids.size()));

      registerSmallPacks(index, PendingPacks.MAX_PACKS + 1, 2, 5000);
      assertThat(runSizes(env)).hasSize(1);
      Map<String, List<PackEntry>> all = new LinkedHashMap<>(packFiles);
      all.remove(dropped);
      index.rebuild(all);
      assertThat(runSizes(env)).isEmpty();
      assertThat(index.pendingPackNames()).isEmpty();
      assertThat(index.objectCount()).isEqualTo(ids.size() - 2 + 2L * (PendingPacks.MAX_PACKS + 1));
    }
  }

  /**
   * Any sequence of registrations (small and large packs, objects stored twice, in transactions
   * of one or many packs, merges, a second process) leaves the index agreeing with a plain map.
   */
  @Property(tries = 12)
  void agreesWithAPlainModel(@ForAll long seed, @ForAll @IntRange(min = 40, max = 400) int steps) throws IOException {
    Path dir = Files.createTempDirectory("cairn-runs");
    try (IndexEnvironment env = IndexEnvironment.open(dir, 1L << 30)) {
      Random r = new Random(seed);
      ObjectIndex index = index(env, 200 + r.nextInt(400));
      Map<ObjectId, String> model = new HashMap<>();
      List<String> registered = new ArrayList<>();
      long next = 0;
      for (int step = 0; step < steps; step++) {
        Map<String, List<PackEntry>> batch = new LinkedHashMap<>();
        int packsInTxn = r.nextInt(10) == 0 ? 1 + r.nextInt(40) : 1;
        for (int p = 0; p < packsInTxn; p++) {
          int size = r.nextInt(50) == 0 ? PendingPacks.MAX_PACK_ENTRIES + 1 + r.nextInt(100) : 1 + r.nextInt(6);
          List<ObjectId> ids = new ArrayList<>();
          List<ObjectId> known = new ArrayList<>(model.keySet());
          for (int i = 0; i < size; i++) {
            ObjectId id = !known.isEmpty() && r.nextInt(8) == 0 ? known.get(r.nextInt(known.size())) : id(next++);
            if (!ids.contains(id)) {
              ids.add(id);
            }
          }
          String name = pack(ids);
          batch.put(name, packFiles.get(name));
          ids.forEach(id -> model.putIfAbsent(id, name));
        }
        index.registerAll(batch);
        registered.addAll(batch.keySet());
        switch (r.nextInt(60)) {
          case 0 -> index.mergeAll();
          case 1 -> index = index(env, 200 + r.nextInt(400));
          case 2, 3, 4 -> { // a pack registered again (found again by another process) changes nothing
            String again = registered.get(r.nextInt(registered.size()));
            index.register(again, packFiles.get(again));
          }
          default -> { }
        }
      }
      List<ObjectId> expected = new ArrayList<>(model.keySet());
      assertIndexed(index, expected);
      assertIndexed(index(env, 1000), expected);
      TreeMap<ObjectId, ObjectLocation> seen = new TreeMap<>();
      List<ObjectId> order = new ArrayList<>();
      index.forEach((id, where) -> {
        order.add(id);
        seen.put(id, where);
      });
      assertThat(order).containsExactlyElementsOf(expected.stream().sorted().toList());
      assertThat(runSizes(env).size()).as("runs").isLessThanOrEqualTo(12);
      assertThat(index.packNames()).containsExactlyInAnyOrderElementsOf(registered);
      for (String name : registered) {
        assertThat(index.hasPack(name)).isTrue();
      }
      try (Txn<ByteBuffer> txn = env.env().txnRead()) {
        assertThat(env.dbi("pack-numbers").stat(txn).entries + index.pendingPackNames().size())
            .as("each pack numbered once").isEqualTo(registered.size());
      }
      assertThat(index.contains(id(-7))).isFalse();
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[] u32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }
}
