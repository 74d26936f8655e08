package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify --filesize: presence and sizes only, as clearml-data's verify --filesize. */
class CliVerifyTest {
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("repo"));
  }

  @Test
  void filesizeComparesPresenceAndSizesWithoutReadingContent() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "aaaa");
    Files.writeString(src.resolve("b.txt"), "bbbb");
    String id = (String) cli.ok("create", "--project", "p", "--name", "v", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    cli.ok("close");
    assertThat(cli.ok("verify", "--filesize").lastLine()).isEqualTo("Verified v 1.0.0 (" + id.substring(0, 8) + "): no differences");

    Path copy = tmp.resolve("copy");
    cli.ok("get", "--id", id, "--copy", copy.toString());
    Files.writeString(copy.resolve("a.txt"), "AAAA"); // same size, other bytes
    assertThat(cli.ok("verify", "--folder", copy.toString(), "--filesize").lastLine())
        .isEqualTo("Verified " + copy + " against v 1.0.0 (" + id.substring(0, 8) + "): no differences");
    assertThat(cli.run("verify", "--folder", copy.toString()).out()).contains("content    a.txt");

    Files.writeString(copy.resolve("b.txt"), "b");
    Cli.Result r = cli.run("verify", "--folder", copy.toString(), "--filesize");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("size       b.txt: 1 byte, expected 4").doesNotContain("a.txt");
    assertThat(cli.ok("verify", "--help").out()).contains("--filesize");
  }

  @Test
  void aCachedFolderChangedSinceGetBuiltItIsReported() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("t.csv"), "a,b\n1,2\n");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "cached", "--folder", src.toString(), "--json").obj().get("id");
    Path folder = Path.of(cli.ok("get", "--id", id).lastLine());
    assertThat(cli.ok("verify", "--id", id).lastLine()).isEqualTo("Verified cached 1.0.0 (" + id.substring(0, 8) + "): no differences");
    // Written to in place (root, or after a chmod): the stored data is intact, the copy get hands out is not.
    Path file = folder.resolve("t.csv");
    file.toFile().setWritable(true);
    Files.writeString(file, "BAD");
    Cli.Result r = cli.run("verify", "--id", id);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("Stored data of cached 1.0.0 (" + id.substring(0, 8) + "): no differences\nThe cached folder " + folder.toAbsolutePath()
        + " was changed after get built it (the next get builds it again; cairn verify --folder ");
    assertThat(cli.run("verify", "--id", id, "--json").obj().get("changed_cached_folders")).asList()
        .containsExactly(folder.toAbsolutePath().toString());
    // The next get builds it again, and it is found as built.
    assertThat(Files.readString(Path.of(cli.ok("get", "--id", id).lastLine()).resolve("t.csv"))).isEqualTo("a,b\n1,2\n");
    assertThat(cli.ok("verify", "--id", id).exit()).isZero();
  }

  @Test
  void aCachedFileWrittenToInPlaceWithItsSizeAndTimePutBackIsFoundByHashUnlessFilesizeIsGiven() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("t.csv"), "a,b\n1,2\n");
    Files.writeString(src.resolve("u.csv"), "c,d\n3,4\n");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "cached", "--folder", src.toString(), "--json").obj().get("id");
    Path folder = Path.of(cli.ok("get", "--id", id).lastLine());
    Path file = folder.resolve("u.csv");
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(file);
    file.toFile().setWritable(true);
    Files.writeString(file, "c,d\n3,5\n"); // same size
    Files.setLastModifiedTime(file, time);
    file.toFile().setWritable(false);

    Cli.Result r = cli.run("verify", "--id", id);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("Stored data of cached 1.0.0 (" + id.substring(0, 8) + "): no differences\nThe cached folder "
        + folder.toAbsolutePath() + " no longer holds the version: 1 file changed or added since it was built, first 'u.csv' (its size"
        + " and time unchanged, the next get would hand it out as it is: cairn fsck --repair deletes it");
    assertThat(cli.run("verify", "--id", id, "--json").obj().get("damaged_cached_folders")).asList().singleElement()
        .asString().contains(folder.toAbsolutePath().toString()).contains("first 'u.csv'");
    // Sizes and times alone cannot tell.
    assertThat(cli.ok("verify", "--id", id, "--filesize").lastLine()).startsWith("Verified cached 1.0.0");
    // As told: the repair deletes it, and the next get builds it again.
    cli.ok("fsck", "--repair");
    assertThat(Files.readString(Path.of(cli.ok("get", "--id", id).lastLine()).resolve("u.csv"))).isEqualTo("c,d\n3,4\n");
    assertThat(cli.ok("verify", "--id", id).exit()).isZero();
  }

  @Test
  void theCheckAdvisedForAChangedPartsFolderIsOfItsPart() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    for (String f : new String[] {"a.csv", "b.csv", "c.csv", "d.csv"}) {
      Files.writeString(src.resolve(f), f + " holds some text");
    }
    String id = (String) cli.ok("sync", "--project", "p", "--name", "parts", "--folder", src.toString(), "--json").obj().get("id");
    Path part = Path.of(cli.ok("get", "--id", id, "--part", "1", "--num-parts", "2").lastLine());
    Path file;
    try (var files = Files.list(part)) {
      file = files.findFirst().orElseThrow();
    }
    file.toFile().setWritable(true);
    Files.writeString(file, "changed");
    String advice = "cairn verify --folder " + part.toAbsolutePath() + " --part 1 --num-parts 2 says what differs";
    assertThat(cli.run("verify", "--id", id).out()).contains(advice);
    // As advised, the part is compared with its own files alone.
    Cli.Result r = cli.run("verify", "--id", id, "--folder", part.toString(), "--part", "1", "--num-parts", "2");
    assertThat(r.out()).contains(": 1 differing path").doesNotContain("missing");
  }

  @Test
  void aDraftPickedByNameIsSaidToBeOneWhereGetTakesAnother() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a");
    cli.ok("sync", "--project", "sv", "--name", "s", "--folder", src.toString());
    cli.ok("create", "--project", "sv", "--name", "s"); // 1.0.1, a draft
    Cli.Result listed = cli.ok("list", "--project", "sv", "--name", "s");
    assertThat(listed.err()).contains("cairn: note: this is the draft 1.0.1, the highest version of sv/s; get takes the highest"
        + " closed one, 1.0.0 (--version 1.0.0 picks it here)");
    assertThat(listed.lastLine()).isEqualTo("Total 0 files, 0 bytes"); // the draft, made without parents
    assertThat(cli.ok("list", "--project", "sv", "--name", "s", "--version", "1.0.0").err()).isEmpty();
    assertThat(cli.ok("add", "--project", "sv", "--name", "s", "--files", src.toString()).err()).as("a command that edits the draft")
        .doesNotContain("note");
    // A dataset of drafts only: the draft is not named as the one get takes.
    cli.ok("create", "--project", "sv", "--name", "only-drafts");
    assertThat(cli.ok("list", "--project", "sv", "--name", "only-drafts").err())
        .isEqualTo("cairn: note: this is the draft 1.0.0, the highest version of sv/only-drafts; none of its versions is closed yet\n");
  }

  @Test
  void namesAndTextsWithEscapeSequencesPrintAsEscapes() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a");
    String id = (String) cli.ok("create", "--name", "esc", "--description", "line one\n\u001b[31mred", "--json").obj().get("id");
    cli.ok("sync", "--folder", src.toString());
    Path copy = tmp.resolve("copy");
    cli.ok("get", "--id", id, "--copy", copy.toString());
    Files.writeString(copy.resolve("bad\u001b[31mRED"), "x"); // a name a folder may hold, never a dataset path
    assertThat(cli.run("verify", "--id", id, "--folder", copy.toString()).out()).contains("unexpected bad\\x1b[31mRED: not in the version")
        .doesNotContain("\u001b");
    assertThat(cli.ok("show", "--id", id).out()).contains("description: line one\n             \\x1b[31mred\n").doesNotContain("\u001b");
  }
}
