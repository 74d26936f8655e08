package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.ConflictException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two repositories uploading changes of one version's record at once: the one whose record was
 * published second compares again with the first's, rather than telling its user to run the
 * upload again only to be refused then.
 */
class RecordRaceTest {
  @TempDir Path tmp;

  @Test
  void anUploadThatLosesARaceForTheRecordComparesAgainAndSaysTheRecordsDiverged() throws IOException {
    Path remote = tmp.resolve("remote");
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.write(src.resolve("a.bin"), TestRepos.random(1, 50_000));
    String id;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "n").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      v.upload(remote.toString(), null, Progress.NONE);
      id = v.id();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL);
        DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      Dataset vb = Dataset.get(b, id, remote.toString());
      Dataset vc = Dataset.get(c, id, remote.toString());
      vb.rename("from-b"); // a rename on both sides is not made again: the two cannot be merged
      vc.rename("from-c");
      // Both upload it to a second remote; c's upload publishes its record while b's sends the
      // objects, after b found no record there to compare with.
      Path second = tmp.resolve("second");
      List<String> tasks = new ArrayList<>();
      Progress racing = new Progress() {
        @Override
        public void start(String task, long totalBytes) {
          tasks.add(task);
          if (tasks.size() == 1) {
            try {
              vc.upload(second.toString(), null, Progress.NONE);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
      };
      assertThatThrownBy(() -> vb.upload(second.toString(), null, racing)).isInstanceOf(ConflictException.class)
          .hasMessageContaining("its record was changed here").hasMessageContaining("the two cannot be merged")
          .hasMessageNotContaining("run the upload again");
      assertThat(tasks).isNotEmpty();
      // Asked for the remote's record, b is told that both changed, and keeps its own.
      assertThatThrownBy(() -> b.catchUp(id, second.toString())).isInstanceOf(ConflictException.class)
          .hasMessageStartingWith("The record of " + id + " was changed here (rename) and on ").hasMessageContaining(" (rename) since the two"
              + " last agreed; the one here is kept (they cannot be merged: a rename or version string, or no record here of their"
              + " agreement; to take the remote's, cairn delete --id " + id.substring(0, 8));
      assertThat(b.get(id).record().name()).isEqualTo("from-b");
      assertThat(b.get(id).record().tags()).isEmpty();
    }
  }
}
