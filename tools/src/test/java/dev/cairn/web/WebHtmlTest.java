package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Escaping, and the small text helpers the pages use. */
class WebHtmlTest {
  @Test
  void escapesTextAndAttributes() {
    assertThat(Html.escape("<img src=x onerror=alert(1)>")).isEqualTo("&lt;img src=x onerror=alert(1)&gt;");
    assertThat(Html.escape("a \"b\" & 'c'")).isEqualTo("a &quot;b&quot; &amp; &#39;c&#39;");
    assertThat(Html.escape("plain ✓ 日本")).isEqualTo("plain ✓ 日本");
    assertThat(Html.escape("nul\u0000bell\u0007esc\u001bdel\u007f")).isEqualTo("nul\u2400bell\u2407esc\u241bdel\u2421");
    String h = new Html().link("/x?a=1&b=\"2\"", "<b>", "title", "'t'").toString();
    assertThat(h).isEqualTo("<a href=\"/x?a=1&amp;b=&quot;2&quot;\" title=\"&#39;t&#39;\">&lt;b&gt;</a>");
  }

  @Test
  void leavesOutNullAndFalseAttributes() {
    assertThat(new Html().empty("input", "name", "q", "value", null, "checked", false, "autofocus", true).toString())
        .isEqualTo("<input name=\"q\" autofocus>");
    assertThat(new Html().empty("rect", "x", 1).toString()).isEqualTo("<rect x=\"1\"/>");
  }

  @Test
  void linksEncodeUserStringsInQueries() {
    assertThat(Links.preview("abc", "a b/<c>&d=e.txt")).isEqualTo("/versions/abc/preview?path=a%20b%2F%3Cc%3E%26d%3De.txt");
    assertThat(Links.dataset("", "x")).isEqualTo("/dataset?project=&name=x");
    assertThat(Links.query("a", null, "b", "")).isEmpty();
  }

  @Test
  void formatsForPeople() {
    assertThat(Text.bytes(0)).isEqualTo("0 B");
    assertThat(Text.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Text.bytes(300L << 20)).isEqualTo("300.0 MiB");
    assertThat(Text.count(1234567)).isEqualTo("1,234,567");
    assertThat(Text.time(0)).isEqualTo("–");
    assertThat(dev.cairn.cli.ShellWords.quote("--files")).isEqualTo("--files");
    assertThat(dev.cairn.cli.ShellWords.quote("a b's")).isEqualTo("'a b'\\''s'");
    // A newline or tab would break the line, or show as a space in a page: ANSI-C quoted instead.
    assertThat(dev.cairn.cli.ShellWords.quote("multi=line1\nline2")).isEqualTo("$'multi=line1\\nline2'");
    assertThat(dev.cairn.cli.ShellWords.quote("it's\t\\\u0001")).isEqualTo("$'it\\'s\\t\\\\\\x01'");
    assertThat(dev.cairn.cli.ShellWords.quote("a\u0085b\u2028c")).isEqualTo("$'a\\u0085b\\u2028c'");
  }

  @Test
  void readsCsvAndTsvHeads() {
    assertThat(DelimitedText.rows("a,b\n1,\"x, \"\"y\"\"\"\r\n2,3", ',', 10, true))
        .isEqualTo(List.of(List.of("a", "b"), List.of("1", "x, \"y\""), List.of("2", "3")));
    assertThat(DelimitedText.rows("a\tb\n1\t2\n3\t", '\t', 10, false)).as("a cut text drops its partial last row")
        .isEqualTo(List.of(List.of("a", "b"), List.of("1", "2")));
    assertThat(DelimitedText.rows("h\n1\n2\n3\n", ',', 2, true)).hasSize(2);
    assertThat(DelimitedText.rows("\uFEFFh\n", ',', 2, true)).isEqualTo(List.of(List.of("h")));
  }

