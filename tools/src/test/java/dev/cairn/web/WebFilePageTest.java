package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content listing on a manifest of a million files: pages by counts, filters by bounded scans. */
class WebFilePageTest {
  static final int FILES = 1_000_000;

  @TempDir static Path tmp;
  static Repository repo;
  static ObjectReader reader;
  static ObjectId root;

  /** shard-000/file-0000000.jpg ... shard-999/file-0999999.jpg, in path order. */
  static String path(int i) {
    return String.format("shard-%03d/file-%07d.jpg", i / 1000, i);
  }

  @BeforeAll
  static void buildManifest() throws IOException {
    repo = Repository.create(tmp.resolve("repo"), RepositoryConfig.DEFAULT);
    ObjectId digest = HashAlgorithm.SHA256.hash("content".getBytes(StandardCharsets.UTF_8));
    FileContent content = new FileContent(7, digest, digest);
    List<FileEntry> entries = new AbstractList<>() {
      @Override
      public FileEntry get(int i) {
        return FileEntry.file(path(i), content, false);
      }

      @Override
      public int size() {
        return FILES;
      }
    };
    try (ObjectInserter ins = repo.objects().newInserter()) {
      root = Manifest.build(ins, entries);
      ins.flush();
    }
    reader = repo.objects().newReader();
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    repo.close();
  }

  static Manifest manifest() {
    return new Manifest(new NodeLoader(reader), root);
  }

  @Test
  void anyPageOfAMillionFilesIsCutOutOfTheTree() throws IOException {
    // What makes it quick is the tree's entry counts (how long it takes is the benchmarks' to say).
    for (long offset : new long[] {0, 500_000, FILES - 100}) {
      FilePage page = FilePage.unfiltered(manifest(), offset, 100);
      assertThat(page.total()).isEqualTo(FILES);
      assertThat(page.files()).hasSize(100);
      assertThat(page.files().get(0).path()).isEqualTo(path((int) offset));
      assertThat(page.more()).isEqualTo(offset + 100 < FILES);
    }
  }

  @Test
  void aGlobMatchingFoldersSelectsWhatIsUnderThemAsListFilterDoes() throws IOException {
    FilePage page = FilePage.filtered(manifest(), "shard-00?", null, 100);
    assertThat(page.files()).hasSize(100);
    assertThat(page.files().get(0).path()).isEqualTo(path(0));
  }

  @Test
  void globWithAFolderSeeksStraightToIt() throws IOException {
    FilePage page = FilePage.filtered(manifest(), "shard-777/*.jpg", null, 100);
    assertThat(page.files()).hasSize(100);
    assertThat(page.files().get(0).path()).isEqualTo(path(777_000));
    assertThat(page.scanned()).as("the next match, which shows that more follow, is the next page's").isEqualTo(100);
    assertThat(page.more()).isTrue();
    FilePage last = FilePage.filtered(manifest(), "shard-777/*.jpg", path(777_949), 100);
    assertThat(last.files()).hasSize(50);
    assertThat(last.files().get(49).path()).isEqualTo(path(777_999));
    assertThat(last.more()).isFalse();
    assertThat(last.scanned()).isEqualTo(50);
  }

  @Test
  void alternativesScanAWholePageUnlessCraftedToBacktrack() throws IOException {
    // A pattern people type, over the whole scan of a page: no match, no refusal.
    FilePage page = FilePage.filtered(manifest(), "**/*.{png,gif}", null, 100);
    assertThat(page.files()).isEmpty();
    assertThat(page.scanned()).isEqualTo(FilePage.SCAN_LIMIT);
    // Each path well within the bound of its own, but a page of them far past the page's.
    String crafted = "{?,?}".repeat(10) + "*Z";
    assertThatThrownBy(() -> FilePage.filtered(manifest(), crafted, null, 100)).isInstanceOf(dev.cairn.errors.PatternTooCostlyException.class)
        .hasMessageContaining("against so many paths takes too many steps");
  }

