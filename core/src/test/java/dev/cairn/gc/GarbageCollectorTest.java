package dev.cairn.gc;

import static dev.cairn.gc.GcFixtures.folder;
import static dev.cairn.gc.GcFixtures.snapshot;
import static dev.cairn.gc.GcFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectInserter;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path tmp;

  static long packBytes(DatasetRepository repo) throws IOException {
    long sum = 0;
    for (Path p : repo.repository().packs().packFiles()) {
      sum += Files.size(p);
    }
    return sum;
  }

  @Test
  void aRepairBesideACollectionIndexesThePacksThatStand() throws Exception {
    ExecutorService two = Executors.newFixedThreadPool(2);
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      for (int round = 0; round < 3; round++) {
        Dataset keep = version(repo, "keep" + round, folder(tmp.resolve("k" + round), round, 4, 60_000));
        version(repo, "junk" + round, folder(tmp.resolve("j" + round), 100 + round, 4, 60_000)).delete(true);
        // The collection's pause between dropping packs from the index and deleting them is the
        // window a rebuild from a listing of packs/ fell into: it indexed the packs being deleted.
        TestRepos.awaitClockPastNewestPack(repo); // else the junk's pack may be as young as the gc, and kept
        Future<GarbageCollector.Result> gc = two.submit(() -> new GarbageCollector(repo, 0, 1_000, Progress.NONE).run());
        Thread.sleep(150);
        Future<List<String>> repair = two.submit(() -> new Repair(repo, Progress.NONE).run());
        assertThat(gc.get().packsDeleted()).as("round %d", round).isPositive();
        repair.get();
        assertThat(new Fsck(repo, Progress.NONE).check().errors()).as("round %d", round).isEmpty();
        assertThat(snapshot(keep.getMutableLocalCopy(tmp.resolve("copy" + round), false)))
            .isEqualTo(snapshot(tmp.resolve("k" + round)));
      }
    } finally {
      two.shutdownNow();
    }
  }

  /**
   * As restic's prune --max-unused: a pack of mostly live objects is left as it is, its few dead
   * ones with it, rather than copied whole to free them; maxUnused(0) rewrites every such pack.
   */
  @Test
  void aVersionOnNoRemoteThatLostAPackKeepsWhatIsLeftOfItUntilItIsDeleted() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v1 = version(repo, "d", folder(tmp.resolve("s1"), 1, 5, 30_000));
      Set<Path> before = new HashSet<>(repo.repository().packs().packFiles());
      Dataset v2 = version(repo, "e", folder(tmp.resolve("s2"), 2, 5, 30_000));
      Path holdingRoot = null;
      dev.cairn.id.ObjectId root = v2.record().root();
      for (Path p : repo.repository().packs().packFiles()) {
        try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
          if (pf.entries().stream().anyMatch(e -> e.id().equals(root))) {
            holdingRoot = p;
          }
        }
      }
      assertThat(before).doesNotContain(holdingRoot);
      // Lost: the pack of the version's manifest, its chunks elsewhere (closed first: an open handle still reads a deleted file).
      repo.repository().packs().closePack(dev.cairn.internal.pack.PackFormat.nameOf(holdingRoot.getFileName().toString()));
      Files.delete(holdingRoot);
      Map<String, String> v1Files = snapshot(v1.getMutableLocalCopy(tmp.resolve("v1"), false));
      // The read that meets the loss takes the pack out of the index; what is left of the version
      // would then look unused, and the collection is refused, not run.
      for (int run = 0; run < 3; run++) {
        assertThatThrownBy(() -> new GarbageCollector(repo, 0, 0, Progress.NONE).run()).isInstanceOf(dev.cairn.errors.CairnException.class)
            .hasMessageStartingWith("Cannot collect garbage: version " + v2.id() + " (gc/e 1.0.0) is on no remote and lacks objects here");
      }
      v2.delete(true);
      new GarbageCollector(repo, 0, 0, Progress.NONE).run();
      assertThat(v1.verify()).isEmpty();
      assertThat(snapshot(v1.getMutableLocalCopy(tmp.resolve("v1-after"), false))).isEqualTo(v1Files);
    }
  }

  @Test
  void aPackMostlyLiveIsLeftAsItIsUnlessNoUnusedSpaceIsAllowed() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"))) {
      Path both = Files.createDirectories(tmp.resolve("both"));
      Files.write(both.resolve("big"), TestRepos.random(1, 12_000_000)); // a pack too large to be merged as a small one
      Files.write(both.resolve("small"), TestRepos.random(2, 30_000));
      Dataset first = version(repo, "first", both);
      dev.cairn.id.ObjectId small = first.fileEntries().get("small").content();
      // Its child removes the small file: once the parent is deleted, that file's chunk is all
      // that is dead (the child's lineage keeps the parent's manifest), in a pack mostly live.
      Path bigOnly = Files.createDirectories(tmp.resolve("big"));
      Files.copy(both.resolve("big"), bigOnly.resolve("big"));
      Dataset second = Dataset.create(repo, CreateOptions.of("p", "second").parents(first.id()).build());
      second.removeFiles("small");
      second.close();
      first.delete(true);
      TestRepos.awaitClockPastNewestPack(repo);

      GarbageCollector.Result lenient = new GarbageCollector(repo, 0, 200, Progress.NONE).run();
      assertThat(lenient.unusedBytesKept()).as("the small file, about").isBetween(20_000L, 40_000L);
      assertThat(repo.repository().objects().has(small)).as("left in its pack").isTrue();
      long before = packBytes(repo);

      GarbageCollector.Result strict = new GarbageCollector(repo, 0, 200, Progress.NONE).maxUnused(0).run();
      assertThat(strict.packsWritten()).isPositive();
      assertThat(strict.unusedBytesKept()).isZero();
      assertThat(repo.repository().objects().has(small)).isFalse();
      assertThat(packBytes(repo)).isLessThan(before - 20_000);
      assertThat(snapshot(second.getMutableLocalCopy(tmp.resolve("copy"), false))).isEqualTo(snapshot(bigOnly));
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
      assertThatThrownBy(() -> new GarbageCollector(repo, 0, 0, Progress.NONE).maxUnused(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  /**
   * A rewrite keeps the live objects in the order they were stored: files read in path order
   * (verify, get) find their neighbours in the block just read, as before the collection.
   */
  @Test
  void aRewriteKeepsTheObjectsInTheOrderTheyWereStored() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path src = Files.createDirectories(tmp.resolve("many"));
      for (int i = 0; i < 120; i++) {
        Files.write(src.resolve(String.format("f%03d", i)), TestRepos.random(1000 + i, 900));
      }
      Dataset first = version(repo, "first", src);
      Dataset second = Dataset.create(repo, CreateOptions.of("p", "second").parents(first.id()).build());
      for (int i = 0; i < 120; i += 3) {
        second.removeFiles(String.format("f%03d", i));
      }
      second.close();
      List<dev.cairn.id.ObjectId> kept = second.fileEntries().values().stream().map(e -> e.content()).toList();
      Comparator<dev.cairn.internal.index.ObjectLocation> stored = Comparator.comparing(dev.cairn.internal.index.ObjectLocation::packName)
          .thenComparingLong(dev.cairn.internal.index.ObjectLocation::blockOffset)
          .thenComparingInt(dev.cairn.internal.index.ObjectLocation::offsetInBlock);
      List<dev.cairn.id.ObjectId> before = new ArrayList<>(kept);
      before.sort(Comparator.comparing(id -> location(repo, id), stored));
      first.delete(true);
      TestRepos.awaitClockPastNewestPack(repo);
      assertThat(new GarbageCollector(repo, 0, 200, Progress.NONE).maxUnused(0).run().packsWritten()).isPositive();
      List<dev.cairn.id.ObjectId> after = new ArrayList<>(kept);
      after.sort(Comparator.comparing(id -> location(repo, id), stored));
      assertThat(after).isEqualTo(before);
    }
  }

  private static dev.cairn.internal.index.ObjectLocation location(DatasetRepository repo, dev.cairn.id.ObjectId id) {
    try {
      return repo.repository().packs().index().lookup(id);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A deleted version's own data (a file its child removed) goes, though the child descends from
   * it: the child's lineage and change-set keep the deleted one's manifest, not its files' data.
   */
  @Test
  void aDeletedParentsOwnDataGoesWhileItsChildStays() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path src = folder(tmp.resolve("s"), 7, 3, 50_000);
      Dataset parent = version(repo, "chain", src);
      Files.write(src.resolve("big.bin"), TestRepos.random(99, 2_000_000));
      Dataset middle = version(repo, "chain", src, parent.id());
      Files.delete(src.resolve("big.bin"));
      Files.writeString(src.resolve("later.txt"), "later");
      Dataset child = version(repo, "chain", src, middle.id());
      middle.delete(true);
      TestRepos.awaitClockPastNewestPack(repo);
      GarbageCollector.Result freed = new GarbageCollector(repo, 0, 0, Progress.NONE).run();
      assertThat(freed.bytesFreed()).as("big.bin, which only the deleted version held").isGreaterThan(1_500_000);
      // The child is whole, its change-set and lineage read as before, and nothing is reported missing.
      assertThat(snapshot(child.getMutableLocalCopy(tmp.resolve("copy"), false))).isEqualTo(snapshot(src));
      assertThat(child.verify()).isEmpty();
      assertThat(child.record().summary().removed()).isEqualTo(1);
      assertThat(child.dependencyGraph()).containsKeys(child.id(), middle.id(), parent.id());
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      assertThat(new GarbageCollector(repo, 0, 0, Progress.NONE).run().bytesFreed()).as("nothing more").isZero();
    }
  }

  @Test
  void aPartFolderOfAnEarlierReleasesRuleGoesWithItsStamp() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "parts", folder(tmp.resolve("s"), 1, 4, 10_000));
      Path now = v.getLocalCopy(0, 2);
      assertThat(now.getFileName().toString()).isEqualTo(v.id() + ".parts-0-of-2");
      // As a release that cut parts by bytes alone named its folder (its files dealt otherwise).
      Path earlier = now.resolveSibling(v.id() + ".part-0-of-2");
      Files.createDirectories(earlier);
      try (var files = Files.list(now)) {
        for (Path f : files.toList()) {
          Files.copy(f, earlier.resolve(f.getFileName()));
        }
      }
      Path stamps = tmp.resolve("r/cache/stamps");
      Files.copy(stamps.resolve(now.getFileName().toString()), stamps.resolve(earlier.getFileName().toString()));
      assertThat(new GarbageCollector(repo, 3_600_000L, 0, Progress.NONE).run().leftoversRemoved()).isPositive();
      assertThat(earlier).doesNotExist();
      assertThat(stamps.resolve(earlier.getFileName().toString())).doesNotExist();
      assertThat(now).isDirectory();
      assertThat(v.getLocalCopy(0, 2)).isEqualTo(now);
    }
  }

  @Test
  void anIndexIsNotRebuiltWhileACollectionDeletesPacks() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      version(repo, "d", folder(tmp.resolve("s"), 1, 2, 10_000));
      AtomicBoolean rebuilt = new AtomicBoolean();
      Thread rebuild;
      try (dev.cairn.internal.pack.PackRemovalLock removing = repo.repository().packs().lockPackRemoval(() -> {})) {
        rebuild = new Thread(() -> {
          try {
            repo.repository().rebuildIndex();
            rebuilt.set(true);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        rebuild.start();
        rebuild.join(500);
        assertThat(rebuilt).as("waits for the removal to end").isFalse();
      }
      rebuild.join(10_000);
      assertThat(rebuilt).isTrue();
      assertThat(tmp.resolve("r/tmp/" + dev.cairn.internal.pack.PackRemovalLock.FILE_NAME)).exists();
      new GarbageCollector(repo, 0, 0, Progress.NONE).run();
      assertThat(tmp.resolve("r/tmp/" + dev.cairn.internal.pack.PackRemovalLock.FILE_NAME)).as("not a leftover").exists();
    }
  }

  @Test
  void packsKeptForARunningCommandAreSaidToBeKeptForIt() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset gone = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 50_000));
      Dataset other = version(repo, "e", folder(tmp.resolve("t"), 2, 3, 50_000));
      gone.delete(true);
      try (dev.cairn.dataset.VersionLocks.Lock held = repo.catalog().lock(other.id())) {
        // A command that took its lock before any of these packs was written: what it wrote may not be referenced yet.
        try (var locks = Files.list(tmp.resolve("r/refs/locks"))) {
          for (Path l : locks.filter(p -> p.toString().endsWith(".lock")).toList()) {
            Files.setLastModifiedTime(l, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
          }
        }
        GarbageCollector.Result kept = new GarbageCollector(repo, 0, 0, Progress.NONE).run();
        assertThat(kept.youngPacks()).isPositive();
        assertThat(kept.heldForCommand()).isTrue();
      }
      GarbageCollector.Result after = new GarbageCollector(repo, 0, 0, Progress.NONE).run();
      assertThat(after.objectsDeleted()).isPositive();
      assertThat(after.youngPacks()).isZero();
      assertThat(after.heldForCommand()).isFalse();
    }
  }

  @Test
  void aPendingPackThatCannotBeReadStopsTheCollectionBeforeWhatItReachesIsDeleted() throws IOException {
    Path dir = tmp.resolve("r");
    Path src = Files.createDirectories(tmp.resolve("pending-src"));
    byte[] big = TestRepos.random(7, 3 << 20);
    Files.write(src.resolve("big.bin"), big);
    Files.writeString(src.resolve("small.txt"), "small");
    Path victim;
    String id;
    try (DatasetRepository repo = DatasetRepository.open(dir)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      ds.addFiles(src.resolve("big.bin"), null, null, false);
      Set<Path> before = new HashSet<>(repo.repository().packs().packFiles());
      ds.addFiles(src.resolve("small.txt"), null, null, false); // its pack holds the manifest's new root
      Set<Path> second = new HashSet<>(repo.repository().packs().packFiles());
      second.removeAll(before);
      id = ds.close().id();
      victim = second.stream().filter(p -> {
        try {
          return repo.repository().packs().index().pendingPackNames().contains(
              p.getFileName().toString().replaceFirst("^pack-", "").replaceFirst("\\.pack$", ""));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).findFirst().orElseThrow(() -> new AssertionError("the second add's pack is not pending"));
      for (Path p : repo.repository().packs().packFiles()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
      }
    }
    byte[] b = Files.readAllBytes(victim);
    b[b.length - 1] ^= 1; // its end magic: the pack no longer opens, though every block in it is intact
    Files.write(victim, b);
    Files.setLastModifiedTime(victim, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
    try (DatasetRepository repo = DatasetRepository.open(dir)) {
      List<Path> packs = repo.repository().packs().packFiles();
      assertThatThrownBy(() -> new GarbageCollector(repo, 3_600_000L, 10, Progress.NONE).run())
          .isInstanceOf(dev.cairn.errors.CairnException.class).hasMessageStartingWith("Cannot collect garbage: pack " + victim)
          .hasMessageContaining("cairn fsck --repair salvages what it holds");
      assertThat(repo.repository().packs().packFiles()).containsExactlyInAnyOrderElementsOf(packs);
      new Repair(repo, Progress.NONE).run();
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
      assertThat(Files.readAllBytes(repo.get(id).getLocalCopy().resolve("big.bin"))).isEqualTo(big);
    }
  }

  @Test
  void objectsKeptCountsWhatTheRepositoryHoldsNotWhatAVersionFetchedInPartNames() throws IOException {
    String remote = tmp.resolve("remote").toString();
    String id;
    long whole;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset v = version(a, "part", folder(tmp.resolve("part"), 3, 40, 20_000));
      v.upload(remote, null, Progress.NONE);
      id = v.id();
      whole = TestRepos.collect(a, 10).objectsKept();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset.get(b, id, remote).getLocalCopy(new dev.cairn.dataset.Selection(0, 1, List.of(dev.cairn.dataset.Glob.filter("f1.bin"))),
          null);
      long part = TestRepos.collect(b, 10).objectsKept();
      assertThat(part).isPositive().isLessThan(whole - 30); // 39 files' contents are named, not held
    }
  }

  @Test
  void deletedVersionsAreCollectedAndTheRestStaysReadable() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path s1 = folder(tmp.resolve("s1"), 1, 5, 40_000);
      Dataset keep = version(repo, "keep", s1);
      Dataset drop = version(repo, "drop", folder(tmp.resolve("s2"), 2, 5, 40_000));
      long before = packBytes(repo);
      drop.delete(false);
      GarbageCollector.Result r = TestRepos.collect(repo, 10);
      assertThat(r.objectsDeleted()).isPositive();
      assertThat(r.bytesFreed()).isPositive();
      assertThat(packBytes(repo)).isLessThan(before - 150_000);
      assertThat(snapshot(keep.getLocalCopy())).isEqualTo(snapshot(s1));
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      // A second run finds nothing more to do; both count every live object as kept, rewritten or not.
      GarbageCollector.Result again = TestRepos.collect(repo, 10);
      assertThat(again.objectsDeleted()).isZero();
      assertThat(r.objectsKept()).isPositive().isEqualTo(again.objectsKept());
    }
  }

  /**
   * A command killed after its draft's record named what it added, and before its pack reached
   * the index: the collection indexes the packs no index lists before it marks, or the draft's
   * new tree would look missing and all it reaches (older packs too) unused.
   */
  @Test
  void aDraftWhosePackAKilledCommandLeftOutOfTheIndexKeepsAllItsData() throws Exception {
    Path dir = tmp.resolve("r");
    Path s1 = folder(tmp.resolve("s1"), 1, 4, 40_000);
    Path s2 = folder(tmp.resolve("s2"), 2, 4, 40_000);
    try (var files = Files.list(s2)) {
      for (Path f : files.toList()) {
        Files.move(f, f.resolveSibling("second-" + f.getFileName()));
      }
    }
    String id;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Dataset draft = Dataset.create(repo, CreateOptions.of("p", "crashed").build());
      draft.addFiles(dev.cairn.dataset.AddOptions.of(s1));
      id = draft.id();
    }
    Process child = dev.cairn.testing.ChildJvm.start(AddThenDieMain.class, tmp.resolve("child.log"), dir.toString(), id, s2.toString());
    assertThat(child.waitFor()).as(Files.readString(tmp.resolve("child.log"))).isZero();
    assertThat(Files.readString(tmp.resolve("child.log"))).contains("added");
    // Everything older than the grace: the first add's packs and the killed one's.
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3 * 3_600_000L);
    try (var packs = Files.list(dir.resolve("packs"))) {
      for (Path p : packs.toList()) {
        Files.setLastModifiedTime(p, old);
      }
    }
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      new GarbageCollector(repo, 3_600_000L, 10, Progress.NONE).run();
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
      Dataset draft = repo.get(id);
      assertThat(draft.listFiles()).hasSize(8);
      Map<String, String> both = new TreeMap<>(snapshot(s1));
      both.putAll(snapshot(s2));
      assertThat(snapshot(draft.close().getLocalCopy())).isEqualTo(both);
    }
  }

  @Test
  void anUnreadableRecordStopsTheCollectionBeforeItsVersionsDataLooksUnused() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path s1 = folder(tmp.resolve("s1"), 1, 3, 40_000);
      Dataset hurt = version(repo, "hurt", s1);
      Path record = repo.repository().directory().resolve("refs/datasets/" + hurt.id() + ".json");
      Files.writeString(record, "{broken");
      long before = packBytes(repo);
      assertThatThrownBy(() -> TestRepos.collect(repo, 0)).isInstanceOf(dev.cairn.errors.CairnException.class)
          .hasMessageStartingWith("Cannot collect garbage: the record of " + hurt.id() + " cannot be read, so what it needs would look"
              + " unused; cairn fsck --repair brings back a closed version's record from its version object (a draft's cannot be: move ");
      assertThat(packBytes(repo)).isEqualTo(before);
      assertThat(new Repair(repo, Progress.NONE).run()).anyMatch(a -> a.contains("recovered the record of version " + hurt.id()));
      assertThat(snapshot(repo.get(hurt.id()).getLocalCopy())).isEqualTo(snapshot(s1));
    }
  }

  @Test
  void aMissingOrMisplacedRecordStopsTheCollectionToo() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path s1 = folder(tmp.resolve("s1"), 1, 3, 40_000);
      Dataset a = version(repo, "a", s1);
      Dataset b = version(repo, "b", folder(tmp.resolve("s2"), 2, 3, 40_000));
      Path records = repo.repository().directory().resolve("refs/datasets");
      // b's record copied over a's: a's own record is gone, and its file holds another id.
      Files.copy(records.resolve(b.id() + ".json"), records.resolve(a.id() + ".json"), StandardCopyOption.REPLACE_EXISTING);
      long before = packBytes(repo);
      assertThatThrownBy(() -> TestRepos.collect(repo, 0)).hasMessageStartingWith("Cannot collect garbage: the record of " + a.id());
      // Gone altogether: its version object and data are here, and its version string still reserved.
      Files.delete(records.resolve(a.id() + ".json"));
      assertThatThrownBy(() -> TestRepos.collect(repo, 0)).hasMessage("Cannot collect garbage: the record of " + a.id() + " is missing"
          + " while its version object and data are here, which gc would delete; recover it first with cairn fsck --repair");
      assertThat(packBytes(repo)).isEqualTo(before);
      new Repair(repo, Progress.NONE).run();
      assertThat(snapshot(repo.get(a.id()).getLocalCopy())).isEqualTo(snapshot(s1));
      TestRepos.collect(repo, 0);
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
    }
  }

  /**
   * Collections without grace in a loop, while other threads create, fill, close and delete
   * versions and read stable ones: no write loses what it references (a create writes its first
   * manifest before its record), and no read fails because its pack was moved under it.
   */
  @Test
  void collectionsWithoutGraceLoseNothingOfConcurrentCreatesAndReads() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      List<Dataset> stable = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Dataset v = version(repo, "v" + i, folder(tmp.resolve("s" + i), 10 + i, 1, 60_000));
        if (i % 2 == 0) {
          v.delete(true); // dead objects among the live: packs to rewrite
        } else {
          stable.add(v);
        }
      }
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          int writer = w;
          writers.add(pool.submit(() -> {
            String previous = null;
            for (int j = 0; j < 30; j++) {
              Path src = folder(tmp.resolve("c" + writer + "-" + j), 100 + writer * 100 + j, 3, 8_000);
              Dataset v = previous == null ? version(repo, "churn" + writer, src) : version(repo, "churn" + writer, src, previous);
              assertThat(v.verify()).isEmpty();
              if (previous != null && j % 3 != 0) {
                Dataset.get(repo, previous).delete(true); // its objects die, but for what the child shares
              }
              previous = v.id();
            }
            return null;
          }));
        }
        Future<?> reader = pool.submit(() -> {
          while (!stop.get()) {
            for (Dataset v : stable) {
              v.export(tmp.resolve("x.tar"), true, Progress.NONE);
              assertThat(v.verify()).isEmpty();
            }
          }
          return null;
        });
        Future<?> gc = pool.submit(() -> {
          while (!stop.get()) {
            new GarbageCollector(repo, 0, 0, Progress.NONE).run();
          }
          return null;
        });
        for (Future<?> w : writers) {
          w.get();
        }
        stop.set(true);
        reader.get();
        gc.get();
      } finally {
        stop.set(true);
        pool.shutdownNow();
      }
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
    }
  }

  @Test
  void aCollectionStoppedAfterItTookPacksOutOfTheIndexIsFinishedByTheNextOne() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset keep = version(repo, "keep", folder(tmp.resolve("k"), 1, 3, 20_000));
      Set<Path> before = new HashSet<>(repo.repository().packs().packFiles());
      Dataset drop = version(repo, "drop", folder(tmp.resolve("d"), 2, 3, 200_000));
      Set<String> dropPacks = new HashSet<>();
      for (Path p : repo.repository().packs().packFiles()) {
        if (!before.contains(p)) {
          dropPacks.add(dev.cairn.internal.pack.PackFormat.nameOf(p.getFileName().toString()));
        }
      }
      drop.delete(true);
      // What a collection killed between taking the dead packs out of the index and deleting them leaves.
      repo.repository().packs().index().dropPacks(dropPacks, Map.of());
      GarbageCollector.Result r = TestRepos.collect(repo, 10);
      for (String name : dropPacks) {
        assertThat(repo.repository().packs().packDirectory().resolve(dev.cairn.internal.pack.PackFormat.fileName(name)))
            .as("deleted by this run, not kept as a pack in use").doesNotExist();
      }
      assertThat(r.bytesFreed()).isPositive();
      assertThat(keep.verify()).isEmpty();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    }
  }

  @Test
  void youngPacksAndDraftsAreKept() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset draft = Dataset.create(repo, CreateOptions.of("gc", "draft").build());
      draft.syncFolder(folder(tmp.resolve("d"), 3, 3, 20_000));
      // Objects a running command wrote but has not referenced yet.
      var orphan = dev.cairn.id.HashAlgorithm.SHA256.hash(TestRepos.random(77, 5000));
      try (ObjectInserter ins = repo.repository().objects().newInserter()) {
        ins.insert(ObjectType.CHUNK, TestRepos.random(77, 5000));
        ins.flush();
      }
      GarbageCollector.Result r = new GarbageCollector(repo, 3_600_000, 10, Progress.NONE).run();
      assertThat(r.objectsDeleted()).isZero();
      assertThat(repo.repository().objects().has(orphan)).isTrue();
      TestRepos.collect(repo, 10);
      assertThat(repo.repository().objects().has(orphan)).isFalse();
      draft.close();
      assertThat(draft.verify()).isEmpty();
    }
  }

  @Test
  void indexesSetAsideAsDamagedGoOnceOlderThanTheGrace() throws Exception {
    Path dir = tmp.resolve("aside");
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      long now = System.currentTimeMillis();
      Path old = Files.createDirectories(dir.resolve("index.damaged-" + (now - 2 * 3_600_000) + "-123"));
      Files.write(old.resolve("data.mdb"), new byte[4096]);
      Path young = Files.createDirectories(dir.resolve("index.damaged-" + now + "-124"));
      Files.write(young.resolve("data.mdb"), new byte[4096]);
      Path mine = Files.createDirectories(dir.resolve("index.damaged-by-hand"));
      GarbageCollector.Result r = new GarbageCollector(repo, 3_600_000, 0, Progress.NONE).run();
      assertThat(old).doesNotExist();
      assertThat(young).exists();
      assertThat(mine).as("not a name the index is set aside under").exists();
      assertThat(r.leftoversRemoved()).isEqualTo(1);
    }
  }

  @Test
  void whatAnEndedProcessOfThisMachineLeftIsSweptWhenTheRepositoryIsOpened() throws Exception {
    Path dir = tmp.resolve("swept");
    DatasetRepository.open(dir, TestRepos.SMALL).close();
    Path tmpDir = dir.resolve("tmp");
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    long me = ProcessHandle.current().pid();
    String ours = dev.cairn.internal.fs.AtomicFiles.tempName("get-");
    assertThat(ours).as("this system tells its pid table").matches("get-p" + me + "t[0-9a-f]{8}-.*");
    String tag = ours.substring(("get-p" + me).length(), ("get-p" + me).length() + 9);
    // A killed get's partial folder and a killed writer's pack, made here: nothing can use them.
    Path folder = tmpDir.resolve("get-p" + ended.pid() + tag + "-" + UUID.randomUUID());
    Files.createDirectories(folder.resolve("sub"));
    Files.write(folder.resolve("sub/part.bin"), new byte[100]);
    Path pack = tmpDir.resolve("pack-p" + ended.pid() + tag + "-" + UUID.randomUUID() + ".tmp");
    Files.write(pack, new byte[100]);
    // Kept: a live process's, another machine's or container's, and an older release's (gc's, after its grace).
    Path live = tmpDir.resolve(ours);
    Path elsewhere = tmpDir.resolve("pack-p" + ended.pid() + "t00000000-" + UUID.randomUUID() + ".tmp");
    Path older = tmpDir.resolve("pack-p" + ended.pid() + "-" + UUID.randomUUID() + ".tmp");
    for (Path p : List.of(live, elsewhere, older)) {
      Files.write(p, new byte[10]);
    }
    DatasetRepository.open(dir, TestRepos.SMALL).close();
    assertThat(folder).doesNotExist();
    assertThat(pack).doesNotExist();
    assertThat(live).exists();
    assertThat(elsewhere).exists();
    assertThat(older).exists();
  }

  @Test
  void whatARunningCommandWritesIsKeptWhateverTheGrace() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      // A temporary file of this live process, and one of a process that has ended.
      Path tmpDir = repo.repository().tmpDirectory();
      Path mine = dev.cairn.internal.fs.AtomicFiles.tempPath(tmpDir, "pack-");
      Files.write(mine, new byte[10]);
      Process ended = new ProcessBuilder("true").start();
      ended.waitFor();
      Path dead = tmpDir.resolve("pack-p" + ended.pid() + "-" + UUID.randomUUID() + ".tmp");
      Files.write(dead, new byte[10]);
      // An object written while a command holds a version's lock, not referenced yet.
      Dataset draft = Dataset.create(repo, CreateOptions.of("gc", "running").build());
      var orphan = dev.cairn.id.HashAlgorithm.SHA256.hash(TestRepos.random(78, 5000));
      try (var lock = repo.catalog().lock(draft.id())) {
        try (ObjectInserter ins = repo.repository().objects().newInserter()) {
          ins.insert(ObjectType.CHUNK, TestRepos.random(78, 5000));
          ins.flush();
        }
        TestRepos.collect(repo, 10);
        assertThat(repo.repository().objects().has(orphan)).isTrue();
      }
      assertThat(mine).exists();
      TestRepos.collect(repo, 10);
      assertThat(repo.repository().objects().has(orphan)).isFalse();
      assertThat(mine).exists();
      assertThat(dead).doesNotExist();
    }
  }

  @Test
  void aDraftEditNotYetIndexedForOtherProcessesSurvivesTheirGc() throws IOException {
    Path dir = tmp.resolve("r");
    try (DatasetRepository writer = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Path src = folder(tmp.resolve("d"), 3, 3, 20_000);
      Dataset draft = Dataset.create(writer, CreateOptions.of("gc", "draft").build());
      draft.syncFolder(src);
      assertThat(writer.repository().packs().index().hasDeferred()).isTrue();
      try (DatasetRepository other = DatasetRepository.open(dir)) {
        // no grace: only the draft's record tells gc that the unindexed pack is live
        TestRepos.collect(other, 10);
        assertThat(new Fsck(other, Progress.NONE).check().problems()).isEmpty();
      }
      draft.close();
      assertThat(draft.verify()).isEmpty();
      assertThat(snapshot(draft.getLocalCopy())).isEqualTo(snapshot(src));
    }
    try (DatasetRepository again = DatasetRepository.open(dir)) {
      assertThat(new Fsck(again, Progress.NONE).check().problems()).isEmpty();
    }
  }

  /**
   * Enough one-file commits that the index gathers their small packs into sorted runs
   * (spec/repository.md, "Runs"): a rebuild and a collection see everything the runs hold.
   */
  @Test
  void theIndexRunsOfManySmallCommitsSurviveARebuildAndACollection() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      String keep = null;
      String drop = null;
      List<String> dropped = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        boolean kept = i % 2 == 0;
        Path f = Files.createDirectories(tmp.resolve("c" + i)).resolve("f" + (i / 2) + ".txt");
        Files.writeString(f, "commit " + i + " " + "x".repeat(i * 37));
        String parent = kept ? keep : drop;
        Dataset ds = Dataset.create(repo, CreateOptions.of("gc", kept ? "keep" : "drop")
            .parents(parent == null ? new String[0] : new String[] {parent}).build());
        ds.addFiles(dev.cairn.dataset.AddOptions.of(f));
        ds.close();
        if (kept) {
          keep = ds.id();
        } else {
          drop = ds.id();
          dropped.add(0, drop);
        }
      }
      var env = repo.repository().indexEnvironment();
      try (var txn = env.env().txnRead()) {
        assertThat(env.dbi("object-runs").stat(txn).entries).as("runs were written").isPositive();
      }
      var index = repo.repository().packs().index();
      Map<dev.cairn.id.ObjectId, String> before = new TreeMap<>();
      index.forEach((id, where) -> before.put(id, where.packName()));
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();

      assertThat(repo.repository().rebuildIndex()).isEmpty();
      Map<dev.cairn.id.ObjectId, String> after = new TreeMap<>();
      index.forEach((id, where) -> after.put(id, where.packName()));
      assertThat(after.keySet()).isEqualTo(before.keySet());
      try (var txn = env.env().txnRead()) {
        assertThat(env.dbi("object-runs").stat(txn).entries).isZero();
      }

      for (String id : dropped) {
        repo.get(id).delete(false);
      }
      assertThat(TestRepos.collect(repo, 10).objectsDeleted()).isPositive();
      Dataset last = repo.get(keep);
      assertThat(last.verify()).isEmpty();
      assertThat(snapshot(last.getLocalCopy())).hasSize(40).containsKey("f39.txt");
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    }
  }

  @Test
  void smallPacksAreMergedWithoutLosingAnything() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset last = null;
      for (int i = 0; i < 6; i++) {
        Path s = folder(tmp.resolve("s" + i), 10 + i, 2, 3000);
        last = version(repo, "small", s, last == null ? new String[0] : new String[] {last.id()});
      }
      int packsBefore = repo.repository().packs().packFiles().size();
      TestRepos.collect(repo, 10);
      assertThat(repo.repository().packs().packFiles().size()).isLessThan(packsBefore);
      assertThat(last.verify()).isEmpty();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    }
  }

  @Test
  void spareCopiesAKilledCollectionLeftAreDeleted() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "v", folder(tmp.resolve("s"), 7, 3, 40_000));
      var packs = repo.repository().packs();
      Path big = packs.packFiles().stream().max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
      // As a collection killed between publishing its new pack and deleting the old one leaves it:
      // the same objects in a second pack (in another order, so under another name), indexed there.
      try (var old = dev.cairn.internal.pack.PackFile.open(big); var reader = packs.newReader();
          var w = new dev.cairn.internal.pack.PackWriter(packs.algorithm(), packs.packDirectory(), repo.repository().tmpDirectory())) {
        List<dev.cairn.internal.pack.PackEntry> entries = new ArrayList<>(old.entries());
        Collections.reverse(entries);
        for (var e : entries) {
          byte[] raw = reader.open(e.id()).bytes();
          w.appendBlock(dev.cairn.internal.pack.BlockCodec.local().encode(raw, 0, raw.length, 1),
              List.of(new dev.cairn.internal.pack.PackWriter.Member(e.id(), e.type(), 0, raw.length)));
        }
        packs.publish(w.finish());
      }
      long before = packBytes(repo);
      int packCount = packs.packFiles().size();
      TestRepos.collect(repo, 10);
      assertThat(packBytes(repo)).as("one of the two copies is gone").isLessThan(before - 100_000);
      assertThat(packs.packFiles().size()).isLessThan(packCount);
      assertThat(repo.get(v.id()).verify()).isEmpty();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    }
  }

  @Test
  void packsAStoppedCollectionSetAsideAreRecoveredOrDeleted() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "v", folder(tmp.resolve("s"), 6, 3, 30_000));
      var packs = repo.repository().packs();
      Path tmpDir = repo.repository().tmpDirectory();
      // As if a collection had stopped after setting every pack aside, each chosen before a writer
      // published it again (the file is newer than the time in its name)...
      List<Path> before = packs.packFiles();
      for (Path p : before) {
        String name = dev.cairn.internal.pack.PackFormat.nameOf(p.getFileName().toString());
        Files.move(p, tmpDir.resolve("gc-" + name + "-1000000000000-1.pack"));
      }
      // ...and one dead pack, unchanged since it was chosen.
      Path dead = tmpDir.resolve("gc-" + "ab".repeat(32) + "-" + (System.currentTimeMillis() + 86_400_000L) + "-2.pack");
      Files.write(dead, new byte[100]);
      new GarbageCollector(repo, 3_600_000, 0, Progress.NONE).run(); // a grace that repacks nothing
      assertThat(packs.packFiles()).containsExactlyInAnyOrderElementsOf(before);
      try (var left = Files.list(tmpDir)) {
        assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gc-"))).isEmpty();
      }
      assertThat(repo.get(v.id()).verify()).isEmpty();
    }
  }

  @Test
  void filesTheStatCacheRemembersRefreshTheirPacksWhenReused() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      // More than a pack's worth of chunks (256 KiB here): most lie in packs of their own.
      Path s = folder(tmp.resolve("s"), 5, 20, 60_000);
      Thread.sleep(2_100); // older than the stat cache's racy window (StatCache.RACY_MILLIS)
      version(repo, "gone", s).delete(false);
      // gc, running from here on, would see every pack unchanged since its start...
      long old = 1_000_000_000_000L;
      for (Path p : repo.repository().packs().packFiles()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(old));
      }
      // ...while a writer adds the same files, which the stat cache remembers: nothing is read,
      // the stored chunks and file objects are reused as they are.
      Dataset again = Dataset.create(repo, CreateOptions.of("gc", "again").build());
      assertThat(again.syncFolder(s).filesRead()).isZero();
      again.close();
      // Every pack that holds the new version's file contents tells gc it is in use again.
      var packs = repo.repository().packs();
      Set<String> used = new TreeSet<>();
      try (var reader = repo.repository().objects().newReader()) {
        for (var e : again.listFiles()) {
          used.add(packs.index().lookup(e.content()).packName());
          if (e.chunked()) {
            for (var c : dev.cairn.object.FileObjectFormat.decode(reader.open(e.content()).bytes(), e.content()).chunks()) {
              used.add(packs.index().lookup(c.id()).packName());
            }
          }
        }
      }
      assertThat(used).isNotEmpty();
      for (String name : used) {
        Path p = packs.packDirectory().resolve(dev.cairn.internal.pack.PackFormat.fileName(name));
        assertThat(Files.getLastModifiedTime(p).toMillis()).as("time of %s", p.getFileName()).isGreaterThan(old);
      }
    }
  }

  @Test
  void aPackReusedDuringCollectionIsKept() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path s = folder(tmp.resolve("s"), 4, 3, 30_000);
      Dataset gone = version(repo, "gone", s);
      gone.delete(false);
      // A writer adds the same files while gc runs: it reuses the dead objects, refreshing their packs.
      var writer = new Thread(() -> {
        try {
          Thread.sleep(30);
          Dataset again = Dataset.create(repo, CreateOptions.of("gc", "again").build());
          again.syncFolder(s);
          again.close();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      writer.start();
      new GarbageCollector(repo, 0, 500, Progress.NONE).run();
      try {
        writer.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      Dataset again = repo.get("gc", "again", null);
      assertThat(again.verify()).isEmpty();
      assertThat(snapshot(again.getLocalCopy())).isEqualTo(snapshot(s));
    }
  }

  /** A pack a command reused while the collection paused stays, and so do its objects: none is counted as deleted. */
  @Test
  void objectsOfAPackKeptForACommandThatReusedItAreNotCountedAsDeleted() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      version(repo, "gone", folder(tmp.resolve("s"), 5, 3, 30_000)).delete(false);
      var db = repo.repository().packs();
      List<Path> packs = db.packFiles();
      List<dev.cairn.id.ObjectId> ids = new ArrayList<>();
      for (Path p : packs) {
        try (var f = dev.cairn.internal.pack.PackFile.open(p)) {
          ids.add(f.entries().get(0).id());
        }
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      }
      // Once the collection has taken the packs out of the index, a writer reuses their objects,
      // which refreshes them.
      AtomicBoolean reused = new AtomicBoolean();
      Thread writer = new Thread(() -> {
        long deadline = System.currentTimeMillis() + 20_000;
        try {
          while (!reused.get() && System.currentTimeMillis() < deadline) {
            if (java.util.Arrays.stream(db.index().lookupEach(ids)).allMatch(java.util.Objects::isNull)) {
              for (Path p : packs) {
                Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
              }
              reused.set(true);
            }
            Thread.sleep(2);
          }
        } catch (IOException | InterruptedException e) {
          throw new RuntimeException(e);
        }
      });
      writer.start();
      GarbageCollector.Result kept = new GarbageCollector(repo, 0, 1_000, Progress.NONE).run();
      writer.join();
      assertThat(reused).isTrue();
      assertThat(kept.packsDeleted()).isZero();
      assertThat(kept.objectsDeleted()).isZero();
      assertThat(kept.bytesFreed()).isZero();
      assertThat(db.packFiles()).hasSameElementsAs(packs);
      // Left unused after all, they go with the next collection, counted then.
      for (Path p : packs) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      }
      GarbageCollector.Result later = new GarbageCollector(repo, 0, 10, Progress.NONE).run();
      assertThat(later.packsDeleted()).isEqualTo(packs.size());
      assertThat(later.objectsDeleted()).isGreaterThanOrEqualTo(15);
    }
  }

  /** Two collections at once: the second waits for the first, says so, and finds nothing left to copy. */
  @Test
  void twoCollectionsAtOnceCopyEachLiveObjectOnce() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset last = null;
      for (int i = 0; i < 6; i++) {
        Path s = folder(tmp.resolve("s" + i), 20 + i, 2, 3000);
        last = version(repo, "small", s, last == null ? new String[0] : new String[] {last.id()});
      }
      version(repo, "gone", folder(tmp.resolve("g"), 40, 3, 20_000)).delete(false);
      TestRepos.awaitClockPastNewestPack(repo);
      List<String> said = Collections.synchronizedList(new ArrayList<>());
      Progress saying = new Progress() {
        @Override
        public void start(String task, long totalBytes) {
          said.add(task);
        }
      };
      ExecutorService two = Executors.newFixedThreadPool(2);
      try {
        Future<GarbageCollector.Result> first = two.submit(() -> new GarbageCollector(repo, 0, 300, saying).run());
        Future<GarbageCollector.Result> second = two.submit(() -> new GarbageCollector(repo, 0, 300, saying).run());
        assertThat(first.get().packsWritten() + second.get().packsWritten()).isEqualTo(1);
      } finally {
        two.shutdown();
      }
      assertThat(said).contains("waiting for another collection (gc) of this repository to end");
      Map<dev.cairn.id.ObjectId, Integer> copies = new java.util.HashMap<>();
      for (Path p : repo.repository().packs().packFiles()) {
        try (var f = dev.cairn.internal.pack.PackFile.open(p)) {
          f.entries().forEach(e -> copies.merge(e.id(), 1, Integer::sum));
        }
      }
      assertThat(copies.values()).as("each object stored once").containsOnly(1);
      assertThat(last.verify()).isEmpty();
      assertThat(tmp.resolve("r/tmp/" + DatasetRepository.COLLECTION_LOCK_FILE)).as("not a leftover").exists();
    }
  }

  /**
   * Packs out of the index, as a collection stopped after it dropped them leaves them (or a command
   * stopped before it indexed what it wrote): fsck says so, and what it advises, gc, indexes them
   * when a version needs some (which makes them young), then deletes what no version needs.
   */
  @Test
  void unindexedPacksFsckReportsAreIndexedOrDeletedByTheNextCollection() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path kept = folder(tmp.resolve("k"), 50, 3, 30_000);
      Dataset keep = version(repo, "keep", kept);
      var db = repo.repository().packs();
      version(repo, "gone", folder(tmp.resolve("g"), 51, 3, 30_000)).delete(false);
      Set<String> all = new HashSet<>();
      for (Path p : db.packFiles()) {
        all.add(dev.cairn.internal.pack.PackFormat.nameOf(p.getFileName().toString()));
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      }
      db.index().dropPacks(all, Map.of());
      long before = packBytes(repo);
      List<Problem> found = new Fsck(repo, Progress.NONE).check().problems();
      assertThat(found).singleElement().satisfies(p -> assertThat(p.message()).endsWith(" stored objects are not in the index (a gc"
          + " stopped midway, a command stopped before it indexed what it wrote, or an index lost and rebuilt only in part, by a"
          + " repair stopped midway, leaves them: cairn gc indexes them or, once older"
          + " than its grace, deletes those no version needs; fsck --repair indexes them all)"));
      new GarbageCollector(repo, 0, 10, Progress.NONE).run();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      assertThat(snapshot(repo.get(keep.id()).getLocalCopy())).isEqualTo(snapshot(kept));
      for (Path p : db.packFiles()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      }
      new GarbageCollector(repo, 0, 10, Progress.NONE).run();
      assertThat(packBytes(repo)).as("the deleted version's 90 kB of random data").isLessThan(before - 85_000);
    }
  }
}
