package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code add --exclude} and {@code sync --exclude}: what is left out is never read, and a sync keeps what the version holds there. */
class ExcludeTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  Path src;

  @BeforeEach
  void setUp() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    src = tmp.resolve("src");
    write("a.txt", "a");
    write("a.tmp", "scratch");
    write(".git/objects/ab", "git object");
    write("sub/s.txt", "s");
    write("sub/__pycache__/m.pyc", "bytecode");
    write("build/out.bin", "top build");
    write("sub/build/out.bin", "nested build");
  }

  @AfterEach
  void tearDown() throws IOException {
    repo.close();
  }

  private void write(String path, String content) throws IOException {
    Path p = src.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private static List<String> paths(Dataset ds) throws IOException {
    return ds.listFiles().stream().map(FileEntry::path).toList();
  }

  @Test
  void addLeavesOutNamesAtAnyDepthAndAnchoredPathsAtTheTop() throws Exception {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "add").build());
    Dataset.Change c = ds.addFiles(AddOptions.of(src).exclude(".git", "*.tmp", "__pycache__", "/build"));
    assertThat(paths(ds)).containsExactly("a.txt", "sub/build/out.bin", "sub/s.txt");
    assertThat(c.filesRead()).isEqualTo(3);
    assertThat(ds.record().log().get(ds.record().log().size() - 1).arguments())
        .contains("--exclude=.git", "--exclude=*.tmp", "--exclude=__pycache__", "--exclude=/build");

    // A path with a slash inside is relative to the folder given; a file named itself is left out by its name.
    Dataset other = Dataset.create(repo, CreateOptions.of("p", "add2").build());
    other.addFiles(new AddOptions(List.of(src, src.resolve("a.tmp")), List.of(), "in", true, false, false, List.of("sub/build", "a.tmp")));
    assertThat(paths(other)).containsExactly("in/.git/objects/ab", "in/a.txt", "in/build/out.bin", "in/sub/__pycache__/m.pyc", "in/sub/s.txt");
  }

  @Test
  void anExcludedFolderIsNeverWalkedSoNothingInItIsRefused() throws Exception {
    // A name no dataset path may hold, inside an excluded folder: an add without the exclude refuses it.
    write("cache/tab\there", "x");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "walk").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class).hasMessageContaining("tab");
    List<String> warnings = new ArrayList<>();
    ds.addFiles(AddOptions.of(src).exclude("cache/"), new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    assertThat(paths(ds)).doesNotContain("cache/tab\there").contains("a.txt");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aMalformedPatternIsRefusedBeforeAnythingIsAdded() throws Exception {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "bad").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).exclude("[a")))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("Cannot use exclude pattern '[a': ");
    assertThatThrownBy(() -> ds.syncFolder(SyncOptions.of(src).exclude(""), Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot use exclude pattern '': it is empty");
    assertThat(paths(ds)).isEmpty();
    assertThatThrownBy(() -> AddOptions.of(src).exclude("x", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("an exclude pattern must not be null");
  }

  @Test
  void anAddThatExcludesAllItIsGivenIsRefusedAsGitAddRefusesIgnoredPaths() throws Exception {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "none").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src.resolve("sub")).exclude("*.txt", "*.pyc", "build")))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot add: every file of " + src.resolve("sub")
            + " is excluded by --exclude '*.txt' '*.pyc' 'build'; nothing was added");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src.resolve("a.tmp")).exclude("*.tmp")))
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("Cannot add: every file of ");
    // An empty folder is not a mistake, nor an exclude that leaves something.
    Files.createDirectories(tmp.resolve("empty"));
    assertThat(ds.addFiles(AddOptions.of(tmp.resolve("empty")).exclude("*.tmp")).summary().added()).isZero();
    assertThat(ds.addFiles(AddOptions.of(src.resolve("sub")).exclude("*.txt")).summary().added()).isEqualTo(2);
  }

  @Test
  void aSyncNeitherAddsNorRemovesWhatItExcludes() throws Exception {
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "sync").build());
    v1.syncFolder(SyncOptions.of(src), Progress.NONE);
    v1.close();
    assertThat(paths(v1)).contains("a.tmp", ".git/objects/ab", "sub/__pycache__/m.pyc");

    // The excluded files are gone from disk or changed there: the version keeps them as they were.
    Files.delete(src.resolve("a.tmp"));
    Files.writeString(src.resolve("sub/__pycache__/m.pyc"), "changed bytecode");
    write("sub/__pycache__/new.pyc", "new");
    write("b.tmp", "new scratch");
    write("b.txt", "b");
    Files.delete(src.resolve("a.txt"));
    Dataset.NewVersion v2 = Dataset.syncNewVersion(repo, CreateOptions.of("p", "sync").parents(List.of(v1.id())).build(),
        SyncOptions.of(src).exclude("*.tmp", "__pycache__"), Progress.NONE, null, null);
    assertThat(v2.change().summary().added()).isEqualTo(1);
    assertThat(v2.change().summary().removed()).isEqualTo(1);
    assertThat(v2.change().summary().modified()).isZero();
    assertThat(paths(v2.draft())).containsExactly(".git/objects/ab", "a.tmp", "b.txt", "build/out.bin", "sub/__pycache__/m.pyc",
        "sub/build/out.bin", "sub/s.txt");
    Path copy = v2.draft().getMutableLocalCopy(tmp.resolve("copy"), false);
    assertThat(Files.readString(copy.resolve("sub/__pycache__/m.pyc"))).isEqualTo("bytecode");
    assertThat(Files.readString(copy.resolve("a.tmp"))).isEqualTo("scratch");
    assertThat(v2.draft().record().log().get(v2.draft().record().log().size() - 1).arguments())
        .containsSubsequence("--exclude", "*.tmp", "--exclude", "__pycache__");
  }

  @Test
  void aSyncRefusesToKeepAnExcludedFileUnderWhatIsNowAFile() throws Exception {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "shape").build());
    ds.syncFolder(SyncOptions.of(src), Progress.NONE); // holds sub/build/out.bin
    ds.close();
    dev.cairn.internal.fs.Trees.delete(src.resolve("sub"));
    Files.writeString(src.resolve("sub"), "now a file");
    Dataset next = Dataset.create(repo, CreateOptions.of("p", "shape").parents(List.of(ds.id())).build());
    assertThatThrownBy(() -> next.syncFolder(SyncOptions.of(src).exclude("sub/build"), Progress.NONE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'sub' is a file there now, and the version holds 'sub/build/out.bin' under it, which the sync keeps (a"
            + " path an exclude pattern matches); remove it from the version first (Dataset.removeFiles(\"sub\"))");
    assertThat(paths(next)).isEqualTo(paths(ds));
    // Without the pattern, the folder goes and the file takes its place.
    next.syncFolder(SyncOptions.of(src), Progress.NONE);
    assertThat(paths(next)).contains("sub").noneMatch(p -> p.startsWith("sub/"));
  }

  @Test
  void aPatternMatchesANameInEitherUnicodeForm() throws Exception {
    write("cafe\u0301/x.txt", "decomposed on disk");
    write("na\u00efve/y.txt", "composed on disk");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "forms").build());
    ds.addFiles(AddOptions.of(src).exclude("caf\u00e9", "nai\u0308ve")); // each typed in the other form
    assertThat(paths(ds)).noneMatch(p -> p.contains("x.txt") || p.contains("y.txt")).contains("a.txt");
  }

  @Test
  void aPatternSyncKeepsExcludedFilesAndRemovesTheOthersItDoesNotSelect() throws Exception {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "pattern").build());
    ds.addFiles(AddOptions.of(src));
    // The dataset folder holds the files the pattern selects, but for those an exclude leaves alone.
    ds.syncFolder(SyncOptions.of(src.resolve("**/*.txt")).exclude("*.tmp", "/build"), Progress.NONE);
    assertThat(paths(ds)).containsExactly("a.tmp", "a.txt", "build/out.bin", "sub/s.txt");
  }
}
