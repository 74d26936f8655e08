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
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A get stopped part way keeps the packs it had finished: run again, it fetches only the rest. */
class FetchResumeTest {
  @TempDir Path tmp;

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
  void aFetchStoppedPartWayIsResumedNotStartedOver() throws Exception {
    Path remote = tmp.resolve("remote");
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    for (int i = 0; i < 6; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(40 + i, 400_000));
    }
    String id;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "n").build());
      v.addFiles(AddOptions.of(src));
      id = v.close().id();
      v.upload(remote.toString(), null, Progress.NONE);
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Download first = new Download(1_500_000); // packs of 256 KiB here: several are finished by then
      assertThatThrownBy(() -> b.fetch(id, Selection.ALL, remote.toString(), null, first)).hasMessageContaining("stopped");
      Download second = new Download(Long.MAX_VALUE);
      b.fetch(id, Selection.ALL, remote.toString(), null, second);
      assertThat(second.announced).as("only what the first did not keep").isLessThan(first.announced - 1_000_000);
      assertThat(b.get(id).verify()).isEmpty();
    }
  }
}
