package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectionTest {
  @Test
  void refusesPartsOutOfRangeWithAMessageThatNamesTheRange() {
    assertThatThrownBy(() -> Selection.part(2, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot take part 2 of 2: parts are numbered from 0 to 1");
    assertThatThrownBy(() -> Selection.part(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Selection.part(0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot split a version into 0 parts: give at least 1");
    assertThatThrownBy(() -> new Selection(0, 1, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("filters");
  }

  @Test
  void onlyTheWholeVersionIsAllAndAPartHasAFileNameSafeKey() {
    assertThat(Selection.part(0, 1).isAll()).isTrue();
    assertThat(new Selection(0, 1, List.of(Glob.of("*.txt"))).isAll()).isFalse();
    assertThat(Selection.part(1, 3).key()).isEqualTo(".parts-1-of-3");
  }

  @Test
  void aFilteredSelectionReadsItsPatternsAsGetsFilterDoes() {
    Selection images = Selection.filtered("images", "*.csv");
    assertThat(images.isAll()).isFalse();
    assertThat(images.filters()).hasSize(2);
    assertThat(images.filters().get(0).matches("data/images/cat.png")).as("a folder's name takes what it holds").isTrue();
    assertThat(images.filters().get(1).matches("a/b/t.csv")).isTrue();
    assertThat(Selection.filtered().isAll()).isTrue();
    assertThatThrownBy(() -> Selection.filtered("x[")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFolderSelectionTakesWhatTheFolderHoldsItsNameReadAsItIs() {
    String[] names = {"a*b", "a?b", "a[b]", "a{b,c}", "plain"};
    for (String name : names) {
      Selection folder = Selection.folder("top/" + name);
      assertThat(folder.matches("top/" + name + "/x.txt")).as(name).isTrue();
      assertThat(folder.matches("top/" + name + "/deep/er/y.bin")).as(name).isTrue();
      assertThat(folder.matches("top/" + name + "-other/x.txt")).as(name).isFalse();
      assertThat(folder.matches("nested/top/" + name + "/x.txt")).as(name + ": from the top only").isFalse();
      assertThat(folder.matches("top/x.txt")).as(name).isFalse();
    }
    assertThat(Selection.folder("top/a*b").matches("top/aXb/x.txt")).as("a star in a name is a star").isFalse();
    assertThat(Selection.folder("top/a?b").matches("top/aXb/x.txt")).isFalse();
    assertThat(Selection.folder("top/a{b,c}").matches("top/ab/x.txt")).isFalse();
    assertThat(Selection.folder("")).isEqualTo(Selection.ALL);
    assertThat(Glob.literal("a*b?[c]{d}")).isEqualTo("a[*]b[?][[]c][{]d}");
  }

  @Test
  void aPartIsReadBackFromItsKeyAndAFilterIsNot() {
    for (int n = 1; n <= 9; n++) {
      for (int k = 0; k < n; k++) {
        assertThat(Selection.ofKey(Selection.part(k, n).key())).isEqualTo(Selection.part(k, n));
      }
    }
    assertThat(Selection.ofKey("")).isEqualTo(Selection.ALL);
    assertThat(Selection.ofKey(new Selection(0, 2, List.of(Glob.of("*.txt"))).key())).isNull();
    assertThat(Selection.ofKey(".parts-3-of-3")).isNull();
    assertThat(Selection.ofKey(".parts-0-of-1")).isNull(); // never made: a whole version has no key
    assertThat(Selection.ofKey(".part-0-of-2")).as("an earlier release's part, cut otherwise").isNull();
    assertThat(Selection.ofKey("-copy")).isNull();
  }

  @Test
  void partsCutByTheRulesOfEarlierReleasesAreKeyedApart() {
    assertThat(Selection.isKeyOfEarlierParts(".part-0-of-2")).isTrue();
    assertThat(Selection.isKeyOfEarlierParts(".part-1-of-3.filter-0123456789ab")).isTrue();
    assertThat(Selection.isKeyOfEarlierParts(Selection.part(0, 2).key())).isFalse();
    assertThat(Selection.isKeyOfEarlierParts(".filter-0123456789ab")).isFalse();
    assertThat(Selection.isKeyOfEarlierParts("")).isFalse();
    String releaseBefore = ".parts-0-of-2.filter-" + dev.cairn.id.HashAlgorithm.SHA256.hash("parts of the selected files\u0000x"
        .getBytes(StandardCharsets.UTF_8)).abbreviate(12);
    assertThat(new Selection(0, 2, List.of(Glob.filter("x"))).key()).startsWith(".parts-0-of-2.filter-").isNotEqualTo(releaseBefore);
  }

  @Test
  void aPartOfAFilteredSubsetIsKeyedApartFromTheOldSplitOfTheWholeVersion() {
    String oldKey = ".part-0-of-2.filter-" + dev.cairn.id.HashAlgorithm.SHA256.hash("x".getBytes(StandardCharsets.UTF_8))
        .abbreviate(12);
    assertThat(new Selection(0, 2, List.of(Glob.filter("x"))).key()).startsWith(".parts-0-of-2.filter-").isNotEqualTo(oldKey);
    // Without parts, a filter keeps the key it had: folders built before are still good.
    assertThat(new Selection(0, 1, List.of(Glob.filter("x"))).key()).isEqualTo(".filter-" + oldKey.substring(".part-0-of-2.filter-".length()));
  }

  @Test
  void aFilterUnderALiteralFolderSelectsWhatAWholeWalkWould() throws java.io.IOException {
    var db = new dev.cairn.store.memory.InMemoryObjectDatabase(dev.cairn.id.HashAlgorithm.SHA256, dev.cairn.chunk.ChunkerParams.DEFAULT);
    java.util.TreeMap<String, dev.cairn.manifest.FileEntry> files = new java.util.TreeMap<>(dev.cairn.manifest.DatasetPaths::compare);
    for (String p : List.of("a.csv", "sub", "sub.csv", "sub/a.csv", "sub/b.txt", "sub/deep/c.csv", "sub0/d.csv", "subway/e.csv", "z/sub/f.csv")) {
      files.put(p, DatasetPropertiesTest.entry(p, p.length()));
    }
    dev.cairn.id.ObjectId root;
    try (dev.cairn.store.ObjectInserter ins = db.newInserter()) {
      root = dev.cairn.manifest.Manifest.build(ins, files.values());
      ins.flush();
    }
    try (dev.cairn.store.ObjectReader reader = db.newReader()) {
      var m = new dev.cairn.manifest.Manifest(new dev.cairn.manifest.NodeLoader(reader), root);
      for (String f : List.of("sub/*.csv", "sub", "/sub/", "sub/deep", "sub/**/*.csv", "*.csv", "sub/b.txt", "sub/nothing")) {
        Glob g = Glob.filter(f);
        List<String> selected = new Selection(0, 1, List.of(g)).select(m).stream().map(dev.cairn.manifest.FileEntry::path).toList();
        assertThat(selected).as(f).isEqualTo(files.keySet().stream().filter(g::matches).toList());
      }
    }
  }
}