  @Test
  void previewKindsFollowNamesAndBytes() {
    assertThat(PreviewKind.imageType("a/b.JPG")).isEqualTo("image/jpeg");
    assertThat(PreviewKind.imageType("a.txt")).isNull();
    byte[] text = "hello\nworld\n".getBytes(StandardCharsets.UTF_8);
    assertThat(PreviewKind.looksLikeText(text, text.length)).isTrue();
    assertThat(PreviewKind.looksLikeText(new byte[] {1, 0, 2}, 3)).isFalse();
  }

  @Test
  void pagerStaysOnPageBoundaries() {
    Widgets.PageLink link = o -> "/p?o=" + o;
    String straddling = Widgets.pager(99, 65, 164, 100, link).toString();
    assertThat(straddling).contains("Showing 100–164 of 164 (pages 1–2 of 2)", "href=\"/p?o=0\" class=\"button secondary\" rel=\"prev\"")
        .doesNotContain("rel=\"next\"");
    String middle = Widgets.pager(150, 100, 1000, 100, link).toString();
    assertThat(middle).contains("Showing 151–250 of 1,000 (pages 2–3 of 10)", "href=\"/p?o=100\" class=\"button secondary\" rel=\"prev\"",
        "href=\"/p?o=200\" class=\"button secondary\" rel=\"next\"", "href=\"/p?o=900\" class=\"button secondary\" rel=\"last\"");
    String aligned = Widgets.pager(100, 64, 164, 100, link).toString();
    assertThat(aligned).contains("Showing 101–164 of 164 (page 2 of 2)", "href=\"/p?o=0\" class=\"button secondary\" rel=\"prev\"");
    String pastTheEnd = Widgets.pager(1000, 0, 164, 100, link).toString();
    assertThat(pastTheEnd).as("previous goes to the last page").contains("Past the end (164 in all)",
        "href=\"/p?o=100\" class=\"button secondary\" rel=\"prev\"");
    assertThat(Widgets.pager(300, 0, 300, 100, link).toString()).contains("href=\"/p?o=200\" class=\"button secondary\" rel=\"prev\"");
    assertThat(Widgets.pager(50, 0, 0, 100, link).toString()).contains("Nothing to show", "href=\"/p?o=0\" class=\"button secondary\" rel=\"prev\"");
    assertThat(Widgets.pager(0, 0, 0, 100, link).toString()).as("the table says it is empty").isEmpty();
  }

  @Test
  void aParentsButtonLabelCutsALongNameNeverTheVersionString() {
    assertThat(VersionHeader.shortLabel(null, "1.0.0")).isEqualTo("1.0.0");
    assertThat(VersionHeader.shortLabel("cats", "2.0.0")).isEqualTo("cats 2.0.0");
    String name = "pets & <img src=x onerror=alert('ds')> #1?%";
    String a = VersionHeader.shortLabel(name, "1.1.3");
    String b = VersionHeader.shortLabel(name, "1.1.0");
    assertThat(a).endsWith("… 1.1.3").startsWith("pets & <img");
    assertThat(b).endsWith("… 1.1.0").isNotEqualTo(a);
    assertThat(a.codePointCount(0, a.length())).isLessThanOrEqualTo(40);
    assertThat(VersionHeader.shortLabel("\uD83D\uDE00".repeat(50), "1.0.0")).endsWith("… 1.0.0").doesNotContain("\uFFFD");
    // Long version strings (up to 64 characters): the name cut to what fits, or left out.
    String rc = "1.0.0-rc.1+build.20240101.abcdef1234";
    assertThat(VersionHeader.shortLabel("cats", rc)).isEqualTo("ca… " + rc);
    assertThat(VersionHeader.shortLabel("cats", rc + "-more")).isEqualTo(rc + "-more");
    for (int n = 1; n < 60; n++) {
      String label = VersionHeader.shortLabel("x".repeat(n), "1.0." + "9".repeat(n % 30));
      assertThat(label.codePointCount(0, label.length())).as(label).isLessThanOrEqualTo(Math.max(40, 4 + n % 30));
    }
  }

