package dev.cairn.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Repository;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pack flushed with {@link ObjectInserter#flushDeferringIndex()} is seen by its own process at
 * once and written to the index with the next flush or at close; other processes (here: other
 * {@link Repository} instances, each with its own index view) find it when they miss an object.
 */
class DeferredRegistrationTest {
  @TempDir Path tmp;

  /** Inserts {@code n} new chunks and flushes them, deferring the index write; returns their ids. */
  private static List<ObjectId> insertDeferred(Repository repo, int n, int seed) throws IOException {
    List<ObjectId> ids = new ArrayList<>();
    try (ObjectInserter ins = repo.objects().newInserter()) {
      for (int i = 0; i < n; i++) {
        ids.add(ins.insert(ObjectType.CHUNK, TestRepos.random(seed * 1000L + i, 100 + i % 100)));
      }
      ins.flushDeferringIndex();
    }
    return ids;
  }

  private static void assertReadable(Repository repo, List<ObjectId> ids, int seed) throws IOException {
    try (ObjectReader reader = repo.objects().newReader()) {
      for (int i = 0; i < ids.size(); i++) {
        assertThat(reader.open(ids.get(i)).bytes()).isEqualTo(TestRepos.random(seed * 1000L + i, 100 + i % 100));
      }
    }
  }

  @Test
  void aDeferredPackIsSeenHereAtOnceAndWrittenInOneTransactionWithTheNextFlush() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository writer = TestRepos.create(dir); Repository other = Repository.open(dir)) {
      ObjectIndex index = writer.packs().index();
      long before = index.lastTransactionId();
      List<ObjectId> edited = insertDeferred(writer, 3, 1);
      assertThat(index.lastTransactionId()).as("no index write yet").isEqualTo(before);
      assertThat(writer.objects().hasEach(edited)).containsOnly(true);
      assertReadable(writer, edited, 1);
      assertThat(index.hasDeferred()).isTrue();
      assertThat(other.packs().index().contains(edited.get(0))).as("not written for other processes yet").isFalse();

      ObjectId version;
      try (ObjectInserter ins = writer.objects().newInserter()) {
        version = ins.insert(ObjectType.CHUNK, TestRepos.random(99, 50));
        ins.flush();
      }
      assertThat(index.lastTransactionId()).as("both packs in one write").isEqualTo(before + 1);
      assertThat(index.hasDeferred()).isFalse();
      assertThat(other.packs().index().containsEach(List.of(edited.get(0), edited.get(2), version))).containsOnly(true);
      assertThat(other.packs().index().pendingPackNames()).hasSize(2);
    }
  }

  @Test
  void closingTheStoreWritesWhatWasDeferred() throws IOException {
    Path dir = tmp.resolve("repo");
    List<ObjectId> ids;
    try (Repository writer = TestRepos.create(dir)) {
      ids = insertDeferred(writer, 2, 2);
    }
    try (Repository again = Repository.open(dir)) {
      assertThat(again.packs().index().containsEach(ids)).containsOnly(true);
      assertThat(again.packs().index().pendingPackNames()).hasSize(1);
      assertReadable(again, ids, 2);
    }
  }

  @Test
  void aReaderThatMissesAnObjectFindsThePackAndFreshensIt() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository writer = TestRepos.create(dir); Repository reader = Repository.open(dir)) {
      List<ObjectId> ids = insertDeferred(writer, 4, 3);
      String pack = writer.packs().index().lookup(ids.get(0)).packName();
      Path file = writer.packs().packDirectory().resolve(dev.cairn.internal.pack.PackFormat.fileName(pack));
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      long before = Files.getLastModifiedTime(file).toMillis();

      assertReadable(reader, ids, 3);
      assertThat(reader.packs().index().pendingPackNames()).containsExactly(pack);
      assertThat(Files.getLastModifiedTime(file).toMillis()).as("freshened for a concurrent gc").isGreaterThan(before);
      // Every pack is known now: once the folder has settled, and been listed so, nothing more to find.
      Path packs = reader.packs().packDirectory();
      Files.setLastModifiedTime(packs, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
      assertThat(reader.objects().refresh()).as("listed").isTrue();
      assertThat(reader.objects().refresh()).as("the folder as listed: no listing").isFalse();
    }
  }

  @Test
  void aReaderLooksAgainWhenTheWriterIndexedThePackBetweenItsMissAndItsListing() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository writer = TestRepos.create(dir); Repository reader = Repository.open(dir)) {
      List<ObjectId> ids = insertDeferred(writer, 2, 7);
      assertThat(reader.packs().index().lookup(ids.get(0))).as("the reader's miss").isNull();
      writer.packs().index().registerDeferred(); // the writer's next flush, at that moment
      // The listing finds every pack registered, none by this call: the miss is still to be looked up again.
      assertThat(reader.objects().refresh()).isTrue();
      assertThat(reader.packs().index().lookup(ids.get(0))).isNotNull();
      assertReadable(reader, ids, 7);
    }
  }

  @Test
  void packsLeftUnindexedByACrashAreFoundByTheNextProcess() throws IOException {
    Path dir = tmp.resolve("repo");
    Path crashed = tmp.resolve("crashed");
    List<ObjectId> ids;
    try (Repository writer = TestRepos.create(dir)) {
      ids = insertDeferred(writer, 3, 4);
      dev.cairn.testing.TestRepos.copyRepository(dir, crashed); // the disk as a crash right now would leave it
    }
    try (Repository after = Repository.open(crashed)) {
      assertThat(after.packs().index().contains(ids.get(0))).isFalse();
      assertThat(after.objects().refresh()).isTrue();
      assertThat(after.packs().index().containsEach(ids)).containsOnly(true);
      assertReadable(after, ids, 4);
    }
  }

  @Test
  void atMostSixteenPacksWaitAndLargePacksAreWrittenAtOnce() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository writer = TestRepos.create(dir); Repository other = Repository.open(dir)) {
      ObjectIndex index = writer.packs().index();
      long before = index.lastTransactionId();
      List<ObjectId> first = new ArrayList<>();
      for (int p = 0; p < DeferredPacks.MAX_PACKS; p++) {
        first.addAll(insertDeferred(writer, 1, 10 + p));
      }
      assertThat(index.lastTransactionId()).isEqualTo(before);
      insertDeferred(writer, 1, 50);
      assertThat(index.lastTransactionId()).isEqualTo(before + 1);
      assertThat(index.hasDeferred()).isFalse();
      assertThat(other.packs().index().containsEach(first)).containsOnly(true);

      List<ObjectId> large = insertDeferred(writer, PendingPacks.MAX_PACK_ENTRIES + 1, 60);
      assertThat(index.lastTransactionId()).isEqualTo(before + 2);
      assertThat(other.packs().index().contains(large.get(PendingPacks.MAX_PACK_ENTRIES))).isTrue();
    }
  }

  @Test
  void aRebuildOrMergeTakesTheDeferredPacksAlong() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository writer = TestRepos.create(dir); Repository other = Repository.open(dir)) {
      List<ObjectId> a = insertDeferred(writer, 2, 70);
      writer.packs().index().mergeAll();
      assertThat(writer.packs().index().hasDeferred()).isFalse();
      assertThat(other.packs().index().pendingPackNames()).isEmpty();
      assertThat(other.packs().index().containsEach(a)).containsOnly(true);

      List<ObjectId> b = insertDeferred(writer, 2, 71);
      assertThat(writer.rebuildIndex()).isEmpty();
      assertThat(writer.packs().index().hasDeferred()).isFalse();
      assertThat(other.packs().index().containsEach(b)).containsOnly(true);
    }
  }
}
