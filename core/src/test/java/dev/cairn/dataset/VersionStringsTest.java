package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Version order: numeric parts compare as numbers, pre-releases before releases, and the order is total and consistent. */
class VersionStringsTest {
  @Test
  void numbersCompareAsNumbers() {
    List<String> sorted = new ArrayList<>(List.of("1.0.10", "1.0.9", "1.0.0", "2.0", "1.0.09", "1.0.a", "1.1"));
    sorted.sort(VersionStrings.ORDER);
    // a part that is text sorts before any number; equal numbers fall back to the text
    assertThat(sorted).containsExactly("1.0.a", "1.0.0", "1.0.09", "1.0.9", "1.0.10", "1.1", "2.0");
  }

  @Test
  void aPreReleaseComesBeforeItsReleaseAsInSemanticVersioning() throws Exception {
    List<String> sorted = new ArrayList<>(List.of("2.0.0", "2.0.0-rc.10", "2.0.0-rc.2", "2.0.0-alpha", "2.0.0+build.5",
        "2.0.1-beta-2", "1.9.9", "2.0.0-rc.2+b1", "2024-01-15", "2024-02-01"));
    sorted.sort(VersionStrings.ORDER);
    assertThat(sorted).containsExactly("1.9.9", "2.0.0-alpha", "2.0.0-rc.2", "2.0.0-rc.2+b1", "2.0.0-rc.10", "2.0.0", "2.0.0+build.5",
        "2.0.1-beta-2", "2024-01-15", "2024-02-01");
    assertThat(sorted.stream().max(VersionStrings.ORDER)).contains("2024-02-01");
    assertThat(VersionStrings.bump("2.0.0-rc1")).isEqualTo("2.0.0-rc2");
    // In a pre-release a number comes before a word (semantic versioning); within a word, digits
    // compare as numbers, so that the version after rc9 is higher.
    assertThat(VersionStrings.compare("1.0.0-1", "1.0.0-alpha")).isNegative();
    assertThat(VersionStrings.compare(VersionStrings.bump("2.0.0-rc9"), "2.0.0-rc9")).isPositive();
    assertThat(VersionStrings.compare("1.0.0-rc10", "1.0.0-rc9")).isPositive();
    assertThat(VersionStrings.bump("2024-02-01")).isEqualTo("2024-02-02");
    assertThat(VersionStrings.bump("1.0.09")).isEqualTo("1.0.10");
    assertThat(VersionStrings.bump("1.0.0+build")).isEqualTo("1.0.1");
    assertThat(VersionStrings.bump("2.0.0+b2")).isEqualTo("2.0.1");
    // A pre-release without a number goes on with one; its release is not bumped under it.
    assertThat(VersionStrings.bump("2.1.0-b")).isEqualTo("2.1.0-b.1");
    assertThat(VersionStrings.bump("2.1.0-b+7")).isEqualTo("2.1.0-b.1");
    for (String v : List.of("1.0.9", "2024-02-01", "1.0.0+build.7", "2.0.0-rc9", "v9", "0.0.099", "a-", "abc", "2.1.0-beta", "1-x")) {
      assertThat(VersionStrings.compare(VersionStrings.bump(v), v)).as(v).isPositive();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> VersionStrings.bump("9".repeat(64)))
        .isInstanceOf(dev.cairn.errors.InvalidInputException.class).hasMessageEndingWith("give one with CreateOptions.version")
        .extracting(e -> ((dev.cairn.errors.CairnException) e).commandLineMessage()).asString().endsWith("give one with --version");
  }

  /** The comparison agrees with a plain model built on {@code String.split} and regular expressions. */
  @Property(tries = 3000)
  void agreesWithASplitModel(@ForAll("versions") String a, @ForAll("versions") String b) {
    assertThat(Integer.signum(VersionStrings.compare(a, b))).as("%s vs %s", a, b).isEqualTo(Integer.signum(model(a, b)));
    assertThat(Integer.signum(VersionStrings.compare(a, b))).isEqualTo(-Integer.signum(VersionStrings.compare(b, a)));
  }

  @Provide
  Arbitrary<String> versions() {
    return Arbitraries.strings().withChars("0019ab.-_+").ofMinLength(1).ofMaxLength(9);
  }

  private static int model(String a, String b) {
    String[] x = modelSplit(a);
    String[] y = modelSplit(b);
    int c = modelParts(x[0].split("[._]"), y[0].split("[._]"), false);
    if (c == 0) {
      c = x[1] == null ? (y[1] == null ? 0 : 1) : y[1] == null ? -1 : modelParts(x[1].split("[._-]"), y[1].split("[._-]"), true);
    }
    if (c == 0) {
      c = modelParts(x[2].split("[._+-]"), y[2].split("[._+-]"), false);
    }
    return c != 0 ? c : a.compareTo(b);
  }

  /** Release, pre-release (null if none or empty) and build, by regular expressions. */
  private static String[] modelSplit(String v) {
    Matcher m = Pattern.compile("([^+-]*)(?:-([^+]*))?(?:\\+(.*))?").matcher(v);
    assertThat(m.matches()).isTrue();
    String pre = m.group(2) == null || m.group(2).isEmpty() ? null : m.group(2);
    return new String[] {m.group(1), pre, m.group(3) == null ? "" : m.group(3)};
  }

  private static int modelParts(String[] x, String[] y, boolean numbersFirst) {
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = modelPart(x[i], y[i], numbersFirst);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static int modelPart(String a, String b, boolean numbersFirst) {
    boolean na = a.matches("[0-9]+");
    boolean nb = b.matches("[0-9]+");
    if (na && nb) {
      return modelNumbers(a, b);
    }
    if (na != nb) {
      return na == numbersFirst ? -1 : 1;
    }
    String[] x = a.split("(?<=[0-9])(?=[^0-9])|(?<=[^0-9])(?=[0-9])");
    String[] y = b.split("(?<=[0-9])(?=[^0-9])|(?<=[^0-9])(?=[0-9])");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = x[i].matches("[0-9]+") && y[i].matches("[0-9]+") ? modelNumbers(x[i], y[i]) : x[i].compareTo(y[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  private static int modelNumbers(String a, String b) {
    String ta = a.replaceFirst("^0+(?=.)", "");
    String tb = b.replaceFirst("^0+(?=.)", "");
    int c = Integer.compare(ta.length(), tb.length());
    return c != 0 ? c : ta.compareTo(tb);
  }
}
