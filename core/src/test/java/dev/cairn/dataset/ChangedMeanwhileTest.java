package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What another command changes while one runs: a rename while a sync makes the dataset's next
 * version (taking its parent by the dataset's name), which ends under the new name whichever of
 * the two gets where first; two renames; a delete.
 */
class ChangedMeanwhileTest {
  @TempDir Path tmp;
  private DatasetRepository repo;
  private Path folder;

  @BeforeEach
  void open() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    folder = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(folder.resolve("a.txt"), "first");
  }

  @AfterEach
  void close() throws IOException {
    DatasetRename.afterListing = () -> {};
    repo.close();
  }

  private Dataset.NewVersion sync(String name, Progress progress) throws IOException {
    return Dataset.syncNewVersion(repo, CreateOptions.of("p", name).build(), SyncOptions.of(folder), progress, "sync", List.of());
  }

  private List<String> datasetsNamed(String name) throws IOException {
    return repo.list(null, null, null).stream().filter(r -> r.name().equals(name)).map(DatasetRecord::version).sorted().toList();
  }

  /** Progress that renames {@code id}'s dataset to {@code newName} as the first step starts, and sets {@code done}. */
  private Progress renamingAtFirstStep(String id, String newName, AtomicBoolean done) {
    return new Progress() {
      @Override
      public void start(String task, long totalBytes) {
        if (done.compareAndSet(false, true)) {
          try {
            repo.get(id).rename(newName);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    };
  }

  /** The rename lands while the sync reads the folder, after it took its parent by the old name. */
  @Test
  void aRenameWhileTheFolderIsReadTakesTheNewVersionAlong() throws IOException {
    Dataset first = sync("pets", Progress.NONE).draft();
    first.close();
    Files.writeString(folder.resolve("b.txt"), "second");
    AtomicBoolean renamed = new AtomicBoolean();
    Progress renameOnce = renamingAtFirstStep(first.id(), "animals", renamed);
    Dataset next = sync("pets", renameOnce).draft();
    assertThat(renamed).isTrue();
    assertThat(next.record().name()).isEqualTo("animals");
    assertThat(next.record().version()).isEqualTo("1.0.1");
    assertThat(next.record().parents()).containsExactly(first.id());
    assertThat(datasetsNamed("pets")).as("nothing left under the old name").isEmpty();
    assertThat(datasetsNamed("animals")).containsExactly("1.0.0", "1.0.1");
    assertThat(repo.catalog().isReserved("p", "pets", "1.0.1")).as("the old string given back").isFalse();
  }

  /** The sync makes its version after the rename listed the versions and before it renamed them: the rename takes it too. */
  @Test
  void aVersionMadeWhileTheRenameRunsIsRenamedWithTheRest() throws IOException {
    Dataset first = sync("pets", Progress.NONE).draft();
    first.close();
    Files.writeString(folder.resolve("b.txt"), "second");
    Dataset[] made = new Dataset[1];
    DatasetRename.afterListing = () -> {
      DatasetRename.afterListing = () -> {};
      try {
        made[0] = sync("pets", Progress.NONE).draft();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    assertThat(repo.get(first.id()).rename("animals")).as("both versions").isEqualTo(2);
    assertThat(made[0]).isNotNull();
    DatasetRecord r = repo.get(made[0].id()).record();
    assertThat(r.name()).isEqualTo("animals");
    assertThat(r.version()).isEqualTo("1.0.1");
    assertThat(datasetsNamed("pets")).isEmpty();
    assertThat(r.log().get(r.log().size() - 1).renamedTo()).isEqualTo(List.of("p", "animals"));
  }

  /**
   * Two renames of one dataset at once: one renames every version, the other, run after it, finds
   * the dataset renamed and changes nothing (both said success before, one of them falsely, and
   * each could rename some of the versions).
   */
  @Test
  void twoRenamesOfOneDatasetRunOneAfterTheOther() throws Exception {
    Dataset first = sync("pets", Progress.NONE).draft();
    first.close();
    Files.writeString(folder.resolve("b.txt"), "second");
    sync("pets", Progress.NONE).draft().close();
    DatasetRecord asRead = repo.get(first.id()).record();
    java.util.concurrent.CountDownLatch listed = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch otherStarted = new java.util.concurrent.CountDownLatch(1);
    DatasetRename.afterListing = () -> {
      DatasetRename.afterListing = () -> {};
      listed.countDown();
      try {
        otherStarted.await(); // the other rename, with the record it read before this one changed it, is on its way
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Thread one = new Thread(() -> {
      try {
        repo.get(first.id()).rename("animals");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    one.start();
    listed.await();
    Throwable[] refused = new Throwable[1];
    Thread other = new Thread(() -> {
      otherStarted.countDown();
      try {
        DatasetRename.rename(repo, asRead, null, "beasts");
      } catch (IOException e) {
        refused[0] = e;
      }
    });
    other.start();
    one.join(60_000);
    other.join(60_000);
    assertThat(refused[0]).isInstanceOf(dev.cairn.errors.DatasetStateException.class)
        .hasMessage("Cannot rename p/pets: another command made it p/animals meanwhile; nothing changed");
    assertThat(datasetsNamed("animals")).containsExactly("1.0.0", "1.0.1");
    assertThat(datasetsNamed("beasts")).isEmpty();
  }

  /** A command that found a version another then deleted says it was deleted, not that there is no such id. */
  @Test
  void aVersionDeletedUnderACommandIsSaidToBeDeleted() throws IOException {
    Dataset first = sync("pets", Progress.NONE).draft();
    first.close();
    Dataset held = repo.get(first.id());
    repo.get(first.id()).delete(true);
    org.assertj.core.api.Assertions.assertThatThrownBy(held::record).isInstanceOf(dev.cairn.errors.DatasetNotFoundException.class)
        .hasMessage("Cannot find dataset version: version " + first.id() + " was deleted here");
  }

  /** A rename while a version is uploaded: the remote gets the record as it is when published, under the new name. */
  @Test
  void aRenameWhileAnUploadRunsReachesTheRemote() throws IOException {
    String remote = tmp.resolve("remote").toString();
    Dataset first = sync("pets", Progress.NONE).draft();
    first.close();
    AtomicBoolean renamed = new AtomicBoolean();
    Progress renameOnce = renamingAtFirstStep(first.id(), "animals", renamed);
    first.upload(remote, null, renameOnce);
    assertThat(renamed).isTrue();
    try (DatasetRepository other = DatasetRepository.open(tmp.resolve("other"), TestRepos.SMALL)) {
      assertThat(Dataset.get(other, first.id(), remote).record().name()).isEqualTo("animals");
    }
  }

  /** Without the dataset's name to go by (parents given), a version of a new dataset under the old name stays there. */
  @Test
  void aVersionMadeFromGivenParentsKeepsTheNameItWasGiven() throws IOException {
    Dataset first = sync("pets", Progress.NONE).draft();
    first.close();
    first.rename("animals");
    Files.writeString(folder.resolve("b.txt"), "second");
    Dataset again = Dataset.syncNewVersion(repo, CreateOptions.of("p", "pets").parents(first.id()).build(), SyncOptions.of(folder),
        Progress.NONE, "sync", List.of()).draft();
    assertThat(again.record().name()).isEqualTo("pets");
    assertThat(again.record().version()).isEqualTo("1.0.0");
  }
}