  @Test
  void storedBytesAreExplainedForWhatTheVersionIs() {
    assertThat(VersionPage.storedSentence(64, 5, false)).contains("newly stored 64 B, more than its files hold (5 B)")
        .doesNotContain("%", "ancestors");
    assertThat(VersionPage.storedSentence(64, 5, true)).contains("more than its files hold").doesNotContain("%", "ancestors");
    assertThat(VersionPage.storedSentence(360_000, 350_000, false)).as("small files of random bytes")
        .contains("files this small, or add to content that it cannot shrink");
    assertThat(VersionPage.storedSentence(30 << 20 | 4096, 30 << 20, false)).as("a large file of random bytes")
        .contains("content that compression cannot shrink").doesNotContain("this small");
    assertThat(VersionPage.storedSentence(500, 1000, false)).contains("50% of the files' size", "no parents").doesNotContain("ancestors");
    assertThat(VersionPage.storedSentence(500, 1000, true)).contains("50% of the files' size", "the rest is shared with its ancestors");
    assertThat(VersionPage.storedSentence(1, 1 << 20, true)).contains("under 1% of the files' size");
    assertThat(VersionPage.storedSentence(255 << 10, 256 << 10, false)).as("not 100%, with a rest").contains("over 99% of the files' size");
    assertThat(VersionPage.storedSentence(1600, 100_000, true, 6)).contains("more than the 6 B its change-set added or modified")
        .contains("mostly the new listing of its files");
    assertThat(VersionPage.storedSentence(1600, 100_000, true, 50_000)).doesNotContain("listing");
    assertThat(VersionPage.storedSentence(0, 1000, true)).isEqualTo("This version stored nothing new: all its content is shared with its ancestors.");
    assertThat(VersionPage.storedSentence(0, 1000, false)).doesNotContain("ancestors");
    assertThat(VersionPage.storedSentence(300, 0, false)).contains("the files themselves hold no bytes").doesNotContain("%");
  }

  @Test
  void textIsDecodedByItsByteOrderMark() {
    String text = "héllo ✓\nline two\n";
    for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.UTF_8)) {
      byte[] bytes = withBom(cs, text);
      assertThat(new FileHead(bytes, bytes.length, false).text()).as(cs.name()).isEqualTo(text);
      assertThat(PreviewKind.looksLikeText(bytes, bytes.length)).as(cs.name()).isTrue();
      // Cut mid-way through the second line (and, for UTF-16, mid-unit): only the whole first line is left.
      int cut = bytes.length - 5;
      assertThat(new FileHead(bytes, cut, true).text()).as(cs.name() + " cut").isEqualTo("héllo ✓\n");
    }
    byte[] plain = text.getBytes(StandardCharsets.UTF_8);
    assertThat(new FileHead(plain, plain.length, false).text()).isEqualTo(text);
    byte[] binaryAfterMark = {(byte) 0xFF, (byte) 0xFE, 1, 0, 0, 0, 2, 0};
    assertThat(PreviewKind.looksLikeText(binaryAfterMark, binaryAfterMark.length)).as("a NUL character is still binary").isFalse();
  }

  static byte[] withBom(Charset cs, String text) {
    byte[] bom = cs.equals(StandardCharsets.UTF_16LE) ? new byte[] {(byte) 0xFF, (byte) 0xFE}
        : cs.equals(StandardCharsets.UTF_16BE) ? new byte[] {(byte) 0xFE, (byte) 0xFF} : new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = text.getBytes(cs);
    byte[] out = Arrays.copyOf(bom, bom.length + body.length);
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  @Test
  void downloadNamesAreSafeInHeaders() {
    assertThat(Downloads.disposition("attachment", "ünï \"x\".txt"))
        .isEqualTo("attachment; filename=\"uni _x_.txt\"; filename*=UTF-8''%C3%BCn%C3%AF%20%22x%22.txt");
    // What a file name may hold stays in the fallback; what ASCII has no letter for does not.
    assertThat(Downloads.disposition("attachment", "a b&c+d#e 100%\\.txt")).startsWith("attachment; filename=\"a b&c+d#e 100__.txt\";");
    assertThat(Downloads.disposition("attachment", "日本.txt")).startsWith("attachment; filename=\"__.txt\";");
  }
}
