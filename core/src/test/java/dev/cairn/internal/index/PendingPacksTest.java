package dev.cairn.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Repository;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small packs wait in {@code pending-packs}, are found like merged ones, and are merged in bulk. */
class PendingPacksTest {
  @TempDir Path tmp;

  /** Flushes {@code packs} packs of {@code perPack} new chunks each; returns the ids in order. */
  private static List<ObjectId> insertPacks(Repository repo, int packs, int perPack, int seed) throws IOException {
    List<ObjectId> ids = new ArrayList<>();
    try (ObjectInserter ins = repo.objects().newInserter()) {
      for (int p = 0; p < packs; p++) {
        for (int i = 0; i < perPack; i++) {
          ids.add(ins.insert(ObjectType.CHUNK, TestRepos.random(seed + p * 10_000L + i, 100 + i)));
        }
        ins.flush();
      }
    }
    return ids;
  }

  private static void assertAllReadable(Repository repo, List<ObjectId> ids, int seed, int perPack) throws IOException {
    try (ObjectReader reader = repo.objects().newReader()) {
      for (int k = 0; k < ids.size(); k++) {
        int p = k / perPack;
        int i = k % perPack;
        assertThat(reader.open(ids.get(k)).bytes()).isEqualTo(TestRepos.random(seed + p * 10_000L + i, 100 + i));
      }
    }
    assertThat(repo.objects().hasEach(ids)).containsOnly(true);
  }

  @Test
  void smallPacksWaitAndAreFoundByEveryReader() throws IOException {
    Path dir = tmp.resolve("repo");
    List<ObjectId> ids;
    try (Repository repo = TestRepos.create(dir)) {
      ids = insertPacks(repo, 5, 3, 1);
      ObjectIndex index = repo.packs().index();
      assertThat(index.pendingPackNames()).hasSize(5);
      assertThat(index.packNames()).containsExactlyElementsOf(index.pendingPackNames());
      assertThat(index.objectCount()).isEqualTo(15);
      assertAllReadable(repo, ids, 1, 3);
      ObjectLocation where = index.lookup(ids.get(4));
      assertThat(where.type()).isEqualTo(ObjectType.CHUNK);
      assertThat(index.pendingPackNames()).contains(where.packName());
      assertThat(index.resolve(AbbreviatedObjectId.parse(ids.get(7).hex().substring(0, 10)), 5)).containsExactly(ids.get(7));
      assertThat(index.contains(repo.objects().algorithm().hash(new byte[] {1, 2, 3}))).isFalse();
    }
    // a reader that starts afterwards loads the pending packs' own indexes
    try (Repository again = Repository.open(dir)) {
      assertAllReadable(again, ids, 1, 3);
      List<ObjectId> seen = new ArrayList<>();
      again.packs().index().forEach((id, loc) -> seen.add(id));
      assertThat(seen).containsExactlyElementsOf(ids.stream().sorted().toList());
    }
  }

  @Test
  void aReaderSeesPacksThatAnotherWriterRegisteredLater() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository writer = TestRepos.create(dir); Repository reader = Repository.open(dir)) {
      List<ObjectId> first = insertPacks(writer, 2, 2, 10);
      assertAllReadable(reader, first, 10, 2);
      List<ObjectId> second = insertPacks(writer, 2, 2, 20);
      assertAllReadable(reader, second, 20, 2);
    }
  }

  @Test
  void theyAreGatheredWhenTooManyWaitOrALargePackArrives() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository repo = TestRepos.create(dir)) {
      ObjectIndex index = repo.packs().index();
      List<ObjectId> ids = insertPacks(repo, PendingPacks.MAX_PACKS, 2, 100);
      assertThat(index.pendingPackNames()).hasSize(PendingPacks.MAX_PACKS);
      List<ObjectId> more = insertPacks(repo, 1, 2, 200);
      assertThat(index.pendingPackNames()).as("the waiting packs went into a run; the new one waits")
          .containsExactly(index.lookup(more.get(0)).packName());
      assertThat(index.packNames()).hasSize(PendingPacks.MAX_PACKS + 1);
      assertThat(index.objectCount()).isEqualTo(2L * PendingPacks.MAX_PACKS + 2);
      assertAllReadable(repo, ids, 100, 2);
      assertAllReadable(repo, more, 200, 2);

      List<ObjectId> small = insertPacks(repo, 3, 2, 300);
      assertThat(index.pendingPackNames()).hasSize(4);
      List<ObjectId> large = insertPacks(repo, 1, PendingPacks.MAX_PACK_ENTRIES + 1, 400);
      assertThat(index.pendingPackNames()).isEmpty();
      assertAllReadable(repo, small, 300, 2);
      assertAllReadable(repo, large, 400, PendingPacks.MAX_PACK_ENTRIES + 1);
    }
  }

  @Test
  void aRebuiltIndexHoldsEveryPackAndNothingWaits() throws IOException {
    Path dir = tmp.resolve("repo");
    List<ObjectId> ids;
    try (Repository repo = TestRepos.create(dir)) {
      ids = insertPacks(repo, 4, 3, 7);
      assertThat(repo.rebuildIndex()).isEmpty();
      assertThat(repo.packs().index().pendingPackNames()).isEmpty();
      assertThat(repo.packs().index().packNames()).hasSize(4);
      assertAllReadable(repo, ids, 7, 3);
    }
  }

  @Test
  void aPendingPackWhoseFileIsGoneIsDroppedAtTheNextMerge() throws IOException {
    Path dir = tmp.resolve("repo");
    try (Repository repo = TestRepos.create(dir)) {
      List<ObjectId> ids = insertPacks(repo, 3, 2, 50);
      ObjectIndex index = repo.packs().index();
      String gone = index.lookup(ids.get(0)).packName();
      repo.packs().closePack(gone);
      Files.delete(repo.packs().packDirectory().resolve(PackFormat.fileName(gone)));
      try (Repository other = Repository.open(dir)) {
        assertThat(other.objects().has(ids.get(0))).isFalse();
        assertAllReadable(other, ids.subList(2, 6), 50 + 10_000, 2);
      }
      index.mergeAll();
      assertThat(index.pendingPackNames()).isEmpty();
      assertThat(index.packNames()).hasSize(2).doesNotContain(gone);
      assertAllReadable(repo, ids.subList(2, 6), 50 + 10_000, 2);
    }
  }
}
