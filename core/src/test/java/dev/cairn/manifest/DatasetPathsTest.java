package dev.cairn.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The rules of a dataset path (spec/manifest.md), checked one by one and against a plain model. */
class DatasetPathsTest {
  @Test
  void acceptsOrdinaryPaths() {
    for (String p : new String[] {"a", "a/b.csv", "images/0001.png", ".hidden", "a/...", "a/.b", "é/日本/😀.txt", "a b/c d"}) {
      assertThat(DatasetPaths.problem(p)).as(p).isNull();
    }
  }

  @Test
  void namesWhatIsWrong() {
    assertThat(DatasetPaths.problem("")).isEqualTo("empty path");
    assertThat(DatasetPaths.problem("/a")).isEqualTo("absolute path");
    assertThat(DatasetPaths.problem("a/")).isEqualTo("path ends with '/'");
    assertThat(DatasetPaths.problem("a//b")).isEqualTo("empty path segment");
    assertThat(DatasetPaths.problem("a/./b")).isEqualTo("'.' segment");
    assertThat(DatasetPaths.problem("..")).isEqualTo("'..' segment");
    assertThat(DatasetPaths.problem("a/..")).isEqualTo("'..' segment");
    assertThat(DatasetPaths.problem("a\0b")).isEqualTo("NUL character");
    assertThat(DatasetPaths.problem("a\\b")).isEqualTo("backslash (use '/' to separate folders)");
    assertThat(DatasetPaths.problem("a\nb")).isEqualTo("control character");
    assertThat(DatasetPaths.problem("a\u007Fb")).isEqualTo("control character");
    assertThat(DatasetPaths.problem("a\uD800")).isEqualTo("invalid Unicode");
    assertThat(DatasetPaths.problem("a\uD800/b")).isEqualTo("invalid Unicode");
    assertThat(DatasetPaths.problem("a\uDC00b")).isEqualTo("invalid Unicode");
  }

  @Test
  void countsLengthsInUtf8Bytes() {
    assertThat(DatasetPaths.problem("x".repeat(255))).isNull();
    assertThat(DatasetPaths.problem("x".repeat(256))).isEqualTo("name longer than 255 bytes");
    assertThat(DatasetPaths.problem("é".repeat(127) + "x")).isNull(); // 255 bytes
    assertThat(DatasetPaths.problem("é".repeat(128))).isEqualTo("name longer than 255 bytes");
    assertThat(DatasetPaths.problem("日".repeat(85))).isNull(); // 255 bytes
    assertThat(DatasetPaths.problem("日".repeat(85) + "x")).isEqualTo("name longer than 255 bytes");
    assertThat(DatasetPaths.problem("😀".repeat(63) + "xxx")).isNull(); // 255 bytes
    assertThat(DatasetPaths.problem("😀".repeat(64))).isEqualTo("name longer than 255 bytes");
    String folders = ("t".repeat(254) + "/").repeat(16); // 4080 bytes
    assertThat(DatasetPaths.problem(folders + "t".repeat(16))).isNull(); // 4096 bytes
    assertThat(DatasetPaths.problem(folders + "t".repeat(17))).isEqualTo("path longer than 4096 bytes");
    assertThat(DatasetPaths.problem(folders + "t".repeat(14) + "é")).isNull();
    assertThat(DatasetPaths.problem(folders + "t".repeat(15) + "é")).isEqualTo("path longer than 4096 bytes");
  }

  @Property(tries = 3000)
  void agreesWithAPlainModelOfTheRules(@ForAll("paths") String path) {
    assertThat(DatasetPaths.problem(path)).isEqualTo(model(path));
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<Character> c = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, Arbitraries.chars().range('a', 'c')),
        net.jqwik.api.Tuple.of(4, Arbitraries.of('/', '.')),
        net.jqwik.api.Tuple.of(2, Arbitraries.of('é', '日', '\\', '\0', '\n', '\u007F')),
        net.jqwik.api.Tuple.of(2, Arbitraries.of('\uD83D', '\uDE00', '\uD800', '\uDC00')));
    Arbitrary<String> shortPaths = c.list().ofMaxSize(12).map(DatasetPathsTest::join);
    Arbitrary<String> longNames = Arbitraries.of("x", "é", "日", "\uD83D\uDE00").flatMap(u ->
        Arbitraries.integers().between(60, 300).map(n -> u.repeat(n)));
    Arbitrary<String> longPaths = longNames.list().ofMinSize(1).ofMaxSize(24).map(l -> String.join("/", l));
    return Arbitraries.oneOf(shortPaths, longPaths);
  }

  private static String join(List<Character> cs) {
    StringBuilder b = new StringBuilder();
    cs.forEach(b::append);
    return b.toString();
  }

  /** The rules written as plainly as possible: split, compare, encode. */
  private static String model(String path) {
    if (path.isEmpty()) {
      return "empty path";
    }
    if (path.startsWith("/")) {
      return "absolute path";
    }
    if (path.endsWith("/")) {
      return "path ends with '/'";
    }
    int start = 0;
    for (int i = 0; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        String seg = path.substring(start, i);
        if (seg.isEmpty()) {
          return "empty path segment";
        }
        if (seg.equals(".") || seg.equals("..")) {
          return "'" + seg + "' segment";
        }
        if (seg.getBytes(StandardCharsets.UTF_8).length > 255) {
          return "name longer than 255 bytes";
        }
        start = i + 1;
        continue;
      }
      char ch = path.charAt(i);
      if (ch == 0) {
        return "NUL character";
      }
      if (ch == '\\') {
        return "backslash (use '/' to separate folders)";
      }
      if (ch < 0x20 || ch == 0x7F) {
        return "control character";
      }
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 >= path.length() || !Character.isLowSurrogate(path.charAt(i + 1))) {
          return "invalid Unicode";
        }
        i++;
      } else if (Character.isLowSurrogate(ch)) {
        return "invalid Unicode";
      }
    }
    return path.getBytes(StandardCharsets.UTF_8).length > 4096 ? "path longer than 4096 bytes" : null;
  }
}
