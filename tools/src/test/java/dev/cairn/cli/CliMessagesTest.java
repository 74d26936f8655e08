package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line says to people, on small inputs where wording shows. */
class CliMessagesTest {
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("repo"));
  }

  Path file(String relative, String text) throws IOException {
    Path f = tmp.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  @Test
  void anAddToTheVersionLastUsedWhileADraftIsOpenNamesTheDraft() throws IOException {
    file("a/a.txt", "a");
    file("b/b.txt", "b");
    String a = (String) cli.ok("sync", "--project", "p", "--name", "a", "--folder", tmp.resolve("a").toString(), "--json").obj().get("id");
    String draft = (String) cli.ok("create", "--project", "p", "--name", "b", "--json").obj().get("id");
    cli.ok("get", "--id", a); // the version last used now
    assertThat(cli.fails("add", "--files", tmp.resolve("b").toString()).err()).contains("is final; create a new version with --parents "
        + a.substring(0, 8) + "; the draft " + draft.substring(0, 8) + " (p/b 1.0.0) is open, but the version last used is "
        + a.substring(0, 8) + ": give --id " + draft.substring(0, 8) + " to change the draft\n");
    assertThat(cli.fails("remove", "--files", "a.txt").err()).contains("the draft " + draft.substring(0, 8) + " (p/b 1.0.0) is open");
    assertThat(cli.fails("sync", "--folder", tmp.resolve("b").toString(), "--skip-close").err())
        .contains("the draft " + draft.substring(0, 8) + " (p/b 1.0.0) is open, but");
    // Named, the version is the one meant: nothing more is said.
    assertThat(cli.fails("add", "--id", a, "--files", tmp.resolve("b").toString()).err()).doesNotContain("the draft");
    String second = (String) cli.ok("create", "--project", "p", "--name", "c", "--json").obj().get("id");
    cli.ok("get", "--id", a);
    assertThat(cli.fails("add", "--files", tmp.resolve("b").toString()).err()).contains("the draft " + second.substring(0, 8)
        + " (p/c 1.0.0) is open (and 1 other: cairn search --not-only-completed lists them), but");
    cli.ok("add", "--id", draft, "--files", tmp.resolve("b").toString());
  }

  @Test
  void aPathThroughAFileNamesTheFile() throws IOException {
    Path file = Files.createDirectories(tmp.resolve("d")).resolve("a.txt");
    Files.writeString(file, "x");
    assertThat(new Cli(file.resolve("repo")).fails("init").err())
        .isEqualTo("cairn: not a folder: " + file + " is a file, in the way of " + file.resolve("repo") + "\n");
    cli.ok("sync", "--name", "n", "--folder", tmp.resolve("d").toString());
    assertThat(cli.fails("get", "--name", "n", "--link", file.resolve("x").toString()).err())
        .isEqualTo("cairn: Cannot link " + file.resolve("x") + ": " + file + " is not a folder\n");
    // A flag given twice takes no value: none is named.
    assertThat(cli.fails("list", "--json", "--json").err()).isEqualTo("cairn: Cannot give --json twice (see 'cairn list --help')\n");
    assertThat(cli.ok("gc", "--help").err()).isEmpty(); // its help formats (a % of its own)
  }

  @Test
  void aSyncThatEmptiesTheDatasetWarnsAndNamesTheDeleteThatUndoesIt() throws IOException {
    Path src = file("src/a.txt", "a").getParent();
    file("src/b.txt", "b");
    cli.ok("sync", "--project", "p", "--name", "n", "--folder", src.toString());
    Files.delete(src.resolve("a.txt"));
    assertThat(cli.ok("sync", "--project", "p", "--name", "n", "--folder", src.toString()).err()).as("one file left").isEmpty();
    Files.delete(src.resolve("b.txt"));
    Cli.Result emptied = cli.ok("sync", "--project", "p", "--name", "n", "--folder", src.toString(), "--json");
    String id = (String) emptied.obj().get("id");
    assertThat(emptied.obj()).containsEntry("warnings", List.of("nothing in " + src + " is kept, so 1.0.2 holds no file: it removes"
        + " the only file of its parents (if the folder was not what you meant: cairn delete --id " + id.substring(0, 8) + ")"));
    cli.ok("delete", "--id", id.substring(0, 8)); // as it says
  }

  @Test
  void setVersionWarnsWhenAnAncestorSortsAboveItsChild() throws IOException {
    Path src = file("src/a.txt", "a").getParent();
    String first = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", src.toString(), "--json").obj().get("id");
    file("src/b.txt", "b");
    String child = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", src.toString(), "--json").obj().get("id");
    Cli.Result renumbered = cli.ok("set-version", "--id", first, "--new-version", "2.0.0");
    String warning = "2.0.0 sorts above 1.0.1 (" + child.substring(0, 8) + "), a child of this version: by name, get now takes this one"
        + " for the dataset's highest, and the next version of it follows 2.0.0";
    assertThat(renumbered.err()).isEqualTo("cairn: warning: " + warning + "\n");
    assertThat(cli.ok("set-version", "--id", first, "--new-version", "1.5", "--json").obj()).containsEntry("warnings", List.of(
        warning.replace("2.0.0", "1.5")));
    assertThat(cli.ok("set-version", "--id", first, "--new-version", "0.9").err()).as("below its child: nothing to say").isEmpty();
  }

  /** Help wraps at spaces: a path or a key with a dot inside stays on one line ("~/." then "cairn" before). */
  @Test
  void helpKeepsWordsWithADotWhole() {
    for (String command : List.of("list", "add", "sync", "close", "get", "export", "show")) {
      String help = cli.ok(command, "--help").out();
      // Every command's --repo text ends "(default: $CAIRN_HOME, else ~/.cairn)."; wrapped, its words stay whole.
      assertThat(help.replaceAll("\\s*\\n\\s*", " ")).as(command).contains("else ~/.cairn).");
      assertThat(help).as(command).doesNotContain("~/.\n").doesNotContain("core-site.\n").doesNotContain("\uE000");
    }
    assertThat(cli.ok("show", "--help").out()).contains("(tools/README.md;");
  }

  /** The synopsis breaks between options, not inside a list option's repetition ("[--ids=ID" then "[,ID...]...]..." before). */
  @Test
  void synopsisKeepsAListOptionWhole() {
    for (String command : List.of("search", "create", "sync", "squash", "tags")) {
      String help = cli.ok(command, "--help").out();
      String synopsis = help.substring(0, help.indexOf("\n", help.indexOf("]...]...")) + 1);
      assertThat(synopsis).as(command).containsPattern("\\[--[a-z]+=[A-Z]+\\[,[A-Z]+\\.\\.\\.\\]\\.\\.\\.\\]\\.\\.\\.")
          .doesNotContain("\uE001");
      assertThat(synopsis.lines()).as(command).allSatisfy(line -> assertThat(line).doesNotMatch("\\s*\\[,.*"));
    }
  }

  /**
   * A name typed in the other Unicode form than the dataset holds (a system that decomposes names
   * types NFD): list --filter and remove find the file, as add refuses a twin of it.
   */
  @Test
  void aNameInTheOtherUnicodeFormFindsTheFile() throws IOException {
    String nfc = Normalizer.normalize("café.txt", Normalizer.Form.NFC);
    String nfd = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
    Path f = file("uni/" + nfc, "coffee");
    file("uni/other.txt", "tea");
    cli.ok("create", "--project", "p", "--name", "uni");
    cli.ok("add", "--files", f.getParent().toString());
    assertThat(cli.ok("list", "--filter", nfd, "--json").array()).extracting(e -> e.get("path")).containsExactly(nfc);
    assertThat(cli.ok("remove", "--files", nfd).lastLine()).isEqualTo("1 file removed; version now holds 1 file");
    assertThat(cli.ok("list", "--json").array()).extracting(e -> e.get("path")).containsExactly("other.txt");
    assertThat(cli.fails("remove", "--files", nfd).err()).contains("no file in the dataset matches");
  }

  @Test
  void aCloseOfAClosedVersionReportsNoStepBeforeItsRefusal() throws IOException {
    cli.ok("create", "--project", "p", "--name", "twice");
    cli.ok("close");
    String err = cli.fails("close", "--verbose").err();
    assertThat(err).contains("Cannot close: ").contains("is final already").doesNotContain("writing its version object");
    // The advice is the command that uploads it, whole.
    String id = (String) cli.ok("show", "--json").obj().get("id");
    assertThat(err).endsWith(" (twice 1.0.0) is final already; to upload it to a remote, use cairn upload --id " + id.substring(0, 8) + "\n");
  }

  @Test
  void theTablesPathColumnIsMeasuredOnItsFirstFilesOnly() throws IOException {
    file("w/a.txt", "a");
    file("w/b.txt", "b");
    file("w/c-a-name-longer-than-the-header.txt", "c");
    cli.ok("create", "--project", "p", "--name", "wide");
    cli.ok("add", "--files", tmp.resolve("w").toString());
    assertThat(cli.ok("list").out().lines().findFirst().orElseThrow()).startsWith("file name" + " ".repeat("c-a-name-longer-than-the-header.txt".length() - 9) + " | ");
    int sample = ListCommand.widthSample;
    ListCommand.widthSample = 2;
    try {
      List<String> lines = cli.ok("list").out().lines().toList();
      assertThat(lines.get(0)).startsWith("file name |");
      assertThat(lines.get(1)).startsWith("a.txt     |");
      assertThat(lines.get(3)).as("a longer path further down overflows its cell").startsWith("c-a-name-longer-than-the-header.txt |");
    } finally {
      ListCommand.widthSample = sample;
    }
  }

  @Test
  void oneOfSomethingIsSingular() throws IOException {
    Path a = file("src/a.txt", "a");
    cli.ok("create", "--project", "p", "--name", "one");
    assertThat(cli.ok("add", "--files", a.toString()).lastLine())
        .startsWith("1 file added, 0 modified, 0 removed (1 file read, ").endsWith("version now holds 1 file");
    assertThat(cli.ok("list").lastLine()).isEqualTo("Total 1 file, 1 byte");
    assertThat(cli.ok("remove", "--files", "a.txt").lastLine()).isEqualTo("1 file removed; version now holds 0 files");
    cli.ok("add", "--files", a.toString());
    assertThat(cli.ok("close").lastLine()).contains(": 1 file, 1 B;");
    assertThat(cli.ok("fsck").lastLine()).matches("ok: \\d+ packs? \\(.*\\), \\d+ objects, 1 version; 0 errors, 0 warnings");
    // restic's spelling of a full check: what a local fsck always is.
    assertThat(cli.ok("fsck", "--read-data").lastLine()).isEqualTo(cli.ok("fsck").lastLine());
  }

  @Test
  void aPathTooLongForTheSystemIsShownCutNotWhole() throws IOException {
    // A dataset path of about 4,000 bytes is valid; under the repository's folder it is too long to write.
    Path deep = tmp.resolve("odd");
    for (int i = 0; i < 16; i++) {
      deep = deep.resolve("d".repeat(250));
    }
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("f"), "x");
    cli.ok("sync", "--project", "p", "--name", "odd", "--folder", tmp.resolve("odd").toString());
    String err = cli.fails("get").err();
    assertThat(err).contains("File name too long").contains("…").contains(" bytes)");
    assertThat(err.length()).isLessThan(600);
    assertThat(err.lines().count()).isEqualTo(1);
  }

  @Test
  void syncRefusesFlagsOfANewVersionWithoutItsNameRatherThanClosingTheCurrentDraft() throws IOException {
    file("data/a.txt", "a");
    String draft = (String) cli.ok("create", "--project", "a", "--name", "draftA", "--json").obj().get("id");
    for (String[] flags : List.of(new String[] {"--project", "other"}, new String[] {"--version", "5.0.0"}, new String[] {"--tags", "t1"})) {
      List<String> args = new ArrayList<>(List.of("sync", "--folder", tmp.resolve("data").toString()));
      args.addAll(List.of(flags));
      assertThat(cli.fails(args.toArray(String[]::new)).err()).as(flags[0]).isEqualTo("cairn: Cannot sync: " + flags[0]
          + " describes a new version, which needs --name (or --parents); without them, sync works on the current draft\n");
    }
    assertThat(cli.ok("show", "--id", draft, "--json").obj()).containsEntry("state", "draft").containsEntry("files", 0L);
  }

  @Test
  void aDiskThatFillsWhereACopyIsWrittenIsNamedAndTheRepositoryNotBlamed() throws IOException {
    byte[] big = new byte[200_000];
    new java.util.Random(3).nextBytes(big);
    Files.createDirectories(tmp.resolve("src"));
    for (int i = 0; i < 4; i++) {
      Files.write(tmp.resolve("src/f" + i + ".bin"), big);
    }
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--json").obj()
        .get("id");
    Path copy = tmp.resolve("out/copy");
    try {
      dev.cairn.internal.fs.WriteGuard.limit(300_000); // counts what copies write (an export's archive is not counted)
      assertThat(cli.fails("get", "--id", id, "--copy", copy.toString()).err())
          .startsWith("cairn: disk full while writing " + copy + "; free some space there (or where the repository is, ").doesNotContain("gc");
    } finally {
      dev.cairn.internal.fs.WriteGuard.limit(Long.MAX_VALUE);
    }
  }

  @Test
  void addSkipRefusedPassesOverBadNamesWithAWarningEach() throws IOException {
    file("src/fine.txt", "ok");
    file("src/tab\there.txt", "x");
    cli.ok("create", "--project", "p", "--name", "n");
    assertThat(cli.fails("add", "--files", tmp.resolve("src").toString()).err()).contains("tab\\x09here.txt");
    Cli.Result r = cli.ok("add", "--files", tmp.resolve("src").toString(), "--skip-refused");
    assertThat(r.err()).contains("cairn: warning: passed over ").contains("tab\\x09here.txt");
    assertThat(cli.ok("list").out()).contains("fine.txt").doesNotContain("here.txt");
    Cli.Result j = cli.ok("add", "--files", tmp.resolve("src").toString(), "--skip-refused", "--json");
    assertThat((List<?>) j.obj().get("warnings")).as("stdout alone tells a script").singleElement().asString()
        .startsWith("passed over ").contains("tab\\x09here.txt");
    assertThat(j.err()).contains("cairn: warning: passed over ");
    assertThat(cli.fails("add", "--archive", tmp.resolve("x.zip").toString(), "--skip-refused").err())
        .contains("Cannot add: --skip-refused applies to --files, and none was given");
  }

  @Test
  void excludeLeavesFilesOutOfAnAddAndAloneInASync() throws IOException {
    file("src/a.txt", "a");
    file("src/a.tmp", "scratch");
    file("src/.git/HEAD", "ref");
    cli.ok("create", "--project", "p", "--name", "n");
    Cli.Result r = cli.ok("add", "--files", tmp.resolve("src").toString(), "--exclude", ".git", "*.tmp");
    assertThat(r.out()).startsWith("1 file added");
    assertThat(cli.ok("list").out()).contains("a.txt").doesNotContain("a.tmp").doesNotContain(".git");
    assertThat(cli.fails("add", "--archive", tmp.resolve("x.zip").toString(), "--exclude", "*.tmp").err())
        .contains("Cannot add: --exclude applies to --files, and none was given");
    assertThat(cli.fails("add", "--files", tmp.resolve("src").toString(), "--exclude", "[x").err())
        .isEqualTo("cairn: Cannot use exclude pattern '[x': unclosed '['\n");

    // A sync leaves the excluded files alone: a.tmp, added on its own, stays; .git is not added.
    cli.ok("add", "--files", tmp.resolve("src/a.tmp").toString());
    assertThat(cli.ok("sync", "--folder", tmp.resolve("src").toString(), "--exclude", "*.tmp", "--exclude=.git", "--disable-upload")
        .out()).startsWith("0 files added, 0 modified, 0 removed");
    Files.delete(tmp.resolve("src/a.txt"));
    Files.delete(tmp.resolve("src/a.tmp"));
    file("src/b.txt", "b");
    Cli.Result s = cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--exclude", "*.tmp",
        ".git", "--disable-upload");
    assertThat(s.out()).matches("(?s)New dataset created id=[0-9a-f]{32}\n1 file added, 0 modified, 1 removed.*");
    assertThat(cli.ok("list").out()).contains("b.txt", "a.tmp").doesNotContain("a.txt").doesNotContain(".git");
  }

  @Test
  void commandsThatOnlyShowAVersionLeaveTheCurrentDraftAsItIs() throws IOException {
    file("src/a.txt", "a");
    String closed = (String) cli.ok("sync", "--project", "p", "--name", "c", "--folder", tmp.resolve("src").toString(),
        "--disable-upload", "--json").obj().get("id");
    cli.ok("create", "--project", "p", "--name", "d");
    for (String[] look : List.of(new String[] {"tags", "--id", closed}, new String[] {"metadata", "--id", closed},
        new String[] {"usage", "--id", closed}, new String[] {"list", "--id", closed}, new String[] {"show", "--id", closed})) {
      cli.ok(look);
    }
    assertThat(cli.ok("add", "--files", tmp.resolve("src/a.txt").toString()).out()).startsWith("1 file added");
    cli.ok("tags", "--id", closed, "--add", "gold"); // a change: the version changed becomes the current one
    assertThat(cli.fails("add", "--files", tmp.resolve("src/a.txt").toString()).err()).contains("is final")
        .contains("the draft "); // and the draft left open is named
  }

  @Test
  void searchOfTheEmptyProjectListsTheVersionsOfNoProject() throws IOException {
    file("src/a.txt", "a");
    cli.ok("sync", "--name", "loose", "--folder", tmp.resolve("src").toString(), "--disable-upload");
    cli.ok("sync", "--project", "p", "--name", "kept", "--folder", tmp.resolve("src").toString(), "--disable-upload");
    assertThat(cli.ok("search", "--json").array()).hasSize(2);
    assertThat(cli.ok("search", "--project", "", "--json").array()).extracting(m -> m.get("name")).containsExactly("loose");
  }

  @Test
  void removeIgnoreUnmatchPassesOverPatternsThatMatchNothing() throws IOException {
    file("src/a.txt", "a");
    file("src/b.txt", "b");
    cli.ok("create", "--project", "p", "--name", "n");
    cli.ok("add", "--files", tmp.resolve("src").toString());
    assertThat(cli.fails("remove", "--files", "a.txt", "gone.txt").err())
        .contains("Cannot remove 'gone.txt': no file in the dataset matches; nothing was removed");
    Cli.Result r = cli.ok("remove", "--files", "a.txt", "gone.txt", "--ignore-unmatch");
    assertThat(r.err()).contains("cairn: warning: no file in the dataset matches 'gone.txt'; passed over");
    assertThat(r.lastLine()).isEqualTo("1 file removed; version now holds 1 file");
    assertThat(cli.ok("remove", "--files", "s3a://bucket/*", "--ignore-unmatch").err()).as("a link's address too")
        .contains("cairn: warning: no file in the dataset matches 's3a://bucket/*'; passed over");
    Cli.Result none = cli.ok("remove", "--files", "gone.txt", "--ignore-unmatch", "--json");
    assertThat(none.obj()).containsEntry("removed", 0L).containsEntry("files", 1L);
    assertThat(cli.ok("list").out()).contains("b.txt").doesNotContain("a.txt");
    // The log keeps the commands that changed the version: not those that matched nothing, nor a
    // tag added twice; the add's folder is logged as an absolute path, whatever was typed.
    cli.ok("tags", "--add", "gold");
    cli.ok("tags", "--add", "gold");
    String relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("src")).toString();
    cli.ok("add", "--files", relative);
    List<Map<String, Object>> log = cli.ok("log", "--json").array();
    assertThat(log).extracting(e -> e.get("command")).containsExactly("create", "add", "remove", "tags", "add");
    assertThat(log.get(4).get("arguments")).isEqualTo(List.of("--files", tmp.resolve("src").toString()));
  }

  @Test
  void aMergeWithoutASingleNearestAncestorSaysItWasAUnion() throws IOException {
    file("base/s", "base");
    String base = (String) cli.ok("sync", "--project", "p", "--name", "b", "--folder", tmp.resolve("base").toString(), "--json").obj()
        .get("id");
    String[] sides = new String[2];
    for (int i = 0; i < 2; i++) {
      sides[i] = (String) cli.ok("create", "--project", "p", "--name", "side" + i, "--parents", base, "--json").obj().get("id");
      cli.ok("add", "--files", file("side" + i + "/s", "side " + i).toString());
      cli.ok("close");
    }
    Cli.Result plain = cli.ok("create", "--project", "p", "--name", "m1", "--parents", sides[0], sides[1], "--json");
    assertThat(plain.err()).doesNotContain("criss-cross");
    String m1 = (String) plain.obj().get("id");
    cli.ok("close");
    String m2 = (String) cli.ok("create", "--project", "p", "--name", "m2", "--parents", sides[1], sides[0], "--json").obj().get("id");
    cli.ok("close");
    assertThat(cli.ok("create", "--project", "p", "--name", "m", "--parents", m1, m2).err()).contains("cairn: note: " + m2.substring(0, 8)
        + " shares no single nearest ancestor with the parents before it (criss-cross merges): it was laid over them as a union");
  }

  @Test
  void anUploadThatCannotWriteItsRemoteSaysWhatFailedWhere() throws IOException {
    file("src/a.txt", "a");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--disable-upload",
        "--json").obj().get("id");
    assertThat(cli.fails("upload", "--storage", "/proc/cairn-remote").err())
        .isEqualTo("cairn: Cannot upload " + id + " to file:///proc/cairn-remote: no such file or folder: /proc/cairn-remote\n");
  }

  @Test
  void aWorkingFolderWhosePathIsNotUtf8IsRefusedNotReadAsAnother() {
    String was = System.getProperty("user.dir");
    try {
      // As the JVM reads a folder named with the byte 0xff under a UTF-8 locale.
      System.setProperty("user.dir", tmp.resolve("bad\uFFFD").toString());
      assertThat(cli.fails("create", "--project", "p", "--name", "n").err())
          .startsWith("cairn: Cannot run in " + tmp.resolve("bad") + "\uFFFD: the path of the current folder is not valid UTF-8");
    } finally {
      System.setProperty("user.dir", was);
    }
    assertThat(tmp.resolve("repo")).doesNotExist();
  }

  @Test
  void namesWithTerminalControlsAreListedEscaped() throws IOException {
    file("src/x\u009b2Jy", "c");
    file("src/\u202etxt.exe", "e");
    String verbose = cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--verbose").out();
    String listed = cli.ok("list").out();
    for (String out : List.of(verbose, listed)) {
      assertThat(out).contains("x\\x9b2Jy", "\\u202etxt.exe").doesNotContain("\u009b").doesNotContain("\u202e");
    }
  }

  @Test
  void anArgumentThatWasNotUtf8IsRefusedNotReadAsAnotherPath() throws IOException {
    file("src/a.txt", "a");
    cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString());
    // As the JVM reads the byte 0xff of a path typed under a UTF-8 locale.
    Path read = tmp.resolve("bad\uFFFDdir");
    Files.createDirectories(read.resolve("copy"));
    Files.writeString(read.resolve("copy/precious.txt"), "precious");
    assertThat(cli.fails("get", "--project", "p", "--name", "n", "--copy", read.resolve("copy").toString(), "--overwrite").err())
        .startsWith("cairn: Cannot use '" + read.resolve("copy") + "': it is not valid UTF-8 as given");
    assertThat(read.resolve("copy/precious.txt")).hasContent("precious");
    assertThat(cli.fails("export", "--project", "p", "--name", "n", "--output", read.resolve("x.tar").toString()).err())
        .contains("it is not valid UTF-8 as given");
    assertThat(read.resolve("x.tar")).doesNotExist();
  }

  @Test
  void controlCharactersInNamesAreRefusedAndInMessagesEscaped() {
    assertThat(cli.fails("create", "--project", "p", "--name", "n\u009bx").err())
        .isEqualTo("cairn: Cannot use name 'n\\x9bx': at most 255 characters, no control characters\n");
    assertThat(cli.fails("create", "--project", "pr\u202eoj", "--name", "n").err()).contains("'pr\\u202eoj'");
    cli.ok("create", "--project", "p", "--name", "n");
    assertThat(cli.fails("list", "--filter", "[\u001b").err()).contains("'[\\x1b'").doesNotContain("\u001b");
  }

  @Test
  void aMistypedOptionIsNamedRatherThanTheOneItLeftMissing() {
    assertThat(cli.fails("create", "--project", "p", "--nmae", "x").err())
        .isEqualTo("cairn: Unknown option: '--nmae' (did you mean '--name'?) (see 'cairn create --help')\n");
    assertThat(cli.fails("create", "--project", "p", "--nmae=x").err()).startsWith("cairn: Unknown option: '--nmae' ");
    assertThat(cli.fails("create", "--project", "p").err()).as("nothing mistyped: the missing option")
        .startsWith("cairn: Missing required option: '--name=N'");
    assertThat(cli.fails("list", "--filtr", "a").err()).as("its value is not called an option")
        .isEqualTo("cairn: Unknown option: '--filtr' (did you mean '--filter'?) (see 'cairn list --help')\n");
    assertThat(cli.fails("add", "--file", "a").err()).as("clearml-data's spelling of another option")
        .isEqualTo("cairn: Unknown option: '--file' (did you mean '--files'?) (see 'cairn add --help')\n");
    assertThat(cli.fails("list", "--colour").err()).as("nothing close").isEqualTo("cairn: Unknown option: '--colour' (see 'cairn list --help')\n");
    assertThat(cli.fails("search", "--tag", "a").err()).as("a short name cut short")
        .startsWith("cairn: Unknown option: '--tag' (did you mean '--tags'?)");
    assertThat(cli.fails("tag").err()).contains("'tag' is not a cairn command (did you mean 'tags'?)");
    assertThat(cli.fails("info").err()).contains("'info' is not a cairn command (cairn show does that)");
    assertThat(cli.fails("clone").err()).as("git's word, not a typo of close").contains("'clone' is not a cairn command (cairn get does that)");
    assertThat(cli.fails("prune").err()).contains("(cairn gc does that)");
    // A value typed without its option.
    assertThat(cli.fails("get", "8bf6f3f7").err()).contains("get takes no arguments, only options: '8bf6f3f7' is not an option (did you"
        + " mean --id 8bf6f3f7?)");
    assertThat(cli.fails("sync", tmp.toString()).err()).contains("(did you mean --folder " + tmp + "?)");
    assertThat(cli.fails("create", "--project", "p", "--description", "-x").err()).as("a value that starts with '-'")
        .startsWith("cairn: Missing required option: '--name=N'");
  }

  @Test
  void aMistypedOptionAmongAnOptionsValuesIsRefusedNotTakenAsAValue() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    Cli.Result typo = cli.fails("sync", "--project", "p", "--name", "n", "--folder", src.toString(), "--exclude", ".git", "--skip-clsoe");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).isEqualTo("cairn: Unknown option: '--skip-clsoe' (did you mean '--skip-close'?) (see 'cairn sync --help')\n");
    assertThat(cli.fails("search").err()).as("nothing was made").contains("no Cairn repository")
        .contains("(with $CAIRN_STORAGE set, the first get, search, list or show too)");
    assertThat(cli.fails("search", "--tags", "a", "b", "--tgas").err()).startsWith("cairn: Unknown option: '--tgas' (did you mean '--tags'?)");
    assertThat(cli.fails("sync", "--project", "p", "--name", "n", "--folder", src.toString(), "--exclude=.git", "--skip-clsoe").err())
        .as("after an attached first value").startsWith("cairn: Unknown option: '--skip-clsoe'");
    assertThat(cli.fails("list", "--filter", "a", "--x").err()).startsWith("cairn: Unknown option: '--x'");
    assertThat(cli.fails("list", "--filter", "a", "-h", "--filtr").err()).as("help asked for, and a typo")
        .startsWith("cairn: Unknown option: '--filtr' (did you mean '--filter'?)");
    // A value starting with '--' is still taken first, or attached; one with a single '-' anywhere
    // (search's '-tag', none of them); known options end the values.
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", src.toString(), "--exclude", "--x", "-b",
        "--exclude=--y", "c", "--json").obj().get("id");
    assertThat(cli.ok("list", "--id", id, "--filter", "--z", "a.txt", "-q", "--json").out()).contains("a.txt");
    cli.ok("tags", "--id", id, "--add", "cat");
    assertThat(cli.ok("search", "--tags", "cat", "-dog", "--json").array()).extracting(m -> m.get("id")).containsExactly(id);
  }

  @Test
  void anIndexSetAsideAsDamagedIsWarnedOf() throws IOException {
    file("src/a.txt", "a");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--json").obj()
        .get("id");
    Path data = tmp.resolve("repo/index/data.mdb");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Cli.Result r = cli.ok("list", "--id", id);
    assertThat(r.out()).contains("a.txt");
    assertThat(r.err()).startsWith("cairn: warning: the index was damaged (" + data.toRealPath() + " is truncated")
        .contains("): set aside as " + tmp.resolve("repo").toRealPath() + "/index.damaged-").contains("rebuilt from the packs");
    assertThat(cli.ok("list", "--id", id).err()).as("once").isEmpty();
  }

  @Test
  void syncSkipRefusedPassesOverBadNamesWithAWarningEach() throws IOException {
    file("src/fine.txt", "ok");
    file("src/tab\there.txt", "x");
    file("src/tab\tthere.txt", "y");
    Cli.Result refused = cli.run("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("tab\\x09here.txt").contains("Cannot sync " + tmp.resolve("src") + ": 2 names in it refused")
        .contains("pass them over with --skip-refused)").doesNotContain("AddOptions");
    Files.delete(tmp.resolve("src/tab\tthere.txt"));
    Cli.Result r = cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--skip-refused");
    assertThat(r.err()).contains("cairn: warning: passed over ").contains("tab\\x09here.txt");
    assertThat(cli.ok("list").out()).contains("fine.txt").doesNotContain("here.txt");
    // Into the current draft too.
    cli.ok("create", "--project", "p", "--name", "n");
    file("src/new.txt", "new");
    assertThat(cli.ok("sync", "--folder", tmp.resolve("src").toString(), "--skip-refused").err()).contains("passed over ");
    assertThat(cli.ok("list").out()).contains("fine.txt", "new.txt").doesNotContain("here.txt");
    // A script reading --json alone learns what was passed over.
    file("src/newer.txt", "newer");
    Cli.Result j = cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--skip-refused",
        "--json");
    assertThat((List<?>) j.obj().get("warnings")).singleElement().asString().startsWith("passed over ").contains("tab\\x09here.txt");
    assertThat(cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--skip-refused",
        "--exclude", "tab*", "--json").obj())
        .as("no warning, no key").doesNotContainKey("warnings");
  }

  @Test
  void aLostIndexLosesNoVersionItsPacksHold() throws IOException {
    file("src/x.txt", "x");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--json").obj()
        .get("id");
    for (String[] command : List.of(new String[] {"list", "--id", id}, new String[] {"verify", "--id", id},
        new String[] {"compare", "--source", id, "--target", id})) {
      org.assertj.core.util.Files.delete(cli.repo.resolve("index").toFile()); // derived: the packs still hold everything
      assertThat(cli.run(command).exit()).as(command[0]).isZero();
    }
    assertThat(cli.ok("list", "--id", id).out()).contains("x.txt");
  }

  @Test
  void aVersionMadeHereWhoseManifestIsLostIsDamageNotARecordFromARemote() throws IOException {
    file("src/x.txt", "x");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--json").obj()
        .get("id");
    try (var packs = Files.list(cli.repo.resolve("packs"))) {
      for (Path p : packs.toList()) {
        Files.delete(p);
      }
    }
    org.assertj.core.util.Files.delete(cli.repo.resolve("index").toFile()); // derived: rebuilt from what packs are left
    assertThat(cli.fails("list", "--id", id).err()).contains("Cannot read version " + id + "'s manifest, lost or damaged here (run cairn fsck)")
        .doesNotContain("only its record");
    Cli.Result fsck = cli.run("fsck");
    assertThat(fsck.out()).contains("error: missing manifest node (").doesNotContain("object is missing");
  }

  @Test
  void verifyOfDamagedDataSaysHowToRepairItAndAddingTheFileAgainThenStoresIt() throws IOException {
    byte[] bytes = new byte[400_000];
    new Random(4).nextBytes(bytes);
    Files.createDirectories(tmp.resolve("src"));
    Files.write(tmp.resolve("src/big.bin"), bytes);
    cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString());
    try (var packs = Files.list(cli.repo.resolve("packs"))) {
      Path largest = packs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
      try (var ch = FileChannel.open(largest, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), Files.size(largest) / 2);
      }
    }
    Cli.Result verify = cli.run("verify");
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.out()).contains("damaged").contains("cairn fsck says how to get each version that lacks it back");
    cli.run("fsck", "--repair");
    Files.write(tmp.resolve("src/big.bin"), bytes); // touched: read again
    String again = (String) cli.ok("sync", "--project", "p", "--name", "again", "--folder", tmp.resolve("src").toString(), "--json")
        .obj().get("id");
    assertThat(cli.ok("verify", "--id", again).lastLine()).isEqualTo("Verified again 1.0.0 (" + again.substring(0, 8) + "): no differences");
  }

  @Test
  void aGcThatFreesNothingSaysWhatTheGraceKept() throws IOException {
    file("src/a.txt", "a");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--json").obj().get("id");
    assertThat(cli.ok("gc").out()).as("young packs of live objects are no news").doesNotContain("Left alone");
    cli.ok("delete", "--id", id, "--force");
    Cli.Result gc = cli.ok("gc");
    assertThat(gc.out()).contains("Deleted 0 objects")
        .containsPattern("Left alone: \\d+ packs? holding objects no version needs \\(.* in all, the live objects they hold too\\),"
            + " younger than the grace of 1h");
    assertThat((Long) cli.ok("gc", "--json").obj().get("young_packs")).isPositive();
  }

  @Test
  void aGcLeavesPacksMostlyLiveAsTheyAreWithinMaxUnused() throws IOException {
    byte[] big = new byte[12_000_000]; // a pack too large to be merged as a small one
    new java.util.Random(5).nextBytes(big);
    byte[] small = new byte[30_000];
    new java.util.Random(6).nextBytes(small);
    Files.createDirectories(tmp.resolve("both"));
    Files.write(tmp.resolve("both/big.bin"), big);
    Files.write(tmp.resolve("both/small.bin"), small);
    String first = (String) cli.ok("sync", "--project", "p", "--name", "both", "--folder", tmp.resolve("both").toString(), "--json")
        .obj().get("id");
    // Its next version removes the small file: once the first is deleted, that file's data is all
    // that is dead, in a pack mostly live.
    Files.delete(tmp.resolve("both/small.bin"));
    cli.ok("sync", "--project", "p", "--name", "both", "--folder", tmp.resolve("both").toString());
    cli.ok("delete", "--id", first, "--force");
    Cli.Result lenient = cli.ok("gc", "--grace", "0s");
    assertThat(lenient.out()).containsPattern("Left in place: about [0-9.]+ KiB of objects no version needs, in packs that hold mostly"
        + " live ones \\(within --max-unused 5%; --max-unused 0 rewrites those packs too\\)");
    Map<String, Object> strict = cli.ok("gc", "--grace", "0s", "--max-unused", "0", "--json").obj();
    assertThat((Long) strict.get("objects_deleted")).isPositive();
    assertThat(strict).containsEntry("unused_bytes_kept", 0L);
    assertThat(cli.ok("verify", "--name", "both").lastLine()).endsWith("no differences");
    for (String bad : List.of("abc", "101", "-1", "5%%", "")) {
      Cli.Result refused = cli.run("gc", "--max-unused", bad);
      assertThat(refused.exit()).as(bad).isEqualTo(2);
      assertThat(refused.err()).as(bad).startsWith("cairn: Cannot use --max-unused " + bad + ": give a percentage from 0 to 100");
    }
  }

  @Test
  void linksAreFilteredByWildcardAndRecursionAsFilesAre() throws IOException {
    file("ext/a.txt", "a");
    file("ext/b.csv", "b");
    file("ext/sub/c.txt", "c");
    cli.ok("create", "--name", "links");
    cli.ok("add", "--links", tmp.resolve("ext").toString(), "--wildcard", "*.txt", "--non-recursive");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("a.txt");
    cli.ok("add", "--links", tmp.resolve("ext").toString(), "--wildcard", "*.txt");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("a.txt", "sub/c.txt");
    assertThat(cli.fails("add", "--links", tmp.resolve("ext").toString(), "--wildcard", "*.png").err())
        .contains("no linked file matches --wildcard '*.png'; nothing was added");
    assertThat(cli.ok("log", "--json").array().get(1).get("arguments")).asList().contains("--non-recursive");
  }

  @Test
  void aValueHoldingANewlinePrintsOnOneLineOfTheLogAndJsonKeepsItsOrder() throws IOException {
    cli.ok("create", "--name", "odd");
    String id = (String) cli.ok("metadata", "--set", "k=line1\n2026-12-04 10:00:00  publish  --id x", "--json").obj().get("id");
    String log = cli.ok("log").out();
    assertThat(log.lines()).hasSize(2).noneMatch(l -> l.startsWith("2026-12-04 10:00:00"));
    assertThat(log).as("as a shell reads it").contains("$'k=line1\\n2026-12-04 10:00:00  publish  --id x'");
    // An argument holding spaces is one, quoted as a shell would need it typed.
    Path spaced = file("with space/it's.txt", "x");
    cli.ok("add", "--files", spaced.toString());
    assertThat(cli.ok("log").out()).contains("add             --files '" + spaced.toString().replace("'", "'\\''") + "'");
    cli.ok("set-description", "--description", "d\u2028e\u0085f");
    assertThat(cli.ok("show").out()).contains("d\\u2028e\\x85f");
    for (int i = 0; i < 3; i++) {
      assertThat(cli.ok("set-description", "--description", "x", "--json").out()).as("same keys, same order, every run")
          .isEqualTo("{\n  \"id\": \"" + id + "\",\n  \"description\": \"x\"\n}\n");
    }
  }

  @Test
  void aQuoteInAListValueIsACharacterOfIt() {
    Cli.Result r = cli.ok("create", "--name", "q", "--tags", "ta\"g,b");
    assertThat(r.err()).doesNotContain("picocli");
    assertThat(cli.ok("show", "--json").obj().get("tags")).asList().containsExactly("ta\"g", "b");
  }

  @Test
  void partsAreAskedForWithBothOptions() throws IOException {
    file("src/a.txt", "a");
    cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString());
    Cli.Result none = cli.fails("get", "--num-parts", "0");
    assertThat(none.exit()).as("out of range, as --max-workers 0").isEqualTo(2);
    assertThat(none.err()).isEqualTo("cairn: Cannot split a version into 0 parts: give --num-parts 1 or more (see 'cairn get --help')\n");
    Cli.Result beyond = cli.fails("get", "--part", "5", "--num-parts", "4");
    assertThat(beyond.exit()).isEqualTo(2);
    assertThat(beyond.err()).isEqualTo("cairn: Cannot take part 5 of 4: give --part 0 to 3 (parts are numbered from 0) (see 'cairn get --help')\n");
    assertThat(cli.fails("get", "--part", "-1", "--num-parts", "1").err()).startsWith("cairn: Cannot take part -1 of 1: give --part 0 (parts");
    Cli.Result half = cli.fails("get", "--part", "1");
    assertThat(half.exit()).isEqualTo(2);
    assertThat(half.err()).contains("give both (for example --part 0 --num-parts 4)");
  }

  @Test
  void anAddWhoseLaterSourceFailsChangesNothing() throws IOException {
    file("src/a.txt", "a");
    cli.ok("create", "--name", "n");
    for (String[] bad : List.of(new String[] {"--archive", tmp.resolve("missing.zip").toString()},
        new String[] {"--links", tmp.resolve("nowhere").toString()})) {
      List<String> args = new ArrayList<>(List.of("add", "--files", tmp.resolve("src").toString()));
      args.addAll(List.of(bad));
      Cli.Result r = cli.fails(args.toArray(String[]::new));
      assertThat(r.err().lines()).as(bad[0]).hasSize(1);
      assertThat(cli.ok("list", "--json").array()).as(bad[0]).isEmpty();
    }
    assertThat(cli.ok("log", "--json").array()).extracting(m -> m.get("command")).containsExactly("create");
    assertThat(cli.fails("add", "--archive", tmp.resolve("missing.zip").toString(), "--wildcard", "*.txt").err())
        .contains("apply to --files and --links");
    assertThat(cli.ok("add", "--files", tmp.resolve("src").toString(), "--json").obj()).containsEntry("added", 1L);
  }

  @Test
  void aLeadingSlashAnchorsFiltersAndRemovalsAtTheRoot() throws IOException {
    file("tree/a.txt", "a");
    file("tree/sub/a.txt", "b");
    file("tree/sub/s.txt", "s");
    cli.ok("create", "--name", "anchored");
    cli.ok("add", "--files", tmp.resolve("tree").toString());
    assertThat(cli.ok("list", "--filter", "/sub/", "--json").array()).extracting(m -> m.get("path"))
        .containsExactly("sub/a.txt", "sub/s.txt");
    assertThat(cli.ok("list", "--filter", "/a.txt", "--json").array()).extracting(m -> m.get("path")).containsExactly("a.txt");
    cli.ok("remove", "--files", "/*.txt");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("sub/a.txt", "sub/s.txt");
  }

  @Test
  void listAndGetSelectTheSameFilesForAFolderFilter() throws IOException {
    file("tree/sub/a.txt", "a");
    file("tree/x/sub/b.txt", "b");
    file("tree/\uD83D\uDE00/c.txt", "c");
    file("tree/other.txt", "o");
    cli.ok("create", "--name", "folders");
    cli.ok("add", "--files", tmp.resolve("tree").toString());
    cli.ok("close");
    for (String filter : new String[] {"sub/", "sub", "/sub/", "\uD83D\uDE00/*.txt"}) {
      List<Object> listed = new ArrayList<>();
      cli.ok("list", "--filter", filter, "--json").array().forEach(m -> listed.add(m.get("path")));
      Path copy = tmp.resolve("copy-" + Math.abs(filter.hashCode()));
      cli.ok("get", "--filter", filter, "--copy", copy.toString());
      List<Object> got = new ArrayList<>();
      try (var files = Files.walk(copy)) {
        files.filter(Files::isRegularFile).map(f -> copy.relativize(f).toString()).sorted().forEach(got::add);
      }
      assertThat(listed).as(filter).isNotEmpty().containsExactlyInAnyOrderElementsOf(got);
    }
    assertThat(cli.ok("list", "--filter", "sub/", "--json").array()).extracting(m -> m.get("path")).containsExactly("sub/a.txt", "x/sub/b.txt");
  }

  @Test
  void anEntireDatasetIsDeletedWithForceAndNothingElse() throws IOException {
    file("src/a.txt", "a");
    String v1 = (String) cli.ok("sync", "--project", "p", "--name", "gone", "--folder", tmp.resolve("src").toString(), "--json").obj()
        .get("id");
    file("src/b.txt", "b");
    cli.ok("sync", "--project", "p", "--name", "gone", "--folder", tmp.resolve("src").toString());
    cli.ok("publish", "--id", v1);
    String other = (String) cli.ok("create", "--project", "p", "--name", "kept", "--json").obj().get("id");
    cli.ok("close", "--id", other);
    Cli.Result unforced = cli.fails("delete", "--project", "p", "--name", "gone", "--entire-dataset");
    assertThat(unforced.err()).contains("without --force");
    assertThat(unforced.exit()).as("options that do not go together, as a parse error").isEqualTo(2);
    assertThat(cli.fails("delete", "--project", "p", "--name", "gone", "--entire-dataset", "--force", "--version", "1.0.0").exit()).isEqualTo(2);
    assertThat(cli.fails("runs").exit()).as("a required option missing").isEqualTo(2);
    assertThat(cli.ok("delete", "--project", "p", "--name", "gone", "--entire-dataset", "--force").out())
        .contains("Deleted 2 versions of p/gone");
    assertThat(cli.ok("search", "--json").array()).extracting(m -> m.get("id")).containsExactly(other);
    // A draft of another dataset built on one of its versions keeps it: nothing goes.
    cli.ok("sync", "--project", "p", "--name", "base", "--folder", tmp.resolve("src").toString());
    cli.ok("create", "--project", "p", "--name", "child", "--parents", (String) cli.ok("search", "--name", "base", "--json").array()
        .get(0).get("id"));
    assertThat(cli.fails("delete", "--name", "base", "--entire-dataset", "--force").err()).contains("has one of its versions as a parent");
    assertThat(cli.ok("search", "--name", "base", "--json").array()).hasSize(1);
  }

  @Test
  void theListTableQuotesANameThatBeginsOrEndsWithASpaceOrHoldsAQuoteOrABar() throws IOException {
    file("spaced/ lead.txt", "a");
    file("spaced/trail.txt ", "b");
    file("spaced/plain.txt", "c");
    // Shown unquoted, these two would look the same; and a bar would read as a column's edge.
    file("spaced/\"trail.txt \"", "d");
    file("spaced/a | 99 | fake.txt", "e");
    cli.ok("create", "--name", "spaced");
    String added = cli.ok("add", "--files", tmp.resolve("spaced").toString(), "--verbose").out();
    String list = cli.ok("list").out();
    for (String out : List.of(added, list)) {
      assertThat(out).contains("\" lead.txt\"").contains("\"trail.txt \"").contains("\"\\\"trail.txt \\\"\"")
          .contains("\"a | 99 | fake.txt\"");
    }
    assertThat(list).contains("\nplain.txt ");
    assertThat(added).contains("added    plain.txt\n");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).contains(" lead.txt", "trail.txt ", "\"trail.txt \"");
  }

  @Test
  void aCommandOfTheCurrentVersionInARepositoryWithNoneSaysToCreateOne() throws IOException {
    cli.ok("init");
    Path a = file("src/a.txt", "a");
    assertThat(cli.fails("add", "--files", a.toString()).err()).isEqualTo("cairn: Cannot tell which version to use: this repository has"
        + " none yet (cairn create --project P --name N makes a draft to add to, as clearml-data create does)\n");
  }

  @Test
  void publishingADraftSaysItIsADraft() {
    cli.ok("create", "--project", "p", "--name", "draft");
    assertThat(cli.fails("publish").err()).contains(": it is a draft; close it first");
    cli.ok("close");
    // By name, the highest closed version: a draft above it is not the one to publish.
    String next = (String) cli.ok("create", "--project", "p", "--name", "draft", "--json").obj().get("id");
    Map<String, Object> byName = cli.ok("publish", "--project", "p", "--name", "draft", "--json").obj();
    assertThat(byName.get("id")).isNotEqualTo(next);
    assertThat(byName).containsEntry("state", "published").containsEntry("already", false).doesNotContainKey("notes");
    cli.ok("delete", "--id", next, "--force");
    assertThat(cli.ok("publish", "--json").obj()).containsEntry("state", "published").containsEntry("already", true)
        .containsKey("notes");
    Cli.Result again = cli.ok("publish", "--json");
    assertThat(again.obj()).as("run again: what was asked for holds").containsEntry("state", "published").containsEntry("already", true);
    assertThat(again.err()).endsWith(" was published already\n");
    assertThat(again.obj().get("notes")).as("the note, for a script reading stdout").asList().singleElement().asString()
        .endsWith(" was published already");
    assertThat(cli.ok("publish").out()).startsWith("Dataset published already id=");
  }

  @Test
  void malformedPatternsAreOneLineNamingThePattern() throws IOException {
    Path a = file("src/a.txt", "a");
    cli.ok("create", "--project", "p", "--name", "globs");
    assertThat(cli.fails("add", "--files", a.getParent().toString(), "--wildcard", "[").err())
        .isEqualTo("cairn: Cannot use wildcard '[': unclosed '['\n");
    assertThat(cli.fails("add", "--files", a.getParent().toString(), "--wildcard", "*.jpg").err())
        .isEqualTo("cairn: Cannot add: no file of " + a.getParent() + " matches --wildcard '*.jpg'; nothing was added\n");
    cli.ok("add", "--files", a.toString());
    assertThat(cli.fails("list", "--filter", "x[").err()).isEqualTo("cairn: Cannot use filter 'x[': unclosed '['\n");
  }

  @Test
  void aRemoteThatIsAFileIsRefusedSayingSo() throws IOException {
    Path f = file("not-a-folder", "x");
    cli.ok("create", "--project", "p", "--name", "r");
    cli.ok("close");
    assertThat(cli.fails("upload", "--storage", f.toString()).err()).isEqualTo("cairn: Cannot use remote " + f + ": it is a file, not a folder\n");
    Path below = f.resolve("x/y");
    assertThat(cli.fails("upload", "--storage", below.toString()).err()).isEqualTo("cairn: Cannot use remote " + below + ": " + f
        + " is a file, not a folder\n");
    assertThat(new Cli(tmp.resolve("other")).fails("get", "--name", "r", "--storage", "file://" + below).err())
        .isEqualTo("cairn: Cannot use remote " + below + ": " + f + " is a file, not a folder\n");
  }

  @Test
  void tagsAreShownAddedAndRemoved() {
    assertThat(cli.ok("create", "--project", "p", "--name", "tagged", "--tags", "raw , gold,raw").out()).contains("tagged raw, gold\n");
    cli.ok("tags", "--remove", "gold");
    assertThat(cli.ok("tags", "--add", "gold,v2").out()).isEqualTo("raw\ngold\nv2\n");
    assertThat(cli.fails("tags", "--remove", "silver").err()).startsWith("cairn: Cannot remove tag 'silver': version ")
        .endsWith(" does not carry it (its tags: raw, gold, v2)\n");
    Cli.Result both = cli.run("tags", "--add", "x", "--remove", "x");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("cairn: Cannot both add and remove tag 'x' (see 'cairn tags --help')\n");
    assertThat(cli.ok("tags", "--remove", "raw", "gold", "v2").out()).endsWith(" has no tags\n");
    // Spaces around the tags of a list are dropped; a tag given twice is kept once.
    assertThat(cli.ok("tags", "--add", " gold , silver,gold").out()).isEqualTo("gold\nsilver\n");
    assertThat(cli.fails("tags", "--add", "   ").err()).isEqualTo("cairn: Cannot use an empty tag\n");
    // Only separators: no tag at all, refused as a value that does not parse (as --ids , and --parents ,).
    Cli.Result commas = cli.run("tags", "--add", ",");
    assertThat(commas.exit()).isEqualTo(2);
    assertThat(commas.err()).isEqualTo("cairn: Cannot use --add: it was given no value, only commas (see 'cairn tags --help')\n");
    assertThat(cli.run("search", "--ids", ",").exit()).isEqualTo(2);
    assertThat(cli.run("create", "--name", "commas", "--tags", ",").exit()).isEqualTo(2);
    assertThat(cli.ok("tags", "--json").out()).contains("\"tags\": [").contains("\"gold\"").contains("\"silver\"");
  }

  @Test
  void metadataPrintsAKeyALineWhateverItsValueHolds() {
    cli.ok("create", "--project", "p", "--name", "meta");
    assertThat(cli.ok("metadata", "--set", "note=two\nlines", "--set", "path=C:\\data").out())
        .isEqualTo("note=two\\x0alines\npath=C:\\data\n");
    assertThat(cli.ok("metadata", "--json").out()).contains("\"note\": \"two\\nlines\"");
    // A key given two values is refused whole, not settled by the last one.
    Cli.Result twice = cli.run("metadata", "--set", "a=1", "--set", "a=2");
    assertThat(twice.exit()).as("options that do not go together").isEqualTo(2);
    assertThat(twice.err()).isEqualTo("cairn: Cannot set metadata: key 'a' is given two values; give it one (see 'cairn metadata --help')\n");
    assertThat(cli.run("metadata", "--set", "foo").exit()).as("a value that does not parse").isEqualTo(2);
    assertThat(cli.ok("metadata", "--json").out()).doesNotContain("\"a\"");
    assertThat(cli.ok("metadata", "--set", "a=1", "a=1").out()).contains("a=1\n");
    assertThat(cli.ok("show").out()).contains("metadata:    note=two\\x0alines\nmetadata:    path=C:\\data\n");
  }

  @Test
  void searchWarnsOfRecordsItCannotReadAndListsTheOthers() throws IOException {
    Path a = file("src/a.txt", "a");
    String kept = (String) cli.ok("create", "--project", "p", "--name", "kept", "--json").obj().get("id");
    cli.ok("add", "--files", a.toString());
    cli.ok("close");
    String broken = (String) cli.ok("create", "--project", "p", "--name", "broken", "--json").obj().get("id");
    Files.writeString(cli.repo.resolve("refs/datasets/" + broken + ".json"), "{broken");

    Cli.Result r = cli.ok("search");
    assertThat(r.out()).contains(kept).doesNotContain(broken);
    assertThat(r.err()).isEqualTo("cairn: warning: 1 version record could not be read and is left out; run cairn fsck\n");
    Cli.Result json = cli.ok("search", "--json");
    assertThat(json.array()).extracting(m -> m.get("id")).containsExactly(kept);
    assertThat(json.err()).contains("1 version record could not be read");
  }

  @Test
  void aRepositoryGivenAsAFileUriIsThatFolderAndARemoteUriIsRefused() throws IOException {
    Path folder = tmp.resolve("as-uri");
    assertThat(new Cli(Path.of(folder.toUri().toString())).ok("init", "--json").obj()).containsEntry("created", true);
    assertThat(folder.resolve("config")).exists();
    assertThat(new Cli(Path.of("s3a://bucket/x")).fails("search").err())
        .isEqualTo("cairn: Cannot use --repo s3a:/bucket/x: a repository is a local folder (a remote is given as --storage)\n");
  }

  @Test
  void aRemoteWhoseHadoopClientCannotLoadIsRefusedInALine() {
    // The command line leaves out Hadoop's Jetty 9, which the WASB driver loads: a line, not a
    // stack trace followed by "interrupted".
    Cli.Result r = cli.fails("search", "--storage", "wasb://c@acct.blob.core.windows.net/x");
    assertThat(r.err()).startsWith("cairn: Cannot open storage on wasb://c@acct.blob.core.windows.net/x: the Hadoop client for wasb://"
        + " lacks a class in this build (org.eclipse.jetty.util").contains("use abfss://").doesNotContain("\tat ", "interrupted");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void aFailedCommandTakesBackTheRepositoryItMadeAndLeftUnused() throws IOException {
    Path typo = tmp.resolve("typo-made");
    assertThat(new Cli(typo).fails("create", "--name", "x", "--parents", "deadbeef00").err()).contains("deadbeef00");
    assertThat(typo).doesNotExist();
    new Cli(typo).fails("sync", "--name", "x", "--folder", tmp.resolve("nowhere").toString());
    assertThat(typo).doesNotExist();
    Files.createDirectories(typo); // a folder the user made stays, empty
    new Cli(typo).fails("create", "--name", "a/b");
    assertThat(typo).isEmptyDirectory();
    // Once it holds something, or was there before, a failure leaves it as it is.
    new Cli(typo).ok("create", "--name", "x");
    new Cli(typo).fails("create", "--name", "y", "--parents", "deadbeef00");
    assertThat(typo.resolve("config")).isRegularFile();
    assertThat(new Cli(typo).ok("show", "--name", "x").out()).contains("draft");
  }

  @Test
  void aGetThatCannotFetchLeavesAMistypedRepositoryUnmade() throws IOException {
    Path typo = tmp.resolve("typo-repo");
    assertThat(new Cli(typo).fails("get", "--id", "deadbeef").err()).contains("no Cairn repository").contains("--repo");
    assertThat(typo).doesNotExist();
    Path a = file("src/a.txt", "a");
    cli.ok("sync", "--name", "g", "--folder", a.getParent().toString());
    assertThat(cli.fails("get", "--overwrite").err()).contains("--overwrite without --copy or --link");
    assertThat(cli.fails("get", "--lock", tmp.resolve("x.lock").toString(), "--name", "g").err()).contains("excludes --id");
    assertThat(cli.fails("get", "--lock", tmp.resolve("x.lock").toString(), "--link", tmp.resolve("ln").toString()).err())
        .contains("--link links one version's folder");
    assertThat(tmp.resolve("ln")).doesNotExist();
  }

  @Test
  void aDraftRefusedAtAFreshRepositoryLeavesNoRepositoryBehind() throws IOException {
    // The draft is made (its empty tree stored), then deleted when its remote or folder is refused.
    Path junk = Files.createDirectories(tmp.resolve("junk"));
    Files.writeString(junk.resolve("me.jpg"), "not cairn");
    assertThat(cli.fails("create", "--name", "x", "--storage", junk.toString()).err()).contains("holds no Cairn data but other files");
    assertThat(tmp.resolve("repo")).doesNotExist();
    Files.createDirectories(tmp.resolve("data"));
    assertThat(cli.fails("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("data") + "/*.none").err()).contains("no file matches");
    assertThat(tmp.resolve("repo")).doesNotExist();
    // Once a version stands, a refusal leaves the repository as it is.
    Files.writeString(tmp.resolve("data/a.txt"), "a");
    cli.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("data").toString());
    cli.fails("create", "--name", "y", "--storage", junk.toString());
    assertThat(cli.ok("search", "--json").array()).hasSize(1);
  }

  @Test
  void aFirstSyncWithoutANameSaysToGiveOne() throws IOException {
    cli.ok("init");
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a");
    assertThat(cli.fails("sync", "--folder", data.toString()).err()).isEqualTo("cairn: Cannot sync: no draft to sync into yet; give"
        + " --project P --name N to make a version of the folder (or --id of a draft)\n");
    cli.ok("sync", "--project", "p", "--name", "n", "--folder", data.toString());
  }

  @Test
  void aValueHoldingALineBreakIsQuotedWholeOnTheOneLine() throws IOException {
    cli.ok("init");
    assertThat(cli.fails("create", "--name", "x", "--version", "a\nb").err())
        .isEqualTo("cairn: Cannot create version: invalid version 'a\\x0ab': use up to 64 letters, digits and . _ + -, starting with a letter or digit (for example 1.2.0)\n");
    assertThat(cli.fails("gc", "--grace", "1h\nevil").err()).startsWith("cairn: Cannot use --grace 1h\\x0aevil: give a duration");
    assertThat(cli.fails("list", "--project", "p", "--name", "ds", "--version", "1.0\nevil").err())
        .isEqualTo("cairn: Cannot find dataset version: no dataset p/ds version 1.0\\x0aevil here\n");
    String huge = "9".repeat(100_000);
    String cut = cli.fails("create", "--name", "x", "--version", huge).err();
    assertThat(cut.lines()).singleElement().asString().startsWith("cairn: Cannot create version: invalid version '999")
        .contains(" … (").contains(" characters in all) … 999").endsWith("(for example 1.2.0)");
    assertThat(cut.length()).isLessThan(2100);
  }

  @Test
  void aSyncBesideAnOpenDraftOfItsDatasetSaysSo() throws IOException {
    Path src = tmp.resolve("cats");
    Files.createDirectories(src);
    Files.writeString(src.resolve("a.txt"), "a");
    String draft = (String) cli.ok("create", "--project", "p", "--name", "cats", "--json").obj().get("id");
    Cli.Result synced = cli.ok("sync", "--project", "p", "--name", "cats", "--folder", src.toString());
    assertThat(synced.err()).isEqualTo("cairn: note: p/cats has a draft open (1.0.0 " + draft.substring(0, 8) + ": left open, or another"
        + " sync running now), which this sync neither took nor built on; this version is 1.0.1 (sync --folder DIR without --name fills"
        + " the current draft; cairn delete --id ID removes one)\n");
    Files.writeString(src.resolve("b.txt"), "b");
    cli.ok("delete", "--id", draft);
    assertThat(cli.ok("sync", "--project", "p", "--name", "cats", "--folder", src.toString()).err()).isEmpty();
  }

  @Test
  void picocliSentencesEndBeforeTheHelpHint() {
    assertThat(cli.fails("help", "nosuch").err()).isEqualTo("cairn: Unknown subcommand 'nosuch' (see 'cairn --help')\n");
  }

  @Test
  void aLockFileThatIsNotOneIsSaidToBeNone() throws IOException {
    cli.ok("init");
    Path binary = Files.write(tmp.resolve("binary.lock"), new byte[] {(byte) 0xff, (byte) 0xfe});
    assertThat(cli.fails("get", "--lock", binary.toString()).err())
        .isEqualTo("cairn: Cannot read lock file " + binary + ": not a Cairn lock file, which is UTF-8 text\n");
    Path text = Files.writeString(tmp.resolve("text.lock"), "f\n");
    assertThat(cli.fails("get", "--lock", text.toString()).err())
        .isEqualTo("cairn: Cannot read lock file " + text + ": not a Cairn lock file, which is JSON (expected false at character 0)\n");
    assertThat(cli.fails("get", "--lock", tmp.toString()).err()).isEqualTo("cairn: Cannot read lock file " + tmp + ": it is a folder\n");
    assertThat(cli.fails("get", "--lock", tmp.resolve("none.lock").toString()).err())
        .isEqualTo("cairn: Cannot read lock file " + tmp.resolve("none.lock") + ": no such file\n");
  }

  @Test
  void compareRefusesAStorageThatIsNoneThoughBothVersionsAreHere() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    String id = (String) cli.ok("sync", "--project", "p", "--name", "n", "--folder", src.toString(), "--json").obj().get("id");
    assertThat(cli.fails("compare", "--source", id, "--target", id, "--storage=").err()).isEqualTo("cairn: Cannot use an empty storage location\n");
    assertThat(cli.fails("compare", "--source", id, "--target", id, "--storage", "s3:/x").err())
        .isEqualTo("cairn: Cannot use storage location 's3a:/x': it names no bucket (s3a://BUCKET/path)\n");
  }

  @Test
  void mistakesOfFormGetOneLineThatNamesThem() throws IOException {
    assertThat(cli.fails("bogus").err()).contains("'bogus' is not a cairn command (see");
    assertThat(cli.fails("lsit").err()).contains("'lsit' is not a cairn command (did you mean 'list'?)");
    // ClearML's, Git's and DVC's words get cairn's.
    assertThat(cli.fails("finalize").err()).isEqualTo("cairn: 'finalize' is not a cairn command (cairn close does that) (see 'cairn --help')\n");
    assertThat(cli.fails("push").err()).contains("(cairn upload does that)");
    assertThat(cli.fails("download").err()).contains("(cairn get does that)");
    assertThat(cli.fails("set-metadata").err()).contains("(cairn metadata --set does that)");
    assertThat(cli.fails("get", "--mutable").err()).isEqualTo("cairn: Unknown option: '--mutable' (a copy to change is get --copy DIR)"
        + " (see 'cairn get --help')\n");
    // A word where only options go, or an option after "--".
    assertThat(cli.fails("add", "data/").err())
        .isEqualTo("cairn: add takes no arguments, only options: 'data/' is not an option (see 'cairn add --help')\n");
    assertThat(cli.fails("add", "--", "--files", "x").err()).isEqualTo("cairn: add takes no arguments, only options: '--files'"
        + " comes after '--', which ends the options (see 'cairn add --help')\n");
    // --repo before and after the command's name: which one was meant is not guessed.
    Cli.Result twice = cli.run("create", "--name", "where", "--repo", tmp.resolve("elsewhere").toString());
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).isEqualTo("cairn: Cannot give --repo twice (before and after the command's name): it takes one DIR"
        + " (see 'cairn create --help')\n");
    assertThat(cli.fails("get", "--copy", "a", "--copy", "b").err()).startsWith("cairn: Cannot give --copy twice: it takes one DIR (see");
    assertThat(tmp.resolve("elsewhere")).doesNotExist();
    assertThat(tmp.resolve("repo")).doesNotExist();
    // Values that do not parse, told by the command rather than by picocli: exit 2 all the same.
    for (List<String> line : List.of(List.of("gc", "--grace", "banana"), List.of("init", "--object-format", "md5"), List.of("add"))) {
      Cli.Result bad = cli.fails(line.toArray(String[]::new));
      assertThat(bad.exit()).as(String.join(" ", line)).isEqualTo(2);
      assertThat(bad.err()).as(String.join(" ", line)).endsWith("(see 'cairn " + line.get(0) + " --help')\n");
    }
    assertThat(tmp.resolve("repo")).doesNotExist();
    assertThat(cli.fails("search", "--non-recursive-project-search").exit()).isEqualTo(2);
    assertThat(cli.fails("search", "--storage", "file://tmp/x").err()).contains("three slashes").contains("'tmp' reads as a host");
    Path deep = file("src/" + "long-folder-name/".repeat(6) + "file.txt", "x");
    cli.ok("sync", "--name", "paths", "--folder", tmp.resolve("src").toString());
    String listed = cli.ok("list").out();
    assertThat(listed).as("a long path is printed whole").contains(tmp.resolve("src").relativize(deep).toString());
    String id = cli.ok("search", "--json").array().get(0).get("id").toString();
    assertThat(cli.fails("sync", "--id", id, "--name", "other", "--folder", tmp.resolve("src").toString()).err())
        .contains("give one or the other");
    // Too short to be an id: said so, before any remote is asked.
    assertThat(cli.fails("get", "--id", "1234").err()).contains("'1234' is not an id or an id prefix of at least 8 hex digits");
    assertThat(cli.fails("search", "--ids", id.substring(0, 4)).err()).contains("is not an id or an id prefix of at least 8 hex digits");
    assertThat(cli.ok("search", "--ids", id.substring(0, 8), "--json").array()).hasSize(1);
    assertThat(cli.fails("search", "--conf", "foo").err()).contains("Value for option '--conf'").doesNotContain("option option");
    assertThat(cli.fails("search", "--conf", "=x").err()).contains("the setting's name is empty");
    assertThat(cli.fails("close", "--disable-upload", "--storage", tmp.resolve("r").toString()).err()).contains("give one");
  }

  @Test
  void exportRefusesAnExistingFileUnlessToldToOverwrite() throws IOException {
    Path a = file("src/a.txt", "a");
    cli.ok("create", "--project", "p", "--name", "export");
    cli.ok("add", "--files", a.toString());
    cli.ok("close");
    Path out = file("out/v.tar", "precious");
    assertThat(cli.fails("export", "--output", out.toString()).err())
        .isEqualTo("cairn: Cannot export to " + out + ": the file exists; use --overwrite to replace it\n");
    assertThat(Files.readString(out)).isEqualTo("precious");
    cli.ok("export", "--output", out.toString(), "--overwrite");
    assertThat(Files.size(out)).isGreaterThan(512);
    Path fresh = tmp.resolve("out/fresh.tar");
    // Partial archives of exports killed earlier: a dead process's goes, a running one's stays.
    Path abandoned = file("out/.fresh.tar-p" + Integer.MAX_VALUE + "-01234567-89ab-cdef-0123-456789abcdef.tmp", "partial");
    Path running = file("out/.fresh.tar-p" + ProcessHandle.current().pid() + "-01234567-89ab-cdef-0123-456789abcdef.tmp", "partial");
    cli.ok("export", "--output", fresh.toString());
    assertThat(abandoned).doesNotExist();
    assertThat(running).exists();
    Files.delete(running);
    assertThat(Files.readAllBytes(fresh)).isEqualTo(Files.readAllBytes(out));
    Path folder = Files.createDirectories(tmp.resolve("out/folder.tar"));
    assertThat(cli.fails("export", "--output", folder.toString(), "--overwrite").err())
        .isEqualTo("cairn: Cannot export to " + folder + ": it is a folder; give the archive's file name\n");
    try (var left = Files.list(tmp.resolve("out"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("v.tar", "fresh.tar", "folder.tar");
    }
  }

  @Test
  void exportToAFolderThatRefusesFilesNamesTheArchiveNotItsTemporaryFile() throws IOException {
    Path a = file("src/a.txt", "a");
    cli.ok("create", "--project", "p", "--name", "export");
    cli.ok("add", "--files", a.toString());
    cli.ok("close");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    assertThat(cli.fails("export", "--output", "/proc/x.tar").err())
        .isEqualTo("cairn: Cannot export to /proc/x.tar: /proc cannot hold new files\n");
  }

  @Test
  void fsckCountsOneLeftoverInTheSingular() throws IOException {
    cli.ok("create", "--project", "p", "--name", "leftover");
    Files.writeString(cli.repo.resolve("tmp/.stray.tmp"), "x");
    assertThat(cli.run("fsck").out()).contains("1 leftover temporary file of interrupted commands");
  }
}
