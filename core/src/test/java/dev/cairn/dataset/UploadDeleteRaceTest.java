package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version deleted while it is being uploaded: its string, reserved on the remote when it was
 * created there, must not be given back while the upload can still publish its record there.
 */
class UploadDeleteRaceTest {
  @TempDir Path tmp;

  @Test
  void aVersionDeletedWhileItsObjectsGoUpIsNotPublishedAndItsStringIsFree() throws IOException {
    Path remote = tmp.resolve("remote");
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.write(src.resolve("big.bin"), TestRepos.random(1, 600_000));
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "n").storage(remote.toString()).build());
      v.addFiles(AddOptions.of(src));
      v.close();
      Dataset.Deletion[] deletion = new Dataset.Deletion[1];
      // The delete runs while the push sends the version's objects, before it publishes its record.
      Progress deleteMidway = new Progress() {
        @Override
        public void start(String task, long totalBytes) {
          if (task.startsWith("uploading") && deletion[0] == null) {
            try {
              deletion[0] = a.get(v.id()).delete(false);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
      };
      assertThatThrownBy(() -> v.upload(remote.toString(), null, deleteMidway)).isInstanceOf(DatasetNotFoundException.class)
          .hasMessageContaining("it was deleted here while it was being uploaded");
      assertThat(deletion[0].released()).as("its string given back").isTrue();
      assertThat(Files.exists(remote.resolve("versions/" + v.id()))).as("no record published").isFalse();
    }
    // Free: another repository takes 1.0.0 there, and the remote holds one version of that string.
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset w = Dataset.create(b, CreateOptions.of("p", "n").storage(remote.toString()).build());
      assertThat(w.version()).isEqualTo("1.0.0");
      w.addFiles(AddOptions.of(src));
      w.close();
      w.upload(remote.toString(), null, Progress.NONE);
      assertThat(Dataset.list(b, "p", "n", null)).hasSize(1);
    }
  }
}
