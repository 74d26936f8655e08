package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync merges the scanned folder with the draft as the files come, so the scan must hand them
 * over in the manifest's path order, also where a folder's name is a prefix of a sibling's
 * ("img/x" sorts after "img-2" and "img.txt", since '-' and '.' are below '/').
 */
class FolderSyncOrderTest {
  @TempDir Path tmp;

  private static final String[] NAMES = {"img", "img.txt", "img-2", "img 3", "a", "a!b", "a.b", "a~", "z", "é"};

  private void write(Path f, String text) throws IOException {
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
    // Old enough for the stat cache to trust (it distrusts files changed in the last 2 s).
    Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
  }

  @Test
  void scanHandsFilesOverInDatasetPathOrder() throws IOException {
    Random r = new Random(7);
    Path src = tmp.resolve("src");
    for (int i = 0; i < 200; i++) {
      StringBuilder p = new StringBuilder();
      int depth = 1 + r.nextInt(3);
      for (int d = 0; d < depth; d++) {
        p.append(d == 0 ? "" : "/").append(NAMES[r.nextInt(NAMES.length)]);
      }
      Path f = src.resolve(p.toString());
      if (Files.isDirectory(f) || (f.getParent() != null && Files.isRegularFile(f.getParent()))) {
        continue; // a name already used the other way (file vs folder)
      }
      boolean clash = false;
      for (Path q = f.getParent(); q != null && q.startsWith(src) && !q.equals(src); q = q.getParent()) {
        clash |= Files.isRegularFile(q);
      }
      if (!clash) {
        write(f, "content " + i);
      }
    }
    List<String> scanned = new ArrayList<>();
    new FolderScanner(Progress.NONE).scan(src, "", true, List.of(), f -> scanned.add(f.datasetPath()));
    List<String> sorted = new ArrayList<>(scanned);
    sorted.sort(DatasetPaths::compare);
    assertThat(scanned).isNotEmpty().isEqualTo(sorted);
  }

  @Test
  void syncOfPrefixNamedFoldersMatchesTheManifest() throws IOException {
    Path src = tmp.resolve("src");
    for (String p : List.of("img/x.png", "img.txt", "img-2/y.png", "img 3", "a/b/c", "a.b", "a!b/d")) {
      write(src.resolve(p), p);
    }
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "d").build());
      v1.syncFolder(src);
      v1.close();
      Files.delete(src.resolve("img.txt"));
      write(src.resolve("img/z.png"), "new");
      write(src.resolve("img-2/y.png"), "changed");
      Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build());
      Dataset.Change c = v2.syncFolder(src);
      assertThat(c.summary().added()).isEqualTo(1);
      assertThat(c.summary().modified()).isEqualTo(1);
      assertThat(c.summary().removed()).isEqualTo(1);
      ChangeSummary again = v2.syncFolder(src).summary();
      assertThat(again.added() + again.modified() + again.removed()).isZero();
      assertThat(v2.listFiles().stream().map(FileEntry::path).toList())
          .containsExactly("a!b/d", "a.b", "a/b/c", "img 3", "img-2/y.png", "img/x.png", "img/z.png");
    }
  }

  @Test
  void siblingFoldersThatCollideOnceNormalizedAreRefused() throws IOException {
    Path src = tmp.resolve("src");
    write(src.resolve("caf\u00e9/a.txt"), "composed");
    write(src.resolve("cafe\u0301/b.txt"), "decomposed");
    assertThatThrownBy(() -> new FolderScanner(Progress.NONE).scan(src, "", true, List.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("Unicode normalization");
  }
}
