package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void aPatternWithASlashThatMatchedNothingIsToldWhereItsStarWouldReach() {
    // As fnmatch, which clearml-data uses, would read it: the * across folders.
    String hint = Glob.reachHint(List.of("sub/*.csv"));
    assertThat(hint).isEqualTo("; a pattern with a / starts at the top, and a * stays within one folder: '**/sub/*.csv' looks at any"
        + " depth, 'sub/**/*.csv' in every folder below sub");
    assertThat(selected(Glob.of("sub/**/*.csv"))).containsExactly("sub/c.csv", "sub/deep/d.csv"); // each form said matches as said
    assertThat(selected(Glob.of("**/sub/*.csv"))).containsExactly("sub/c.csv");
    assertThat(Glob.reachHint(List.of("/sub/*.csv"))).doesNotContain("any depth").contains("'sub/**/*.csv'");
    // Nothing to say of a name, a path without a wildcard in its last name, or one with **.
    assertThat(Glob.reachHint(List.of("*.csv", "sub/c.csv", "sub/**/*.csv", "*/x"))).isEmpty();
    assertThat(Glob.reachHint(List.of("*.csv", "a/*/b*"))).contains("'a/*/**/b*'");
  }

  @Test
  void aNameMatchesInEitherUnicodeForm() {
    String composed = "caf\u00e9";
    String decomposed = "cafe\u0301";
    for (String typed : List.of(composed, decomposed)) {
      for (String stored : List.of(composed, decomposed)) {
        assertThat(Glob.filter(typed + ".txt").matches("d/" + stored + ".txt")).as("%s against %s", typed, stored).isTrue();
        assertThat(Glob.filter(typed + "/").matches(stored + "/x.txt")).isTrue();
        assertThat(Glob.of("/" + typed + "/*.txt").matches(stored + "/x.txt")).isTrue();
        // "?" is one letter, composed or not.
        assertThat(Glob.of("caf?.txt").matches(stored + ".txt")).isTrue();
      }
    }
    assertThat(Glob.of("caf?.txt").matches("cafe.txt")).isTrue();
    assertThat(Glob.of("caf\u00e9.txt").matches("cafe.txt")).isFalse();
    // A prefix a listing seeks to holds no letter that the other form would sort elsewhere.
    assertThat(Glob.filter("/data/" + composed + "/x.txt").requiredPrefix()).isEqualTo("data/");
    assertThat(Glob.filter("/data/" + decomposed + "/x.txt").requiredPrefix()).isEqualTo("data/");
  }

  @Test
  void aCharacterBeyondTheBasicPlaneMatchesItself() {
    assertThat(Glob.filter("emoji/\uD83D\uDE00.csv").matches("emoji/\uD83D\uDE00.csv")).isTrue();
    assertThat(Glob.of("*\uD83D\uDE00*").matches("a\uD83D\uDE00b")).isTrue();
    assertThat(Glob.filter("emoji/\uD83D\uDE00dir/").matches("emoji/\uD83D\uDE00dir/x")).isTrue();
    assertThat(Glob.of("[\uD83D\uDE00x].csv").matches("\uD83D\uDE00.csv")).isTrue();
    assertThat(Glob.of("?.csv").matches("\uD83D\uDE00.csv")).isTrue();
  }

  @Test
  void aFolderNameWithATrailingSlashSelectsThatFolderAtAnyDepth() {
    assertThat(selected(Glob.filter("sub/"))).containsExactly("sub/c.csv", "sub/deep/d.csv", "other/sub/e.txt");
    assertThat(selected(Glob.filter("sub/**"))).containsExactly("sub/c.csv", "sub/deep/d.csv");
  }

  /** The way tools/README.md gives to find names with a wildcard character in them. */
  @Test
  void aWildcardCharacterInASetOfItsOwnMatchesItself() throws Exception {
    Glob question = Glob.parseFilter("filter", "*[?]*");
    assertThat(question.matches("a/what?.txt")).isTrue();
    assertThat(question.matches("a/what.txt")).isFalse();
    Glob bracket = Glob.parseFilter("filter", "*[[]*");
    assertThat(bracket.matches("a/x[1].txt")).isTrue();
    assertThat(bracket.matches("a/what?.txt")).isFalse();
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
    // "./" too, as a shell's relative path reads.
    assertThat(selected(Glob.filter("./sub"))).containsExactly("sub/c.csv", "sub/deep/d.csv");
    assertThat(selected(Glob.filter("./sub/"))).containsExactly("sub/c.csv", "sub/deep/d.csv");
    assertThat(selected(Glob.of("./*.csv"))).containsExactly("a.csv");
    assertThat(selected(Glob.filter("./"))).containsExactlyElementsOf(PATHS);
    assertThat(selected(Glob.of(".//./sub/*.csv"))).containsExactly("sub/c.csv");
    // Empty and "." segments inside, as a path's.
    assertThat(selected(Glob.filter("sub/./deep"))).containsExactly("sub/deep/d.csv");
    assertThat(selected(Glob.filter("sub//deep"))).containsExactly("sub/deep/d.csv");
  }

  @Test
  void aPatternThatBacktracksWithoutEndIsRefusedInsteadOfRun() {
    String path = "d".repeat(150) + "/" + "e".repeat(150) + "/f.txt";
    // Before the bound, this match ran for longer than anyone waited.
    assertThatThrownBy(() -> Glob.filter("**d**d**d**d**d**d**d**d**x").matches(path))
        .isInstanceOf(dev.cairn.errors.PatternTooCostlyException.class).hasMessageContaining("pattern '**d**d**d**d**d**d**d**d**x'")
        .hasMessageContaining("too many steps");
    // Patterns a person means stay well within it, on long paths too.
    assertThat(Glob.filter("**/e*/*.txt").matches(path)).isTrue();
    assertThat(Glob.of("{d,x}*d/**/*.{txt,csv}").matches(path)).isTrue();
    assertThat(Glob.of("**d**e**f.txt").matches(path)).isTrue();
    // Alternatives that match the same text many ways backtrack too (8 to the power of the groups), with a single star.
    String alternatives = "{?,?,?,?,?,?,?,?}".repeat(12) + "*Z";
    assertThatThrownBy(() -> Glob.filter(alternatives).matches("image_" + "0".repeat(30) + ".png"))
        .isInstanceOf(dev.cairn.errors.PatternTooCostlyException.class).hasMessageContaining("too many steps");
    assertThat(Glob.filter("{img,image}_*.{png,jpg}").matches("train/image_" + "0".repeat(30) + ".png")).isTrue();
  }

  /** A run of stars is one **: it matches what ** matches, and in time of the path's length, not of its power. */
  @Test
  @org.junit.jupiter.api.Timeout(60) // a guard against a hang, not a measure: before, 12 stars ran for hours
  void aRunOfStarsIsOneDoubleStar() {
    String path = "d".repeat(300) + "/" + "e".repeat(300) + "/f.txt";
    for (String run : List.of("***", "************", "*".repeat(300))) {
      assertThat(Glob.of(run + "z").matches(path)).as(run).isFalse();
      assertThat(Glob.of(run + "f.txt").matches(path)).as(run).isTrue();
      assertThat(selected(Glob.of(run + "/*.csv"))).as(run).isEqualTo(selected(Glob.of("**/*.csv")));
      assertThat(selected(Glob.filter("sub/" + run))).as(run).isEqualTo(selected(Glob.filter("sub/**")));
    }
    var budget = Glob.filter("************z").within(50_000_000);
    for (int i = 0; i < 20_000; i++) {
      assertThat(budget.test("shard" + i % 100 + "/" + path)).isFalse();
    }
  }

  @Test
  void matchesWithinABudgetShareIt() {
    var test = Glob.of("{a,b}*.png").within(10_000);
    String path = "a" + "x".repeat(100) + ".jpg";
    assertThat(test.test(path)).isFalse(); // each match well within the bound of its own
    assertThatThrownBy(() -> {
      for (int i = 0; i < 1000; i++) {
        test.test(path);
      }
    }).isInstanceOf(dev.cairn.errors.PatternTooCostlyException.class);
    // A pattern that cannot backtrack much is not counted.
    var plain = Glob.of("*.png").within(10);
    for (int i = 0; i < 1000; i++) {
      assertThat(plain.test(path)).isFalse();
    }
  }

  @Test
  void aNameSearchThatBacktracksWithoutEndIsRefused() {
    var filter = DatasetRepository.nameFilter("((n+)+)+1");
    assertThatThrownBy(() -> filter.test("n".repeat(158))).isInstanceOf(dev.cairn.errors.PatternTooCostlyException.class)
        .hasMessageContaining("name search '((n+)+)+1'");
    assertThat(filter.test("nnn1")).isTrue();
  }

  /** Every path a filter selects starts with its required prefix: a listing that seeks there and stops past it misses none. */
  @net.jqwik.api.Property(tries = 300)
  void everyMatchStartsWithTheRequiredPrefix(@net.jqwik.api.ForAll("paths") List<String> paths) {
    for (String pattern : List.of("sub/*.csv", "/sub/deep", "./sub", "sub//deep/*", "sub/d?ep/*.csv", "other/sub/e.txt", "**/c.csv",
        "*.csv", "{a,sub}/c.csv", "sub/[cd]*", "sub/", "/", ".", "sub/deep/**", "sub.txt", "/sub.txt", "sub/./deep", "x\\*y/z")) {
      for (Glob g : List.of(Glob.filter(pattern), Glob.of(pattern))) {
        String prefix = g.requiredPrefix();
        for (String p : paths) {
          if (g.matches(p)) {
            assertThat(p).as(pattern).startsWith(prefix);
          }
        }
      }
    }
    assertThat(Glob.filter("sub/deep/*.csv").requiredPrefix()).isEqualTo("sub/deep/");
    assertThat(Glob.filter("/sub/deep").requiredPrefix()).isEqualTo("sub/deep");
    assertThat(Glob.filter("*.csv").requiredPrefix()).isEmpty();
    // Of several: their common start, every match of any of them starting with it.
    List<Glob> two = List.of(Glob.filter("sub/deep/*.csv"), Glob.filter("sub/other/x"));
    assertThat(Glob.requiredPrefix(two)).isEqualTo("sub/");
    assertThat(Glob.requiredPrefix(List.of(Glob.filter("sub/x"), Glob.filter("*.csv")))).isEmpty();
    assertThat(Glob.requiredPrefix(List.of())).isEmpty();
    for (String p : paths) {
      if (two.stream().anyMatch(g -> g.matches(p))) {
        assertThat(p).startsWith(Glob.requiredPrefix(two));
      }
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<String>> paths() {
    net.jqwik.api.Arbitrary<String> segment = net.jqwik.api.Arbitraries.of("a", "b", "sub", "deep", "other", "c.csv", "d.csv", "sub.txt",
        "sub0", "e.txt", "x*y");
    return segment.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l)).list().ofMaxSize(40);
  }
}
