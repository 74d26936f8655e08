package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A get stopped part way keeps the packs it had finished: run again, it fetches only the rest. */
class FetchResumeTest {
  @TempDir Path tmp;

  /**
   * Uploads to {@code remote} a version of dataset {@code name} (made in a repository of its own)
   * holding {@code files} random files of {@code size} bytes, from {@code seed} on; its id.
   */
  private String uploaded(Path remote, String name, int seed, int files, int size) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src-" + name));
    for (int i = 0; i < files; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(seed + i, size));
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("up-" + name), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", name).build());
      v.addFiles(AddOptions.of(src));
      String id = v.close().id();
      v.upload(remote.toString(), null, Progress.NONE);
      return id;
    }
  }

  /** Counts the bytes a fetch announces, and stops it after {@code stopAfter} bytes came. */
  private static final class Download implements Progress {
    final long stopAfter;
    long announced;
    long came;

    Download(long stopAfter) {
      this.stopAfter = stopAfter;
    }

    @Override
    public void start(String task, long totalBytes) {
      if (task.startsWith("downloading")) {
        announced += totalBytes;
      }
    }

    @Override
    public void advance(long bytes) {
      came += bytes;
      if (came > stopAfter) {
        throw new IllegalStateException("stopped");
      }
    }
  }

  @Test
  void aFetchStoppedWhileItCopiesRecordsLeavesNoRecordWithoutItsAncestors() throws Exception {
    Path remote = tmp.resolve("remote");
    List<String> ids = new ArrayList<>();
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      for (int i = 0; i < 3; i++) {
        Dataset v = Dataset.create(a, CreateOptions.of("p", "n").parents(ids.isEmpty() ? List.of() : List.of(ids.get(i - 1))).build());
        v.addFiles(AddOptions.of(Files.writeString(Files.createDirectories(tmp.resolve("s" + i)).resolve("f" + i), "v" + i)));
        ids.add(v.close().id());
        v.upload(remote.toString(), null, Progress.NONE);
      }
    }
    String oldest = ids.get(0);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      // The remote fails when the oldest version's record is read: the fetch of the newest stops.
      dev.cairn.storage.RemoteStorage failing = new dev.cairn.storage.ForwardingStorage(new dev.cairn.storage.local.LocalStorage(remote)) {
        @Override
        public List<dev.cairn.storage.RemoteFile> list(String prefix) throws IOException {
          if (prefix.contains(oldest)) {
            throw new IOException("stopped");
          }
          return super.list(prefix);
        }
      };
      try (Remote r = new Remote(failing, b.repository())) {
        assertThatThrownBy(() -> b.fetch(ids.get(2), Selection.ALL, r, Progress.NONE)).hasMessageContaining("stopped");
      }
      assertThat(b.catalog().exists(ids.get(1))).as("not before its parent").isFalse();
      b.fetch(ids.get(2), Selection.ALL, remote.toString(), null, Progress.NONE);
      for (String id : ids) {
        assertThat(b.catalog().exists(id)).as(id).isTrue();
      }
    }
  }

  @Test
  void aPackThatLeavesTheRemoteDuringAFetchIsSaidToHaveGoneWithAdvice() throws Exception {
    Path remote = tmp.resolve("remote");
    String id = uploaded(remote, "gone", 70, 2, 300_000);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      // A collection there deletes the pack between the index's read and the block's.
      dev.cairn.storage.RemoteStorage collected = new dev.cairn.storage.ForwardingStorage(new dev.cairn.storage.local.LocalStorage(remote)) {
        @Override
        public byte[] read(String name, long offset, int length) throws IOException {
          if (name.startsWith(RemoteLayout.PACKS) && offset < 64) { // a block's read (the data starts at 8), not the index's
            delete(name);
          }
          return super.read(name, offset, length);
        }
      };
      try (Remote r = new Remote(collected, b.repository())) {
        assertThatThrownBy(() -> b.fetch(id, Selection.ALL, r, Progress.NONE))
            .isInstanceOf(dev.cairn.storage.StorageException.class)
            .hasMessageStartingWith("Cannot fetch from " + collected.uri() + ": pack ")
            .hasMessageEndingWith("left it while this command read it (a cairn gc --storage there deletes the packs of deleted"
                + " versions and repacks the others); what was fetched is kept: run the command again");
      }
    }
  }

  @Test
  void aReadThatFailsKeepsWhatTheReadsBeforeItBrought() throws Exception {
    Path remote = tmp.resolve("remote");
    String id = uploaded(remote, "cut", 80, 8, 250_000); // packs of 256 KiB: about eight reads, in one window
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      String last;
      try (Remote r = new Remote(new dev.cairn.storage.local.LocalStorage(remote), b.repository())) {
        // The last pack in name order that holds file data only (the manifests come first, in a fetch of their own).
        last = r.index().packs().entrySet().stream()
            .filter(e -> e.getValue().stream().allMatch(x -> x.type() == dev.cairn.object.ObjectType.CHUNK))
            .map(Map.Entry::getKey).reduce((a, z) -> z).orElseThrow();
      }
      // The read of the last pack (in the order reads are handed over) fails, once.
      dev.cairn.storage.RemoteStorage cut = new dev.cairn.storage.ForwardingStorage(new dev.cairn.storage.local.LocalStorage(remote)) {
        @Override
        public byte[] read(String name, long offset, int length) throws IOException {
          if (name.equals(RemoteLayout.pack(last)) && offset < 64) {
            throw new dev.cairn.storage.StorageException("Cannot read " + name + ": connection reset", false);
          }
          return super.read(name, offset, length);
        }
      };
      try (Remote r = new Remote(cut, b.repository())) {
        assertThatThrownBy(() -> b.fetch(id, Selection.ALL, r, Progress.NONE)).hasMessageContaining("connection reset");
      }
      dev.cairn.storage.CountingStorage counting = new dev.cairn.storage.CountingStorage(new dev.cairn.storage.local.LocalStorage(remote));
      try (Remote r = new Remote(counting, b.repository())) {
        assertThat(b.fetch(id, Selection.ALL, r, Progress.NONE).verify()).isEmpty();
      }
      // Run again, it reads the last pack's blocks (and the remote's indexes), not all eight files' again.
      assertThat(counting.bytesRead.get()).isLessThan(3 * 250_000L);
    }
  }

  @Test
  void aPackLostOnTheRemoteStopsOnlyTheFilesItHeld() throws Exception {
    Path remote = tmp.resolve("remote");
    // Two uploads, so two sets of packs: the parent's file in one, the child's in the other.
    String parent;
    String child;
    Set<String> parentPacks;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Path one = Files.createDirectories(tmp.resolve("one"));
      Files.write(one.resolve("old.bin"), TestRepos.random(91, 300_000));
      Dataset p = Dataset.create(a, CreateOptions.of("p", "holed").build());
      p.addFiles(AddOptions.of(one));
      parent = p.close().id();
      p.upload(remote.toString(), null, Progress.NONE);
      try (Remote r = new Remote(new dev.cairn.storage.local.LocalStorage(remote), a.repository())) {
        parentPacks = new HashSet<>(r.index().packs().keySet());
      }
      Path two = Files.createDirectories(tmp.resolve("two"));
      Files.write(two.resolve("new.bin"), TestRepos.random(92, 300_000));
      Dataset c = Dataset.create(a, CreateOptions.of("p", "holed").parents(parent).build());
      c.addFiles(AddOptions.of(two));
      child = c.close().id();
      c.upload(remote.toString(), null, Progress.NONE);
    }
    try (Remote r = new Remote(new dev.cairn.storage.local.LocalStorage(remote), null)) {
      for (String pack : parentPacks) {
        r.storage().delete(RemoteLayout.pack(pack)); // the parent's data, and its manifest, lost
      }
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      assertThatThrownBy(() -> b.fetch(child, Selection.ALL, remote.toString(), null, Progress.NONE))
          .isInstanceOf(dev.cairn.errors.MissingObjectException.class);
      // The child's own file came all the same: only what the lost packs held is missing.
      try (dev.cairn.store.ObjectReader reader = b.repository().objects().newReader()) {
        Map<String, Boolean> whole = new TreeMap<>();
        for (dev.cairn.manifest.FileEntry f : Dataset.get(b, child).listFiles()) {
          whole.put(f.path(), dev.cairn.dataset.StoredContent.of(reader, f));
        }
        assertThat(whole).containsExactly(Map.entry("new.bin", true), Map.entry("old.bin", false));
      }
    }
  }

  @Test
  void twoGetsOfOneVersionAtOnceDownloadItsDataOnce() throws Exception {
    Path remote = tmp.resolve("remote");
    String id = uploaded(remote, "n", 60, 4, 500_000);
    long alone;
    try (DatasetRepository one = DatasetRepository.open(tmp.resolve("one"), TestRepos.SMALL)) {
      dev.cairn.storage.CountingStorage counting = new dev.cairn.storage.CountingStorage(new dev.cairn.storage.local.LocalStorage(remote));
      try (Remote r = new Remote(counting, one.repository())) {
        one.fetch(id, Selection.ALL, r, Progress.NONE);
      }
      alone = counting.bytesRead.get();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b2"), TestRepos.SMALL)) {
      dev.cairn.storage.CountingStorage counting = new dev.cairn.storage.CountingStorage(new dev.cairn.storage.local.LocalStorage(remote));
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<Dataset>> gets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          gets.add(pool.submit(() -> {
            go.await();
            try (Remote r = new Remote(counting, b.repository())) {
              return b.fetch(id, Selection.ALL, r, Progress.NONE);
            }
          }));
        }
        go.countDown();
        for (Future<Dataset> g : gets) {
          assertThat(g.get().verify()).isEmpty();
        }
      } finally {
        pool.shutdownNow();
      }
      // The second waits for the first, then finds the data here: a few small reads more at most
      // (the remote's records and indexes), never the data again.
      assertThat(counting.bytesRead.get()).isLessThan(alone + alone / 2);
    }
  }

  @Test
  void twoGetsOfTwoVersionsOfOneRemoteAtOnceBothSucceed() throws Exception {
    Path remote = tmp.resolve("remote3");
    List<String> ids = List.of(uploaded(remote, "n0", 100, 3, 300_000), uploaded(remote, "n1", 200, 3, 300_000));
    for (int round = 0; round < 3; round++) {
      try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b3-" + round), TestRepos.SMALL)) {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
          List<Future<Dataset>> gets = new ArrayList<>();
          for (String id : ids) {
            gets.add(pool.submit(() -> {
              go.await();
              return b.fetch(id, Selection.ALL, remote.toString(), null, Progress.NONE);
            }));
          }
          go.countDown();
          for (Future<Dataset> g : gets) {
            assertThat(g.get().verify()).isEmpty();
          }
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }

  @Test
  void recordsAreImportedParentsFirst() {
    // d's parents are c and x; c's is b; x's is y, whose parent b is also c's grandparent.
    Map<String, dev.cairn.dataset.DatasetRecord> records = new LinkedHashMap<>();
    String[][] graph = {{"c", "b"}, {"x", "y"}, {"b"}, {"y", "b"}};
    for (String[] g : graph) {
      records.put(g[0], record(g[0], List.of(g).subList(1, g.length)));
    }
    List<String> order = Fetcher.parentsFirst(records).stream().map(dev.cairn.dataset.DatasetRecord::id).toList();
    assertThat(order).containsExactlyInAnyOrder("b", "c", "x", "y");
    assertThat(order.indexOf("b")).isLessThan(order.indexOf("c"));
    assertThat(order.indexOf("b")).isLessThan(order.indexOf("y"));
    assertThat(order.indexOf("y")).isLessThan(order.indexOf("x"));
  }

  private static dev.cairn.dataset.DatasetRecord record(String id, List<String> parents) {
    dev.cairn.id.ObjectId empty = dev.cairn.id.HashAlgorithm.SHA256.hash(new byte[0]);
    return new dev.cairn.dataset.DatasetRecord.Builder().id(id).project("p").name("n").version("1.0.0")
        .state(dev.cairn.dataset.DatasetState.FINAL).parents(parents).base(empty).root(empty).build();
  }

  @Test
  void aDraftOnAVersionFetchedWithoutItsChunksSendsNoFileObjectWithoutThem() throws Exception {
    Path remote = tmp.resolve("remote");
    String id = uploaded(remote, "half", 70, 3, 400_000); // files of several chunks: file objects name them
    Path second = tmp.resolve("second");
    String child;
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      List<dev.cairn.id.ObjectId> fileObjects = new ArrayList<>();
      Progress chunksStop = new Progress() {
        @Override
        public void start(String task, long totalBytes) {
          try {
            if (fileObjects.isEmpty() && b.catalog().exists(id)) {
              for (dev.cairn.manifest.FileEntry e : b.get(id).listFiles()) {
                fileObjects.add(e.content());
              }
            }
            // The file objects are here: the chunks come next, and the fetch stops (as a kill would).
            if (task.startsWith("downloading") && !fileObjects.isEmpty() && fileObjects.stream().allMatch(f -> {
              try {
                return b.repository().objects().has(f);
              } catch (IOException ex) {
                throw new UncheckedIOException(ex);
              }
            })) {
              throw new IllegalStateException("stopped before the chunks");
            }
          } catch (IOException ex) {
            throw new UncheckedIOException(ex);
          }
        }
      };
      assertThatThrownBy(() -> b.fetch(id, Selection.ALL, remote.toString(), null, chunksStop)).hasMessageContaining("stopped before the chunks");
      Dataset draft = Dataset.create(b, CreateOptions.of("p", "half-child").parents(id).build());
      draft.upload(second.toString(), null, Progress.NONE); // the draft's data alone: none of the parent's file objects without chunks
      draft.close();
      draft.upload(second.toString(), null, Progress.NONE); // completed from the parent's remote first
      child = draft.id();
    }
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      Path copy = c.fetch(child, Selection.ALL, second.toString(), null, Progress.NONE).getLocalCopy();
      for (int i = 0; i < 3; i++) {
        assertThat(Files.readAllBytes(copy.resolve("f" + i + ".bin"))).isEqualTo(TestRepos.random(70 + i, 400_000));
      }
    }
  }

  @Test
  void aFetchStoppedPartWayIsResumedNotStartedOver() throws Exception {
    Path remote = tmp.resolve("remote");
    String id = uploaded(remote, "n", 40, 6, 400_000);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Download first = new Download(1_500_000); // packs of 256 KiB here: several are finished by then
      assertThatThrownBy(() -> b.fetch(id, Selection.ALL, remote.toString(), null, first)).hasMessageContaining("stopped");
      // Recorded once its manifest came, before its data: a version fetched in part, whose data a
      // collection keeps (without the record, gc deleted what was fetched).
      assertThat(b.catalog().exists(id)).isTrue();
      dev.cairn.testing.TestRepos.collect(b, 0);
      Download second = new Download(Long.MAX_VALUE);
      b.fetch(id, Selection.ALL, remote.toString(), null, second);
      assertThat(second.announced).as("only what the first did not keep").isLessThan(first.announced - 1_000_000);
      assertThat(b.get(id).verify()).isEmpty();
    }
  }

  @Test
  void aFetchThatMeetsADamagedBlockKeepsEveryBlockItVerified() throws Exception {
    Path remote = tmp.resolve("remote");
    String id = uploaded(remote, "n", 80, 6, 400_000);
    Path pack;
    try (Stream<Path> s = Files.list(remote.resolve(RemoteLayout.PACKS))) {
      pack = s.filter(p -> p.toString().endsWith(".pack")).max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] good = Files.readAllBytes(pack);
    byte[] bad = good.clone();
    bad[bad.length * 2 / 5] ^= 0x55;
    Files.write(pack, bad);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Download first = new Download(Long.MAX_VALUE);
      assertThatThrownBy(() -> b.fetch(id, Selection.ALL, remote.toString(), null, first))
          .isInstanceOf(dev.cairn.errors.CorruptObjectException.class);
      Files.write(pack, good); // the remote repaired (an upload from a copy that has the data)
      Download second = new Download(Long.MAX_VALUE);
      b.fetch(id, Selection.ALL, remote.toString(), null, second);
      // Only the damaged block again: the blocks before and after it were kept.
      assertThat(second.announced).isLessThan(first.announced / 4);
      assertThat(b.get(id).verify()).isEmpty();
    }
  }

  @Test
  void dataAVersionDeletedOnItsRemoteTookWithItIsSaidToBeGoneFromThereNotDamaged() throws Exception {
    Path remote = tmp.resolve("remote");
    String id = uploaded(remote, "n", 90, 4, 300_000);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      b.fetch(id, Selection.part(0, 4), remote.toString(), null, Progress.NONE);
      Dataset child = Dataset.create(b, CreateOptions.of("p", "child").parents(id).build());
      child.close();
      try (DatasetRepository a = DatasetRepository.open(tmp.resolve("up-n"), TestRepos.SMALL);
          Remote r = new Remote(new dev.cairn.storage.local.LocalStorage(remote), a.repository())) {
        r.deleteVersion(id, false);
        new RemoteGarbageCollector(r, a.repository(), 0, Progress.NONE).run();
      }
      assertThatThrownBy(() -> child.getMutableLocalCopy(tmp.resolve("copy"), false))
          .isInstanceOf(dev.cairn.errors.MissingObjectException.class)
          .hasMessageContaining("no pack of that remote holds it (a version deleted there takes its data with it");
    }
  }
}
