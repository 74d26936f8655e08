package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.DatasetStateException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the library says to people: counted nouns, states in sentences. */
class DatasetMessagesTest {
  @TempDir Path tmp;
  DatasetRepository repo;

  @BeforeEach
  void open() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
  }

  @AfterEach
  void close() throws IOException {
    repo.close();
  }

  /** Records the tasks that progress is told about. */
  static final class Tasks implements Progress {
    final List<String> started = new CopyOnWriteArrayList<>();

    @Override
    public void start(String task, long totalBytes) {
      started.add(task);
    }
  }

  @Test
  void progressCountsOneFileInTheSingular() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "one").build());
    Tasks tasks = new Tasks();
    ds.addFiles(AddOptions.of(src), tasks);
    ds.close();
    ds.getLocalCopy(Selection.ALL, tasks);
    ds.export(tmp.resolve("one.tar"), tasks);
    assertThat(tasks.started).contains("hashing and storing 1 file", "writing 1 file", "exporting 1 file");
  }

  @Test
  void publishingADraftSaysItIsADraft() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "draft").build());
    assertThatThrownBy(ds::publish).isInstanceOf(DatasetStateException.class)
        .hasMessage("Cannot publish " + ds.id() + ": it is a draft; close it first");
    ds.close();
    ds.publish();
    assertThatThrownBy(ds::publish).isInstanceOf(DatasetStateException.class)
        .hasMessage("Cannot publish " + ds.id() + ": it is already published");
  }
}
