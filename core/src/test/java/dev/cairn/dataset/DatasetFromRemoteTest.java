package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.testing.TestRepos;
import dev.cairn.manifest.FileEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API's counterpart of clearml's {@code Dataset.get(...).get_local_copy()}: a version known
 * only from a remote is found there, and its data is fetched when a copy is asked for, once.
 */
class DatasetFromRemoteTest {
  @TempDir Path tmp;
  Path remote;
  Path src;
  String id;

  @BeforeEach
  void uploadAVersion() throws IOException {
    remote = tmp.resolve("remote");
    src = tmp.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Files.write(src.resolve("big.bin"), TestRepos.random(1, 600_000));
    Files.write(src.resolve("sub/small.bin"), TestRepos.random(2, 900));
    Files.writeString(src.resolve("a.txt"), "alpha\n");
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "n").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      v.upload(remote.toString(), null, Progress.NONE);
      id = v.id();
    }
  }

  @Test
  void aMergeOfVersionsFetchedFromARemoteFetchesTheManifestOfTheirBase() throws IOException {
    String left;
    String right;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      // Two branches of two versions each off the uploaded one, their base: on the left a.txt edited
      // and sub/small.bin deleted, then l.txt added; on the right new.txt, then r.txt added.
      String l1 = child(a, id, Map.of("a.txt", "alpha, edited\n"), "sub/small.bin");
      left = child(a, l1, Map.of("l.txt", "l\n"));
      String r1 = child(a, id, Map.of("new.txt", "new\n"));
      right = child(a, r1, Map.of("r.txt", "r\n"));
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"))) {
      // The ancestors' records come; the base's manifest does not (each version's base is its parent's).
      b.fetch(left, Selection.ALL, remote.toString(), null, Progress.NONE);
      b.fetch(right, Selection.ALL, remote.toString(), null, Progress.NONE);
      assertThat(b.repository().objects().has(b.catalog().read(id).root())).as("the base's manifest, before the merge").isFalse();
      Dataset m = Dataset.create(b, CreateOptions.of("p", "n").parents(left, right).build()).close();
      assertThat(m.record().conflicts()).isEmpty();
      assertThat(m.listFiles()).extracting(FileEntry::path).containsExactly("a.txt", "big.bin", "l.txt", "new.txt", "r.txt");
      assertThat(Files.readString(m.getLocalCopy().resolve("a.txt"))).isEqualTo("alpha, edited\n");
    }
  }

  /** A child of {@code parent} in {@code repo} with {@code files} added and {@code removed} removed, closed and uploaded; its id. */
  private String child(DatasetRepository repo, String parent, Map<String, String> files, String... removed) throws IOException {
    Dataset c = Dataset.create(repo, CreateOptions.of("p", "n").parents(parent).build());
    Path dir = Files.createDirectories(tmp.resolve("child-" + System.nanoTime()));
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    c.addFiles(AddOptions.of(dir));
    for (String r : removed) {
      c.removeFiles(r);
    }
    c.close();
    c.upload(remote.toString(), null, Progress.NONE);
    return c.id();
  }

  /**
   * A parent deleted here stays deleted when a get of its child fetches what the child lacks from
   * the child's remote: the fetch brought the parent's record back, unsaid.
   */
  @Test
  void aParentDeletedHereIsNotBroughtBackByTheFetchOfItsChild() throws IOException {
    String childId;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      childId = uploadChild(a);
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      b.fetch(childId, new Selection(0, 1, List.of(Glob.of("sub/**"))), remote.toString(), null, Progress.NONE);
      assertThat(b.catalog().exists(id)).as("the parent's record came with the child").isTrue();
      b.get(id).delete(true);
      Path got = b.get(childId).getLocalCopy(); // the rest comes from the child's remote
      assertThat(got.resolve("big.bin")).exists();
      assertThat(b.catalog().exists(id)).as("deleted here, it stays deleted").isFalse();
      assertThat(b.search("p", "n", null).records()).extracting(DatasetRecord::id).containsExactly(childId);
    }
  }

  /** Version 1.0.1 of p/n, made in {@code repo} from the uploaded one without a.txt, and uploaded; its id. */
  private String uploadChild(DatasetRepository repo) throws IOException {
    Dataset child = Dataset.create(repo, CreateOptions.of("p", "n").parents(id).build());
    child.removeFiles("a.txt");
    child.close();
    child.upload(remote.toString(), null, Progress.NONE);
    return child.id();
  }

  /** The ids of a closed version of p/{@code name} holding the source files, and of its closed child without a.txt. */
  private String[] parentAndChild(DatasetRepository repo, String name) throws IOException {
    Dataset p = Dataset.create(repo, CreateOptions.of("p", name).build());
    p.addFiles(AddOptions.of(src));
    p.close();
    Dataset c = Dataset.create(repo, CreateOptions.of("p", name).parents(p.id()).build());
    c.removeFiles("a.txt");
    c.close();
    return new String[] {p.id(), c.id()};
  }

  /** A delete is this repository's: what it returns names the remote that still holds the version. */
  @Test
  void aDeletionNamesTheRemoteThatKeepsTheVersion() throws IOException {
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      String[] ids = parentAndChild(a, "kept");
      Dataset.get(a, ids[1]).upload(remote.toString(), null, Progress.NONE);
      Path copy = tmp.resolve("copy");
      Dataset.get(a, ids[1]).upload(copy.toString(), null, Progress.NONE);
      Dataset.Deletion child = Dataset.get(a, ids[1]).delete(false);
      assertThat(child.id()).isEqualTo(ids[1]);
      assertThat(child.stillOn()).as("its own remote first, then the copy").map(u -> Path.of(java.net.URI.create(u)))
          .containsExactly(remote, copy);
      Dataset local = Dataset.create(a, CreateOptions.of("p", "kept").parents(ids[0]).build()).close();
      assertThatThrownBy(() -> Dataset.deleteDataset(a, "p", "kept", false)).isInstanceOf(dev.cairn.errors.DatasetStateException.class)
          .hasMessage("Cannot delete every version of p/kept (2 versions) without force: pass force = true to delete them all");
      assertThat(a.list("p", "kept", null)).hasSize(2);
      List<Dataset.Deletion> rest = Dataset.deleteDataset(a, "p", "kept", true);
      assertThatThrownBy(rest::clear).isInstanceOf(UnsupportedOperationException.class);
      assertThat(rest).extracting(Dataset.Deletion::id).containsExactly(local.id(), ids[0]);
      assertThat(rest.get(0).stillOn()).as("never uploaded").isEmpty();
      assertThat(rest.get(1).stillOn()).as("uploaded with its child").map(u -> Path.of(java.net.URI.create(u))).containsExactly(remote);
    }
  }

  @Test
  void anAncestorUploadedWithItsChildTakesThatRemoteAsItsOwn() throws IOException {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    String parent;
    String child;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      String[] ids = parentAndChild(a, "local");
      parent = ids[0];
      child = ids[1];
      Dataset p = Dataset.get(a, parent);
      Dataset c = Dataset.get(a, child);
      c.upload(first.toString(), null, Progress.NONE);
      String firstUri = dev.cairn.storage.Storages.parse(first.toString()).toString();
      assertThat(p.record().storage()).isEqualTo(firstUri);
      assertThat(p.isUploadedTo(first.toString())).isTrue();
      assertThat(c.upload(first.toString(), null, Progress.NONE).upToDate()).as("the records here and there agree").isTrue();
      // An upload elsewhere later makes a copy there: the first stays its own.
      p.upload(second.toString(), null, Progress.NONE);
      assertThat(p.record().storage()).isEqualTo(firstUri);
      assertThat(p.isUploadedTo(second.toString())).isTrue();
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      // One created for a remote keeps it (and its version string there) when a child takes it elsewhere.
      Path third = tmp.resolve("third");
      Dataset madeFor = Dataset.create(a, CreateOptions.of("p", "made-for").storage(third.toString()).build());
      madeFor.close();
      Dataset c = Dataset.create(a, CreateOptions.of("p", "made-for").parents(madeFor.id()).build());
      c.close();
      c.upload(second.toString(), null, Progress.NONE);
      assertThat(madeFor.record().storage()).isEqualTo(dev.cairn.storage.Storages.parse(third.toString()).toString());
      assertThat(madeFor.isUploadedTo(second.toString())).isFalse();
      madeFor.upload(third.toString(), null, Progress.NONE);
      assertThat(madeFor.isUploadedTo(third.toString())).isTrue();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      // The remote's record of the parent says it was uploaded there, as the one here does.
      assertThat(Dataset.get(b, parent, first.toString()).isUploadedTo(first.toString())).isTrue();
      assertThat(Dataset.get(b, child, first.toString()).getLocalCopy().resolve("big.bin")).exists();
    }
  }

  @Test
  void anAncestorAlreadyOnTheRemoteTakesItAsItsOwnHereToo() throws IOException {
    Path r = tmp.resolve("siblings");
    String parent;
    String first;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a2"), TestRepos.SMALL)) {
      String[] ids = parentAndChild(a, "sib");
      parent = ids[0];
      first = ids[1];
    }
    // Another machine's copy of the same history (as a repository copied before either upload).
    Path copy = tmp.resolve("d2");
    try (Stream<Path> all = Files.walk(tmp.resolve("a2"))) {
      for (Path f : all.toList()) {
        Path to = copy.resolve(tmp.resolve("a2").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a2"), TestRepos.SMALL)) {
      Dataset.get(a, first).upload(r.toString(), null, Progress.NONE); // the parent goes along
    }
    try (DatasetRepository d = DatasetRepository.open(copy, TestRepos.SMALL)) {
      Dataset sibling = Dataset.create(d, CreateOptions.of("p", "sib").parents(parent).version("2.0.0").build());
      sibling.removeFiles("sub/small.bin");
      sibling.close();
      sibling.upload(r.toString(), null, Progress.NONE);
      Dataset p = Dataset.get(d, parent);
      assertThat(p.record().storage()).isEqualTo(dev.cairn.storage.Storages.parse(r.toString()).toString());
      assertThat(p.isUploadedTo(r.toString())).isTrue();
      // So it keeps the string it has there, as one this repository sent.
      assertThatThrownBy(() -> p.setVersion("0.5.0")).hasMessageContaining("where that string is reserved for it");
    }
  }

  @Test
  void theNewestVersionOnARemoteIsNotGuessedPastADamagedRecord() throws IOException {
    String newer;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      newer = uploadChild(a);
      Dataset other = Dataset.create(a, CreateOptions.of("q", "other").parents(id).build());
      other.close();
      other.upload(remote.toString(), null, Progress.NONE);
    }
    Path record;
    try (Stream<Path> s = Files.list(remote.resolve("versions").resolve(newer))) {
      record = s.max(Comparator.naturalOrder()).orElseThrow();
    }
    Files.write(record, new byte[] {'{'});
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      assertThatThrownBy(() -> Dataset.get(b, "p", "n", null, remote.toString())).isInstanceOf(dev.cairn.errors.CairnException.class)
          .hasMessageStartingWith("Cannot tell which version of p/n is the newest on " + remote + ": the newest record of version " + newer
              + " there cannot be read");
      // Another dataset's newest is told apart: the damaged record holds none of its version strings.
      assertThat(Dataset.get(b, "q", "other", null, remote.toString()).record().name()).isEqualTo("other");
      assertThat(Dataset.get(b, null, "other", null, remote.toString()).record().project()).isEqualTo("q");
      // Asked for by its version string, the older one is found.
      String older = Dataset.get(b, id, remote.toString()).record().version();
      assertThat(Dataset.get(b, "p", "n", older, remote.toString()).id()).isEqualTo(id);
    }
  }

  @Test
  void aRenameIsRefusedWhileTheRemoteHoldsVersionsOfTheDatasetThatAreNotHere() throws IOException {
    String theirs;
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset.get(b, id, remote.toString());
      Dataset child = Dataset.create(b, CreateOptions.of("p", "n").parents(id).storage(remote.toString()).build());
      child.removeFiles("a.txt");
      child.close();
      child.upload(remote.toString(), null, Progress.NONE);
      theirs = child.id();
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      // Only a's version would change: b's 1.0.1 would stay "n" on the remote, a dataset split in two.
      assertThatThrownBy(() -> Dataset.get(a, id).rename("renamed")).isInstanceOf(dev.cairn.errors.InvalidInputException.class)
          .hasMessageContaining("/remote holds 1 version of p/n that this repository does not (1.0.1)")
          .hasMessageContaining("/remote' --project 'p' --name 'n' --version 1.0.1)");
      assertThat(Dataset.get(a, id).record().name()).isEqualTo("n");
      Dataset.get(a, theirs, remote.toString());
      assertThat(Dataset.get(a, id).rename("renamed")).isEqualTo(2);
    }
  }

  @Test
  void aRenameIsNotRefusedForVersionsThatARenameElsewhereTookAwayFromTheName() throws IOException {
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset.get(b, id, remote.toString());
      Dataset child = Dataset.create(b, CreateOptions.of("p", "n").parents(id).storage(remote.toString()).build());
      child.close();
      child.upload(remote.toString(), null, Progress.NONE);
      assertThat(child.rename("m")).isEqualTo(2);
      child.upload(remote.toString(), null, Progress.NONE); // the remote's records now say "m"
      Dataset.get(b, id).upload(remote.toString(), null, Progress.NONE);
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      // The strings under "n" stay reserved for good, but no version there is named "n" any more.
      assertThat(Dataset.get(a, id).rename("k")).isEqualTo(1);
    }
  }

  @Test
  void theChangeSetOfAVersionWithoutParentsIsReadAfterAFetchOfAChildInPart() throws IOException {
    String child;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      child = uploadChild(a);
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      b.fetch(child, new Selection(0, 1, List.of(Glob.of("sub/*"))), remote.toString(), null, Progress.NONE);
      Dataset parent = Dataset.get(b, id);
      // Its base is the empty tree, which that fetch did not bring: known without being read.
      assertThat(NodeLoader.isEmptyTree(parent.record().base())).isTrue();
      assertThat(parent.changes()).extracting(DiffEntry::path).containsExactly("a.txt", "big.bin", "sub/small.bin");
    }
  }

  @Test
  void aMarkerNamingItsObjectFormatInAnotherSpellingIsReadTheSameWayByEveryCommand() throws IOException {
    // As a config: case and '-' ignored. An upload checked the marker by exact text, a get by name.
    Files.writeString(remote.resolve("cairn-remote"), "format = 1\nobjectFormat = SHA-256\n");
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      uploadChild(a);
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      assertThat(Dataset.get(b, "p", "n", null, remote.toString()).getLocalCopy().resolve("a.txt")).doesNotExist();
    }
    Files.writeString(remote.resolve("cairn-remote"), "format = 1\n");
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      assertThatThrownBy(() -> Dataset.get(c, "p", "n", null, remote.toString())).isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
          .hasMessageContaining("its cairn-remote file is damaged (no 'objectFormat = ' line");
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      assertThatThrownBy(() -> Dataset.get(a, id).upload(remote.toString(), null, Progress.NONE))
          .hasMessageContaining("its cairn-remote file is damaged (no 'objectFormat = ' line");
    }
    Files.writeString(remote.resolve("cairn-remote"), "format = 1\nobjectFormat = blake3\n");
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      assertThatThrownBy(() -> Dataset.get(a, id).upload(remote.toString(), null, Progress.NONE))
          .isInstanceOf(dev.cairn.errors.InvalidConfigException.class).hasMessageContaining("it uses object format blake3, this repository uses sha256");
    }
  }

  @Test
  void aRemoteThatLostItsMarkerIsNotMadeAgain() throws IOException {
    Files.delete(remote.resolve("cairn-remote"));
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      String lost = "it holds a remote's data (";
      String restore = ") but no cairn-remote (deleted?); restore that file, two lines: 'format = 1' and 'objectFormat = ' with the"
          + " object format of the repositories that wrote it (sha256 or blake3)";
      assertThatThrownBy(() -> Dataset.get(c, id, remote.toString())).isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
          .hasMessageContaining(lost).hasMessageEndingWith(restore);
      // An upload there would make a new remote over the data, perhaps in another object format.
      Path src = Files.createDirectories(tmp.resolve("other"));
      Files.writeString(src.resolve("o.txt"), "o");
      Dataset v = Dataset.create(c, CreateOptions.of("p", "other").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      assertThatThrownBy(() -> v.upload(remote.toString(), null, Progress.NONE)).isInstanceOf(dev.cairn.errors.InvalidInputException.class)
          .hasMessageContaining("Cannot use " + remote.toUri().toString().replaceAll("/$", "")).hasMessageContaining(lost).hasMessageEndingWith(restore);
      assertThat(remote.resolve("cairn-remote")).doesNotExist();
    }
  }

  @Test
  void aVersionOnlyOnTheRemoteIsFoundThereAndItsFilesFetchedOnce() throws IOException {
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      assertThatThrownBy(() -> Dataset.get(b, id, null)).isInstanceOf(DatasetNotFoundException.class);
      // A mistyped remote is said to be one, not a version missing there.
      assertThatThrownBy(() -> Dataset.get(b, id, tmp.resolve("typo").toString())).isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
          .hasMessageContaining("nothing is there (no cairn-remote");
      Dataset ds = Dataset.get(b, id.substring(0, 8), remote.toString());
      assertThat(ds.id()).isEqualTo(id);
      assertThat(ds.listFiles()).extracting(dev.cairn.manifest.FileEntry::path).containsExactly("a.txt", "big.bin", "sub/small.bin");
      assertThat(ds.verify()).as("only the manifest is here yet").allMatch(p -> p.kind() == VerifyProblem.Kind.NOT_FETCHED).isNotEmpty();

      assertThat(snapshot(ds.getLocalCopy())).isEqualTo(snapshot(src));
      assertThat(ds.verify()).isEmpty();
      // Here now: the remote is not needed again (the cached folder, and a copy read from the objects).
      try (Stream<Path> all = Files.walk(remote)) {
        for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      assertThat(snapshot(Dataset.get(b, id, remote.toString()).getLocalCopy())).isEqualTo(snapshot(src));
      assertThat(snapshot(ds.getMutableLocalCopy(tmp.resolve("copy"), false))).isEqualTo(snapshot(src));
    }
  }

  /**
   * A collection with a grace shorter than a fetch in progress may take the version object and
   * nodes the fetch brought before it recorded the version: the next get fetches them again.
   */
  @Test
  void aVersionWhoseFetchedManifestWasCollectedIsFetchedAgainByTheNextGet() throws IOException {
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      Dataset ds = c.fetch(id, Selection.ALL, remote.toString(), null, Progress.NONE);
      for (Path p : c.repository().packs().packFiles()) {
        Files.delete(p);
      }
      c.repository().rebuildIndex();
      Dataset again = Dataset.get(c, id, remote.toString());
      assertThat(snapshot(again.getLocalCopy())).isEqualTo(snapshot(src));
      assertThat(again.verify()).isEmpty();
    }
  }

  @Test
  void aVersionFetchedInPartGetsTheRestWhenACopyNeedsIt() throws IOException {
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      Dataset part = c.fetch(id, new Selection(0, 1, List.of(Glob.of("a.txt"))), remote.toString(), null, Progress.NONE);
      assertThat(part.verify()).extracting(VerifyProblem::path).containsExactlyInAnyOrder("big.bin", "sub/small.bin");
      assertThat(snapshot(part.getMutableLocalCopy(tmp.resolve("copy"), false))).isEqualTo(snapshot(src));
      assertThat(part.verify()).isEmpty();
    }
    try (DatasetRepository d = DatasetRepository.open(tmp.resolve("d"), TestRepos.SMALL)) {
      Dataset highest = Dataset.get(d, "p", "n", null, remote.toString());
      assertThat(highest.id()).isEqualTo(id);
      assertThat(snapshot(highest.getLocalCopy(Selection.part(0, 1), Progress.NONE))).isEqualTo(snapshot(src));
    }
  }

  @Test
  void theRemoteIsReachedWhereThisRepositoryFoundItAndAnAncestorKnownFromItIsNotDamaged() throws IOException {
    String child;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset c = Dataset.create(a, CreateOptions.of("p", "n").parents(id).build());
      Files.writeString(tmp.resolve("more.txt"), "more\n");
      c.addFiles(AddOptions.of(tmp.resolve("more.txt")));
      c.close();
      c.upload(remote.toString(), null, Progress.NONE);
      child = c.id();
    }
    // The remote reached under another address than the uploader's (another mount point).
    Path moved = Files.move(remote, tmp.resolve("moved"));
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset ds = Dataset.get(b, child, moved.toString());
      assertThat(ds.record().storage()).isEqualTo(moved.toUri().toString().replaceAll("/$", ""));
      Map<String, String> expected = new TreeMap<>(snapshot(src));
      expected.put("more.txt", dev.cairn.id.HashAlgorithm.SHA256.hash("more\n".getBytes()).hex());
      assertThat(snapshot(ds.getLocalCopy())).isEqualTo(expected);
      // The parent came as a record only: what it lacks is not damage.
      Dataset parent = b.get(id);
      assertThat(parent.verify()).isNotEmpty().allMatch(p -> p.kind() == VerifyProblem.Kind.NOT_FETCHED);
      assertThat(parent.verifySizes()).isNotEmpty().allMatch(p -> p.kind() == VerifyProblem.Kind.NOT_FETCHED);
      // And Dataset.get with the remote fetches its manifest.
      assertThat(Dataset.get(b, id, moved.toString()).listFiles()).hasSize(3);
    }
  }

  @Test
  void aFetchThatFailsSaysWhatWasMissingAndWhy() throws IOException {
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      Dataset part = c.fetch(id, new Selection(0, 1, List.of(Glob.of("a.txt"))), remote.toString(), null, Progress.NONE);
      Files.move(remote, tmp.resolve("gone"));
      assertThatThrownBy(part::getLocalCopy).isInstanceOf(dev.cairn.errors.MissingObjectException.class)
          .hasMessageContaining("the content of '").hasMessageContaining("; fetching it from " + part.record().storage() + " failed: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      Files.createDirectories(tmp.resolve("full"));
      Files.writeString(tmp.resolve("full/x"), "x");
      assertThatThrownBy(() -> part.getMutableLocalCopy(tmp.resolve("full"), false))
          .as("the target is checked before any fetch").isInstanceOf(dev.cairn.errors.InvalidInputException.class);
      assertThatThrownBy(() -> part.getMutableLocalCopy(tmp.resolve("empty"), false))
          .isInstanceOf(dev.cairn.errors.MissingObjectException.class).hasMessageContaining("the content of '");
    }
  }

  @Test
  void versionsMadeHereOnAVersionFetchedInPartFetchWhatTheyShareWithIt() throws IOException {
    Selection onlyA = new Selection(0, 1, List.of(Glob.of("a.txt")));
    Files.writeString(tmp.resolve("new.txt"), "new\n");
    Map<String, String> withNew = new TreeMap<>(snapshot(src));
    withNew.put("new.txt", dev.cairn.id.HashAlgorithm.SHA256.hash("new\n".getBytes()).hex());
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      b.fetch(id, onlyA, remote.toString(), null, Progress.NONE);
      Dataset child = Dataset.create(b, CreateOptions.of("p", "n").parents(id).build());
      child.addFiles(AddOptions.of(tmp.resolve("new.txt")));
      child.close();
      assertThat(child.record().storage()).isNull();
      assertThat(b.contentStorage(child.record())).isEqualTo(b.get(id).record().storage());
      // What it shares with its parent and lacks here is not damage, for verify and fsck alike.
      assertThat(child.verify()).extracting(VerifyProblem::kind).containsOnly(VerifyProblem.Kind.NOT_FETCHED).hasSize(2);
      assertThat(new dev.cairn.gc.Fsck(b, Progress.NONE).check().errors()).isEmpty();
      assertThat(snapshot(child.getLocalCopy())).isEqualTo(withNew);
      assertThat(child.verify()).isEmpty();
    }
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      c.fetch(id, onlyA, remote.toString(), null, Progress.NONE);
      // A squash stands alone: its sources are fetched whole first.
      Dataset flat = Dataset.squash(c, "p", "flat", List.of(id));
      assertThat(flat.verify()).isEmpty();
      assertThat(snapshot(flat.getMutableLocalCopy(tmp.resolve("flat"), false))).isEqualTo(snapshot(src));
    }
    try (DatasetRepository d = DatasetRepository.open(tmp.resolve("d"), TestRepos.SMALL)) {
      Dataset part = d.fetch(id, onlyA, remote.toString(), null, Progress.NONE);
      part.export(tmp.resolve("v.tar"), Progress.NONE);
      Dataset back = Dataset.create(d, CreateOptions.of("p", "back").build());
      back.addArchive(tmp.resolve("v.tar"), "", Progress.NONE);
      assertThat(back.listFiles()).extracting(dev.cairn.manifest.FileEntry::path).containsExactly("a.txt", "big.bin", "sub/small.bin");
    }
  }

  @Test
  void whatAVersionMadeHereAddedItselfIsDamageWhenLostWhateverItsAncestorsRemote() throws IOException {
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Files.write(tmp.resolve("own.bin"), TestRepos.random(9, 300_000));
      Dataset child = Dataset.create(a, CreateOptions.of("p", "n").parents(id).build());
      child.addFiles(AddOptions.of(tmp.resolve("own.bin")));
      Files.writeString(tmp.resolve("later.txt"), "later"); // a second change: the manifest's final nodes go to another pack
      child.addFiles(AddOptions.of(tmp.resolve("later.txt")));
      child.close();
      dev.cairn.id.ObjectId own = child.listFiles().stream().filter(f -> f.path().equals("own.bin")).findFirst().orElseThrow().content();
      // The pack of the child's own file is lost: its parent is on a remote, the file never was.
      for (Path pack : a.repository().packs().packFiles()) {
        boolean holds;
        try (var pf = dev.cairn.internal.pack.PackFile.open(pack)) {
          holds = pf.entries().stream().anyMatch(e -> e.id().equals(own));
        }
        if (holds) {
          Files.delete(pack);
        }
      }
      a.repository().rebuildIndex();
      assertThat(child.verify()).anySatisfy(p -> {
        assertThat(p.path()).isEqualTo("own.bin");
        assertThat(p.kind()).isEqualTo(VerifyProblem.Kind.DAMAGED);
      });
      assertThat(new dev.cairn.gc.Fsck(a, Progress.NONE).check().errors())
          .anySatisfy(p -> {
            assertThat(p.message()).contains("own.bin");
            assertThat(p.where()).isEqualTo("version " + child.id());
          });
      // An upload says so too, as a missing object: no remote ever held the file.
      assertThatThrownBy(() -> child.upload(tmp.resolve("other").toString(), null, Progress.NONE))
          .isInstanceOf(dev.cairn.errors.MissingObjectException.class)
          .hasMessageContaining("is not in this repository").hasMessageEndingWith("lost or damaged here (run cairn fsck)");
    }
  }

  @Test
  void aVersionGotAgainFromItsRemoteTakesTheRecordChangedThere() throws IOException {
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset.get(b, id, remote.toString());
      try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
        Dataset v = Dataset.get(a, id);
        v.addTags(List.of("reviewed"));
        v.upload(remote.toString(), null, Progress.NONE);
      }
      assertThat(Dataset.get(b, id).tags()).doesNotContain("reviewed");
      assertThat(Dataset.get(b, id, remote.toString()).tags()).contains("reviewed");
      // A remote that cannot be read leaves the local record, and says so.
      List<String> warnings = new ArrayList<>();
      Dataset again = Dataset.getFrom(b, id, tmp.resolve("nothing-here").toString(), new Progress() {
        @Override
        public void warn(String message) {
          warnings.add(message);
        }
      });
      assertThat(again.tags()).contains("reviewed");
      assertThat(warnings).singleElement().asString().startsWith("could not read " + id.substring(0, 8) + "'s record on")
          .endsWith("the local one is used");
      // A location that names no remote at all is a mistake to correct, not a remote to do without.
      assertThatThrownBy(() -> Dataset.get(b, id, "file://host/x")).isInstanceOf(dev.cairn.errors.BadStorageLocationException.class)
          .hasMessageContaining("'host' reads as a host");
      assertThatThrownBy(() -> Dataset.get(b, id, "nosuch://x")).isInstanceOf(dev.cairn.errors.BadStorageLocationException.class)
          .hasMessageContaining("no support for scheme 'nosuch'");
    }
  }

  @Test
  void aRepositoryMadeForARemoteTakesItsObjectFormat() throws IOException {
    Path blake = tmp.resolve("blake3-remote");
    String id3;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a3"),
        dev.cairn.RepositoryConfig.DEFAULT.withObjectFormat(dev.cairn.id.HashAlgorithm.BLAKE3))) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "b3").build());
      v.addFiles(AddOptions.of(src));
      id3 = v.close().id();
      v.upload(blake.toString(), null, Progress.NONE);
    }
    try (DatasetRepository plain = DatasetRepository.open(tmp.resolve("plain"))) {
      assertThatThrownBy(() -> Dataset.get(plain, id3, blake.toString())).hasMessageContaining("DatasetRepository.openFor");
    }
    try (DatasetRepository made = DatasetRepository.openFor(tmp.resolve("made"), blake.toString(), null)) {
      assertThat(made.repository().config().objectFormat()).isEqualTo(dev.cairn.id.HashAlgorithm.BLAKE3);
      assertThat(snapshot(Dataset.get(made, id3, blake.toString()).getLocalCopy())).isEqualTo(snapshot(src));
    }
  }

  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), dev.cairn.id.HashAlgorithm.SHA256.hash(Files.readAllBytes(p)).hex());
      }
    }
    return m;
  }

  @Test
  void packsLostHereAreFetchedAgainFromTheVersionsRemote() throws IOException {
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      a.repository().packs().index().mergeAll(); // every object in the index's table, as after a while of use
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      for (Path pack : a.repository().packs().packFiles()) {
        Files.delete(pack); // a disk lost them; the index still names their objects
      }
      // A collection meets the loss, takes the lost packs out of the index and goes on: the remote holds the version.
      new dev.cairn.gc.GarbageCollector(a, 0, 0, Progress.NONE).run();
      Dataset v = a.get(id);
      assertThat(v.verify()).as("missing, not damaged: its remote holds it").isNotEmpty()
          .allMatch(p -> p.kind() == VerifyProblem.Kind.NOT_FETCHED);
      Path copy = v.getLocalCopy(); // fetched again from where it was uploaded
      assertThat(Files.readAllBytes(copy.resolve("big.bin"))).isEqualTo(Files.readAllBytes(src.resolve("big.bin")));
      assertThat(Files.readString(copy.resolve("a.txt"))).isEqualTo("alpha\n");
      assertThat(v.verify()).isEmpty();
    }
  }

  @Test
  void aFetchFromARemoteNamedBringsBackAManifestLostHere() throws IOException {
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      a.repository().packs().index().mergeAll();
    }
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"))) {
      for (Path pack : a.repository().packs().packFiles()) {
        Files.delete(pack); // the index still names their objects: the fetch finds the manifest "here" until it reads it
      }
      Dataset v = a.fetch(id, Selection.ALL, remote.toString(), null, Progress.NONE);
      assertThat(v.verify()).isEmpty();
      assertThat(Files.readAllBytes(v.getLocalCopy().resolve("big.bin"))).isEqualTo(Files.readAllBytes(src.resolve("big.bin")));
    }
  }

  @Test
  void packsLostWithNoRemoteAreMissingObjects() throws IOException {
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("local"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "local").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      for (Path pack : a.repository().packs().packFiles()) {
        Files.delete(pack);
      }
      assertThatThrownBy(v::getLocalCopy).isInstanceOf(dev.cairn.errors.MissingObjectException.class)
          .hasMessageContaining("object is missing");
      assertThat(v.verify()).isNotEmpty().allMatch(p -> p.kind() == VerifyProblem.Kind.DAMAGED);
    }
  }

  @Test
  void aDraftUploadedThenClosedAndUploadedIsListedOnItsRemote() throws IOException {
    Path remote2 = tmp.resolve("remote2");
    String draftId;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a2"), TestRepos.SMALL)) {
      Dataset d = Dataset.create(a, CreateOptions.of("p", "clearml-habit").build());
      d.addFiles(AddOptions.of(src));
      d.upload(remote2.toString(), null, Progress.NONE); // clearml's upload(), then finalize(auto_upload=True)
      d.closeAndUpload(Progress.NONE);
      assertThat(d.isDirty()).isFalse();
      assertThat(d.isUploadedTo(remote2.toString())).isTrue();
      draftId = d.id();
      // A version with no remote, and no default: refused before it is closed.
      Dataset lone = Dataset.create(a, CreateOptions.of("p", "lone").build());
      lone.addFiles(AddOptions.of(src));
      assertThatThrownBy(() -> lone.closeAndUpload(Progress.NONE)).isInstanceOf(dev.cairn.errors.InvalidInputException.class)
          .hasMessage("Cannot upload " + lone.id() + ": no remote given, and it has none (give one, or set CAIRN_STORAGE, or"
              + " remote.default in the repository's config)");
      assertThat(lone.record().isDraft()).isTrue();
      // upload(null, ...) goes to the version's own remote.
      assertThat(d.upload(null, null, Progress.NONE).objectsUploaded()).isZero();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b2"), TestRepos.SMALL)) {
      Dataset got = b.fetch(draftId, Selection.ALL, remote2.toString(), null, Progress.NONE);
      assertThat(Files.readAllBytes(got.getLocalCopy().resolve("big.bin"))).isEqualTo(Files.readAllBytes(src.resolve("big.bin")));
    }
  }
}
