package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.cairn.id.HashAlgorithm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real command line on real folders and checks contents byte for byte. */
class CliEndToEndTest {
  @TempDir Path tmp;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(tmp.resolve("repo"));
  }

  /** A folder with nested, unicode and space names, empty files, a large file and many small ones. */
  Path richFolder() throws IOException {
    Path d = tmp.resolve("src");
    Random r = new Random(42);
    write(d.resolve("top.txt"), "top level\n".getBytes(StandardCharsets.UTF_8));
    write(d.resolve("nested/deeper/deepest/file.csv"), "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    write(d.resolve("spaces in name/a file.txt"), "spaces".getBytes(StandardCharsets.UTF_8));
    write(d.resolve("ünïcødé/日本語.txt"), "unicode ✓".getBytes(StandardCharsets.UTF_8));
    write(d.resolve("emoji 😀.bin"), new byte[] {1, 2, 3});
    write(d.resolve("empty.txt"), new byte[0]);
    write(d.resolve("nested/empty2"), new byte[0]);
    byte[] big = new byte[12 << 20];
    r.nextBytes(big);
    write(d.resolve("large/big.bin"), big);
    for (int i = 0; i < 2000; i++) {
      byte[] small = new byte[r.nextInt(300)];
      r.nextBytes(small);
      write(d.resolve(String.format("many/%02d/f%04d.dat", i % 17, i)), small);
    }
    return d;
  }

  static void write(Path p, byte[] b) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, b);
  }

  /** Relative path → bytes of every file under {@code root}. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), HashAlgorithm.SHA256.hash(Files.readAllBytes(p)).hex());
      }
    }
    return m;
  }

  @Test
  void createNamedWithoutItsProjectTakesTheOneProjectHoldingThatName() throws IOException {
    cli.ok("create", "--project", "demo", "--name", "ds1");
    cli.ok("close");
    // As --name alone picks a version: the next version of demo/ds1, not a second, project-less ds1.
    assertThat(cli.ok("create", "--name", "ds1", "--json").obj()).containsEntry("project", "demo").containsEntry("version", "1.0.1");
    assertThat(cli.ok("create", "--name", "fresh", "--json").obj()).containsEntry("project", "").containsEntry("version", "1.0.0");
    assertThat(cli.ok("create", "--project", "", "--name", "ds1", "--json").obj()).containsEntry("project", "");
    assertThat(cli.fails("create", "--name", "ds1").err()).isEqualTo("cairn: Cannot tell which dataset 'ds1' is meant: projects '', 'demo'"
        + " each hold one; give the project too\n");
  }

  @Test
  void fullWorkflowRoundTripsEveryByte() throws IOException {
    Path src = richFolder();
    Map<String, Object> created = cli.ok("create", "--project", "e2e", "--name", "rich", "--json").obj();
    String id = (String) created.get("id");
    assertThat(created).containsEntry("version", "1.0.0").containsEntry("project", "e2e").containsEntry("name", "rich");
    Map<String, Object> added = cli.ok("add", "--files", src.toString(), "--json").obj();
    assertThat(added.get("added")).isEqualTo(2008L);
    cli.ok("close");
    Path copy = Path.of(cli.ok("get", "--id", id).lastLine());
    assertThat(snapshot(copy)).isEqualTo(snapshot(src));
    Path writable = tmp.resolve("writable");
    assertThat(cli.ok("get", "--id", id.substring(0, 8), "--copy", writable.toString()).lastLine()).isEqualTo(writable.toString());
    assertThat(snapshot(writable)).isEqualTo(snapshot(src));
    Files.writeString(writable.resolve("top.txt"), "changed");
    assertThat(Files.readString(copy.resolve("top.txt"))).isEqualTo("top level\n");

    List<Map<String, Object>> files = cli.ok("list", "--id", id, "--json").array();
    assertThat(files).hasSize(2008);
    Map<String, Object> unicode = files.stream().filter(f -> f.get("path").equals("ünïcødé/日本語.txt")).findFirst().orElseThrow();
    assertThat(unicode.get("hash")).isEqualTo(HashAlgorithm.SHA256.hash("unicode ✓".getBytes(StandardCharsets.UTF_8)).hex());
    assertThat(unicode.get("size")).isEqualTo((long) "unicode ✓".getBytes(StandardCharsets.UTF_8).length);
    assertThat(cli.ok("verify", "--id", id).exit()).isZero();
    assertThat(cli.ok("verify", "--id", id, "--folder", copy.toString()).out()).contains("no differences");
    // Problems found are an answer, not a failure: the check ran to its end, which --verbose says so.
    Cli.Result differs = cli.run("verify", "--id", id, "--folder", writable.toString(), "--verbose");
    assertThat(differs.exit()).isEqualTo(1);
    assertThat(differs.out()).contains("top.txt");
    assertThat(differs.err()).contains(": ended after ").doesNotContain("stopped after");
  }

  @Test
  void aFilterTypedInTheOtherUnicodeFormSelectsTheSameFiles() throws IOException {
    // Stored decomposed (as macOS names files), typed composed (as most keyboards elsewhere do).
    Path src = tmp.resolve("uni");
    write(src.resolve("cafe\u0301/menu.txt"), "m".getBytes(StandardCharsets.UTF_8));
    write(src.resolve("other.txt"), "o".getBytes(StandardCharsets.UTF_8));
    String id = (String) cli.ok("sync", "--project", "p", "--name", "uni", "--folder", src.toString(), "--json").obj().get("id");
    String typed = "caf\u00e9";
    assertThat(cli.ok("list", "--id", id, "--filter", typed, "--json").array()).extracting(m -> m.get("path"))
        .containsExactly("cafe\u0301/menu.txt");
    Path copy = tmp.resolve("uni-copy");
    cli.ok("get", "--id", id, "--filter", typed + "/", "--copy", copy.toString());
    assertThat(copy.resolve("cafe\u0301/menu.txt")).hasContent("m");
    assertThat(copy.resolve("other.txt")).doesNotExist();
    cli.ok("verify", "--id", id, "--folder", copy.toString(), "--filter", "/" + typed);
    Path tar = tmp.resolve("uni.tar");
    // Renamed to the composed spelling (a copy through macOS and back, say): both lines say which is which.
    Files.move(src.resolve("cafe\u0301"), src.resolve(typed));
    assertThat(cli.ok("sync", "--project", "p", "--name", "uni", "--folder", src.toString(), "--verbose").out())
        .contains("removed  'cafe\u0301/menu.txt' (decomposed)\n", "added    '" + typed + "/menu.txt' (composed)\n");
    cli.ok("export", "--id", id, "--filter", "caf?/*", "--output", tar.toString()); // "?": one letter, composed or not
    String names = new String(Files.readAllBytes(tar), StandardCharsets.ISO_8859_1);
    assertThat(names).contains("menu.txt").doesNotContain("other.txt");
  }

  @Test
  void aRefusedCommandAndAGetOfTheParentLeaveTheDraftBeingBuiltCurrent() throws IOException {
    Path src = tmp.resolve("cur");
    write(src.resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    String parent = (String) cli.ok("sync", "--project", "p", "--name", "cur", "--folder", src.toString(), "--json").obj().get("id");
    cli.ok("publish", "--id", parent);
    String draft = (String) cli.ok("create", "--project", "p", "--name", "cur", "--parents", parent, "--json").obj().get("id");
    // Named by mistake, a published version refuses the add, and does not become the current one.
    assertThat(cli.fails("add", "--id", parent, "--files", src.resolve("a.txt").toString()).err()).contains("published");
    write(src.resolve("b.txt"), "b".getBytes(StandardCharsets.UTF_8));
    assertThat(cli.ok("add", "--files", src.resolve("b.txt").toString(), "--json").obj()).containsEntry("id", draft);
    // A copy of the parent to edit, then a sync of it into the draft: the get left the draft current.
    Path copy = tmp.resolve("edit");
    cli.ok("get", "--id", parent, "--copy", copy.toString());
    write(copy.resolve("c.txt"), "c".getBytes(StandardCharsets.UTF_8));
    assertThat(cli.ok("sync", "--folder", copy.toString(), "--json").obj()).containsEntry("id", draft).containsEntry("closed", true);
    // A sync that makes a version says so as create does (and clearml-data sync): a draft synced into does not.
    write(copy.resolve("d.txt"), "d".getBytes(StandardCharsets.UTF_8));
    List<String> made = cli.ok("sync", "--project", "p", "--name", "cur", "--folder", copy.toString()).out().lines().toList();
    assertThat(made.get(0)).matches("New dataset created id=[0-9a-f]{32}");
    assertThat(made.get(made.size() - 1)).isEqualTo("Closed version " + made.get(0).substring("New dataset created id=".length()) + " (1.0.2)");
    cli.ok("create", "--project", "p", "--name", "cur", "--parents", made.get(0).substring("New dataset created id=".length()));
    write(copy.resolve("e.txt"), "e".getBytes(StandardCharsets.UTF_8));
    assertThat(cli.ok("sync", "--folder", copy.toString()).out()).doesNotContain("New dataset created");
    cli.ok("get", "--id", parent);
    // With no draft current, a get makes the version it got the current one, as before.
    cli.ok("get", "--id", parent);
    assertThat(cli.ok("show", "--json").obj()).containsEntry("id", parent);
    // And so does a get of another dataset's version while a draft is current: it is not the draft's.
    String other = (String) cli.ok("sync", "--project", "p", "--name", "other", "--folder", src.toString(), "--json").obj().get("id");
    cli.ok("create", "--project", "p", "--name", "cur", "--parents", parent);
    cli.ok("get", "--id", other);
    assertThat(cli.ok("show", "--json").obj()).containsEntry("id", other);
  }

  @Test
  void listOriginNamesTheVersionThatBroughtEachFile() throws IOException {
    Path src = tmp.resolve("o");
    write(src.resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    write(src.resolve("b.txt"), "b".getBytes(StandardCharsets.UTF_8));
    String v1 = (String) cli.ok("sync", "--project", "p", "--name", "o", "--folder", src.toString(), "--json").obj().get("id");
    write(src.resolve("b.txt"), "B".getBytes(StandardCharsets.UTF_8));
    String v2 = (String) cli.ok("sync", "--project", "p", "--name", "o", "--folder", src.toString(), "--json").obj().get("id");

    List<Map<String, Object>> files = cli.ok("list", "--id", v2, "--origin", "--json").array();
    assertThat(files).extracting(m -> m.get("path") + " " + m.get("origin") + " " + m.get("origin_version"))
        .containsExactly("a.txt " + v1 + " 1.0.0", "b.txt " + v2 + " 1.0.1");
    String table = cli.ok("list", "--id", v2, "--origin", "--filter", "a.txt").out();
    assertThat(table).contains("| origin").contains("a.txt").contains("| 1.0.0 (" + v1.substring(0, 8) + ")").doesNotContain("b.txt");
    assertThat(cli.ok("list", "--id", v2).out()).doesNotContain("origin");
    assertThat(cli.ok("list", "--id", v2, "--origin").err()).isEmpty();
    // The parent deleted: what it brought is still its own, found through its version object (its record is gone).
    cli.ok("delete", "--id", v1, "--force");
    Cli.Result orphan = cli.ok("list", "--id", v2, "--origin", "--json");
    assertThat(orphan.array()).extracting(m -> m.get("path") + " " + m.get("origin") + " " + m.get("origin_version") + " " + m.get("origin_deleted"))
        .containsExactly("a.txt " + v1 + " 1.0.0 true", "b.txt " + v2 + " 1.0.1 false");
    assertThat(orphan.err()).isEmpty();
    assertThat(cli.ok("list", "--id", v2, "--origin").out()).contains("| 1.0.0 (" + v1.substring(0, 8) + ", deleted)");
    // A get of it says it was deleted, as every command does, and where it could come from.
    assertThat(cli.fails("get", "--id", v1.substring(0, 8)).err()).isEqualTo("cairn: Cannot find dataset version: version " + v1
        + " was deleted here (give --storage URI to fetch it again from a remote that holds it)\n");
    // A file a parent of another dataset brought is shown with that dataset's name.
    Path other = tmp.resolve("other");
    write(other.resolve("c.txt"), "c".getBytes(StandardCharsets.UTF_8));
    String cats = (String) cli.ok("sync", "--project", "q", "--name", "cats", "--folder", other.toString(), "--json").obj().get("id");
    String merged = (String) cli.ok("create", "--project", "p", "--name", "o", "--parents", v2, cats, "--json").obj().get("id");
    cli.ok("close", "--id", merged);
    assertThat(cli.ok("list", "--id", merged, "--origin", "--filter", "c.txt").out()).contains("| q/cats 1.0.0 (" + cats.substring(0, 8)
        + ")");
    assertThat(cli.ok("list", "--id", merged, "--origin", "--filter", "b.txt").out()).contains("| 1.0.1 (" + v2.substring(0, 8) + ")");
    assertThat(cli.ok("list", "--id", merged, "--origin", "--json").array()).extracting(m -> m.get("path") + " " + m.get("origin_dataset"))
        .containsExactly("a.txt p/o", "b.txt p/o", "c.txt q/cats");
    // The lineage DAG, as clearml's get_dependency_graph: the version, then its ancestors, each with its parents.
    assertThat(cli.ok("show", "--id", merged, "--lineage").out().lines()).containsExactly(
        merged.substring(0, 8) + "  p/o 1.0.2  <- " + v2.substring(0, 8) + ", " + cats.substring(0, 8),
        v2.substring(0, 8) + "  p/o 1.0.1  <- " + v1.substring(0, 8),
        cats.substring(0, 8) + "  q/cats 1.0.0",
        v1.substring(0, 8) + "  deleted");
    assertThat(cli.ok("show", "--id", merged, "--lineage", "--json").obj()).containsOnly(entry(merged, List.of(v2, cats)),
        entry(v2, List.of(v1)), entry(cats, List.of()), entry(v1, List.of()));
    // Keyed by ids: a note (a draft of the dataset open) goes to stderr alone, not among the ids.
    String draft = (String) cli.ok("create", "--project", "p", "--name", "o", "--json").obj().get("id");
    Cli.Result noted = cli.ok("show", "--project", "p", "--name", "o", "--lineage", "--json");
    assertThat(noted.err()).startsWith("cairn: note: this is the draft 1.0.3");
    assertThat(noted.obj()).containsOnlyKeys(draft);
  }

  @Test
  void verboseListsEachPathAChangeTouched() throws IOException {
    Path src = tmp.resolve("vb");
    write(src.resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    write(src.resolve("b.txt"), "b".getBytes(StandardCharsets.UTF_8));
    cli.ok("create", "--project", "p", "--name", "vb");
    assertThat(cli.ok("add", "--files", src.toString(), "--verbose").out())
        .startsWith("added    a.txt\nadded    b.txt\n2 files added");
    // Only what this add changed: b.txt again is no change.
    write(tmp.resolve("more/c.txt"), "c".getBytes(StandardCharsets.UTF_8));
    assertThat(cli.ok("add", "--files", tmp.resolve("more").toString(), src.resolve("b.txt").toString(), "--verbose").out())
        .startsWith("added    c.txt\n1 file added");
    assertThat(cli.ok("remove", "--files", "c.txt", "--verbose").out()).startsWith("removed  c.txt\n1 file removed");
    cli.ok("close");
    write(src.resolve("a.txt"), "A".getBytes(StandardCharsets.UTF_8));
    Files.delete(src.resolve("b.txt"));
    write(src.resolve("d.txt"), "d".getBytes(StandardCharsets.UTF_8));
    Map<String, Object> synced = cli.ok("sync", "--project", "p", "--name", "vb", "--folder", src.toString(), "--verbose", "--json").obj();
    assertThat((List<Map<String, Object>>) synced.get("changes")).extracting(m -> m.get("change") + " " + m.get("path"))
        .containsExactly("modified a.txt", "removed b.txt", "added d.txt");
    assertThat(synced).containsEntry("version", "1.0.1");
    write(src.resolve("e.txt"), "e".getBytes(StandardCharsets.UTF_8));
    assertThat(cli.ok("sync", "--project", "p", "--name", "vb", "--folder", src.toString(), "--verbose").out())
        .matches("(?s)New dataset created id=[0-9a-f]{32}\nadded    e.txt\n1 file added, 0 modified, 0 removed.*");
  }

  @Test
  void aNameSearchFindsTheTextAsTypedAsWellAsTheExpression() throws IOException {
    for (String name : List.of("c++", "pets (v2", "pets v2", "cats")) {
      cli.ok("create", "--project", "p", "--name", name);
    }
    Function<String, List<Object>> names = q -> cli.ok("search", "--name", q, "--not-only-completed", "--json").array().stream()
        .map(m -> m.get("name")).sorted().toList();
    assertThat(names.apply("c++")).containsExactly("c++", "cats"); // the text, and the expression ("c" once or more)
    assertThat(names.apply("s v")).containsExactly("pets v2");
    assertThat(names.apply("pets (v2")).containsExactly("pets (v2"); // no expression at all
    assertThat(names.apply("^pets")).containsExactly("pets (v2", "pets v2");
    assertThat(names.apply("CATS")).containsExactly("cats");
  }

  @Test
  void childVersionsCompareAndSearch() throws IOException {
    Path src = tmp.resolve("v");
    write(src.resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    write(src.resolve("b.txt"), "b".getBytes(StandardCharsets.UTF_8));
    String v1 = (String) cli.ok("create", "--project", "p", "--name", "ds", "--tags", "raw", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    cli.ok("close", "--id", v1);
    Map<String, Object> child = cli.ok("create", "--name", "ds", "--parents", v1, "--json").obj();
    String v2 = (String) child.get("id");
    assertThat(child).containsEntry("version", "1.0.1").containsEntry("project", "p");
    write(src.resolve("b.txt"), "B".getBytes(StandardCharsets.UTF_8));
    write(src.resolve("c.txt"), "c".getBytes(StandardCharsets.UTF_8));
    Files.delete(src.resolve("a.txt"));
    Map<String, Object> sync = cli.ok("sync", "--id", v2, "--folder", src.toString(), "--skip-close", "--json").obj();
    assertThat(sync).containsEntry("added", 1L).containsEntry("modified", 1L).containsEntry("removed", 1L);
    assertThat(cli.ok("list", "--id", v2, "--modified", "--json").array()).extracting(m -> m.get("path")).containsExactly("b.txt", "c.txt");
    cli.ok("close", "--id", v2);
    Map<String, Object> cmp = cli.ok("compare", "--source", v1, "--target", v2, "--json").obj();
    assertThat(cmp.keySet()).containsExactly("source", "target", "summary", "changes"); // the shape of /api/compare
    assertThat(((Map<?, ?>) cmp.get("source")).get("id")).isEqualTo(v1);
    assertThat((Map<String, Object>) cmp.get("summary")).containsEntry("added", 1L).containsEntry("modified", 1L)
        .containsEntry("removed", 1L);
    assertThat((List<Map<String, Object>>) cmp.get("changes")).extracting(m -> m.get("change") + " " + m.get("path"))
        .containsExactly("removed a.txt", "modified b.txt", "added c.txt");
    List<Map<String, Object>> found = cli.ok("search", "--project", "p", "--json").array();
    assertThat(found).hasSize(2);
    assertThat(found.get(1).keySet()).containsExactly("id", "project", "name", "version", "state", "tags", "parents", "created", "files", "bytes",
        "description", "metadata");
    assertThat(found.get(1)).containsEntry("parents", List.of(v1)).containsEntry("state", "final");
    assertThat(cli.ok("search", "--tags", "raw", "--json").array()).hasSize(1);
    Object split = cli.ok("create", "--project", "p", "--name", "tagged", "--tags", "a,b", "c", "--json").obj().get("id");
    // Tags as clearml reads them: any of them; all of them after __$all; none of those written -T.
    assertThat(cli.ok(searchAll("--tags", "a,c")).array()).extracting(m -> m.get("id")).containsExactly(split);
    assertThat(cli.ok(searchAll("--tags", "a,,zz")).array()).extracting(m -> m.get("id")).containsExactly(split);
    assertThat(cli.ok(searchAll("--tags", "raw", "a")).array()).hasSize(2);
    assertThat(cli.ok(searchAll("--tags", "__$all", "a", "zz")).array()).isEmpty();
    assertThat(cli.ok(searchAll("--tags", "__$all", "a", "c")).array()).extracting(m -> m.get("id")).containsExactly(split);
    assertThat(cli.ok(searchAll("--tags", "-a")).array()).hasSize(2).extracting(m -> m.get("id")).doesNotContain(split);
    assertThat(cli.ok(searchAll("--tags", "a", "__$not", "b")).array()).isEmpty();
    assertThat(cli.fails("search", "--tags", "a", "__$all").err()).contains("__$all is understood only first");
    assertThat(cli.ok(searchAll("--tags", "")).array()).as("no tag is empty: no filter").hasSize(3);
    // Only closed versions unless --not-only-completed, as clearml-data searches; a project's subprojects too.
    assertThat(cli.ok("search", "--project", "p", "--json").array()).extracting(m -> m.get("id")).containsExactly(v1, v2);
    assertThat(cli.ok("search", "--project", "p", "--only-completed", "--json").array()).extracting(m -> m.get("id"))
        .containsExactly(v1, v2);
    assertThat(cli.ok("search", "--project", "p", "--not-only-completed", "--json").array()).hasSize(3);
    Object sub = cli.ok("create", "--project", "p/sub", "--name", "deeper", "--json").obj().get("id");
    cli.ok("create", "--project", "p2", "--name", "beside");
    assertThat(cli.ok(searchAll("--project", "p")).array()).extracting(m -> m.get("id")).hasSize(4).contains(sub);
    assertThat(cli.ok(searchAll("--project", "p", "--non-recursive-project-search")).array()).hasSize(3);
    // --project/--name picks the highest version; --version picks one.
    assertThat(cli.ok("list", "--project", "p", "--name", "ds", "--json").array()).hasSize(2);
    assertThat(cli.ok("list", "--project", "p", "--name", "ds", "--version", "1.0.0", "--json").array()).extracting(m -> m.get("path"))
        .containsExactly("a.txt", "b.txt");
    cli.ok("publish", "--id", v2);
    assertThat(cli.ok("search", "--name", "^ds$", "--json").array().get(1)).containsEntry("state", "published");
    assertThat(cli.ok("log", "--id", v2, "--json").array()).extracting(m -> m.get("command")).containsExactly("create", "sync", "close", "publish");
    // The log keeps a command's own arguments: not its name, nor the global --repo.
    assertThat(cli.ok("log", "--id", v2, "--json").array().get(3).get("arguments")).isEqualTo(List.of("--id", v2));
    // delete names its version, and a published one goes only with --force.
    assertThat(cli.fails("delete").exit()).as("a usage error").isEqualTo(2);
    assertThat(cli.fails("delete").err()).contains("name the version with --id");
    assertThat(cli.fails("delete", "--force").err()).contains("name the version with --id");
    assertThat(cli.fails("delete", "--id", v2).err()).contains("published");
    assertThat(cli.ok("search", "--project", "p", "--name", "^ds$", "--json").array()).hasSize(2);
    // By name without a project: refused when two projects hold the name.
    cli.ok("create", "--project", "q", "--name", "ds");
    assertThat(cli.fails("list", "--name", "ds").err()).contains("projects 'p', 'q'");
    // get by name takes the highest closed version, not a draft above it.
    cli.ok("create", "--project", "p", "--name", "ds", "--parents", v2);
    assertThat(cli.ok("get", "--project", "p", "--name", "ds", "--json").obj()).containsEntry("id", v2).containsEntry("mode", "cached")
        .containsEntry("part", null).containsEntry("filters", List.of());
  }

  @Test
  void listNamesTheConflictsItsFilterSelectsAndAFewOfThem() throws IOException {
    for (int i = 0; i < 25; i++) {
      write(tmp.resolve("cx/f" + i), ("x" + i).getBytes(StandardCharsets.UTF_8));
      write(tmp.resolve("cy/f" + i), ("y" + i).getBytes(StandardCharsets.UTF_8));
    }
    String x = (String) cli.ok("sync", "--project", "c", "--name", "x", "--folder", tmp.resolve("cx").toString(), "--json").obj().get("id");
    String y = (String) cli.ok("sync", "--project", "c", "--name", "y", "--folder", tmp.resolve("cy").toString(), "--json").obj().get("id");
    String m = (String) cli.ok("create", "--project", "c", "--name", "xy", "--parents", x, y, "--json").obj().get("id");
    String all = cli.ok("list", "--id", m).err();
    assertThat(all).startsWith("25 paths conflicted between parents; the later one won:\n")
        .endsWith("  ... and 5 more; cairn show --id " + m.substring(0, 8) + " lists them all\n");
    assertThat(all.lines().filter(l -> l.startsWith("  f"))).hasSize(20);
    assertThat(cli.ok("list", "--id", m, "--filter", "nothing*").err()) // no conflict among what it selects
        .isEqualTo("cairn: note: no file of " + m.substring(0, 8) + " matches --filter nothing*\n");
    String one = cli.ok("list", "--id", m, "--filter", "f7").err();
    assertThat(one.lines().filter(l -> l.startsWith("  f"))).singleElement().asString().startsWith("  f7 (versions ");
    assertThat(one).startsWith("25 paths conflicted between parents, 1 of them matching --filter; the later one won:\n")
        .endsWith("  (those matching --filter; cairn show --id " + m.substring(0, 8) + " lists them all)\n");
    assertThat(cli.ok("show", "--id", m).out().lines().filter(l -> l.startsWith("  f"))).hasSize(25);
  }

  @Test
  void branchesMergeThreeWaysAndADeletionThatWonIsSaid() throws IOException {
    Path src = tmp.resolve("mb");
    for (String f : List.of("f1", "f2", "f3")) {
      write(src.resolve(f), f.getBytes(StandardCharsets.UTF_8));
    }
    String base = (String) cli.ok("sync", "--project", "m", "--name", "base", "--folder", src.toString(), "--json").obj().get("id");
    write(tmp.resolve("a-side/f3"), "a3".getBytes(StandardCharsets.UTF_8));
    String a = (String) cli.ok("create", "--project", "m", "--name", "a", "--parents", base, "--json").obj().get("id");
    cli.ok("remove", "--id", a, "--files", "f1");
    cli.ok("add", "--id", a, "--files", tmp.resolve("a-side/f3").toString());
    cli.ok("close", "--id", a);
    write(tmp.resolve("b-side/f2"), "b2".getBytes(StandardCharsets.UTF_8));
    String b = (String) cli.ok("create", "--project", "m", "--name", "b", "--parents", base, "--json").obj().get("id");
    cli.ok("remove", "--id", b, "--files", "f3");
    cli.ok("add", "--id", b, "--files", tmp.resolve("b-side/f2").toString());
    cli.ok("close", "--id", b);
    Cli.Result made = cli.ok("create", "--project", "m", "--name", "merged", "--parents", a + "," + b, "--json");
    String m = (String) made.obj().get("id");
    assertThat(made.obj()).containsEntry("state", "draft");
    assertThat((List<Map<String, Object>>) made.obj().get("conflicts")).singleElement().satisfies(c -> assertThat(c)
        .containsEntry("path", "f3").containsEntry("winner", b).containsEntry("deleted", true));
    // f1, deleted by a, is held by b: the note says the merge left it out (f3 is a conflict, said as one).
    assertThat(made.err()).contains("the merge leaves out 1 file that a parent holds").contains("cairn squash --ids " + a.substring(0, 8));
    // f1: deleted by a only, stays deleted; f2: changed by b only, taken; f3: changed by a, deleted by b.
    assertThat(cli.ok("list", "--id", m, "--json").array()).extracting(e -> e.get("path")).containsExactly("f2");
    // On stderr: the listing's last line stays its total.
    Cli.Result listed = cli.ok("list", "--id", m);
    assertThat(listed.lastLine()).startsWith("Total 1 file");
    assertThat(listed.err()).contains("1 path conflicted").contains("f3 (versions " + a.substring(0, 8) + ", "
        + b.substring(0, 8) + "; took " + b.substring(0, 8) + ", which deleted it)");
    // show lists them too, and as JSON, each with whether the winner deleted the path.
    Map<String, Object> shown = cli.ok("show", "--id", m, "--json").obj();
    assertThat(shown).containsEntry("id", m).containsEntry("parents", List.of(a, b)).containsEntry("state", "draft");
    assertThat((List<Map<String, Object>>) shown.get("conflicts")).singleElement().satisfies(c -> assertThat(c)
        .containsEntry("path", "f3").containsEntry("parents", List.of(a, b)).containsEntry("winner", b).containsEntry("deleted", true));
    assertThat(cli.ok("show", "--id", m).out()).contains("version:     " + m).contains("dataset:     m / merged, version 1.0.0")
        .contains("parents:     " + a.substring(0, 8) + " (a 1.0.0), " + b.substring(0, 8) + " (b 1.0.0)")
        .contains("content:     1 file, 2 B").contains("conflicts:   1 path conflicted between parents; the later one won:")
        .contains("  f3 (versions " + a.substring(0, 8) + ", " + b.substring(0, 8) + "; took " + b.substring(0, 8) + ", which deleted it)");
    // A squash of a and b conflicts on f3 too, but has no parents (nor a base that is theirs):
    // b's side is simply taken, and show says what the paths conflicted between.
    Map<String, Object> squashed = cli.ok("squash", "--project", "m", "--name", "flat", "--ids", a, b, "--json").obj();
    String sq = (String) squashed.get("id");
    // As show prints them (and create --json too).
    // Without a base, the squash sees a's f2 (the base's) and b's changed one as a conflict.
    assertThat(squashed).containsEntry("state", "final");
    assertThat((List<Map<String, Object>>) squashed.get("conflicts")).singleElement().satisfies(c -> assertThat(c)
        .containsEntry("path", "f2").containsEntry("parents", List.of(a, b)).containsEntry("winner", b).containsEntry("deleted", false));
    assertThat(cli.ok("squash", "--project", "m", "--name", "flat2", "--ids", a, b).out())
        .contains("1 conflicting path between the versions squashed; the later one won (see 'cairn show --id ");
    assertThat(cli.ok("show", "--id", sq).out()).contains("parents:     none")
        .contains("conflicted between the versions it was made from; the later one won:").doesNotContain("which deleted it");
    assertThat((List<Map<String, Object>>) cli.ok("show", "--id", sq, "--json").obj().get("conflicts"))
        .allSatisfy(c -> assertThat(c).containsEntry("deleted", false));
    // A sync with the same parents says the conflict too; the folder has the last word there.
    write(tmp.resolve("synced/f3"), "folder".getBytes(StandardCharsets.UTF_8));
    Cli.Result synced = cli.ok("sync", "--project", "m", "--name", "synced", "--parents", a, b, "--folder", tmp.resolve("synced").toString());
    assertThat(synced.err()).contains("cairn: note: 1 conflicting path between parents (cairn show --id ")
        .contains("where the sync covers them, the version holds the folder's files, elsewhere the later parent's");
    // Resolved by hand (f3 added back): show marks it, and list no longer repeats the note.
    write(tmp.resolve("fix/f3"), "mine".getBytes(StandardCharsets.UTF_8));
    cli.ok("add", "--id", m, "--files", tmp.resolve("fix/f3").toString());
    assertThat(cli.ok("show", "--id", m).out()).contains("which deleted it; changed here since)");
    assertThat(cli.ok("list", "--id", m).err()).doesNotContain("conflicted");
    cli.ok("close", "--id", m);
    cli.ok("delete", "--id", a, "--force");
    assertThat(cli.fails("show", "--id", a).err()).contains("version " + a + " was deleted");
    // By its short id too: not "get it from a remote", advice for a version never here.
    assertThat(cli.fails("show", "--id", a.substring(0, 8)).err()).isEqualTo("cairn: Cannot find dataset version: version " + a + " was deleted here\n");
    assertThat(cli.ok("show", "--id", m).out()).contains("state:       final (created ").contains(", closed ")
        .contains(a.substring(0, 8) + " (deleted)");
  }

  @Test
  void selectorsDeleteAndSkipCloseDoWhatTheySay() throws IOException {
    Path src = tmp.resolve("sel");
    write(src.resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    String v1 = (String) cli.ok("sync", "--project", "s", "--name", "n", "--folder", src.toString(), "--json").obj().get("id");
    cli.ok("publish", "--id", v1);
    String d = (String) cli.ok("create", "--project", "s", "--name", "other", "--json").obj().get("id");
    // Deleting, even when refused, is not using: the draft stays the current version.
    assertThat(cli.fails("delete", "--id", v1).err()).contains("published");
    write(tmp.resolve("b.txt"), "b".getBytes(StandardCharsets.UTF_8));
    cli.ok("add", "--files", tmp.resolve("b.txt").toString());
    assertThat(cli.ok("list", "--id", d, "--json").array()).extracting(m -> m.get("path")).containsExactly("b.txt");
    // Options that pick a version either way, or that pick nothing alone, are refused.
    assertThat(cli.fails("show", "--id", v1, "--name", "n").err()).contains("by --id and by --project/--name/--version at once");
    assertThat(cli.fails("delete", "--id", v1, "--version", "1.0.0").err()).contains("at once");
    assertThat(cli.fails("show", "--version", "1.0.0").err()).contains("by --version without --name: add --name N");
    assertThat(cli.fails("delete", "--project", "p", "--version", "1.0.0").err())
        .contains("by --project and --version without --name: add --name N");
    assertThat(cli.fails("show", "--project", "s").err()).contains("by --project without --name");
    assertThat(cli.fails("get", "--id", v1, "--name", "n").err()).contains("at once");
    assertThat(cli.fails("list", "--version", "1.0.0", "--storage", tmp.resolve("nowhere").toString()).err()).contains("without --name");
    // --skip-close names the draft it leaves open; the same command again makes another draft
    // (the first one's run had finished), and the log keeps the command line without --json.
    write(src.resolve("c.txt"), "c".getBytes(StandardCharsets.UTF_8));
    String[] keep = {"sync", "--project", "s", "--name", "n", "--folder=" + src, "--skip-close"};
    Cli.Result first = cli.ok(keep);
    assertThat(first.out()).contains("left open (--skip-close); close it with: cairn close --id ");
    String kept = (String) cli.ok("search", "--project", "s", "--name", "^n$", "--not-only-completed", "--json").array().get(1).get("id");
    List<String> withJson = new ArrayList<>(List.of(keep));
    withJson.add("--json");
    Map<String, Object> again = cli.ok(withJson.toArray(String[]::new)).obj();
    assertThat(again.get("resumed")).isNull();
    assertThat(again.get("id")).isNotEqualTo(kept);
    assertThat(cli.ok("log", "--id", (String) again.get("id"), "--json").array().get(0).get("arguments"))
        .isEqualTo(List.of("--folder", src.toString(), "--name", "n", "--project", "s", "--skip-close")); // one spelling: by name
  }

  @Test
  void syncSkipCloseWithNothingChangedStillLeavesADraftToGoOnWith() throws IOException {
    Path src = tmp.resolve("keep-src");
    write(src.resolve("a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    String first = (String) cli.ok("sync", "--name", "k", "--folder", src.toString(), "--json").obj().get("id");
    Map<String, Object> kept = cli.ok("sync", "--name", "k", "--folder", src.toString(), "--skip-close", "--json").obj();
    assertThat(kept.get("id")).isNotNull().isNotEqualTo(first);
    assertThat(kept.get("reverted")).isEqualTo(false);
    assertThat(kept.get("added")).isEqualTo(0L);
    // The draft goes on from the dataset's latest: its files are there, and the one added joins them.
    assertThat((List<Object>) cli.ok("show", "--id", (String) kept.get("id"), "--json").obj().get("parents")).containsExactly(first);
    write(tmp.resolve("later.txt"), "later".getBytes(StandardCharsets.UTF_8));
    cli.ok("add", "--files", tmp.resolve("later.txt").toString());
    assertThat(cli.ok("close", "--json").obj().get("id")).isEqualTo(kept.get("id"));
    assertThat(cli.ok("list", "--id", (String) kept.get("id")).out()).contains("a.txt").contains("later.txt");
    // Without --skip-close, nothing changed makes nothing.
    assertThat(cli.ok("sync", "--name", "k", "--folder", src.toString(), "--json").obj().get("removed")).isEqualTo(1L);
    assertThat(cli.ok("sync", "--name", "k", "--folder", src.toString(), "--json").obj().get("reverted")).isEqualTo(true);
  }

  @Test
  void quickstartRunsTheWholeDemoAndItsSuggestionsWork() throws IOException {
    Cli q = new Cli(tmp.resolve("qs"));
    write(tmp.resolve("qs-work/notes.txt"), "mine".getBytes(StandardCharsets.UTF_8)); // where its source files once went
    Cli.Result r = q.ok("quickstart");
    assertThat(tmp.resolve("qs-work/notes.txt")).hasContent("mine");
    assertThat(r.out()).contains("Cached read-only copy of the merged version: ");
    Matcher show = Pattern.compile("show --id ([0-9a-f]{8})").matcher(r.out());
    assertThat(show.find()).as(r.out()).isTrue();
    Map<String, Object> merged = q.ok("show", "--id", show.group(1), "--json").obj();
    assertThat((List<?>) merged.get("parents")).hasSize(2);
    assertThat(merged).containsEntry("state", "final");
    assertThat(q.ok("fsck").out()).contains("0 errors");
  }

  @Test
  void quickstartNeverDeletesAFolderThatIsNotAnEarlierDemo() throws IOException {
    String tmpdir = System.getProperty("java.io.tmpdir");
    Path t = tmp.resolve("t");
    write(t.resolve("cairn-quickstart/notes.txt"), "important".getBytes(StandardCharsets.UTF_8));
    System.setProperty("java.io.tmpdir", t.toString());
    try {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertThat(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), new String[] {"quickstart"})).isEqualTo(1);
      assertThat(err.toString()).isEqualTo("cairn: Cannot make the demo repository at " + t.resolve("cairn-quickstart")
          + ": something that is not a Cairn repository is there; move it away, or give another place with --repo\n");
      assertThat(t.resolve("cairn-quickstart/notes.txt")).hasContent("important");
      Files.delete(t.resolve("cairn-quickstart/notes.txt"));
      assertThat(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), new String[] {"quickstart"})).isZero();
      assertThat(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), new String[] {"quickstart"})).as("again, over its own").isZero();
      // A repository someone keeps there, with datasets of theirs, is not the demo's: refused too.
      new Cli(t.resolve("cairn-quickstart")).ok("create", "--project", "mine", "--name", "x");
      assertThat(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), new String[] {"quickstart"})).isEqualTo(1);
      assertThat(new Cli(t.resolve("cairn-quickstart")).ok("search", "--project", "mine", "--not-only-completed", "--json").array()).hasSize(1);
      try (var left = Files.list(t)) {
        assertThat(left.map(p -> p.getFileName().toString())).as("its source files gone").noneMatch(n -> n.startsWith("cairn-quickstart-work"));
      }
    } finally {
      System.setProperty("java.io.tmpdir", tmpdir);
    }
  }

  @Test
  void onlyCommandsThatStoreVersionsMakeARepository() throws IOException {
    Path typo = tmp.resolve("typo/repo");
    Cli t = new Cli(typo);
    for (String[] readOnly : List.of(new String[] {"list"}, new String[] {"search"}, new String[] {"fsck"},
        new String[] {"log"}, new String[] {"gc"})) {
      assertThat(t.fails(readOnly).err()).as(String.join(" ", readOnly)).contains("no Cairn repository at " + typo)
          .contains("check --repo");
    }
    assertThat(tmp.resolve("typo")).doesNotExist();
    Map<String, Object> made = t.ok("init", "--object-format", "blake3", "--json").obj();
    assertThat(made).containsEntry("object_format", "blake3").containsEntry("created", true);
    assertThat(t.ok("init").out()).contains("Existing Cairn repository").contains("blake3");
    assertThat(t.fails("init", "--object-format", "sha256").err()).contains("named by blake3");
    assertThat(t.fails("init", "--object-format", "md5").err()).contains("unknown object format");
    assertThat(t.ok("search", "--json").array()).isEmpty();
    Path src = tmp.resolve("b3");
    write(src.resolve("x"), "x".getBytes(StandardCharsets.UTF_8));
    Map<String, Object> v = t.ok("sync", "--project", "p", "--name", "b3", "--folder", src.toString(), "--json").obj();
    assertThat(t.ok("verify", "--id", (String) v.get("id")).out()).contains("no differences");
  }

  @Test
  void syncCreatesClosesAndRevertsWhenNothingChanged() throws IOException {
    Path src = tmp.resolve("s");
    write(src.resolve("x"), "1".getBytes(StandardCharsets.UTF_8));
    Map<String, Object> first = cli.ok("sync", "--project", "p", "--name", "auto", "--folder", src.toString(), "--json").obj();
    assertThat(first).containsEntry("closed", true).containsEntry("added", 1L);
    Map<String, Object> again = cli.ok("sync", "--project", "p", "--name", "auto", "--folder", src.toString(), "--json").obj();
    assertThat(again).containsEntry("reverted", true).containsEntry("closed", false).containsEntry("id", null);
    assertThat(cli.ok("sync", "--project", "p", "--name", "auto", "--folder", src.toString()).out())
        .contains("0 files added, 0 modified, 0 removed")
        .contains("No change: the folder equals version " + first.get("id") + " (1.0.0), made by this same sync command line");
    // A run of other arguments does not say it made the version, only that the folder equals it.
    assertThat(cli.ok("sync", "--project", "p", "--name", "auto", "--folder", src.toString(), "--disable-upload").out())
        .contains("No change: the folder equals version " + first.get("id") + " (1.0.0); no new version was created");
    write(src.resolve("y"), "2".getBytes(StandardCharsets.UTF_8));
    Map<String, Object> third = cli.ok("sync", "--project", "p", "--name", "auto", "--folder", src.toString(), "--json").obj();
    assertThat(third).containsEntry("closed", true).containsEntry("added", 1L);
    assertThat(cli.ok("search", "--name", "auto", "--json").array()).extracting(m -> m.get("version")).containsExactly("1.0.0", "1.0.1");
  }

  @Test
  void aDatasetOfDraftsOnlySyncsANewVersionWithoutParents() throws IOException {
    Path src = tmp.resolve("d");
    write(src.resolve("a"), "1".getBytes(StandardCharsets.UTF_8));
    String draft = (String) cli.ok("sync", "--project", "p", "--name", "drafty", "--folder", src.toString(), "--skip-close", "--json")
        .obj().get("id");
    write(src.resolve("b"), "2".getBytes(StandardCharsets.UTF_8));
    Map<String, Object> next = cli.ok("sync", "--project", "p", "--name", "drafty", "--folder", src.toString(), "--json").obj();
    assertThat(next).containsEntry("closed", true).containsEntry("added", 2L);
    assertThat(cli.ok("search", "--ids", (String) next.get("id"), "--json").array().get(0).get("parents")).asList().isEmpty();
    assertThat(cli.ok("search", "--ids", draft, "--not-only-completed", "--json").array().get(0).get("state")).isEqualTo("draft");
  }

  @Test
  void partsAreDisjointAndCoverTheVersion() throws IOException {
    Path src = tmp.resolve("p");
    Random r = new Random(1);
    for (int i = 0; i < 50; i++) {
      byte[] b = new byte[r.nextInt(5000)];
      r.nextBytes(b);
      write(src.resolve("f" + i), b);
    }
    String id = (String) cli.ok("create", "--name", "parts", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    cli.ok("close");
    Map<String, String> union = new TreeMap<>();
    for (int k = 0; k < 3; k++) {
      Map<String, String> part = snapshot(Path.of(cli.ok("get", "--id", id, "--part", String.valueOf(k), "--num-parts", "3").lastLine()));
      for (String p : part.keySet()) {
        assertThat(union).doesNotContainKey(p);
      }
      union.putAll(part);
    }
    assertThat(union).isEqualTo(snapshot(src));
    assertThat(cli.fails("get", "--id", id, "--part", "3", "--num-parts", "3").err())
        .isEqualTo("cairn: Cannot take part 3 of 3: give --part 0 to 2 (parts are numbered from 0) (see 'cairn get --help')\n");
    Map<String, String> filtered = snapshot(Path.of(cli.ok("get", "--id", id, "--filter", "f1*").lastLine()));
    assertThat(filtered.keySet()).allMatch(p -> p.startsWith("f1")).hasSize(11);
    // A copy of a part, or of the files a filter takes, is verified against them.
    Path partCopy = tmp.resolve("part-copy");
    cli.ok("get", "--id", id, "--part", "1", "--num-parts", "3", "--filter", "f1*", "f2*", "--copy", partCopy.toString());
    assertThat(cli.ok("verify", "--id", id, "--folder", partCopy.toString(), "--part", "1", "--num-parts", "3", "--filter", "f1*", "f2*")
        .lastLine()).isEqualTo("Verified " + partCopy + " against parts 1.0.0 (" + id.substring(0, 8) + "): no differences");
    Cli.Result otherPart = cli.run("verify", "--id", id, "--folder", partCopy.toString(), "--part", "0", "--num-parts", "3", "--filter",
        "f1*", "f2*");
    assertThat(otherPart.exit()).isEqualTo(1);
    assertThat(otherPart.out()).contains("in the version, but not among the files the part or filter takes").doesNotContain("not in the version");
    // A filter limits the check in the folder too: a whole copy is checked for the files it matches.
    Path whole = tmp.resolve("whole-copy");
    cli.ok("get", "--id", id, "--copy", whole.toString());
    assertThat(cli.ok("verify", "--id", id, "--folder", whole.toString(), "--filter", "f1*").lastLine())
        .isEqualTo("Verified " + whole + " against parts 1.0.0 (" + id.substring(0, 8) + "): no differences");
    // --verbose counts the files the filter takes, not the whole version's.
    assertThat(cli.ok("verify", "--id", id, "--folder", whole.toString(), "--filter", "f1*", "--verbose").err())
        .contains("checking 11 files in " + whole + ", ");
    write(whole.resolve("f1-stray"), "x".getBytes(StandardCharsets.UTF_8));
    write(whole.resolve("g-stray"), "x".getBytes(StandardCharsets.UTF_8));
    Cli.Result stray = cli.run("verify", "--id", id, "--folder", whole.toString(), "--filter", "f1*");
    assertThat(stray.exit()).isEqualTo(1);
    assertThat(stray.out()).contains("f1-stray: not in the version").doesNotContain("g-stray");
    assertThat(cli.fails("verify", "--id", id, "--folder", partCopy.toString(), "--filter", "nothing*").err())
        .isEqualTo("cairn: Cannot verify: no file of " + id + " matches --filter nothing*\n");
    assertThat(cli.fails("verify", "--id", id, "--filter", "f1*").err()).startsWith("cairn: Cannot verify: --part, --num-parts and"
        + " --filter say which files of a folder (--folder DIR) to check");
    assertThat(cli.fails("verify", "--id", id, "--part", "0", "--num-parts", "2").exit()).as("a usage error").isEqualTo(2);
    // A folder's name, with or without a slash, gets what it holds, as list shows; no match fails.
    Path nested = tmp.resolve("nested");
    write(nested.resolve("y/a"), "a".getBytes(StandardCharsets.UTF_8));
    write(nested.resolve("y/z/b"), "b".getBytes(StandardCharsets.UTF_8));
    write(nested.resolve("other"), "o".getBytes(StandardCharsets.UTF_8));
    String nid = (String) cli.ok("sync", "--name", "nested", "--folder", nested.toString(), "--json").obj().get("id");
    for (String f : List.of("y", "y/", "y/**")) {
      assertThat(snapshot(Path.of(cli.ok("get", "--id", nid, "--filter", f).lastLine())).keySet()).as(f).containsExactly("y/a", "y/z/b");
      assertThat(cli.ok("list", "--id", nid, "--filter", f, "--json").array()).as(f).hasSize(2);
    }
    assertThat(cli.fails("get", "--id", nid, "--filter", "nothing*").err()).contains("no file");
    // verify --folder sees the executable bit, as sync does.
    Path copy = tmp.resolve("nested-copy");
    cli.ok("get", "--id", nid, "--copy", copy.toString());
    Files.setPosixFilePermissions(copy.resolve("other"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Cli.Result v = cli.run("verify", "--id", nid, "--folder", copy.toString());
    assertThat(v.exit()).isEqualTo(1);
    assertThat(v.out()).contains("mode").contains("other");
    // A change of mode alone: compare says which way, the hashes being equal.
    String moded = (String) cli.ok("sync", "--name", "nested", "--folder", copy.toString(), "--json").obj().get("id");
    Map<String, Object> change = cli.ok("compare", "--source", nid, "--target", moded, "--json").obj();
    assertThat(change.get("changes")).asList().singleElement().satisfies(c -> assertThat(castMap(c))
        .containsEntry("change", "modified").containsEntry("path", "other").containsEntry("executable", true)
        .doesNotContainKey("old_executable"));
    assertThat(cli.ok("compare", "--source", moded, "--target", nid, "--json").obj().get("changes")).asList().singleElement()
        .satisfies(c -> assertThat(castMap(c)).containsEntry("old_executable", true).doesNotContainKey("executable"));
    assertThat(cli.ok("compare", "--source", nid, "--target", moded, "--verbose").out())
        .startsWith("modified other (mode only: now executable)\n");
    assertThat(cli.ok("compare", "--source", moded, "--target", nid, "--verbose").out())
        .startsWith("modified other (mode only: no longer executable)\n");
    Files.writeString(copy.resolve("other"), "changed too");
    Files.setPosixFilePermissions(copy.resolve("other"), PosixFilePermissions.fromString("rw-r--r--"));
    String both = (String) cli.ok("sync", "--name", "nested", "--folder", copy.toString(), "--json").obj().get("id");
    assertThat(cli.ok("compare", "--source", moded, "--target", both, "--verbose").out())
        .startsWith("modified other (and no longer executable)\n");
  }

  @Test
  void copyLinkAndOverwrite() throws IOException {
    Path src = tmp.resolve("c");
    write(src.resolve("a"), "a".getBytes(StandardCharsets.UTF_8));
    String id = (String) cli.ok("create", "--name", "c", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    cli.ok("close");
    Path target = tmp.resolve("target");
    write(target.resolve("keep"), "x".getBytes(StandardCharsets.UTF_8));
    assertThat(cli.fails("get", "--id", id, "--copy", target.toString()).err()).contains("not empty");
    assertThat(Files.exists(target.resolve("keep"))).isTrue();
    cli.ok("get", "--id", id, "--copy", target.toString(), "--overwrite");
    assertThat(snapshot(target)).isEqualTo(snapshot(src));
    // A link refused is refused first: no cached folder is built for it.
    assertThat(cli.fails("get", "--id", id, "--link", target.resolve("a").toString()).err())
        .isEqualTo("cairn: Cannot link " + target.resolve("a") + ": it exists (use --overwrite to replace it)\n");
    assertThat(cli.repo.resolve("cache/versions/" + id)).doesNotExist();
    Path link = tmp.resolve("link");
    Map<String, Object> got = cli.ok("get", "--id", id, "--link", link.toString(), "--json").obj();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(got.get("path")).isEqualTo(link.toString());
    assertThat(Files.readString(link.resolve("a"))).isEqualTo("a");
  }

  @Test
  void runsUsageAndLockFiles() throws IOException {
    Path src = tmp.resolve("u");
    write(src.resolve("a"), "a".getBytes(StandardCharsets.UTF_8));
    String id = (String) cli.ok("create", "--name", "used", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    cli.ok("close");
    if (System.getenv("CAIRN_RUN_ID") == null) {
      // No run to record the use for: the data is still got, as clearml-data gets it outside a task.
      Cli.Result unrecorded = cli.ok("get", "--id", id, "--alias", "train");
      assertThat(unrecorded.err()).contains("cairn: warning: --alias train not recorded: no run to record it for");
      assertThat(Path.of(unrecorded.lastLine())).isDirectory();
      assertThat(cli.ok("usage", "--id", id, "--json").array()).isEmpty();
      assertThat(cli.ok("get", "--id", id, "--alias", "train", "--json").obj()).containsEntry("alias_recorded", false)
          .containsEntry("warnings", List.of("--alias train not recorded: no run to record it for (give --run RUN, or set CAIRN_RUN_ID)"));
    }
    assertThat(cli.ok("get", "--id", id, "--alias", "train", "--run", "run-1", "--json").obj()).containsEntry("alias_recorded", true);
    assertThat(cli.ok("usage", "--id", id, "--json").array()).extracting(m -> m.get("run")).containsExactly("run-1");
    List<Map<String, Object>> runs = cli.ok("runs", "--run", "run-1", "--json").array();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0)).containsEntry("alias", "train").containsEntry("id", id);
    Path lock = tmp.resolve("cairn.lock");
    // A lock names versions, not where they are: one on no remote is said to be restorable here alone.
    assertThat(cli.ok("lock", "--run", "run-1", "--output", lock.toString()).err()).isEqualTo("cairn: warning: train ("
        + id.substring(0, 8) + ") is on no remote: only this repository can restore it; cairn upload --id " + id.substring(0, 8)
        + " --storage URI shares it\n");
    assertThat(Files.readString(lock)).contains(id).contains((String) runs.get(0).get("root"));
    // /dev/stdout is standard output, as '-' is: the lock file alone there, not renamed over.
    assertThat(cli.ok("lock", "--run", "run-1", "--output", "/dev/stdout").out()).isEqualTo(Files.readString(lock));
    assertThat(cli.fails("lock", "--run", "run-1", "--output", "-", "--json").err()).isEqualTo("cairn: Cannot give --json with --output -:"
        + " standard output holds the lock file, which is JSON itself; give --output FILE for the summary\n");
    assertThat(cli.ok("rename", "--name", "used", "--new-name", "renamed", "--json").obj())
        .containsExactly(entry("old_project", ""), entry("old_name", "used"), entry("project", ""), entry("name", "renamed"),
            entry("versions", 1L));
    assertThat(cli.ok("move", "--name", "renamed", "--new-project", "elsewhere").lastLine())
        .isEqualTo("Moved renamed to project elsewhere (1 version)");
    assertThat(cli.ok("move", "--project", "elsewhere", "--name", "renamed", "--new-project", "elsewhere").lastLine())
        .isEqualTo("renamed is already in project elsewhere: nothing moved");
    // The log records what each did, not a command line that would name the version by its old name.
    List<String> log = cli.ok("log", "--id", id).out().lines().toList();
    assertThat(log.get(log.size() - 2)).containsPattern("  rename +to renamed$");
    assertThat(log.get(log.size() - 1)).containsPattern("  move +to elsewhere/renamed$");
    Path restored = Path.of(cli.ok("get", "--lock", lock.toString()).lastLine());
    assertThat(snapshot(restored)).isEqualTo(snapshot(src));
    // "-" reads the lock from standard input (cat data.lock | cairn get --lock -).
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream(Files.readAllBytes(lock)));
      assertThat(Path.of(cli.ok("get", "--lock", "-").lastLine())).isEqualTo(restored);
      System.setIn(new java.io.ByteArrayInputStream(new byte[] {(byte) 0xff}));
      assertThat(cli.fails("get", "--lock", "-").err())
          .isEqualTo("cairn: Cannot read lock file from standard input: not a Cairn lock file, which is UTF-8 text\n");
    } finally {
      System.setIn(stdin);
    }
    // A lock file edited by hand so that an id is no version id: refused as a lock file, before any lookup.
    Path badId = tmp.resolve("bad-id.lock");
    Files.writeString(badId, Files.readString(lock).replace("\"" + id + "\"", "\"zz\""));
    assertThat(cli.fails("get", "--lock", badId.toString(), "--copy", tmp.resolve("lc").toString()).err()).isEqualTo("cairn: Cannot read"
        + " lock file " + badId + ": id 'zz' of alias 'train' is not a version id (32 hex digits, lower case)\n");
    // On a machine with no repository yet, the error says how to name the remote the versions are on.
    assertThat(new Cli(tmp.resolve("fresh")).fails("get", "--lock", lock.toString()).err()).endsWith("(the lock file names no remote"
        + " its versions are on: get --lock " + lock + " --storage URI fetches them from one, making a repository; check --repo or"
        + " CAIRN_HOME)\n");
    assertThat(tmp.resolve("fresh")).doesNotExist();
    assertThat(cli.fails("get", "--lock", lock.toString(), "--filter", "nothing*").err())
        .isEqualTo("cairn: Cannot get: no file of " + id + " matches --filter nothing*\n");
    // A pattern read otherwise than clearml-data's fnmatch reads it: where its * reaches is said.
    String reach = "; a pattern with a / starts at the top, and a * stays within one folder: '**/no/*.csv' looks at any depth,"
        + " 'no/**/*.csv' in every folder below no";
    assertThat(cli.fails("get", "--lock", lock.toString(), "--filter", "no/*.csv").err()).endsWith(reach + "\n");
    assertThat(cli.fails("get", "--id", id, "--filter", "no/*.csv").err()).endsWith(reach + "\n");
    Cli.Result none = cli.ok("list", "--id", id, "--filter", "no/*.csv");
    assertThat(none.lastLine()).startsWith("Total 0 files");
    assertThat(none.err()).isEqualTo("cairn: note: no file of " + id.substring(0, 8) + " matches --filter no/*.csv" + reach + "\n");
    String root = (String) runs.get(0).get("root");
    Path edited = tmp.resolve("edited.lock");
    Files.writeString(edited, Files.readString(lock).replace(root, "ab".repeat(32)));
    assertThat(cli.fails("get", "--lock", edited.toString()).err()).isEqualTo("cairn: Cannot restore train: its lock names version " + id
        + " with root abababababab, but that version's root is " + root.substring(0, 12) + " (the lock file was edited, or written for"
        + " another version)\n");
    // A run that reproduces another from its lock file is recorded as using the same versions, under the same aliases.
    assertThat(cli.ok("get", "--lock", lock.toString(), "--run", "run-again", "--json").obj()).containsEntry("run", "run-again");
    assertThat(cli.ok("runs", "--run", "run-again", "--json").array()).singleElement()
        .satisfies(m -> assertThat(m).containsEntry("alias", "train").containsEntry("id", id));
    assertThat(cli.fails("get", "--lock", lock.toString(), "--alias", "x").err()).isEqualTo("cairn: Cannot get: --lock gets the versions"
        + " its file names under their own aliases; --alias records a new use of one version (get it by --id or --name)\n");
    cli.fails("lock", "--run", "never-ran", "--output", tmp.resolve("x.lock").toString());
    // Never over a file unasked, never inside the repository (over its config, say).
    assertThat(cli.fails("lock", "--run", "run-1", "--output", lock.toString()).err()).contains("it exists (use --overwrite");
    cli.ok("lock", "--run", "run-1", "--output", lock.toString(), "--overwrite");
    // Nor into a folder that is not there (a mistyped one), as export.
    assertThat(cli.fails("lock", "--run", "run-1", "--output", tmp.resolve("nodir/x.lock").toString()).err())
        .contains("nodir does not exist; create it first");
    assertThat(tmp.resolve("nodir")).doesNotExist();
    // "-" is standard output, not a file of that name.
    assertThat(cli.ok("lock", "--run", "run-1", "--output", "-").out().strip()).isEqualTo(Files.readString(lock).strip());
    assertThat(Path.of("-")).doesNotExist();
    Path config = cli.repo.resolve("config");
    String before = Files.readString(config);
    assertThat(cli.fails("lock", "--run", "run-1", "--output", config.toString(), "--overwrite").err()).contains("lies inside the repository");
    assertThat(Files.readString(config)).isEqualTo(before);
    assertThat(cli.fails("lock", "--run", "run-1", "--output", tmp.toString()).err()).contains("it is a folder");
    // An alias names a folder under --copy: never a path out of it, given or read from a lock file.
    for (String alias : List.of("../victim", "/tmp/abs", "a/b", "..", "new\nline", ".hidden", "x".repeat(201))) {
      assertThat(cli.fails("get", "--id", id, "--alias", alias, "--run", "run-2").err()).as(alias).contains("Cannot use alias '")
          .contains("an alias names a folder");
    }
    assertThat(cli.fails("get", "--id", id, "--alias", "x", "--run", "bad\u001b[31mrun").err()).contains("Cannot use run id '");
    write(tmp.resolve("victim/thesis.txt"), "mine".getBytes(StandardCharsets.UTF_8));
    Path evil = tmp.resolve("evil.lock");
    Files.writeString(evil, Files.readString(lock).replace("\"alias\": \"train\"", "\"alias\": \"../victim\""));
    assertThat(Files.readString(evil)).contains("../victim");
    assertThat(cli.fails("get", "--lock", evil.toString(), "--copy", tmp.resolve("lc").toString(), "--overwrite").err())
        .contains("Cannot read lock file " + evil + ": alias '../victim' is not a folder's name");
    assertThat(Files.readString(tmp.resolve("victim/thesis.txt"))).isEqualTo("mine");
    // A run pins content: a draft's is refused, before any copy is made.
    String draft = (String) cli.ok("create", "--name", "used", "--parents", id, "--json").obj().get("id");
    Path draftCopy = tmp.resolve("draft-copy");
    assertThat(cli.fails("get", "--id", draft, "--copy", draftCopy.toString(), "--alias", "d", "--run", "run-3").err())
        .isEqualTo("cairn: Cannot record a use of " + draft + " by run run-3: it is a draft, whose content may still change; close it"
            + " first, or get it without an alias\n");
    assertThat(draftCopy).doesNotExist();
    assertThat(cli.ok("runs", "--run", "run-1", "--json").array()).hasSize(1);
  }

  @Test
  void exportAndImportArchives() throws IOException {
    Path src = tmp.resolve("e");
    write(src.resolve("d/a.txt"), "a".getBytes(StandardCharsets.UTF_8));
    write(src.resolve("b.bin"), new byte[] {0, 1, 2});
    String id = (String) cli.ok("create", "--name", "exp", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    cli.ok("close");
    for (String ext : List.of("zip", "tar", "tar.gz", "tar.zst")) {
      Path archive = tmp.resolve("out." + ext);
      cli.ok("export", "--id", id, "--output", archive.toString());
      String imp = (String) cli.ok("create", "--name", "imp-" + ext, "--json").obj().get("id");
      assertThat(cli.ok("add", "--id", imp, "--archive", archive.toString()).out()).as("its entries were read")
          .contains("(2 files read, ");
      assertThat(cli.ok("compare", "--source", id, "--target", imp, "--json").obj()).containsEntry("changes", List.of());
    }
    // Some of its files, as get takes them: a folder by --filter, a part of a split; at their paths.
    Path folder = tmp.resolve("folder.tar");
    cli.ok("export", "--id", id, "--output", folder.toString(), "--filter", "d/");
    String onlyD = (String) cli.ok("create", "--name", "imp-folder", "--json").obj().get("id");
    cli.ok("add", "--id", onlyD, "--archive", folder.toString());
    assertThat(cli.ok("list", "--id", onlyD, "--json").array()).extracting(m -> m.get("path")).containsExactly("d/a.txt");
    Path part = tmp.resolve("part.zip");
    cli.ok("export", "--id", id, "--output", part.toString(), "--part", "0", "--num-parts", "2");
    String half = (String) cli.ok("create", "--name", "imp-part", "--json").obj().get("id");
    cli.ok("add", "--id", half, "--archive", part.toString());
    assertThat(cli.ok("list", "--id", half, "--json").array()).hasSize(1);
    assertThat(cli.fails("export", "--id", id, "--output", tmp.resolve("none.tar").toString(), "--filter", "*.jpg").err())
        .isEqualTo("cairn: Cannot export " + id + ": no file matches the filter *.jpg\n");
    assertThat(tmp.resolve("none.tar")).doesNotExist();
    // A name without an extension (a device, a pipe) takes --format; one that names a format must agree with it.
    assertThat(cli.ok("export", "--id", id, "--output", "/dev/null", "--format", "tar.zst").lastLine()).isEqualTo("/dev/null");
    assertThat(cli.fails("export", "--id", id, "--output", "/dev/null").err()).isEqualTo("cairn: Cannot tell the archive format of"
        + " /dev/null: use .zip, .tar, .tar.gz or .tar.zst (or --format, for a device or pipe)\n");
    assertThat(cli.fails("export", "--id", id, "--output", tmp.resolve("v.zip").toString(), "--format", "tar").err())
        .isEqualTo("cairn: Cannot export: --format tar and the name v.zip say different formats\n");
    assertThat(cli.fails("export", "--id", id, "--output", "-", "--format", "tar").err()).isEqualTo("cairn: Cannot export to -: give a"
        + " file name, or /dev/stdout with --format for standard output\n");
    assertThat(cli.fails("export", "--id", id, "--output", "/dev/null", "--format", "rar").err())
        .isEqualTo("cairn: Cannot use archive format 'rar': give zip, tar, tar.gz or tar.zst\n");
    Path noExtension = tmp.resolve("archive");
    cli.ok("export", "--id", id, "--output", noExtension.toString(), "--format", "ZIP");
    String fromZip = (String) cli.ok("create", "--name", "imp-format", "--json").obj().get("id");
    Path renamed = Files.move(noExtension, tmp.resolve("archive.zip"));
    cli.ok("add", "--id", fromZip, "--archive", renamed.toString());
    assertThat(cli.ok("compare", "--source", id, "--target", fromZip, "--json").obj()).containsEntry("changes", List.of());
  }

  @Test
  void badInputGetsOneLineAndChangesNothing() throws IOException {
    Path src = tmp.resolve("b");
    write(src.resolve("a"), "a".getBytes(StandardCharsets.UTF_8));
    cli.fails("get", "--id", "0123456789abcdef");
    cli.fails("list", "--id", "zz");
    String id = (String) cli.ok("create", "--name", "bad", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    assertThat(cli.fails("add", "--files", tmp.resolve("missing").toString()).err()).contains("no such file");
    assertThat(cli.fails("add", "--files", src.toString(), "--dataset-folder", "../up").err())
        .isEqualTo("cairn: Cannot use dataset folder '../up': '..' segment; give a folder inside the dataset, from its top (a/b)\n");
    assertThat(cli.fails("remove", "--files", "../etc/passwd").err()).isEqualTo("cairn: Cannot remove '../etc/passwd': '..' segment;"
        + " give paths inside the dataset, as list prints them, or an external file's link\n");
    assertThat(cli.fails("remove", "--files", "nothere").err()).contains("no file");
    cli.fails("get", "--id", id);
    cli.ok("close");
    assertThat(cli.fails("add", "--id", id, "--files", src.toString()).err()).contains("final");
    assertThat(cli.fails("create").exit()).isEqualTo(2);
    assertThat(cli.fails("frobnicate").exit()).isEqualTo(2);
    // Options that parse but do not go together are a usage error too.
    for (String[] clash : List.of(new String[] {"get", "--id", id, "--copy", "a", "--link", "b"},
        new String[] {"list", "--id", id, "--name", "n"}, new String[] {"list", "--version", "1.0.0"},
        new String[] {"search", "--only-completed", "--not-only-completed"}, new String[] {"get", "--id", id, "--run", "r"},
        new String[] {"sync", "--folder", src.toString(), "--disable-upload", "--storage", "x"})) {
      assertThat(cli.fails(clash).exit()).as(String.join(" ", clash)).isEqualTo(2);
    }
    Cli.Result bare = cli.fails(); // no command: the usage, and a failure a script notices
    assertThat(bare.exit()).isEqualTo(1);
    assertThat(bare.out()).contains("Commands:");
    assertThat(cli.fails("create", "--name", "x", "--parents", "ffffffffffff").err()).isEqualTo("cairn: Cannot find dataset version: no"
        + " version id starts with ffffffffffff (a parent only a remote holds is fetched with it when create is given --storage URI)\n");
    cli.fails("export", "--id", id, "--output", tmp.resolve("x.rar").toString());
    assertThat(cli.ok("list", "--id", id, "--json").array()).hasSize(1);
    // A link leading outside the folder adds its target, as clearml-data does; one leading nowhere
    // is passed over with a warning; one into the repository is refused.
    Path outside = tmp.resolve("outside.txt");
    Files.writeString(outside, "shared");
    Path withLink = tmp.resolve("withlink");
    Files.createDirectories(withLink);
    Files.createSymbolicLink(withLink.resolve("escape"), outside);
    Files.createSymbolicLink(withLink.resolve("broken"), tmp.resolve("nowhere"));
    cli.ok("create", "--name", "links");
    Cli.Result linked = cli.ok("add", "--files", withLink.toString());
    assertThat(linked.err()).contains("skipped " + withLink.resolve("broken") + ": symbolic link leads nowhere");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("escape");
    Files.delete(withLink.resolve("broken"));
    Files.createSymbolicLink(withLink.resolve("into"), cli.repo.resolve("packs"));
    assertThat(cli.fails("add", "--files", withLink.toString()).err()).contains("symbolic link leads into the repository");
    cli.ok("delete", "--id", id);
    cli.fails("get", "--id", id);
    cli.ok("list", "--id", (String) cli.ok("search", "--name", "links", "--not-only-completed", "--json").array().get(0).get("id")); // now the last used
    cli.ok("delete", "--name", "links");
    assertThat(cli.fails("list").err()).contains("the last one used").contains("was deleted");
    assertThat(cli.ok("search", "--name", "[", "--json").array()).isEmpty(); // not an expression: the text as typed
    Cli.Result none = cli.ok("search", "--ids", "0badc0de0badc0de", "--json"); // a filter matching nothing, as in clearml-data
    assertThat(none.array()).isEmpty();
    assertThat(none.err()).contains("no version with id 0badc0de0badc0de among those searched (deleted, or only on a remote: search"
        + " --storage URI lists a remote's)");
    // A draft is named as the reason only when the id is a draft's.
    String draft = (String) cli.ok("create", "--name", "drafty", "--json").obj().get("id");
    assertThat(cli.ok("search", "--ids", draft.substring(0, 10)).err())
        .contains("no version with id " + draft.substring(0, 10) + " among those searched (it is a draft: --not-only-completed lists drafts too)");
    // Here, but left out by another filter: said so, not "deleted".
    assertThat(cli.ok("search", "--ids", draft.substring(0, 10), "--not-only-completed", "--name", "nomatch").err())
        .contains("no version with id " + draft.substring(0, 10) + " among those searched (it is here, but --name leaves it out)");
    assertThat(cli.fails("gc", "--grace", "-1h").err()).contains("negative");
    assertThat(cli.fails("gc", "--grace", "30").err()).isEqualTo("cairn: Cannot use --grace 30: give its unit, as in 30s, 30m or 30h (see 'cairn gc --help')\n");
    assertThat(cli.ok("gc", "--grace", "0").exit()).isZero(); // zero needs no unit
    assertThat(cli.fails("add", "--files", "").err()).contains("empty path");
    // The daemon is the launcher's: run without it, the command says how to run it.
    assertThat(cli.fails("daemon", "status", "--json").err()).contains("'bin/cairn daemon status --json'").contains("launcher");
    assertThat(cli.fails("sync", "--name", "n", "--folder", "").err()).contains("empty path");
    for (String huge : List.of("106751991168d", "213503982335d", "99999999999999999999s", "P999999999999999D")) {
      assertThat(cli.fails("gc", "--grace", huge).err()).as(huge).contains("too long");
    }
    assertThat(cli.fails("get", "--run", "r1").err()).contains("--alias");
    StringWriter err = new StringWriter();
    assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "--repo", "", "list")).isNotZero();
    assertThat(err.toString()).contains("--repo").contains("an empty path");
  }

  @Test
  void everyCommandTakesHelp() {
    for (Class<?> c : CairnCommand.SUBCOMMANDS) {
      String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
      if (name.equals("help")) {
        continue;
      }
      for (String flag : List.of("--help", "-h")) {
        Cli.Result r = cli.ok(name, flag);
        assertThat(r.out()).as(name + " " + flag).startsWith("Usage: cairn " + name);
      }
    }
    // --version keeps its meaning where a command has one (a version string), and -V on cairn.
    assertThat(cli.fails("add", "--version").err()).contains("--version");
    assertThat(cli.ok("--version").out()).startsWith("cairn");
  }

  @Test
  void commandsWithoutIdUseTheLastVersion() throws IOException {
    Path src = tmp.resolve("l");
    write(src.resolve("a"), "a".getBytes(StandardCharsets.UTF_8));
    String id = (String) cli.ok("create", "--name", "last", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    assertThat(cli.ok("metadata").out()).isEqualTo(id + " has no metadata\n");
    cli.ok("metadata", "--set", "owner=me", "split=train");
    assertThat(cli.ok("metadata").out()).isEqualTo("owner=me\nsplit=train\n");
    cli.ok("set-description", "--description", "<b>desc</b>");
    cli.ok("close");
    Map<String, Object> md = cli.ok("metadata", "--json").obj();
    assertThat(md.get("metadata")).isEqualTo(Map.of("owner", "me", "split", "train"));
    assertThat(cli.ok("list", "--json").array()).hasSize(1);
    List<String> log = new ArrayList<>();
    cli.ok("log", "--json").array().forEach(m -> log.add((String) m.get("command")));
    assertThat(log).containsExactly("create", "add", "metadata", "set-description", "close");
  }

  /** A search of closed versions and drafts alike, as JSON. */
  static String[] searchAll(String... args) {
    List<String> all = new ArrayList<>(List.of("search"));
    all.addAll(List.of(args));
    all.addAll(List.of("--not-only-completed", "--json"));
    return all.toArray(String[]::new);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
