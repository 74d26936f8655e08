package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder tree as deep as a dataset path allows: two thousand levels of one-letter names, where
 * the whole path on disk stays under the system's limit of 4096 bytes.
 */
class DeepTreeTest {
  @TempDir Path tmp;

  /**
   * Deletes the trees before JUnit would: its clean-up resolves each folder's real path, which
   * at two thousand levels takes minutes.
   */
  @AfterEach
  void deleteDeepTrees() throws Exception {
    List<String> command = new ArrayList<>(List.of("rm", "-rf", "--"));
    try (Stream<Path> top = Files.list(tmp)) {
      top.forEach(p -> command.add(p.toString()));
    }
    assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
  }

  /** Creates {@code levels} nested folders named "d" under {@code root}, a file "f" in the deepest. */
  private static String deepFile(Path root, int levels, String content) throws Exception {
    StringBuilder rel = new StringBuilder();
    for (int i = 0; i < levels; i++) {
      rel.append("d/");
    }
    rel.append('f');
    Path file = root.resolve(rel.toString());
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return rel.toString();
  }

  private int levelsThatFit() {
    // Two bytes a level, and the root's own path, under 4096 with room for "/f".
    return Math.min(1900, (4000 - tmp.toAbsolutePath().toString().length() - 16) / 2);
  }

  @Test
  void theWalkHoldsItsFoldersOnItsOwnStackNotTheThreads() throws Exception {
    Path src = tmp.resolve("deep");
    String rel = deepFile(src, levelsThatFit(), "x");
    Files.writeString(src.resolve("top"), "y");
    List<SourceFile> found = new ArrayList<>();
    Throwable[] thrown = {null};
    // A stack of 64 KiB overflows after a few hundred levels of a recursive walk.
    Thread t = new Thread(null, () -> {
      try {
        found.addAll(new FolderScanner(Progress.NONE).scan(src, "", true, List.of()));
      } catch (Throwable e) {
        thrown[0] = e;
      }
    }, "small-stack", 64 * 1024);
    t.start();
    t.join();
    assertThat(thrown[0]).isNull();
    assertThat(found).extracting(SourceFile::datasetPath).containsExactly(rel, "top");
  }

  @Test
  void aFolderWhosePathLeavesNoRoomForItsFilesIsRefusedOnceNotWalked() throws Exception {
    Path src = tmp.resolve("room");
    Path full = Files.createDirectories(src.resolve("s".repeat(200)));
    for (int i = 0; i < 3; i++) {
      Files.writeString(full.resolve("f" + i), "x");
    }
    Files.writeString(src.resolve("ok"), "y");
    String datasetFolder = "d/".repeat(1950) + "d"; // 3901 bytes: "/" and the folder's 200 leave no room below it
    List<String> warnings = new ArrayList<>();
    List<SourceFile> found = new FolderScanner(new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    }).skippingRefused(true).scan(src, datasetFolder, true, List.of());
    assertThat(found).extracting(SourceFile::datasetPath).containsExactly(datasetFolder + "/ok");
    assertThat(warnings).singleElement().asString().startsWith("passed over " + full + ": a folder whose path leaves no room");
  }

  @Test
  void aFolderTooDeepForTheSystemToReadByItsPathIsRefusedOnceAsANameIs() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("deeper"));
    Files.writeString(src.resolve("top"), "y");
    // Deeper than a path the system takes in a call: made relative to the folder, as mkdir -p can.
    Process p = new ProcessBuilder("mkdir", "-p", "a/".repeat(2100)).directory(src.toFile()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    FolderScanner strict = new FolderScanner(Progress.NONE);
    assertThatThrownBy(() -> strict.scan(src, "", true, List.of())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(": its path on disk is too long for the system to read its files");
    List<String> warnings = new ArrayList<>();
    List<SourceFile> found = new FolderScanner(new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    }).skippingRefused(true).scan(src, "", true, List.of());
    assertThat(found).extracting(SourceFile::datasetPath).containsExactly("top");
    assertThat(warnings).singleElement().asString().contains(": its path on disk is too long");
  }

  @Test
  void aDeepTreeIsAddedClosedCopiedAndComparedWhole() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Path src = tmp.resolve("s");
      String rel = deepFile(src, levelsThatFit(), "first");
      Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "deep").build());
      v1.syncFolder(src);
      v1.close();
      assertThat(v1.listFiles()).extracting(FileEntry::path).containsExactly(rel);

      Files.writeString(src.resolve(rel), "second");
      Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "deep").parents(List.of(v1.id())).build());
      v2.syncFolder(src);
      v2.close();
      assertThat(v2.compare(v1)).hasSize(1);

      Path copy = v1.getMutableLocalCopy(tmp.resolve("c"), false);
      assertThat(Files.readString(copy.resolve(rel))).isEqualTo("first");
      assertThat(Files.readString(v2.getLocalCopy().resolve(rel))).isEqualTo("second");
      assertThat(v2.verify()).isEmpty();
    }
  }
}
