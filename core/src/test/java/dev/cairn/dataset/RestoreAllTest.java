package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock file's versions copied into one folder stand all at once, or none does. */
class RestoreAllTest {
  @TempDir Path tmp;

  private static Usage.Use use(String alias, Dataset v) throws IOException {
    return new Usage.Use("run", alias, v.id(), v.project(), v.name(), v.version(), v.record().root(), v.record().versionObject(), 0);
  }

  private static Dataset version(DatasetRepository repo, String name, Path src, String text) throws IOException {
    Files.createDirectories(src);
    Files.writeString(src.resolve(name + ".txt"), text);
    Files.write(src.resolve("data.bin"), TestRepos.random(name.hashCode(), 200_000));
    Dataset v = Dataset.create(repo, CreateOptions.of("p", name).build());
    v.syncFolder(src);
    return v.close();
  }

  @Test
  void aCopyOfSeveralStoppedMidwayLeavesNothingAndRunAgainMakesThemAll() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      List<Usage.Use> uses = List.of(use("train", version(repo, "train", tmp.resolve("t"), "t")),
          use("val", version(repo, "val", tmp.resolve("v"), "v")));
      Path dir = tmp.resolve("copies");
      // Stopped as the second version's files are written (Ctrl-C, a full disk): the first was whole.
      Progress stopAtSecond = new Progress() {
        int writes;

        @Override
        public void start(String task, long totalBytes) {
          if (task.startsWith("writing") && ++writes == 2) {
            throw new java.io.UncheckedIOException(new InterruptedIOException("stopped"));
          }
        }
      };
      assertThatThrownBy(() -> repo.restoreAll(uses, Selection.ALL, dir, false, stopAtSecond)).hasMessageContaining("stopped");
      assertThat(dir).as("neither version stands").doesNotExist();
      try (Stream<Path> left = Files.list(tmp)) {
        assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("cairn-copy"));
      }

      List<Path> copies = repo.restoreAll(uses, Selection.ALL, dir, false, Progress.NONE);
      assertThat(copies).containsExactly(dir.resolve("train"), dir.resolve("val"));
      assertThat(Files.readString(dir.resolve("train/train.txt"))).isEqualTo("t");
      assertThat(Files.readString(dir.resolve("val/val.txt"))).isEqualTo("v");
      assertThat(Files.readAllBytes(dir.resolve("val/data.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("v/data.bin")));
      // Into a folder holding them and more: each alias's folder as a copy of its own, refused unless
      // empty or with --overwrite, which replaces the aliases' folders and leaves the rest.
      assertThatThrownBy(() -> repo.restoreAll(uses, Selection.ALL, dir, false, Progress.NONE))
          .hasMessageContaining("Cannot copy into " + dir.resolve("train") + ": the folder is not empty");
      Files.writeString(dir.resolve("val/val.txt"), "edited");
      Files.writeString(dir.resolve("data.lock"), "the user's");
      repo.restoreAll(uses, Selection.ALL, dir, true, Progress.NONE);
      assertThat(Files.readString(dir.resolve("val/val.txt"))).isEqualTo("v");
      assertThat(Files.readString(dir.resolve("data.lock"))).isEqualTo("the user's");
      // An empty folder is filled as one copy too.
      Path empty = Files.createDirectories(tmp.resolve("empty"));
      repo.restoreAll(uses, Selection.ALL, empty, false, Progress.NONE);
      assertThat(empty.resolve("train/train.txt")).hasContent("t");
    }
  }
}
