package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.errors.CairnException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the library says to people: counted nouns, states in sentences, errors that name what was wrong. */
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

  /** A closed version p/{@code name} holding one random file of {@code size} bytes, big.bin. */
  private Dataset closedVersionOfOneFile(String name, int size) throws IOException {
    Path src = Files.createDirectories(tmp.resolve(name));
    Files.write(src.resolve("big.bin"), TestRepos.random(size, size));
    Dataset v = Dataset.create(repo, CreateOptions.of("p", name).build());
    v.addFiles(AddOptions.of(src));
    return v.close();
  }

  /** What cannot be an id is refused as input, whichever lookup is given it, and says what is wrong with it. */
  @Test
  void whatCannotBeAnIdIsRefusedAsInput() {
    assertThatThrownBy(() -> Dataset.get(repo, "abc")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot find dataset version: 'abc' is not an id or an id prefix of at least 8 hex digits");
    assertThatThrownBy(() -> Dataset.get(repo, "abc", tmp.resolve("remote").toString())).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> repo.get("0".repeat(40))).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot find dataset version: '" + "0".repeat(40) + "' is longer than a version id, which has 32 hex digits");
  }

  /** A refusal's advice names the Java call in getMessage, and the flag in the command line's message. */
  @Test
  void adviceNamesTheApiToJavaCallersAndTheFlagToTheCommandLine() throws IOException {
    Dataset closed = closedVersionOfOneFile("advice", 100);
    DatasetStateException finalOne = (DatasetStateException) catchThrowable(() -> closed.removeFiles("big.bin"));
    assertThat(finalOne).hasMessageEndingWith("create a new version with it as a parent (CreateOptions.of(project, name).parents(\""
        + closed.record().shortId() + "\"))");
    assertThat(finalOne.commandLineMessage()).endsWith("create a new version with --parents " + closed.record().shortId())
        .startsWith("Cannot remove: version " + closed.id());
    Dataset draft = Dataset.create(repo, CreateOptions.of("p", "advice").parents(closed.id()).build());
    DatasetStateException draftCopy = (DatasetStateException) catchThrowable(draft::getLocalCopy);
    assertThat(draftCopy).hasMessage("Cannot get a cached copy of draft " + draft.id() + ": close it first, or get a writable copy"
        + " (getMutableLocalCopy)");
    assertThat(draftCopy.commandLineMessage()).isEqualTo("Cannot get a cached copy of draft " + draft.id() + ": close it first, or get"
        + " a writable copy with --copy");
    draft.close();
    DatasetStateException hasChild = (DatasetStateException) catchThrowable(() -> closed.delete(false));
    assertThat(hasChild).hasMessageEndingWith("); pass force = true to delete it anyway");
    assertThat(hasChild.commandLineMessage()).endsWith("); use --force to delete it anyway");
    // Without advice of that kind, both say the same.
    CairnException plain = (CairnException) catchThrowable(() -> Dataset.get(repo, "ffffffff"));
    assertThat(plain.commandLineMessage()).isEqualTo(plain.getMessage()).contains("ffffffff");
  }

  @Test
  void anExportIntoAFolderThatDoesNotExistIsRefusedAndMakesNoFolder() throws IOException {
    Dataset v = closedVersionOfOneFile("exported", 100);
    Path missing = tmp.resolve("no-such/dir/v.zip");
    assertThatThrownBy(() -> v.export(missing, false, Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot export to " + missing + ": " + missing.getParent() + " does not exist; create it first");
    assertThat(tmp.resolve("no-such")).doesNotExist();
    Files.writeString(tmp.resolve("afile"), "x");
    Path underAFile = tmp.resolve("afile/v.tar");
    assertThatThrownBy(() -> v.export(underAFile, true, Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot export to " + underAFile + ": " + tmp.resolve("afile") + " is not a folder");
    Files.createDirectories(tmp.resolve("made"));
    v.export(tmp.resolve("made/v.tar"), false, Progress.NONE);
    assertThat(tmp.resolve("made/v.tar")).isNotEmptyFile();
  }

  /** An upload cancelled by an interruption says so, as every interrupted operation does. */
  @Test
  void anInterruptedUploadIsSaidToBeOne() throws IOException {
    Dataset v = closedVersionOfOneFile("up", 300_000);
    try (dev.cairn.transport.Remote remote = repo.openRemote(tmp.resolve("remote").toString())) {
      Thread caller = Thread.currentThread();
      Progress cancelling = new Progress() { // cancelled once the data starts to go: mid-read of a pack
        @Override
        public void start(String task, long totalBytes) {
          caller.interrupt();
        }
      };
      try {
        assertThatThrownBy(() -> v.upload(remote, cancelling)).isInstanceOf(InterruptedIOException.class)
            .hasMessageStartingWith("interrupted");
      } finally {
        Thread.interrupted();
      }
      assertThat(v.upload(remote, Progress.NONE).objectsUploaded()).as("it completes once run again").isPositive();
    }
  }

  @Test
  void aVersionOfAnotherRepositoryIsNotComparedWith() throws IOException {
    Dataset here = closedVersionOfOneFile("here", 1000);
    try (DatasetRepository other = DatasetRepository.open(tmp.resolve("other"), TestRepos.SMALL);
        DatasetRepository sameFolder = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Path src = Files.createDirectories(tmp.resolve("other-src"));
      Files.write(src.resolve("x.bin"), TestRepos.random(9, 500));
      Dataset there = Dataset.create(other, CreateOptions.of("p", "there").build());
      there.addFiles(AddOptions.of(src));
      there.close();
      // Its objects are not here: the diff would read as missing data, or as every file added.
      assertThatThrownBy(() -> here.compare(there)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot compare " + here.id() + " with " + there.id() + ": it is a version of another repository");
      // Another handle on this very repository is this repository.
      assertThat(here.compare(sameFolder.get(here.id()))).isEmpty();
      assertThatThrownBy(() -> Dataset.list(null, null, null, List.of())).isInstanceOf(NullPointerException.class)
          .hasMessage("repo must not be null");
    }
  }

  @Test
  void aChildWithoutAProjectTakesItsLastParentsAsClearmlInfersIt() throws IOException {
    Dataset parent = closedVersionOfOneFile("parent", 1000); // in project p
    Dataset child = Dataset.create(repo, CreateOptions.of(null, "child").parents(parent.id().substring(0, 8)).build());
    assertThat(child.project()).isEqualTo("p");
    assertThat(Dataset.create(repo, CreateOptions.of("", "none").parents(parent.id()).build()).project()).as("none, asked for").isEmpty();
    assertThat(Dataset.create(repo, CreateOptions.of(null, "orphan").build()).project()).isEmpty();
    assertThat(Dataset.create(repo, CreateOptions.of("q", "other").parents(parent.id()).build()).project()).isEqualTo("q");
  }

  @Test
  void addOptionsWithoutSourcesSayWhatIsMissing() {
    assertThatThrownBy(() -> new AddOptions(null, List.of(), "", true, false)).isInstanceOf(NullPointerException.class)
        .hasMessage("sources must not be null: give the files or folders to add");
    assertThatThrownBy(() -> new AddOptions(Arrays.asList(tmp, null), List.of(), "", true, false))
        .hasMessage("a source must not be null: give the files or folders to add");
  }

  /** A cache limit that is not a size is refused naming the key, never taken as no limit. */
  @Test
  void aCacheLimitThatIsNotASizeIsRefusedNamingTheKey() throws IOException {
    Path dir = tmp.resolve("limits");
    DatasetRepository.open(dir, TestRepos.SMALL).close();
    String good = Files.readString(dir.resolve("config"));
    for (String bad : List.of("lots", "-5", "99999999999T")) {
      Files.writeString(dir.resolve("config"), good + "cache.maxSize = " + bad + "\n");
      assertThatThrownBy(() -> DatasetRepository.open(dir, TestRepos.SMALL)).as(bad).isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
          .hasMessage("Cannot read config: cache.maxSize = " + bad + " is not a size (bytes, or a number with K, M, G or T)");
    }
    Files.writeString(dir.resolve("config"), good + "cache.maxSize = 20G\n");
    DatasetRepository.open(dir, TestRepos.SMALL).close();
  }

  /** A phase a failure ends still finishes: a caller's progress bar is never left open. */
  @Test
  void progressIsFinishedWhenAnExportOrUploadFails() throws IOException {
    Dataset v = closedVersionOfOneFile("prog", 400_000);
    Path biggest = null;
    for (Path p : repo.repository().packs().packFiles()) {
      if (biggest == null || Files.size(p) > Files.size(biggest)) {
        biggest = p;
      }
    }
    byte[] b = Files.readAllBytes(biggest);
    b[b.length / 2] ^= 0x55; // inside a block of the file's data
    Files.write(biggest, b);
    int[] startFinish = new int[2];
    Progress counting = new Progress() {
      @Override
      public void start(String task, long totalBytes) {
        startFinish[0]++;
      }

      @Override
      public void finish() {
        startFinish[1]++;
      }
    };
    assertThatThrownBy(() -> v.export(tmp.resolve("out.tar"), counting)).isInstanceOf(IOException.class);
    assertThat(startFinish[0]).as("export started").isPositive();
    assertThat(startFinish[1]).as("every phase started is finished").isEqualTo(startFinish[0]);
    startFinish[0] = 0;
    startFinish[1] = 0;
    assertThatThrownBy(() -> v.upload(tmp.resolve("remote").toString(), null, counting)).isInstanceOf(IOException.class);
    assertThat(startFinish[0]).as("upload started").isPositive();
    assertThat(startFinish[1]).as("every phase started is finished").isEqualTo(startFinish[0]);
  }

  /** A version whose children cannot all be read is not deleted without --force: one may be its child. */
  @Test
  void aDeleteIsRefusedWhileARecordThatMayNameItAsParentCannotBeRead() throws IOException {
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "d").build()).close();
    Dataset child = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build()).close();
    Files.writeString(tmp.resolve("repo/refs/datasets/" + child.id() + ".json"), "{\"truncated");
    assertThatThrownBy(() -> v1.delete(false)).isInstanceOf(DatasetStateException.class)
        .hasMessage("Cannot delete " + v1.id() + ": the record of version " + child.id() + " here cannot be read, so whether it has "
            + v1.id() + " as a parent is unknown; recover it with cairn fsck --repair, or pass force = true to delete it anyway")
        .extracting(e -> ((DatasetStateException) e).commandLineMessage()).asString()
        .endsWith("recover it with cairn fsck --repair, or use --force to delete it anyway");
    assertThat(repo.catalog().exists(v1.id())).isTrue();
    new dev.cairn.gc.Repair(repo, Progress.NONE).run();
    assertThatThrownBy(() -> v1.delete(false)).hasMessageContaining("1 version uses it as a parent");
    Dataset second = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build()).close();
    assertThatThrownBy(() -> v1.delete(false)).hasMessageContaining("2 versions use it as a parent (")
        .hasMessageContaining(child.id()).hasMessageContaining(second.id()).hasMessageNotContaining("...");
  }

  /** "The newest" is refused while a higher version's record cannot be read: an older one is not it. */
  @Test
  void theNewestVersionIsNotGuessedPastAnUnreadableRecord() throws IOException {
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "n").build()).close();
    Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "n").parents(v1.id()).build()).close();
    Path record = tmp.resolve("repo/refs/datasets/" + v2.id() + ".json");
    String good = Files.readString(record);
    Files.writeString(record, "{\"truncated");
    assertThatThrownBy(() -> Dataset.get(repo, "p", "n", null, true)).isInstanceOf(dev.cairn.errors.CairnException.class)
        .hasMessage("Cannot tell which version of p/n is the newest here: the record of version " + v2.id() + ", which holds version"
            + " 1.0.1, cannot be read (damaged, or written by a newer Cairn); give the version (or the id) wanted, or recover the"
            + " record with cairn fsck --repair");
    assertThat(Dataset.get(repo, "p", "n", "1.0.0", true).id()).isEqualTo(v1.id());
    // An older version's damaged record does not stand in the way of the newest.
    Files.writeString(record, good);
    Files.writeString(tmp.resolve("repo/refs/datasets/" + v1.id() + ".json"), "{\"truncated");
    assertThat(Dataset.get(repo, "p", "n", null, true).id()).isEqualTo(v2.id());
  }

  @Test
  void aVersionWhoseDataIsNotHereIsNotSquashedIntoADamagedOne() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.write(src.resolve("big.bin"), TestRepos.random(7, 300_000));
    Dataset v = Dataset.create(repo, CreateOptions.of("p", "d").build());
    v.syncFolder(src);
    v.close();
    for (Path p : repo.repository().packs().packFiles()) {
      if (Files.size(p) > 100_000) { // the file's chunks, apart from the small manifest and version packs
        Files.delete(p);
      }
    }
    repo.repository().rebuildIndex();
    assertThatThrownBy(() -> Dataset.squash(repo, "p", "flat", List.of(v.id()))).isInstanceOf(dev.cairn.errors.MissingObjectException.class)
        .hasMessageStartingWith("Cannot read 'big.bin' of version " + v.id() + ", so it cannot be squashed: object is missing (");
    assertThat(repo.catalog().all()).extracting(DatasetRecord::id).containsExactly(v.id());
  }

  @Test
  void aNameThatNoDatasetPathCanHoldIsRefusedWithWhatToDo() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("odd"));
    Path newline = Files.writeString(src.resolve("a\nb.csv"), "x");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "odd").build());
    assertThatThrownBy(() -> ds.syncFolder(src)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot sync " + src + "/a\\x0ab.csv: a control character in its name, which a dataset path cannot hold;"
            + " rename it, or move it out of the folder");
    Files.delete(newline);
    Files.writeString(src.resolve("a\\b.csv"), "x");
    assertThatThrownBy(() -> ds.syncFolder(src)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(": a backslash in its name, which");
    assertThat(ds.listFiles()).isEmpty();
  }

  @Test
  void aProcFileThatSaysItIsEmptyIsRefusedForWhatItIs() throws IOException {
    Path proc = Path.of("/proc/self/status");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(proc) && Files.size(proc) == 0, "a Linux /proc");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "proc").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(proc))).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot add " + proc + ": its size says empty but it holds data (a /proc or /sys file?); copy it to a regular file first");
    assertThat(ds.listFiles()).isEmpty();
  }

  @Test
  void aLockFileWithOneAliasTwiceIsRefusedWhole() {
    String use = "{\"alias\": \"train\", \"id\": \"" + "a".repeat(32) + "\", \"root\": \"" + "b".repeat(64) + "\"}";
    assertThatThrownBy(() -> Usage.parseLockFile("{\"cairn_lock\": 1, \"run\": \"r\", \"datasets\": [" + use + ", " + use + "]}", "x.lock"))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot read lock file x.lock: alias 'train' is given twice");
    assertThat(catchThrowable(() -> Usage.parseLockFile("{\"cairn_lock\": 1, \"run\": \"r\", \"datasets\": [" + use + "]}", "x.lock")))
        .isNull();
  }

  @Test
  void aLockFileIdThatIsNoVersionIdIsRefused() {
    for (String id : new String[] {"zz", "", "a".repeat(31), "A".repeat(32), "g".repeat(32)}) {
      String use = "{\"alias\": \"train\", \"id\": \"" + id + "\", \"root\": \"" + "b".repeat(64) + "\"}";
      assertThatThrownBy(() -> Usage.parseLockFile("{\"cairn_lock\": 1, \"run\": \"r\", \"datasets\": [" + use + "]}", "x.lock"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("Cannot read lock file x.lock: id '" + id + "' of alias 'train' is not a version id (32 hex digits, lower case)");
    }
  }

  @Test
  void aVeryLongNameIsNotEchoedWhole() {
    String name = "n".repeat(5000);
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", name).build())).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot use name '" + "n".repeat(60) + "... (5000 characters)': at most 255 characters, no control characters");
  }

  @Test
  void nullWildcardsAndTheUnnamedProjectAreNamedInMessages() {
    assertThatThrownBy(() -> AddOptions.of(tmp).wildcard((String) null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("a wildcard must not be null");
    assertThatThrownBy(() -> Dataset.get(repo, "", "d", null)).isInstanceOf(dev.cairn.errors.DatasetNotFoundException.class)
        .hasMessage("Cannot find dataset version: no dataset d without a project here");
  }

  @Test
  void aRepositoryWhoseConfigIsLostIsNotMadeAgainOverItsData() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "kept").build());
    ds.addFiles(AddOptions.of(src));
    ds.close();
    repo.close();
    Path dir = tmp.resolve("repo");
    Files.delete(dir.resolve("config"));
    // Opened with other settings it would hash new data differently (here, smaller chunks): refused.
    for (org.assertj.core.api.ThrowableAssert.ThrowingCallable open : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
        () -> DatasetRepository.open(dir, TestRepos.SMALL).close(), () -> DatasetRepository.openExisting(dir).close())) {
      assertThatThrownBy(open).isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
          .hasMessage("Cannot open the repository at " + dir + ": its config file is missing, but it holds packs; put the file back"
              + " (its settings are in spec/repository.md, \"Config file\"): a new one might not match its data");
    }
    assertThat(dir.resolve("config")).doesNotExist();
    // A creation stopped before its config left empty folders only: the next open makes it.
    Path interrupted = tmp.resolve("interrupted");
    for (String sub : List.of("packs", "index", "refs", "tmp")) {
      Files.createDirectories(interrupted.resolve(sub));
    }
    Files.writeString(interrupted.resolve("tmp/.config-left.tmp"), "half");
    DatasetRepository.open(interrupted).close();
    assertThat(interrupted.resolve("config")).isRegularFile();
    repo = DatasetRepository.open(interrupted);
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
  void addingNothingIsRefused() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "nothing").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of())).isInstanceOf(dev.cairn.errors.InvalidInputException.class)
        .hasMessageContaining("no file or folder given");
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

  Dataset closedWithOneFile(String name) throws IOException {
    Path src = tmp.resolve(name);
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", name).build());
    ds.addFiles(AddOptions.of(src));
    return ds.close();
  }

  @Test
  void tagsAreAddedOnceAndOnlyCarriedTagsAreRemoved() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "tagged").tags("raw").build());
    ds.addTags(List.of("gold", "raw", "v2"));
    assertThat(ds.tags()).containsExactly("raw", "gold", "v2");
    assertThatThrownBy(() -> ds.removeTags(List.of("v2", "silver")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot remove tag 'silver': version " + ds.id() + " does not carry it (its tags: raw, gold, v2)");
    assertThat(ds.tags()).as("nothing removed").containsExactly("raw", "gold", "v2");
    ds.removeTags(List.of("raw", "v2"));
    assertThat(ds.tags()).containsExactly("gold");
    assertThat(ds.record().log()).extracting(LogEntry::command).contains("tags");
    // One change: a refused removal adds nothing either.
    assertThatThrownBy(() -> ds.editTags(List.of("x"), List.of("absent"))).isInstanceOf(InvalidInputException.class);
    assertThat(ds.tags()).containsExactly("gold");
    ds.editTags(List.of("x"), List.of("gold"));
    assertThat(ds.tags()).containsExactly("x");
    assertThatThrownBy(() -> ds.addTags(List.of("a,b"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("commas");
    assertThatThrownBy(() -> ds.addTags(List.of(" gold "))).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot use tag ' gold ': it begins or ends with spaces");
    assertThatThrownBy(() -> ds.addTags(List.of("   "))).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot use tag '   ': it is only spaces");
    // A tag search --tags could never find: read there as an exclusion or an operator.
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "n").tags("-neg").build()))
        .hasMessage("Cannot use tag '-neg': a tag beginning with '-' could never be searched for (search --tags reads -t as"
            + " 'not tagged t', and __$all, __$not, ... as operators)");
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "n").tags("__$all").build()))
        .hasMessageStartingWith("Cannot use tag '__$all': a tag beginning with '__$' could never be searched for");
    assertThat(Dataset.create(repo, CreateOptions.of("p", "twice").tags("a", "b", "a").build()).tags()).containsExactly("a", "b");
  }

  @Test
  void aClosedRepositoryRefusesEveryUseOfItsVersions() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "after-close").build());
    repo.close();
    String closed = "Cannot use the repository at " + tmp.resolve("repo") + ": it was closed";
    for (org.assertj.core.api.ThrowableAssert.ThrowingCallable use : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
        ds::record, ds::tags, ds::listFiles, ds::getLocalCopy, ds::close, () -> ds.setDescription("x"),
        () -> Dataset.list(repo, null, null, List.of()), () -> Dataset.get(repo, ds.id()), repo::projects)) {
      assertThatThrownBy(use).isInstanceOf(IllegalStateException.class).hasMessage(closed);
    }
    assertThat(ds.id()).as("what the handle holds stays readable").hasSize(32);
  }

  @Test
  void aWildcardThatMatchesNoFileIsRefusedAndAddsNothing() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "nomatch").build());
    Path src = Files.createDirectories(tmp.resolve("nomatch"));
    Files.writeString(src.resolve("a.txt"), "a");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).wildcard("*.jpg", "*.png")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot add: no file of " + src + " matches any of the wildcards '*.jpg' '*.png'; nothing was added");
    assertThat(ds.listFiles()).isEmpty();
    assertThat(ds.addFiles(AddOptions.of(src).wildcard("*.jpg", "*.txt")).summary().added()).isEqualTo(1);
  }

  @Test
  void malformedPatternsAreInvalidInput() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "globs").build());
    Path src = Files.createDirectories(tmp.resolve("globs"));
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).wildcard("[")))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot use wildcard '[': unclosed '['");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).wildcard("{a,b")))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot use wildcard '{a,b': unclosed '{'");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).wildcard("[z-a]")))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("Cannot use wildcard '[z-a]': ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> ds.listFiles(List.of("a[")))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot use filter 'a[': unclosed '['");
    assertThatThrownBy(() -> ds.removeFiles("a*["))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot use pattern 'a*[': unclosed '['");
    assertThatThrownBy(() -> Glob.of("[")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use pattern '[': unclosed '['");
  }

  @Test
  void nullArgumentsAreNamed() throws IOException {
    assertThatThrownBy(() -> CreateOptions.of("p", "n").tags("a", null).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("tags");
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "v");
    assertThatThrownBy(() -> CreateOptions.of("p", "n").metadata(nullKey).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("metadata keys");
    Dataset ds = closedWithOneFile("nulls");
    assertThatThrownBy(() -> ds.compare(null)).isInstanceOf(NullPointerException.class).hasMessageStartingWith("source must not be null");
    assertThatThrownBy(() -> ds.getLocalCopy(null, null)).isInstanceOf(NullPointerException.class).hasMessageStartingWith("selection must");
    assertThatThrownBy(() -> ds.linkLocalCopy(null, false, Selection.ALL, null)).hasMessageStartingWith("link must not be null");
    assertThatThrownBy(() -> ds.addFiles(null, null, null, true)).hasMessageStartingWith("path must not be null");
    assertThatThrownBy(() -> DatasetRepository.open(null)).isInstanceOf(NullPointerException.class).hasMessageStartingWith("dir must");
    assertThatThrownBy(() -> ds.listFiles(null)).isInstanceOf(NullPointerException.class).hasMessageStartingWith("globs must not be null");
    assertThatThrownBy(() -> ds.listFiles(Arrays.asList("a.txt", null)))
        .isInstanceOf(NullPointerException.class).hasMessageStartingWith("globs must not contain null");
    assertThatThrownBy(() -> Dataset.squash(repo, "p", "flat", null))
        .isInstanceOf(NullPointerException.class).hasMessageStartingWith("ids must not be null");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(null, false))
        .isInstanceOf(NullPointerException.class).hasMessageStartingWith("target must not be null");
    // A null progress is none, in every method that takes one.
    assertThat(ds.getLocalCopy(Selection.ALL, null)).isDirectory();
    ds.export(tmp.resolve("nulls.tar"), null);
    assertThat(tmp.resolve("nulls.tar")).isRegularFile();
  }

  @Test
  void namesAndMetadataKeysAreCheckedAlikeEverywhere() throws IOException {
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", " m4").build())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("begins or ends with spaces");
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("   ", "n").build())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("only spaces");
    for (String project : new String[] {"..", "a/./b", "a/.."}) {
      assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of(project, "n").build())).isInstanceOf(InvalidInputException.class)
          .hasMessage("Cannot use project '" + project + "': a part of a project is not '.' or '..'");
    }
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "..").build())).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot use name '..': a name is not '.' or '..'");
    // A dataset an older release put in such a project can still be renamed, and moved out of it.
    Dataset old = Dataset.create(repo, CreateOptions.of("p", "old").build());
    repo.catalog().write(old.record().toBuilder().project("a/..").build());
    assertThat(repo.get(old.id()).rename("renamed")).isEqualTo(1);
    assertThat(repo.get(old.id()).moveToProject("a")).isEqualTo(1);
    assertThatThrownBy(() -> repo.get(old.id()).moveToProject("a/.")).isInstanceOf(InvalidInputException.class);
    repo.get(old.id()).delete(true);
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "n").metadata(Map.of("", "v")).build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty metadata key");
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "n").metadata(Map.of("a\u0001", "v")).build()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no control characters");
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "n").metadata(Map.of("a=b", "v")).build()))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot use metadata key 'a=b': keys hold no '=' (key=value pairs are written with it)");
    // A project is a path without empty parts; a name is one part.
    for (String project : List.of("p/", "/p", "x//y")) {
      assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of(project, "n").build())).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("without empty parts");
    }
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "a/b").build())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a dataset's name holds no '/'");
    assertThat(repo.list(null, null, null)).as("nothing made").isEmpty();
    Dataset ok = Dataset.create(repo, CreateOptions.of("a/b", "n").build());
    assertThatThrownBy(() -> ok.rename("c/d")).isInstanceOf(InvalidInputException.class).hasMessageContaining("no '/'");
    assertThatThrownBy(() -> ok.moveToProject("x//y")).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty parts");
  }

  @Test
  void twoHandlesOfOneVersionAreEqual() throws IOException {
    Dataset ds = closedWithOneFile("equal");
    assertThat(repo.get(ds.id())).isEqualTo(ds).hasSameHashCodeAs(ds);
    assertThat(new HashSet<>(List.of(repo.get(ds.id()), repo.get(ds.id().substring(0, 8))))).hasSize(1);
    assertThat(closedWithOneFile("other")).isNotEqualTo(ds);
  }

  @Test
  void aNullMetadataValueAtCreateLeavesTheKeyOutAsSetMetadataRemovesIt() throws IOException {
    Map<String, String> m = new HashMap<>();
    m.put("split", "train");
    m.put("gone", null);
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "meta").metadata(m).build());
    assertThat(ds.metadata()).containsExactly(Map.entry("split", "train"));
    ds.setMetadata(m);
    assertThat(ds.metadata()).containsExactly(Map.entry("split", "train"));
  }

  /** Java does not expand "~": an example that opens Path.of("~/...") makes a folder named "~". */
  @Test
  void examplesInTheSourcesNeverOpenATildePath() throws IOException {
    Path sources = Path.of("src/main/java");
    assertThat(sources).isDirectory();
    try (var files = Files.walk(sources)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain("Path.of(\"~").doesNotContain("Paths.get(\"~");
      }
    }
  }

  @Test
  void theNewestVersionStringHeldTwiceNamesNeither() throws IOException {
    Dataset here = closedWithOneFile("twice");
    // A record taken from a remote whose version string a version here holds (a refresh clash).
    DatasetRecord taken = here.record().toBuilder().id(Catalog.newId()).build();
    repo.importRecord(taken);
    assertThatThrownBy(() -> Dataset.get(repo, "p", "twice", null)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot tell which version is the newest: p/twice version 1.0.0 is held by " + java.util.stream.Stream.of(here.id(),
            taken.id()).map(i -> i.substring(0, 8)).sorted().collect(java.util.stream.Collectors.joining(" and "))
            + "; get one by its id (Dataset.get(repo, id)), or give one of them another version string (Dataset.setVersion)")
        .extracting(e -> ((CairnException) e).commandLineMessage()).asString()
        .endsWith("; give --id (or one of them another version string: cairn set-version)");
  }

  /**
   * A draft holding the string of a closed version taken from a remote (made apart) is no rival
   * of it when only closed versions are asked for: the closed one is the newest.
   */
  @Test
  void theNewestClosedVersionIsNotRefusedForADraftOfTheSameString() throws IOException {
    Dataset closed = closedWithOneFile("apart");
    Dataset draft = Dataset.create(repo, CreateOptions.of("p", "apart").parents(closed.id()).build());
    DatasetRecord taken = closed.record().toBuilder().id(Catalog.newId()).version(draft.record().version()).build();
    repo.importRecord(taken);
    assertThat(Dataset.get(repo, "p", "apart", null, true).id()).isEqualTo(taken.id());
    assertThat(Dataset.get(repo, "p", "apart", draft.record().version(), true).id()).isEqualTo(taken.id());
    assertThatThrownBy(() -> Dataset.get(repo, "p", "apart", null)).as("drafts too: two hold it")
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("is held by");
  }

  @Test
  void searchNamesTheRecordsItCannotRead() throws IOException {
    Dataset kept = closedWithOneFile("kept");
    Dataset broken = Dataset.create(repo, CreateOptions.of("p", "broken").build());
    Files.writeString(tmp.resolve("repo/refs/datasets/" + broken.id() + ".json"), "{broken");
    VersionListing l = repo.search("p", "kept", null);
    assertThat(l.records()).extracting(DatasetRecord::id).containsExactly(kept.id());
    assertThat(l.unreadable()).containsExactly(broken.id());
    assertThat(repo.list(null, null, null)).extracting(DatasetRecord::id).containsExactly(kept.id());
  }
}