  @Test
  void aFullPageOffersMoreOnlyWhenAnotherMatchFollows() throws IOException {
    // Ten matches, nine misses after each: 999900, 999910, ..., 999990.
    String filter = "shard-999/file-09999?0.jpg";
    FilePage first = FilePage.filtered(manifest(), filter, null, 5);
    assertThat(first.files()).extracting(FileEntry::path)
        .containsExactly(path(999_900), path(999_910), path(999_920), path(999_930), path(999_940));
    assertThat(first.more()).isTrue();
    assertThat(first.resumeAfter()).as("after the misses already scanned").isEqualTo(path(999_949));
    FilePage second = FilePage.filtered(manifest(), filter, first.resumeAfter(), 5);
    assertThat(second.files()).extracting(FileEntry::path)
        .containsExactly(path(999_950), path(999_960), path(999_970), path(999_980), path(999_990));
    assertThat(second.more()).as("a full page, but only misses follow: no empty next page is offered").isFalse();
    FilePage exact = FilePage.filtered(manifest(), "file-0999995", path(999_990), 1);
    assertThat(exact.files()).extracting(FileEntry::path).containsExactly(path(999_995));
    assertThat(exact.more()).isFalse();
  }

  @Test
  void aFilterThatMatchesLittleStopsAtTheScanLimitAndResumes() throws IOException {
    FilePage first = FilePage.filtered(manifest(), "file-099999", null, 100);
    assertThat(first.scanCut()).isTrue();
    assertThat(first.scanned()).isEqualTo(FilePage.SCAN_LIMIT);
    assertThat(first.files()).isEmpty();
    assertThat(first.resumeAfter()).isEqualTo(path(FilePage.SCAN_LIMIT - 1));
    String after = first.resumeAfter();
    FilePage page = first;
    while (page.scanCut()) {
      page = FilePage.filtered(manifest(), "FILE-099999", after, 100);
      after = page.resumeAfter();
    }
    assertThat(page.files()).extracting(FileEntry::path).containsExactly(
        path(999_990), path(999_991), path(999_992), path(999_993), path(999_994), path(999_995), path(999_996), path(999_997),
        path(999_998), path(999_999));
    assertThat(page.more()).isFalse();
  }

  @Test
  void aFilterTypedComposedFindsAPathStoredDecomposed() throws IOException {
    ObjectId digest = HashAlgorithm.SHA256.hash("menu".getBytes(StandardCharsets.UTF_8));
    FileContent content = new FileContent(4, digest, digest);
    String stored = "data/cafe\u0301/menu.jpg";
    ObjectId small;
    try (ObjectInserter ins = repo.objects().newInserter()) {
      small = Manifest.build(ins, List.of(FileEntry.file("data/a.jpg", content, false), FileEntry.file(stored, content, false),
          FileEntry.file("data/z.jpg", content, false)));
      ins.flush();
    }
    try (ObjectReader r = repo.objects().newReader()) {
      Manifest m = new Manifest(new NodeLoader(r), small);
      assertThat(FilePage.filtered(m, "data/caf\u00e9/*.jpg", null, 10).files()).extracting(FileEntry::path).containsExactly(stored);
      assertThat(FilePage.filtered(m, "/data/caf\u00e9/*", null, 10).files()).extracting(FileEntry::path).containsExactly(stored);
      assertThat(FilePage.filtered(m, "CAF\u00c9", null, 10).files()).extracting(FileEntry::path).containsExactly(stored);
    }
  }

  @Test
  void literalFolderOnlyForGlobsWithAFolder() {
    assertThat(FilePage.literalFolder("images/*.png")).isEqualTo("images/");
    assertThat(FilePage.literalFolder("a/b/c*/*.png")).isEqualTo("a/b/");
    assertThat(FilePage.literalFolder("*.png")).isEmpty();
    assertThat(FilePage.literalFolder("**/x.png")).isEmpty();
    assertThat(FilePage.literalFolder("images/")).as("no wildcard: a substring filter").isEmpty();
    // Anchored: the path without its leading slash, as stored paths read.
    assertThat(FilePage.literalFolder("/images/*.png")).isEqualTo("images/");
    // Not past a letter a path may spell in the other Unicode form.
    assertThat(FilePage.literalFolder("data/caf\u00e9/*.png")).isEqualTo("data/");
  }

  @Test
  void badFiltersAndResumePointsAreRejected() {
    assertThatThrownBy(() -> FilePage.filtered(manifest(), "*", "../etc", 10)).isInstanceOf(HttpProblem.class)
        .satisfies(e -> assertThat(((HttpProblem) e).status()).isEqualTo(400));
  }
}
