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
      assertNoWorkerLeft();
      // The same inserter still stores, and what it stored is readable once flushed.
      ObjectId after = ins.insert(ObjectType.CHUNK, "after the failure".getBytes());
      ins.flush();
      assertThat(repo.repository().objects().has(after)).isTrue();
    }
  }

  /** An add cancelled (its thread interrupted) ends its workers before it returns, without interrupting them, and keeps the interrupt. */
  @RepeatedTest(3)
  void anInterruptedAddStopsItsWorkersAndKeepsTheInterrupt() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    List<SourceFile> files = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Path f = Files.write(src.resolve("f" + i), TestRepos.random(i, 40_000));
      files.add(FolderScanner.describe(f, "f" + i));
    }
    Thread caller = Thread.currentThread();
    java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
    Progress interrupting = new Progress() {
      @Override
      public void advance(long bytes) {
        if (once.compareAndSet(false, true)) {
          caller.interrupt(); // as a cancel of the command does
        }
      }
    };
    try (ObjectInserter ins = repo.repository().objects().newInserter()) {
      FileIngester ingester = new FileIngester(repo.statCache(), interrupting, true);
      assertThatThrownBy(() -> ingester.ingest(files, ins)).isInstanceOf(java.io.InterruptedIOException.class);
      assertThat(Thread.interrupted()).as("the interrupt kept").isTrue();
      assertNoWorkerLeft();
      ObjectId after = ins.insert(ObjectType.CHUNK, "after the interrupt".getBytes());
      ins.flush();
      assertThat(repo.repository().objects().has(after)).isTrue();
    }
  }

  /** Every worker of the add has ended (a thread may take a moment to die once its pool has ended). */
  private static void assertNoWorkerLeft() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("cairn-ingest")) {
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        assertThat(t.isAlive()).as("a worker still runs once the add has ended").isFalse();
      }
    }
  }
}
