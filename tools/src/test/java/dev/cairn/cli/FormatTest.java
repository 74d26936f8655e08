package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Columns as a terminal shows them: by cells, not by UTF-16 units. */
class FormatTest {
  @Test
  void wideCharactersTakeTwoCellsAndCombiningMarksNone() {
    assertThat(Format.cells("abc")).isEqualTo(3);
    assertThat(Format.cells("日本語.txt")).isEqualTo(10);
    assertThat(Format.cells("cafe\u0301")).as("e and a combining acute: one cell").isEqualTo(4);
    assertThat(Format.cells("\uD83D\uDE00")).as("one emoji, two UTF-16 units").isEqualTo(2);
  }

  @Test
  void columnsLineUpWhateverTheScript() {
    assertThat(Format.pad("日本", 6)).isEqualTo("日本  ");
    assertThat(Format.col("ab", 4)).isEqualTo("ab  ");
    assertThat(Format.col("日本語ファイル", 7)).isEqualTo("日本語…");
    assertThat(Format.cells(Format.col("日本語ファイル", 8))).isEqualTo(8);
    assertThat(Format.col("abcdefgh", 5)).isEqualTo("abcd…");
  }

  @Test
  void pathsAreShownWithTheirControlCharactersAndOverridesEscaped() {
    assertThat(Format.path("x\u009b2Jy")).as("C1 CSI, which a terminal takes as ESC [").isEqualTo("x\\x9b2Jy");
    assertThat(Format.path("\u202etxt.exe")).as("right-to-left override").isEqualTo("\\u202etxt.exe");
    assertThat(Format.path("a b/ c\u0085")).isEqualTo("\"a b/ c\\x85\"");
    assertThat(Format.path("plain/caf\u00e9.txt")).isEqualTo("plain/caf\u00e9.txt");
  }
}
