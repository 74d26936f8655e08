package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectInserter;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file of a batch that cannot be added fails the add with its own message, while other files of
 * the batch are being stored into the same pack: no worker is left running, and the inserter can
 * still store and flush (what those files stored is kept for a retry, or freed by gc).
 */
class IngestFailureTest {
  @TempDir Path tmp;
  private DatasetRepository repo;

  @BeforeEach
  void open() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
  }

  @AfterEach
  void close() throws IOException {
    repo.close();
  }

  @RepeatedTest(3)
  void aFileThatCannotBeAddedStopsTheOthersBeforeTheAddFails() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    List<SourceFile> files = new ArrayList<>();
    Path gone = Files.writeString(src.resolve("a-gone"), "soon deleted");
    files.add(FolderScanner.describe(gone, "a-gone"));
    Files.delete(gone);
    for (int i = 0; i < 300; i++) {
      Path f = Files.write(src.resolve("f" + i), TestRepos.random(i, 40_000));
      files.add(FolderScanner.describe(f, "f" + i));
    }
    try (ObjectInserter ins = repo.repository().objects().newInserter()) {
      FileIngester ingester = new FileIngester(repo.statCache(), Progress.NONE, true);
      assertThatThrownBy(() -> ingester.ingest(files, ins)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("a-gone").hasMessageContaining("deleted while");
      assertThat(Thread.getAllStackTraces().keySet()).as("no file is still being stored once the add has failed")
          .noneMatch(t -> t.getName().equals("cairn-ingest") && t.isAlive());
      // The same inserter still stores, and what it stored is readable once flushed.
      ObjectId after = ins.insert(ObjectType.CHUNK, "after the failure".getBytes());
      ins.flush();
      assertThat(repo.repository().objects().has(after)).isTrue();
    }
  }
}
