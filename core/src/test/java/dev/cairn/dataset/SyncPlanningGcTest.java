package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gc.Fsck;
import dev.cairn.gc.GarbageCollector;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync into a new version compares the folder with its parent, storing the new data, before its
 * draft exists: a collection that runs meanwhile keeps that data.
 */
class SyncPlanningGcTest {
  @TempDir Path tmp;

  @Test
  void aCollectionDuringASyncsComparisonWithItsParentKeepsWhatTheSyncStored() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.write(src.resolve("a.bin"), TestRepos.random(1, 100_000));
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset parent = Dataset.create(repo, CreateOptions.of("p", "n").build());
      parent.syncFolder(SyncOptions.of(src), Progress.NONE);
      parent.close();
      byte[] big = TestRepos.random(2, 300_000);
      Files.write(src.resolve("big.bin"), big);
      int[] collections = {0};
      Progress collecting = new Progress() {
        @Override
        public void finish() { // once the folder is hashed and its new data stored, before the draft is made
          if (collections[0]++ == 0) {
            try {
              new GarbageCollector(repo, 0, 0, Progress.NONE).run();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
      };
      Dataset.NewVersion v = Dataset.syncNewVersion(repo, CreateOptions.of("p", "n").parents(List.of(parent.id())).build(),
          SyncOptions.of(src), collecting, "sync", List.of("--folder", src.toString()));
      assertThat(collections[0]).as("a collection ran during the sync").isPositive();
      Dataset child = v.draft().close();
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
      assertThat(Files.readAllBytes(child.getMutableLocalCopy(tmp.resolve("copy"), false).resolve("big.bin"))).isEqualTo(big);
    }
  }
}
