package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source that does not exist but holds wildcards is a pattern, as clearml-data reads 'data/*.jpg'. */
class DatasetAddPatternTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  Dataset ds;
  Path data;

  @BeforeEach
  void open() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    ds = Dataset.create(repo, CreateOptions.of("p", "patterns").build());
    data = tmp.resolve("data");
    for (String f : List.of("a/x.jpg", "a/y.png", "a/sub/z.jpg", "b/w.jpg", "b/notes.txt", "c1/k.txt", "c2/l.txt")) {
      Files.createDirectories(data.resolve(f).getParent());
      Files.writeString(data.resolve(f), f);
    }
  }

  @AfterEach
  void close() throws IOException {
    repo.close();
  }

  List<String> paths() throws IOException {
    return ds.listFiles().stream().map(FileEntry::path).toList();
  }

  @Test
  void aMissingSourceWithWildcardsAddsTheMatchingFilesOfItsLeadingFolder() throws IOException {
    Dataset.Change c = ds.addFiles(AddOptions.of(data.resolve("a/*.jpg")));
    assertThat(c.summary().added()).isEqualTo(2);
    assertThat(paths()).containsExactlyInAnyOrder("x.jpg", "sub/z.jpg");
  }

  @Test
  void aNameThePatternDoesNotTakeIsNotChecked() throws Exception {
    // A name that is not valid UTF-8 (the shell makes it: Java cannot), beside what the pattern takes.
    Process p = new ProcessBuilder("sh", "-c", "printf A > \"$(printf 'bad\\377')\"").directory(data.resolve("b").toFile()).start();
    assertThat(p.waitFor()).isZero();
    ds.addFiles(AddOptions.of(data.resolve("*/w.jpg")));
    assertThat(paths()).containsExactly("b/w.jpg");
  }

  @Test
  void theRestMayCrossFoldersAndAMatchingFolderAddsItsFiles() throws IOException {
    ds.addFiles(AddOptions.of(data.resolve("*/w.jpg"), data.resolve("c?")));
    assertThat(paths()).containsExactlyInAnyOrder("b/w.jpg", "c1/k.txt", "c2/l.txt");
  }

  @Test
  void wildcardsAndNonRecursiveStillApply() throws IOException {
    ds.addFiles(AddOptions.of(data.resolve("a/*.jpg")).recursive(false).datasetFolder("img"));
    ds.addFiles(AddOptions.of(data.resolve("b/*")).wildcard("*.txt"));
    assertThat(paths()).containsExactlyInAnyOrder("notes.txt", "img/x.jpg");
  }

  @Test
  void aPatternThatMatchesNothingIsRefusedAndAStrayBracketIsAMissingFile() throws IOException {
    Path none = data.resolve("a/*.gif");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(none)))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot add '" + none + "': no file matches");
    Path noFolder = tmp.resolve("nope/*.jpg");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(noFolder)))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot add '" + noFolder + "': no file matches");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(data.resolve("a/x[.jpg"))))
        .isInstanceOf(InvalidInputException.class).hasMessageEndingWith("no such file or folder");
    assertThat(paths()).isEmpty();
  }

  @Test
  void anExistingFileWithWildcardsInItsNameIsAddedAsIs() throws IOException {
    Files.writeString(data.resolve("a/*.jpg"), "literal");
    ds.addFiles(AddOptions.of(data.resolve("a/*.jpg")));
    assertThat(paths()).containsExactly("*.jpg");
  }

  @Test
  void syncTakesAPatternAsAddDoes() throws IOException {
    ds.syncFolder(data.resolve("a/*.jpg"), "", Progress.NONE);
    assertThat(paths()).containsExactly("sub/z.jpg", "x.jpg");
    // An existing file with wildcards in its name is not a pattern: it is no folder, and is refused.
    Files.writeString(data.resolve("a/*.png"), "literal");
    assertThatThrownBy(() -> ds.syncFolder(data.resolve("a/*.png"), "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("not a folder");
  }

  @Test
  void aBrokenLinkTheWildcardsLeaveOutDoesNotStopTheAdd() throws IOException {
    Files.createSymbolicLink(data.resolve("b/dangling"), tmp.resolve("nowhere"));
    Files.writeString(tmp.resolve("outside.bin"), "out");
    Files.createSymbolicLink(data.resolve("b/out.bin"), tmp.resolve("outside.bin"));
    ds.addFiles(AddOptions.of(data.resolve("b")).wildcard("*.jpg"));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("w.jpg");
    ds.addFiles(AddOptions.of(data.resolve("b/*.txt")));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("notes.txt", "w.jpg");
    // Without wildcards, a link leading outside adds its target, and one leading nowhere is passed over.
    ds.addFiles(AddOptions.of(data.resolve("b")));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("notes.txt", "out.bin", "w.jpg");
  }
}
