package dev.cairn.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.gc.Fsck;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.WriteGuard;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.testing.TestRepos;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A block that the disk cut short is taken back, so that the blocks after it are where the pack's index says. */
class PartialWriteTest {
  @TempDir Path tmp;

  @AfterEach
  void liftLimit() {
    WriteGuard.limit(Long.MAX_VALUE);
  }

  @Test
  void anInserterGoesOnWritingCorrectlyAfterABlockThatFilledTheDisk() throws Exception {
    byte[] first = TestRepos.random(1, 40_000); // random: stored as it is, one block each
    byte[] cut = TestRepos.random(2, 40_000);
    byte[] after = TestRepos.random(3, 40_000);
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      ObjectId a;
      ObjectId c;
      try (ObjectInserter ins = repo.repository().packs().newInserter()) {
        a = ins.insert(ObjectType.CHUNK, first);
        WriteGuard.limit(10_000); // the next block is written a quarter of the way, then the disk is full
        assertThatThrownBy(() -> ins.insert(ObjectType.CHUNK, cut)).isInstanceOf(FileSystemException.class)
            .hasMessageContaining("No space left on device");
        WriteGuard.limit(Long.MAX_VALUE); // space freed: the same inserter goes on
        c = ins.insert(ObjectType.CHUNK, after);
        ins.flush();
      }
      try (ObjectReader r = repo.repository().packs().newReader()) {
        assertThat(r.open(a).bytes()).isEqualTo(first);
        assertThat(r.open(c).bytes()).isEqualTo(after);
      }
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
    }
  }
}
