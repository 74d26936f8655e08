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
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An add of one folder streams through in batches ({@link FileAdd#batchFiles}): the version it
 * makes is the one a single pass makes, and a refusal met in a later batch leaves the draft as it
 * was. The batch is cut to a few files here, so that small folders cross many batches.
 */
class StreamingAddTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  Path src;

  @BeforeEach
  void setUp() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    src = tmp.resolve("src");
  }

  @AfterEach
  void tearDown() throws IOException {
    FileAdd.batchFiles = FileAdd.ONE_PASS;
    repo.close();
  }

  private void write(Path folder, String path, String content) throws IOException {
    Path p = folder.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /** A random tree: nested folders, names that sort around '/' ("a", "a-b", "a.b", "a/..."), some files shared with the draft. */
  private void randomTree(Path folder, long seed, int files) throws IOException {
    Random r = new Random(seed);
    String[] names = {"a", "a-b", "a.b", "b", "é", "e\u0301x", "z", "Z", "0", "a0"};
    for (int i = 0; i < files; i++) {
      int depth = r.nextInt(4);
      StringBuilder p = new StringBuilder();
      for (int d = 0; d < depth; d++) {
        p.append(names[r.nextInt(names.length)]).append("-d/");
      }
      p.append(names[r.nextInt(names.length)]).append('-').append(i).append(".bin");
      write(folder, p.toString(), "content " + (i % 7 == 0 ? "shared" : i + "-" + seed));
    }
  }

  private Dataset draftHolding(String name) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", name).build());
    Path old = tmp.resolve("old-" + name);
    write(old, "a-d/kept.txt", "kept");
    write(old, "zz/old.txt", "old");
    ds.addFiles(AddOptions.of(old));
    return ds;
  }

  @Test
  void batchesMakeTheVersionOnePassMakes() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      Path folder = tmp.resolve("tree-" + seed);
      randomTree(folder, seed, 60);
      Dataset whole = draftHolding("whole-" + seed);
      FileAdd.batchFiles = FileAdd.ONE_PASS;
      Dataset.Change one = whole.addFiles(AddOptions.of(folder).datasetFolder("in"));
      for (int batch : new int[] {1, 3, 7, 59, 60}) {
        FileAdd.batchFiles = batch;
        Dataset streamed = draftHolding("streamed-" + seed + "-" + batch);
        Dataset.Change c = streamed.addFiles(AddOptions.of(folder).datasetFolder("in"));
        assertThat(streamed.record().root()).as("seed %d, batch %d", seed, batch).isEqualTo(whole.record().root());
        assertThat(streamed.record().fileCount()).isEqualTo(62);
        assertThat(c.summary()).isEqualTo(one.summary());
        assertThat(c.filesRead()).isEqualTo(one.filesRead());
      }
    }
  }

  @Test
  void aFileOverADraftFolderInALaterBatchLeavesTheDraftAsItWas() throws Exception {
    Dataset ds = draftHolding("conflict");
    List<Object> before = List.of(ds.record().root(), ds.record().fileCount(), ds.record().log().size());
    for (int i = 0; i < 20; i++) {
      write(src, String.format("f%02d.txt", i), "f" + i);
    }
    write(src, "zz", "a file where the draft has a folder");
    FileAdd.batchFiles = 4;
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a path cannot be a file and a folder");
    assertThat(List.of(ds.record().root(), ds.record().fileCount(), ds.record().log().size())).isEqualTo(before);
    assertThat(paths(ds)).containsExactly("a-d/kept.txt", "zz/old.txt");
  }

  @Test
  void aNameRefusedAtTheEndOfTheScanLeavesTheDraftAsItWas() throws Exception {
    Dataset ds = draftHolding("refused");
    for (int i = 0; i < 20; i++) {
      write(src, String.format("f%02d.txt", i), "f" + i);
    }
    write(src, "zzz/tab\there", "a name no dataset path may hold");
    FileAdd.batchFiles = 4;
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class).hasMessageContaining("tab");
    assertThat(paths(ds)).containsExactly("a-d/kept.txt", "zz/old.txt");

    // Passed over, the rest streams in.
    List<String> warnings = new ArrayList<>();
    ds.addFiles(AddOptions.of(src).skipRefused(true), new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    assertThat(paths(ds)).hasSize(22).contains("f00.txt", "f19.txt");
    assertThat(warnings).singleElement().asString().contains("passed over");
  }

  @Test
  void aWildcardOrExcludeThatLeavesNothingIsRefusedAsBefore() throws Exception {
    Dataset ds = draftHolding("none");
    for (int i = 0; i < 10; i++) {
      write(src, String.format("f%02d.txt", i), "f" + i);
    }
    FileAdd.batchFiles = 3;
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).wildcard("*.jpg"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("matches the wildcard '*.jpg'").hasMessageContaining("nothing was added");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).exclude("*.txt"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is excluded by --exclude '*.txt'");
    assertThat(paths(ds)).containsExactly("a-d/kept.txt", "zz/old.txt");

    // Adding what the draft holds again changes nothing, and logs nothing.
    ds.addFiles(AddOptions.of(src));
    int steps = ds.record().log().size();
    Dataset.Change again = ds.addFiles(AddOptions.of(src));
    assertThat(again.summary().added() + again.summary().modified()).isZero();
    assertThat(ds.record().log()).hasSize(steps);
  }

  private static List<String> paths(Dataset ds) throws IOException {
    return ds.listFiles().stream().map(FileEntry::path).toList();
  }
}
