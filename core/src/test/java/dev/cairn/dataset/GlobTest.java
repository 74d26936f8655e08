package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobTest {
  static final List<String> PATHS = List.of("a.csv", "b.txt", "sub/c.csv", "sub/deep/d.csv", "other/sub/e.txt");

  static List<String> selected(Glob g) {
    return PATHS.stream().filter(g::matches).toList();
  }

  @Test
  void aPatternWithoutSlashMatchesANameAtAnyDepth() {
    assertThat(selected(Glob.of("*.csv"))).containsExactly("a.csv", "sub/c.csv", "sub/deep/d.csv");
    assertThat(selected(Glob.filter("sub"))).containsExactly("sub/c.csv", "sub/deep/d.csv", "other/sub/e.txt");
  }

  @Test
  void aLeadingSlashAnchorsAtTheRoot() {
    assertThat(selected(Glob.of("/*.csv"))).containsExactly("a.csv");
    assertThat(selected(Glob.filter("/sub"))).containsExactly("sub/c.csv", "sub/deep/d.csv");
    assertThat(selected(Glob.filter("/sub/"))).containsExactly("sub/c.csv", "sub/deep/d.csv");
    assertThat(selected(Glob.filter("//sub/*.csv"))).containsExactly("sub/c.csv");
    assertThat(selected(Glob.of("/sub/*.csv"))).containsExactly("sub/c.csv");
    assertThat(selected(Glob.filter("/"))).containsExactlyElementsOf(PATHS);
    assertThat(selected(Glob.of("/**/*.txt"))).containsExactly("b.txt", "other/sub/e.txt");
  }
}
