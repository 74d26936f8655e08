package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rename (or move) stopped midway, as a kill leaves it, is finished by running it again: it
 * reserves every string under the new name before it renames a record, so the versions left under
 * the old name carry the mark of that rename.
 */
class RenameResumeTest {
  @TempDir Path tmp;
  private DatasetRepository repo;
  private final List<Dataset> versions = new ArrayList<>();

  @BeforeEach
  void fiveVersions() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    Path data = Files.createDirectories(tmp.resolve("data"));
    for (int i = 0; i < 5; i++) {
      Files.writeString(data.resolve("x.txt"), "version " + i);
      Dataset v = Dataset.create(repo, CreateOptions.of("p", "many").parents(versions.isEmpty() ? List.of()
          : List.of(versions.get(versions.size() - 1).id())).build());
      v.syncFolder(data);
      versions.add(v.close());
    }
  }

  @org.junit.jupiter.api.AfterEach
  void close() throws IOException {
    repo.close();
  }

  /** The state a rename to {@code newName} leaves when killed after it renamed {@code renamed} records. */
  private void stoppedRename(String newName, int renamed) throws IOException {
    for (Dataset v : versions) {
      repo.catalog().reserveVersion("p", newName, v.version(), v.id());
    }
    for (Dataset v : versions.subList(0, renamed)) {
      DatasetRecord r = repo.catalog().read(v.id());
      repo.catalog().write(renamed(r, newName));
      repo.catalog().releaseVersion("p", "many", r.version(), r.id());
    }
  }

  /** {@code r} as a rename to {@code newName} writes it: the new name, and the entry that says so. */
  private static DatasetRecord renamed(DatasetRecord r, String newName) {
    return r.toBuilder().name(newName).appendLog(new LogEntry(System.currentTimeMillis(), "rename", List.of("p", newName),
        ChangeSummary.EMPTY, 0)).build();
  }

  @Test
  void aRenameStoppedAfterSomeRecordsIsFinishedByRunningItAgain() throws IOException {
    stoppedRename("many2", 2);
    Dataset left = repo.get("p", "many", null);
    // The other direction is refused, and told what to run.
    assertThatThrownBy(() -> repo.get("p", "many2", null).rename("many")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot rename many2 to many: p/many holds 3 versions that a rename to p/many2 left when it was stopped midway;"
            + " finish it instead: cairn rename --project p --name many --new-name many2");

    // fsck says the rename was stopped, and what finishes it.
    assertThat(new dev.cairn.gc.Fsck(repo, Progress.NONE).check().problems()).extracting(dev.cairn.gc.Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith("3 versions (p/many").contains("a rename or move stopped midway (run again, it"
            + " finishes; fsck --repair releases those under a name no version has, which it had not reached)"));
    // The repair keeps those marks: two versions have the new name, and the rename is to finish.
    assertThat(new dev.cairn.gc.Repair(repo, Progress.NONE).run()).noneMatch(a -> a.contains("held under a name no version has"));
    assertThat(left.rename("many2")).isEqualTo(3);
    assertThat(new dev.cairn.gc.Fsck(repo, Progress.NONE).check().problems()).as("finished").isEmpty();
    assertThat(repo.list("p", null, List.of())).hasSize(5).allMatch(r -> r.name().equals("many2"));
    for (Dataset v : versions) {
      assertThat(repo.catalog().reservationHolder("p", "many2", v.version())).isEqualTo(v.id());
      assertThat(repo.catalog().reservationHolder("p", "many", v.version())).as("the old name's strings are free").isNull();
    }
  }

  /** A remote that cannot be used now (its folder not mounted: a file there) refuses the rename as out of reach, changing nothing. */
  @Test
  void aRenameWhoseRemoteIsOutOfReachSaysSoAndChangesNothing() throws IOException {
    Path remote = tmp.resolve("remote");
    versions.get(4).upload(remote.toString(), null, Progress.NONE);
    Files.move(remote, tmp.resolve("away"));
    Files.writeString(remote, "not mounted");
    assertThatThrownBy(() -> versions.get(4).rename("many2")).isInstanceOf(dev.cairn.errors.CairnException.class)
        .hasMessageStartingWith("Cannot rename many to many2: its versions are on ").hasMessageContaining("where the new name could not be checked")
        .hasMessageEndingWith("try again when it can be reached");
    assertThat(repo.list("p", null, List.of())).hasSize(5).allMatch(r -> r.name().equals("many"));
  }

  @Test
  void aRenameOfUploadedVersionsStoppedMidwayIsFinishedToo() throws IOException {
    String remote = tmp.resolve("remote").toString();
    for (Dataset v : versions) {
      v.upload(remote, null, Progress.NONE);
    }
    stoppedRename("many2", 2);
    // The remote still lists all five under the old name: the two renamed here are not missing.
    assertThat(repo.get("p", "many", null).rename("many2")).isEqualTo(3);
    assertThat(repo.list("p", null, List.of())).hasSize(5).allMatch(r -> r.name().equals("many2"));
  }

  @Test
  void aRenameStoppedBeforeAnyRecordIsFinishedByRunningItAgain() throws IOException {
    stoppedRename("many2", 0);
    assertThat(repo.get("p", "many", null).rename("many2")).isEqualTo(5);
    assertThat(repo.list("p", null, List.of())).allMatch(r -> r.name().equals("many2"));
  }

  /**
   * A rename killed before it renamed any version, then a rename to another name: the first one's
   * strings are left to no one, and the repair releases them (fsck told of them for good before).
   */
  @Test
  void stringsOfARenameStoppedBeforeAnyRecordAndNeverFinishedAreReleasedByTheRepair() throws IOException {
    stoppedRename("many2", 0);
    assertThat(repo.get("p", "many", null).rename("many3")).isEqualTo(5);
    assertThat(new dev.cairn.gc.Fsck(repo, Progress.NONE).check().problems()).isNotEmpty();
    assertThat(new dev.cairn.gc.Repair(repo, Progress.NONE).run()).filteredOn(a -> a.contains("held under a name no version has"))
        .hasSize(5);
    assertThat(new dev.cairn.gc.Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    assertThat(Dataset.create(repo, CreateOptions.of("p", "many2").build()).version()).isEqualTo("1.0.0");
  }

  @Test
  void aRecordRenamedWhoseOldStringWasNotYetGivenBackHasItGivenBack() throws IOException {
    stoppedRename("many2", 2);
    // Killed between the third record's write and the release of its old string.
    DatasetRecord third = repo.catalog().read(versions.get(2).id());
    repo.catalog().write(renamed(third, "many2"));
    repo.get("p", "many", null).rename("many2");
    assertThat(repo.catalog().reservationHolder("p", "many", third.version())).isNull();
  }

  @Test
  void aDatasetMadeUnderTheNewNameSinceARenameStoppedIsNotTakenForItsRest() throws IOException {
    stoppedRename("many2", 0); // stopped once it had reserved the new name's strings here
    Dataset other = Dataset.create(repo, CreateOptions.of("p", "many2").build());
    other.close();
    assertThatThrownBy(() -> versions.get(0).rename("many2")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot rename many to many2: p/many2 is another dataset (1 version); pick a name no dataset uses, or delete"
            + " that one first");
    assertThat(repo.get(other.id()).record().name()).isEqualTo("many2");
    assertThat(repo.list("p", null, List.of()).stream().filter(r -> r.name().equals("many"))).hasSize(5);
  }

  @Test
  void anotherDatasetOfTheNewNameIsStillRefused() throws IOException {
    Dataset other = Dataset.create(repo, CreateOptions.of("p", "many2").build());
    other.close();
    assertThatThrownBy(() -> versions.get(0).rename("many2")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot rename many to many2: p/many2 is another dataset (1 version); pick a name no dataset uses, or delete"
            + " that one first");
  }
}
