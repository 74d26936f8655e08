package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.ConflictException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  @TempDir Path tmp;
  DatasetRepository repo;

  @BeforeEach
  void open() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
  }

  @AfterEach
  void close() throws IOException {
    repo.close();
  }

  @Test
  void theLogOfACreateNamesEveryOptionGiven() throws IOException {
    Dataset root = Dataset.create(repo, CreateOptions.of("p", "root").build());
    root.close();
    Dataset v = Dataset.create(repo, CreateOptions.of("p", "logged").version("2.0.0").parents(root.id()).description("first cut")
        .tags("raw", "gold").failOnConflict(true).build());
    assertThat(v.record().log()).singleElement().satisfies(e -> assertThat(e.arguments()).containsExactly("--project", "p",
        "--name", "logged", "--version", "2.0.0", "--parents", root.id(), "--description", "first cut", "--tags", "raw", "gold",
        "--fail-on-conflict"));
  }

  Path folder(String name, Map<String, String> files) throws IOException {
    Path dir = tmp.resolve(name);
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
    }
    return dir;
  }

  /** A closed version of {@code project}/{@code name} holding {@code files}, from a folder named after it. */
  Dataset closedVersion(String project, String name, Map<String, String> files) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of(project, name).build());
    ds.addFiles(AddOptions.of(folder(name, files)));
    ds.close();
    return ds;
  }

  static List<String> paths(List<FileEntry> entries) {
    return entries.stream().map(FileEntry::path).toList();
  }

  @Test
  void aFolderWithALinkToAFolderVerifiesAsItWasSynced() throws IOException {
    Path src = tmp.resolve("linked");
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("sub/a.txt"), "a");
    Files.createSymbolicLink(src.resolve("dirlink"), src.resolve("sub"));
    Files.createSymbolicLink(src.resolve("sub/up"), src); // a loop: not followed by either
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "links").build());
    List<String> warnings = new java.util.ArrayList<>();
    assertThatThrownBy(() -> ds.syncFolder(SyncOptions.of(src), new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    })).hasMessageContaining("names in it refused");
    assertThat(warnings).anyMatch(w -> w.contains("loop"));
    Files.delete(src.resolve("sub/up"));
    ds.syncFolder(src);
    assertThat(paths(ds.listFiles())).containsExactly("dirlink/a.txt", "sub/a.txt");
    assertThat(ds.verify(src)).isEmpty();
    Files.writeString(src.resolve("sub/new.txt"), "new");
    assertThat(ds.verify(src)).extracting(VerifyProblem::path).containsExactly("dirlink/new.txt", "sub/new.txt");
  }

  @Test
  void aChangeListsItsOwnPathsNotThoseAnotherWriterChangedMeanwhile() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("c", "writers").build());
    ds.addFiles(AddOptions.of(folder("w0", Map.of("kept.txt", "k"))));
    Dataset other = repo.get(ds.id()); // another writer's handle on the draft
    other.addFiles(AddOptions.of(folder("w1", Map.of("theirs.txt", "t"))));
    Dataset.Change mine = ds.addFiles(AddOptions.of(folder("w2", Map.of("mine.txt", "m", "kept.txt", "k2"))));
    assertThat(mine.paths()).extracting(d -> d.path() + " " + d.type()).containsExactly("kept.txt MODIFIED", "mine.txt ADDED");
    Dataset.Change removed = other.removeFiles(RemoveOptions.of("mine.txt"), Progress.NONE);
    assertThat(removed.paths()).extracting(d -> d.path() + " " + d.type()).containsExactly("mine.txt REMOVED");
    assertThat(ds.addFiles(AddOptions.of(folder("w3", Map.of("theirs.txt", "t")))).paths()).as("a change of nothing").isEmpty();
  }

  @Test
  void aSyncKeepsExternalLinksUnlessAFileOfTheFolderTakesTheirPath() throws IOException {
    Path ext = Files.createDirectories(tmp.resolve("ext-sync"));
    Files.writeString(ext.resolve("l1.txt"), "far");
    Files.writeString(ext.resolve("l2.txt"), "far too");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "synced-links").build());
    ds.addLinks(List.of(ext.resolve("l1.txt").toString(), ext.resolve("l2.txt").toString()), "links", Progress.NONE);
    Path src = folder("sync-src", Map.of("a.txt", "a", "links/l2.txt", "here now"));
    Dataset.Change c = ds.syncFolder(src, "", Progress.NONE);
    assertThat(c.paths()).extracting(d -> d.path() + " " + d.type()).containsExactly("a.txt ADDED", "links/l2.txt MODIFIED");
    Map<String, dev.cairn.manifest.EntryKind> kinds = new java.util.TreeMap<>();
    ds.listFiles().forEach(e -> kinds.put(e.path(), e.kind()));
    assertThat(kinds).containsExactly(Map.entry("a.txt", dev.cairn.manifest.EntryKind.FILE),
        Map.entry("links/l1.txt", dev.cairn.manifest.EntryKind.LINK), Map.entry("links/l2.txt", dev.cairn.manifest.EntryKind.FILE));
  }

  @Test
  void aSyncIntoANewVersionThatFailsLeavesTheLastVersionUsedAsItWas() throws IOException {
    Path src = folder("fails", Map.of("good.txt", "g"));
    Files.writeString(src.resolve("bad\nname.txt"), "a name no dataset path may have");
    CreateOptions o = CreateOptions.of("p", "fails").build();
    assertThatThrownBy(() -> Dataset.syncNewVersion(repo, o, SyncOptions.of(src), Progress.NONE, "sync", List.of()))
        .isInstanceOf(InvalidInputException.class);
    assertThat(repo.catalog().lastUsed()).as("no version was used: none is named").isNull();
    Dataset used = closedVersion("p", "used", Map.of("u.txt", "u"));
    assertThatThrownBy(() -> Dataset.syncNewVersion(repo, o, SyncOptions.of(src), Progress.NONE, "sync", List.of()))
        .isInstanceOf(InvalidInputException.class);
    assertThat(repo.catalog().lastUsed()).isEqualTo(used.id());
  }

  @Test
  void aSourceThatIsALinkToNothingOrALoopIsSaidToBeOne() throws IOException {
    Path dang = Files.createSymbolicLink(tmp.resolve("dang"), tmp.resolve("gone"));
    Path loop = Files.createSymbolicLink(tmp.resolve("loop"), tmp.resolve("loop"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("c", "links-to-nothing").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(dang))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a symbolic link to nothing (it leads to " + tmp.resolve("gone") + ")");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(loop))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a loop of symbolic links");
    assertThatThrownBy(() -> ds.syncFolder(dang, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot sync " + dang + ": a symbolic link to nothing (it leads to " + tmp.resolve("gone") + ")");
  }

  @Test
  void anArchiveWhoseNameNearlyFillsTheLimitIsWritten() throws IOException {
    Dataset v = closedVersion("p", "long-export", Map.of("a.txt", "a"));
    Path out = tmp.resolve("E".repeat(246) + ".tar"); // 250 bytes: its temporary name must not repeat it whole
    v.export(out, Progress.NONE);
    assertThat(out).isRegularFile();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  /** A small file takes a header block and a data block: no PAX header for a time with milliseconds. */
  @Test
  void aTarArchiveHoldsNoExtendedHeaderForAnOrdinaryFile() throws IOException {
    Map<String, String> files = new java.util.TreeMap<>();
    for (int i = 0; i < 20; i++) {
      files.put("f" + i + ".txt", "x" + i);
    }
    Dataset v = closedVersion("p", "small-tar", files);
    Path out = tmp.resolve("small.tar");
    v.export(out, Progress.NONE);
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(Files.newInputStream(out))) {
      int seen = 0;
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        assertThat(e.getExtraPaxHeaders()).as(e.getName()).isEmpty();
        assertThat(e.getModTime().getTime() % 1000).isZero();
        seen++;
      }
      assertThat(seen).isEqualTo(20);
    }
    // 20 files of a header and a data block each, then two blocks of end.
    assertThat(Files.size(out)).isEqualTo((20 * 2 + 2) * 512L);
  }

  @Test
  void aCachedFolderWhoseBuildFailsLeavesNoContentFileInTheCache() throws IOException {
    Path ext = Files.createDirectories(tmp.resolve("ext-gone"));
    Files.writeString(ext.resolve("z-far.txt"), "far away");
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "half-built").build());
    ds.addFiles(AddOptions.of(folder("half", Map.of("a.txt", "first", "b.txt", "second"))));
    ds.addLinks(List.of(ext.resolve("z-far.txt").toString()), "", Progress.NONE);
    ds.close();
    Files.delete(ext.resolve("z-far.txt")); // the build writes a.txt and b.txt, then fails at the link
    assertThatThrownBy(ds::getLocalCopy).isInstanceOf(IOException.class);
    Path contentFiles = tmp.resolve("repo").resolve("cache").resolve("files");
    if (Files.exists(contentFiles)) {
      try (var files = Files.walk(contentFiles)) {
        // Linked there only once the whole folder was written and synced: none of a build that failed.
        assertThat(files.filter(Files::isRegularFile)).isEmpty();
      }
    }
  }

  @Test
  void aPathIsNeverBothAFileAndAFolder() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("c", "shapes").build());
    ds.addFiles(AddOptions.of(folder("one", Map.of("d", "file d", "x/y", "file x/y"))));
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(folder("two", Map.of("d/e", "under d")))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'d'").hasMessageContaining("a file and a folder");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(folder("three", Map.of("x", "file x")))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'x'");
    assertThatThrownBy(() -> ds.syncFolder(folder("four", Map.of("inner", "i")), "d", Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'d'");
    assertThat(paths(ds.listFiles())).containsExactly("d", "x/y");
    ds.close();

    // Parents that disagree on the shape of a path: the later parent wins, as for any conflict.
    Dataset folderD = closedVersion("c", "folder-d", Map.of("d/e", "under d", "z", "z"));
    Dataset merged = Dataset.create(repo, CreateOptions.of("c", "merged").parents(ds.id(), folderD.id()).build());
    assertThat(paths(merged.listFiles())).containsExactly("d/e", "x/y", "z");
    assertThat(merged.record().conflicts()).extracting(Conflict::path).containsExactly("d");
    assertThat(merged.record().conflicts().get(0).parents()).containsExactly(ds.id(), folderD.id());
    Dataset reversed = Dataset.create(repo, CreateOptions.of("c", "reversed").parents(folderD.id(), ds.id()).build());
    assertThat(paths(reversed.listFiles())).containsExactly("d", "x/y", "z");
    assertThat(reversed.record().conflicts()).extracting(Conflict::path).containsExactly("d");
    assertThat(reversed.record().conflicts().get(0).parents()).containsExactly(folderD.id(), ds.id());
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("c", "strict").parents(ds.id(), folderD.id()).failOnConflict(true).build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void aFailedOneStepSyncLeavesTheCurrentVersionAlone() throws IOException {
    Dataset first = Dataset.syncNewVersion(repo, CreateOptions.of("c", "first").build(), folder("ok", Map.of("a", "1")), "", Progress.NONE,
        null, null).draft();
    first.close();
    assertThat(repo.catalog().current()).isEqualTo(first.id());
    Path bad = tmp.resolve("bad");
    Files.createDirectories(bad);
    Files.createSymbolicLink(bad.resolve("in"), tmp.resolve("repo/packs"));
    assertThatThrownBy(() -> Dataset.syncNewVersion(repo, CreateOptions.of("c", "fresh").build(), bad, "", Progress.NONE, null, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("leads into the repository");
    assertThat(repo.catalog().current()).isEqualTo(first.id());
    assertThat(deletionMarks()).as("the draft it took back leaves no trace").isEmpty();
  }

  /** The versions marked deleted here ({@code refs/deleted}). */
  private List<String> deletionMarks() throws IOException {
    Path marks = tmp.resolve("repo/refs/deleted");
    if (!Files.isDirectory(marks)) {
      return List.of();
    }
    try (var s = Files.list(marks)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  /** A child of {@code parent}, with {@code files} written over it and {@code removed} removed. */
  Dataset childOf(Dataset parent, String name, Map<String, String> files, String... removed) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("m", name).parents(parent.id()).build());
    if (!files.isEmpty()) {
      ds.addFiles(AddOptions.of(folder(name, files)));
    }
    if (removed.length > 0) {
      ds.removeFiles(List.of(removed), false);
    }
    return ds.close();
  }

  Map<String, String> contents(Dataset ds) throws IOException {
    Map<String, String> m = new TreeMap<>();
    Path copy = ds.getLocalCopy();
    for (FileEntry e : ds.listFiles()) {
      m.put(e.path(), Files.readString(copy.resolve(e.path())));
    }
    return m;
  }

  Dataset merge(String name, Dataset... parents) throws IOException {
    return Dataset.create(repo, CreateOptions.of("m", name)
        .parents(Arrays.stream(parents).map(Dataset::id).toArray(String[]::new)).build());
  }

  @Test
  void parentsWithACommonAncestorMergeThreeWays() throws IOException {
    Dataset base = closedVersion("m", "base", Map.of("f1", "1", "f2", "2", "f3", "3", "f4", "4"));
    Dataset a = childOf(base, "a", Map.of("f3", "a3", "f4", "a4", "a-new", "a"), "f1");
    Dataset b = childOf(base, "b", Map.of("f2", "b2", "f3", "b3", "b-new", "b"), "f4");
    // f1: deleted by a only; f2: changed by b only; f3: changed by both; f4: changed by a, deleted by b.
    Dataset ab = merge("ab", a, b);
    assertThat(contents(ab.close())).isEqualTo(Map.of("f2", "b2", "f3", "b3", "a-new", "a", "b-new", "b"));
    assertThat(ab.record().conflicts()).extracting(Conflict::path, Conflict::winner)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("f3", b.id()), org.assertj.core.groups.Tuple.tuple("f4", b.id()));
    assertThat(ab.conflictsResolvedByDeletion()).containsExactly("f4");
    Dataset ba = merge("ba", b, a);
    assertThat(contents(ba.close())).isEqualTo(Map.of("f2", "b2", "f3", "a3", "f4", "a4", "a-new", "a", "b-new", "b"));
    assertThat(ba.record().conflicts()).extracting(Conflict::path).containsExactly("f3", "f4");
    // With its own ancestor, a version merges to itself.
    Dataset again = merge("again", a, base);
    assertThat(contents(again.close())).isEqualTo(contents(a));
    assertThat(again.record().conflicts()).isEmpty();
    // Unrelated parents: the union, the later parent winning.
    Dataset other = closedVersion("m", "other", Map.of("f2", "o2", "o", "o"));
    Dataset union = merge("union", a, other);
    assertThat(contents(union.close())).containsEntry("f2", "o2").containsEntry("o", "o").containsEntry("a-new", "a");
    assertThat(union.record().conflicts()).extracting(Conflict::path).containsExactly("f2");
  }

  @Test
  void aConflictsWinnerIsTheParentWhoseSideTheVersionHolds() throws IOException {
    Dataset base = closedVersion("m", "w", Map.of("a.txt", "a0", "keep", "k"));
    Dataset l = childOf(base, "w-l", Map.of("a.txt", "al"));
    Dataset r = childOf(base, "w-r", Map.of("a.txt", "ar"));
    Dataset s = childOf(base, "w-s", Map.of(), "a.txt");
    Dataset u = closedVersion("m", "w-u", Map.of("a.txt", "ua")); // unrelated: a union adds it back
    Dataset three = merge("w3", l, r, s);
    assertThat(contents(three.close())).doesNotContainKey("a.txt");
    assertThat(three.record().conflicts()).extracting(Conflict::path, Conflict::winner)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a.txt", s.id()));
    assertThat(three.conflictsResolvedByDeletion()).containsExactly("a.txt");
    Dataset four = merge("w4", l, r, s, u);
    assertThat(contents(four.close())).containsEntry("a.txt", "ua");
    assertThat(four.record().conflicts()).singleElement().satisfies(c -> {
      assertThat(c.winner()).as("the content it holds is u's").isEqualTo(u.id());
      assertThat(c.parents()).containsExactly(l.id(), r.id(), s.id(), u.id());
    });
    assertThat(four.conflictsResolvedByDeletion()).isEmpty();
  }

  @Test
  void aDeletedCommonParentIsStillTheBaseThroughAChildOfItAlone() throws IOException {
    Dataset base = closedVersion("m", "gone", Map.of("keep", "1", "gone", "2"));
    Dataset a = childOf(base, "gone-a", Map.of(), "gone");
    Dataset b = childOf(base, "gone-b", Map.of("new", "n"));
    Map<String, String> expected = Map.of("keep", "1", "new", "n");
    assertThat(contents(merge("before", a, b).close())).isEqualTo(expected);
    base.delete(true);
    // a's base is base's manifest: the deletion a made is kept, as before the delete.
    Dataset after = merge("after", a, b).close();
    assertThat(contents(after)).isEqualTo(expected);
    assertThat(after.record().conflicts()).isEmpty();
  }

  @Test
  void aMergeFindsItsBasePastADeletedVersionInTheMiddleOfAHistory() throws IOException {
    Dataset v1 = closedVersion("m", "mid", Map.of("f", "1", "g", "1", "h", "1"));
    Dataset v2 = childOf(v1, "mid-2", Map.of("f", "2"));
    Dataset v3 = childOf(v2, "mid-3", Map.of("h", "3"), "g");
    Dataset side = childOf(v1, "mid-side", Map.of("s", "s"));
    v2.delete(true);
    new dev.cairn.gc.GarbageCollector(repo, 0, 0, Progress.NONE).run(); // v3's lineage keeps v2's version object
    // v1, through the deleted v2, is the base: v3's edits and deletion stand, side's file joins; no conflict.
    Dataset merged = merge("mid-merged", v3, side).close();
    assertThat(contents(merged)).isEqualTo(Map.of("f", "2", "h", "3", "s", "s"));
    assertThat(merged.record().conflicts()).isEmpty();
    Dataset other = merge("mid-merged-2", side, v3).close();
    assertThat(contents(other)).isEqualTo(Map.of("f", "2", "h", "3", "s", "s"));
    assertThat(other.record().conflicts()).isEmpty();
  }

  @Test
  void theLineageGoesOnPastADeletedAncestorThroughItsVersionObject() throws IOException {
    Dataset v1 = closedVersion("m", "chain", Map.of("a", "1"));
    Dataset side = closedVersion("m", "side", Map.of("s", "s"));
    Dataset v2 = childOf(v1, "chain2", Map.of("b", "2"));
    Dataset v3 = Dataset.create(repo, CreateOptions.of("m", "chain3").parents(v2.id(), side.id()).build()).close();
    Dataset v4 = childOf(v3, "chain4", Map.of("d", "4"));
    v3.delete(true);
    v2.delete(true);
    new dev.cairn.gc.GarbageCollector(repo, 0, 0, Progress.NONE).run(); // a child's lineage keeps their version objects
    assertThat(v4.dependencyGraph()).containsExactly(entry(v4.id(), List.of(v3.id())), entry(v3.id(), List.of(v2.id(), side.id())),
        entry(v2.id(), List.of(v1.id())), entry(side.id(), List.of()), entry(v1.id(), List.of()));
  }

  @Test
  void aDeletedCommonParentReachedFirstThroughAMergeIsStillTheBaseInEitherOrder() throws IOException {
    Dataset x = closedVersion("m", "x", Map.of("keep", "1", "gone", "2"));
    Dataset z = closedVersion("m", "z", Map.of("z", "z"));
    // a: x and z merged, gone removed; c: a child of x alone; b: c's child.
    Dataset a = Dataset.create(repo, CreateOptions.of("m", "xa").parents(x.id(), z.id()).build());
    a.removeFiles(List.of("gone"), false);
    a.close();
    Dataset c = childOf(x, "xc", Map.of("c", "c"));
    Dataset b = childOf(c, "xb", Map.of("b", "b"));
    x.delete(true);
    Map<String, String> expected = Map.of("keep", "1", "z", "z", "c", "c", "b", "b");
    assertThat(contents(merge("ab", a, b).close())).isEqualTo(expected);
    assertThat(contents(merge("ba", b, a).close())).isEqualTo(expected);
  }

  @Test
  void aConflictBetweenAFileAndAFolderIsChangedSinceTheMergeOnceTheFolderGoes() throws IOException {
    Dataset a = closedVersion("m", "shape-a", Map.of("d", "file", "f", "1"));
    Dataset b = closedVersion("m", "shape-b", Map.of("d/x", "in a folder", "f", "2"));
    Dataset m = merge("shape-m", a, b);
    assertThat(m.record().conflicts()).extracting(Conflict::path).containsExactly("d", "f");
    assertThat(m.conflictsChangedSinceMerge()).isEmpty();
    m.removeFiles(List.of("d/x"), true);
    assertThat(m.conflictsChangedSinceMerge()).containsExactly("d");
  }

  @Test
  void theBaseIsTheNearestCommonAncestorHoweverDeepTheHistory() throws IOException {
    Dataset v = closedVersion("m", "deep", Map.of("f", "0", "g", "g"));
    Dataset fork = null;
    for (int i = 1; i <= 12; i++) {
      v = childOf(v, "deep-" + i, Map.of("f", Integer.toString(i)));
      if (i == 4) {
        fork = v;
      }
    }
    // One side edits g far below the tip; the other changes nothing since the fork (f = 4 there).
    Dataset oldSide = childOf(fork, "deep-old", Map.of("g", "g2"));
    Dataset m = merge("deep-merge", v, oldSide).close();
    assertThat(contents(m)).isEqualTo(Map.of("f", "12", "g", "g2")); // f: only the tip's line changed it since the fork
    assertThat(m.record().conflicts()).isEmpty();
  }

  @Test
  void aRecordThatIsNotUtf8IsListedAsUnreadable() throws IOException {
    Dataset good = closedVersion("u", "good", Map.of("a", "1"));
    Dataset bad = closedVersion("u", "bad", Map.of("b", "2"));
    Files.write(tmp.resolve("repo/refs/datasets/" + bad.id() + ".json"), new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'});
    VersionListing l = repo.search("u", null, List.of());
    assertThat(l.records()).extracting(DatasetRecord::id).containsExactly(good.id());
    assertThat(l.unreadable()).containsExactly(bad.id());
    assertThatThrownBy(bad::record).isInstanceOf(dev.cairn.errors.CorruptObjectException.class).hasMessageContaining("not UTF-8");
  }

  @Test
  void aParentThatDescendsFromEveryParentBeforeItIsTheMerge() throws IOException {
    Dataset base = closedVersion("m", "ff", Map.of("a", "a", "b", "b", "s", "base"));
    Dataset p1 = childOf(base, "ff-1", Map.of("c", "c", "s", "one"));
    Dataset p2 = childOf(base, "ff-2", Map.of("d", "d", "s", "two"));
    // p3 merged them (two won s), then deleted b and settled s as one had it.
    Dataset p3 = merge("ff-3", p1, p2);
    p3.removeFiles(List.of("b"), false);
    p3.addFiles(AddOptions.of(folder("ff-3", Map.of("s", "one"))));
    p3.close();
    // p1 and p2 are both nearest common ancestors of p3 and the earlier parents: no single base,
    // yet p3 holds what they came to. Nothing p3 deleted or settled comes back, and nothing clashes.
    Dataset m = merge("ff-m", p1, p2, p3).close();
    assertThat(contents(m)).isEqualTo(contents(p3)).isEqualTo(Map.of("a", "a", "c", "c", "d", "d", "s", "one"));
    assertThat(m.record().conflicts()).extracting(Conflict::path).containsExactly("s"); // p1 and p2's, which p3 settled
    Dataset m2 = merge("ff-m2", p2, p3).close();
    assertThat(contents(m2)).isEqualTo(contents(p3));
    assertThat(m2.record().conflicts()).isEmpty();
    // The other way round: parents in the history of the first change nothing, even when their
    // nearest common ancestors with it tie (p2 is two steps up from p4, as base is from p1 and p2).
    Dataset p4 = Dataset.create(repo, CreateOptions.of("m", "ff-4").parents(p3.id()).build());
    p4.removeFiles(List.of("c"), false);
    p4.close();
    Dataset m3 = merge("ff-m3", p4, p1, p2).close();
    assertThat(contents(m3)).isEqualTo(contents(p4)).doesNotContainKeys("b", "c");
    assertThat(m3.record().conflicts()).isEmpty();
    Dataset m4 = merge("ff-m4", p4, base, p1).close();
    assertThat(contents(m4)).isEqualTo(contents(p4));
  }

  @Test
  void crissCrossMergesHaveNoSingleBaseAndTheLaterParentWins() throws IOException {
    Dataset base = closedVersion("m", "cc", Map.of("s", "base"));
    Dataset x = childOf(base, "cc-x", Map.of("s", "xs"));
    Dataset y = childOf(base, "cc-y", Map.of("s", "ys"));
    Dataset m1 = merge("cc-m1", x, y).close();
    Dataset m2 = merge("cc-m2", y, x).close();
    assertThat(contents(m1)).containsEntry("s", "ys");
    assertThat(contents(m2)).containsEntry("s", "xs");
    // x and y are both nearest common ancestors of m1 and m2: whatever their ids, a union.
    Dataset m = merge("cc-m", m1, m2).close();
    assertThat(contents(m)).containsEntry("s", "xs");
    assertThat(m.record().conflicts()).extracting(Conflict::path).containsExactly("s");
    assertThat(m.parentsMergedAsUnion()).containsExactly(m2.id());
    assertThat(m1.parentsMergedAsUnion()).as("one nearest common ancestor").isEmpty();
  }

  @Test
  void aFolderTheLaterParentKeepsWinsWholeOverAFileTheEarlierMadeOfIt() throws IOException {
    Dataset base = closedVersion("m", "fw", Map.of("f/a", "a", "f/b", "b", "keep", "k"));
    Dataset o = Dataset.create(repo, CreateOptions.of("m", "fw-o").parents(base.id()).build());
    o.removeFiles(List.of("f"), true);
    o.addFiles(AddOptions.of(folder("fw-o", Map.of("f", "now a file"))));
    o.close();
    Dataset t = childOf(base, "fw-t", Map.of("f/a", "a2"));
    Dataset m = merge("fw-m", o, t).close();
    assertThat(contents(m)).isEqualTo(Map.of("f/a", "a2", "f/b", "b", "keep", "k"));
    assertThat(m.record().conflicts()).extracting(Conflict::path).contains("f");
  }

  @Test
  void aFileBecomingAFolderOnOneSideOnlyIsNoConflict() throws IOException {
    Dataset base = closedVersion("m", "shape-base", Map.of("labels", "file", "keep", "k"));
    Dataset other = childOf(base, "shape-other", Map.of("keep", "k2"));
    Dataset folder = Dataset.create(repo, CreateOptions.of("m", "shape-folder").parents(base.id()).build());
    folder.removeFiles(List.of("labels"), false);
    folder.addFiles(AddOptions.of(folder("shape-folder", Map.of("labels/train.csv", "t"))));
    folder.close();
    for (Dataset[] order : List.of(new Dataset[] {other, folder}, new Dataset[] {folder, other})) {
      Dataset m = merge("shape-" + order[0].record().name(), order).close();
      assertThat(contents(m)).isEqualTo(Map.of("labels/train.csv", "t", "keep", "k2"));
      assertThat(m.record().conflicts()).as("parents " + order[0].record().name() + ", " + order[1].record().name()).isEmpty();
    }
  }

  @Test
  void aParentOfADraftIsNotDeletedEvenWithForce() throws IOException {
    Dataset parent = closedVersion("p", "parent", Map.of("a", "1"));
    Dataset draft = Dataset.create(repo, CreateOptions.of("p", "child").parents(parent.id()).build());
    assertThatThrownBy(() -> parent.delete(true)).isInstanceOf(DatasetStateException.class).hasMessageContaining(draft.id());
    draft.close();
    parent.delete(true);
    assertThat(repo.catalog().exists(parent.id())).isFalse();
    // Deleted on purpose: fsck has nothing to say about the child's missing parent.
    assertThat(new dev.cairn.gc.Fsck(repo, Progress.NONE).check().problems()).isEmpty();
  }

  @Test
  void aParentDeletedWhileItsChildIsCreatedNeverLeavesAnUnclosableDraft() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    int created = 0;
    int deleted = 0;
    try {
      for (int i = 0; i < 30; i++) {
        Dataset parent = closedVersion("race", "parent", Map.of("a", "1"));
        CountDownLatch go = new CountDownLatch(1);
        var child = pool.submit(() -> {
          go.await();
          return Dataset.create(repo, CreateOptions.of("race", "child").parents(parent.id()).build());
        });
        var delete = pool.submit(() -> {
          go.await();
          parent.delete(false);
          return true;
        });
        go.countDown();
        Dataset c = null;
        try {
          c = child.get();
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(dev.cairn.errors.DatasetNotFoundException.class);
        }
        boolean gone;
        try {
          gone = delete.get();
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(DatasetStateException.class).hasMessageContaining("draft");
          gone = false;
        }
        assertThat(c != null && gone).as("round %d: both the child's create and its parent's delete succeeded", i).isFalse();
        if (c != null) {
          c.close(); // its parent is there: it closes
          created++;
          c.delete(false);
          parent.delete(false);
        } else {
          deleted++;
          if (!gone) {
            parent.delete(false);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(created + deleted).isEqualTo(30);
  }

  @Test
  void threadsAddingToOneDraftAllLand() throws Exception {
    int threads = 8;
    for (int t = 0; t < threads; t++) {
      Map<String, String> files = new TreeMap<>();
      for (int i = 0; i < 20; i++) {
        files.put("f" + i, "thread " + t + " file " + i);
      }
      folder("t" + t, files);
    }
    for (int round = 0; round < 4; round++) {
      Dataset d = Dataset.create(repo, CreateOptions.of("c", "threads").build());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Dataset.Change>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Path src = tmp.resolve("t" + t);
          String df = "t" + t;
          fs.add(pool.submit(() -> d.addFiles(AddOptions.of(src).datasetFolder(df))));
        }
        for (var f : fs) {
          assertThat(f.get().summary().added()).isEqualTo(20);
        }
      } finally {
        pool.shutdown();
      }
      assertThat(d.listFiles()).as("round " + round).hasSize(threads * 20);
    }
  }

  @Test
  void threadsGettingOneVersionAtOnceAllGetIt() throws Exception {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 200; i++) {
      files.put("f" + i, "file " + i);
    }
    Path src = folder("many", files);
    for (int round = 0; round < 3; round++) {
      Dataset d = Dataset.create(repo, CreateOptions.of("c", "gets" + round).build());
      d.addFiles(AddOptions.of(src));
      d.close();
      int threads = 6;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Path>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          fs.add(pool.submit(() -> d.getLocalCopy()));
        }
        for (var f : fs) {
          assertThat(f.get().resolve("f7")).hasContent("file 7");
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void aNameDifferingOnlyByUnicodeNormalizationFromOneInTheDraftIsRefused() throws IOException {
    Path composed = folder("nfc", Map.of("caf\u00e9", "nfc"));
    Path decomposed = folder("nfd", Map.of("cafe\u0301", "nfd"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "unicode").build());
    ds.addFiles(AddOptions.of(composed));
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(decomposed)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("Unicode normalization");
    assertThat(ds.listFiles()).hasSize(1);
  }

  @Test
  void settersRefuseWhatCreateRefuses() throws IOException {
    Dataset ds = closedVersion("p", "setters", Map.of("a", "1"));
    assertThatThrownBy(() -> ds.setTags(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("empty list");
    assertThatThrownBy(() -> ds.setTags(Arrays.asList("a", null))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ds.setTags(List.of("", "x"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty tag");
    assertThatThrownBy(() -> ds.setTags(List.of("x\ny"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("control");
    assertThatThrownBy(() -> ds.setDescription(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("description");
    assertThatThrownBy(() -> ds.setMetadata(Map.of("", "v"))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ds.setMetadata(Map.of("a\nb", "v"))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ds.rename(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("newName");
    assertThatThrownBy(() -> ds.setTags(List.of("a,b"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("commas");
    ds.setTags(List.of("fine"));
    assertThat(ds.record().tags()).containsExactly("fine");
    // Keys that differ only in their Unicode form would look alike: the second is refused.
    ds.setMetadata(Map.of("caf\u00e9", "1"));
    assertThatThrownBy(() -> ds.setMetadata(Map.of("cafe\u0301", "2"))).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot set metadata key 'cafe\u0301': it differs from key 'caf\u00e9' only in its Unicode form, and the two would"
            + " look alike; use one of them");
    Map<String, String> swap = new java.util.LinkedHashMap<>();
    swap.put("caf\u00e9", null);
    swap.put("cafe\u0301", "2");
    ds.setMetadata(swap);
    assertThat(ds.metadata()).containsExactly(entry("cafe\u0301", "2"));
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "twins").metadata(Map.of("caf\u00e9", "1", "cafe\u0301", "2"))
        .build())).isInstanceOf(InvalidInputException.class).hasMessageContaining("only in its Unicode form");
  }

  @Test
  void aRepositoryIsNotMadeAmongOtherFiles() throws IOException {
    Path data = folder("user-data", Map.of("notes.txt", "mine"));
    assertThatThrownBy(() -> DatasetRepository.open(data)).isInstanceOf(InvalidInputException.class).hasMessageContaining("notes.txt");
    try (var s = Files.list(data)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
    }
    assertThatThrownBy(() -> DatasetRepository.open(data.resolve("notes.txt"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a file, not a folder");
  }

  @Test
  void aClosedRepositorySaysSo() throws IOException {
    Path dir = tmp.resolve("closed-repo");
    DatasetRepository r = DatasetRepository.open(dir);
    Dataset ds = Dataset.create(r, CreateOptions.of("p", "closing").build());
    r.close();
    assertThatThrownBy(ds::listFiles).isInstanceOf(IllegalStateException.class).hasMessageContaining("it was closed");
    assertThatThrownBy(() -> Dataset.create(r, CreateOptions.of("p", "after").build())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aDatasetFolderKeepsItsSpaces() throws IOException {
    Path src = folder("spaced", Map.of("f.txt", "x"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "spaces").build());
    ds.addFiles(AddOptions.of(src).datasetFolder(" sp / inner /"));
    assertThat(paths(ds.listFiles())).containsExactly(" sp / inner /f.txt");
  }

  @Test
  void aDatasetFolderIsReadAsTarAndCpReadAPath() throws IOException {
    Path src = folder("dotted", Map.of("f.txt", "x"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "dotted").build());
    ds.addFiles(AddOptions.of(src).datasetFolder("./a/./b//c/"));
    assertThat(paths(ds.listFiles())).containsExactly("a/b/c/f.txt");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src).datasetFolder("a/../b"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'..' segment");
  }

  @Test
  void createAddCloseGetRoundTrip() throws IOException {
    Path src = folder("src", Map.of("a.txt", "alpha", "sub/b.txt", "beta", "sub/deeper/c.bin", "gamma"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("proj", "data").tags("raw").build());
    assertThat(ds.version()).isEqualTo("1.0.0");
    assertThat(ds.state()).isEqualTo(DatasetState.DRAFT);
    Dataset.Change c = ds.addFiles(AddOptions.of(src));
    assertThat(c.summary().added()).isEqualTo(3);
    assertThat(paths(ds.listFiles())).containsExactly("a.txt", "sub/b.txt", "sub/deeper/c.bin");
    ds.close();
    assertThat(ds.state()).isEqualTo(DatasetState.FINAL);
    assertThat(ds.record().versionObject()).isNotNull();
    Path copy = ds.getLocalCopy();
    assertThat(Files.readString(copy.resolve("sub/b.txt"))).isEqualTo("beta");
    assertThat(ds.getLocalCopy()).isEqualTo(copy);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.resolve("a.txt")))).isEqualTo("r--r--r--");
    for (Path folder : List.of(copy, copy.resolve("sub"), copy.resolve("sub/deeper"))) {
      // The umask's mode less the owner's and others' write (a group's stays, for shared repositories).
      assertThat(Files.getPosixFilePermissions(folder)).as(folder.toString())
          .isEqualTo(TestRepos.folderModeWithout(tmp, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OTHERS_WRITE));
    }
    assertThat(ds.verify()).isEmpty();
    assertThat(ds.verify(copy)).isEmpty();
    // The cached folder lies inside the repository: its files are still all checked.
    Path extra = copy.resolve("sub/extra.txt");
    Files.writeString(extra, "not in the version");
    try {
      assertThat(ds.verify(copy)).extracting(VerifyProblem::path, VerifyProblem::kind)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("sub/extra.txt", VerifyProblem.Kind.UNEXPECTED));
    } finally {
      Files.delete(extra);
    }
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(DatasetStateException.class).hasMessageContaining("final");
  }

  @Test
  void aOneFileCommitWritesTheIndexOnceAndItsDraftIsReadableElsewhereBeforeItCloses() throws IOException {
    Path src = folder("src", Map.of("a.txt", "alpha", "sub/b.txt", "beta"));
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "d").build());
    v1.addFiles(AddOptions.of(src));
    v1.close();
    Path edit = folder("edit", Map.of("b.txt", "beta, edited"));
    var index = repo.repository().packs().index();
    long before = index.lastTransactionId();

    Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build());
    v2.addFiles(AddOptions.of(edit.resolve("b.txt")).datasetFolder("sub"));
    assertThat(index.lastTransactionId()).as("the edit's pack waits for the close").isEqualTo(before);
    try (DatasetRepository elsewhere = DatasetRepository.open(tmp.resolve("repo"))) {
      // another process reading the draft finds the pack its writer has not indexed yet
      Dataset draft = Dataset.get(elsewhere, v2.id());
      Path copy = draft.getMutableLocalCopy(tmp.resolve("copy"), false);
      assertThat(Files.readString(copy.resolve("sub/b.txt"))).isEqualTo("beta, edited");
      assertThat(Files.readString(copy.resolve("a.txt"))).isEqualTo("alpha");
    }
    long afterReader = index.lastTransactionId();
    v2.close();
    assertThat(index.lastTransactionId()).as("one index write for the edit and the version").isEqualTo(afterReader + 1);
    assertThat(v2.verify()).isEmpty();
  }

  @Test
  void childStoresOnlyItsChangeSetAndVersionsBump() throws IOException {
    Path src = folder("src", Map.of("a.txt", "alpha", "b.txt", "beta"));
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "d").build());
    v1.addFiles(AddOptions.of(src));
    v1.close();
    Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build());
    assertThat(v2.version()).isEqualTo("1.0.1");
    assertThat(paths(v2.listFiles())).containsExactly("a.txt", "b.txt");
    Files.writeString(src.resolve("b.txt"), "BETA!");
    Files.writeString(src.resolve("c.txt"), "alpha"); // same content as a.txt
    Files.delete(src.resolve("a.txt"));
    Dataset.Change c = v2.syncFolder(src);
    assertThat(c.summary()).isEqualTo(new ChangeSummary(1, 1, 1, 5, 5, 5));
    assertThat(paths(v2.listAddedFiles())).containsExactly("c.txt");
    assertThat(paths(v2.listModifiedFiles())).containsExactly("b.txt");
    assertThat(paths(v2.listRemovedFiles())).containsExactly("a.txt");
    v2.close();
    assertThat(v2.record().summary().total()).isEqualTo(3);
    List<DiffEntry> cmp = v2.compare(v1);
    assertThat(cmp).hasSize(3);
    // Against another version than the parents, as clearml's list_*_files(dataset_id).
    Dataset v3 = Dataset.create(repo, CreateOptions.of("p", "d").parents(v2.id()).build());
    v3.removeFiles("c.txt");
    v3.close();
    assertThat(paths(v3.listAddedFiles(v1))).isEmpty();
    assertThat(paths(v3.listModifiedFiles(v1))).containsExactly("b.txt");
    assertThat(paths(v3.listRemovedFiles(v1))).containsExactly("a.txt");
    assertThat(paths(v1.listAddedFiles(v3))).containsExactly("a.txt");
    assertThat(v1.listModifiedFiles(v3)).extracting(FileEntry::path).containsExactly("b.txt");
    assertThat(v1.listModifiedFiles(v3).get(0).size()).as("as the version asked holds it").isEqualTo(4);
    assertThat(v2.dependencyGraph()).containsEntry(v2.id(), List.of(v1.id())).containsEntry(v1.id(), List.of());
  }

  /** Waits until files written so far are old enough for the stat cache to remember them. */
  static void sleepPastRacyWindow() {
    try {
      Thread.sleep(StatCache.RACY_MILLIS + 200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every file under {@code dir} with its size and modification time. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.put(dir.relativize(f).toString(), Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
      }
    }
    return out;
  }

  @Test
  void syncIntoANewVersionWithoutParentsFollowsTheDatasetsHighestClosedVersion() throws IOException {
    Path src = folder("follow", Map.of("a.txt", "alpha"));
    CreateOptions plain = CreateOptions.of("p", "follow").build();
    Dataset v1 = Dataset.syncNewVersion(repo, plain, src, "", Progress.NONE, null, null).draft();
    assertThat(v1.record().parents()).as("the dataset's first").isEmpty();
    v1.close();
    assertThat(Dataset.syncNewVersion(repo, plain, src, "", Progress.NONE, null, null).draft()).as("unchanged: nothing made").isNull();
    assertThat(deletionMarks()).as("nor marked deleted").isEmpty();
    Files.writeString(src.resolve("b.txt"), "beta");
    Dataset v2 = Dataset.syncNewVersion(repo, plain, src, "", Progress.NONE, null, null).draft();
    assertThat(v2.record().parents()).containsExactly(v1.id());
    assertThat(v2.record().summary().added()).as("only what is new").isEqualTo(1);
    v2.close();
    // A draft of the dataset is no parent; a dataset of another project is another dataset.
    Dataset.create(repo, CreateOptions.of("p", "follow").parents(v2.id()).build());
    Files.writeString(src.resolve("c.txt"), "gamma");
    assertThat(Dataset.syncNewVersion(repo, plain, src, "", Progress.NONE, null, null).draft().record().parents()).containsExactly(v2.id());
    assertThat(Dataset.syncNewVersion(repo, CreateOptions.of("q", "follow").build(), src, "", Progress.NONE, null, null).draft()
        .record().parents()).isEmpty();
  }

  @Test
  void syncIntoANewVersionCreatesNothingWhenTheFolderBringsNoChange() throws IOException {
    Path src = folder("s", Map.of("a.txt", "alpha", "sub/b.txt", "beta"));
    sleepPastRacyWindow(); // so that the first sync remembers both files
    Dataset.NewVersion first = Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").build(), src, "", Progress.NONE, "sync", List.of("x"));
    assertThat(first.change().summary().added()).isEqualTo(2);
    Dataset v1 = first.draft();
    v1.close();
    Map<String, String> before = snapshot(tmp.resolve("repo/refs"));

    Dataset.NewVersion again = Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").parents(v1.id()).build(), src, "", Progress.NONE, null, List.of());
    assertThat(again.draft()).isNull();
    assertThat(again.change().summary().isEmpty()).isTrue();
    assertThat(again.change().filesRead()).isZero();
    assertThat(Dataset.list(repo, "p", "d", List.of())).hasSize(1);
    assertThat(snapshot(tmp.resolve("repo/refs"))).as("no catalog write").isEqualTo(before);

    Files.writeString(src.resolve("c.txt"), "gamma");
    Files.writeString(src.resolve("a.txt"), "ALPHA");
    Dataset.NewVersion third = Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").parents(v1.id()).build(), src, "", Progress.NONE, "sync", List.of("y"));
    Dataset v2 = third.draft();
    assertThat(v2.version()).as("no version string was spent on the unchanged sync").isEqualTo("1.0.1");
    assertThat(third.change().summary()).isEqualTo(new ChangeSummary(1, 1, 0, 5, 5, 0));
    assertThat(third.change().filesRead()).as("a.txt and c.txt; b.txt is remembered").isEqualTo(2);
    assertThat(third.change().storedBytes()).isPositive();
    assertThat(v2.state()).isEqualTo(DatasetState.DRAFT);
    // The command that created it is logged, not a create it was never given, and once: its create
    // and its change are one run's steps.
    assertThat(v2.record().log()).extracting(LogEntry::command).containsExactly("sync");
    assertThat(v2.record().log()).extracting(LogEntry::arguments).containsOnly(List.of("y"));
    assertThat(v2.record().log().get(0).changes()).isEqualTo(third.change().summary());
    v2.close();
    assertThat(paths(v2.listFiles())).containsExactly("a.txt", "c.txt", "sub/b.txt");
    assertThat(paths(v2.listAddedFiles())).containsExactly("c.txt");
    assertThat(paths(v2.listModifiedFiles())).containsExactly("a.txt");
    assertThat(Files.readString(v2.getLocalCopy().resolve("a.txt"))).isEqualTo("ALPHA");
  }

  @Test
  void syncIntoANewVersionFinishesTheDraftAnInterruptedRunOfTheSameCommandLeft() throws Exception {
    Path src = folder("s", Map.of("a.txt", "alpha"));
    List<String> argv = List.of("--project", "p", "--name", "d", "--folder", src.toString());
    Dataset v1 = Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").build(), src, "", Progress.NONE, "sync", argv).draft();
    v1.close();
    assertThat(v1.record().owner()).as("a closed version has no owner").isNull();
    Files.writeString(src.resolve("b.txt"), "beta");
    CreateOptions next = CreateOptions.of("p", "d").parents(v1.id()).build();
    // What a run killed right after creating its draft leaves: the draft, as its parent, owned by
    // a process that is gone.
    Dataset left = VersionLifecycle.create(repo, next, "sync", argv);
    assertThat(left.record().owner()).startsWith(ProcessHandle.current().pid() + "@");
    Dataset live = VersionLifecycle.create(repo, next, "sync", argv);
    // Neither a draft its process still owns, nor one made by create, nor one of other arguments is taken.
    Dataset made = Dataset.create(repo, next);
    Dataset other = VersionLifecycle.create(repo, next, "sync", List.of("--name", "d", "--folder", src.toString()));
    ownedByADeadProcess(left, made, other);
    Dataset.NewVersion again = Dataset.syncNewVersion(repo, next, src, "", Progress.NONE, "sync", argv);
    assertThat(again.draft().id()).isEqualTo(left.id());
    assertThat(again.resumed()).isEqualTo(left.id());
    assertThat(again.change().summary()).isEqualTo(new ChangeSummary(1, 0, 0, 4, 0, 0));
    again.draft().close();
    assertThat(paths(left.listFiles())).containsExactly("a.txt", "b.txt");
    assertThat(left.record().log()).extracting(LogEntry::command).as("created, finished by the run again, closed: one entry")
        .containsExactly("sync");
    assertThat(left.record().owner()).isNull();
    assertThat(Dataset.list(repo, "p", "d", List.of())).extracting(DatasetRecord::id)
        .containsExactlyInAnyOrder(v1.id(), left.id(), live.id(), made.id(), other.id());

    // Left again, and the folder is as the parent had it: the draft goes, no version is made, and
    // the parent becomes the current version (the draft had been).
    Dataset second = VersionLifecycle.create(repo, CreateOptions.of("p", "d").parents(left.id()).build(), "sync", argv);
    ownedByADeadProcess(second);
    assertThat(repo.catalog().current()).isEqualTo(second.id());
    Dataset.NewVersion none = Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").parents(left.id()).build(), src, "",
        Progress.NONE, "sync", argv);
    assertThat(none.draft()).isNull();
    assertThat(none.resumed()).isEqualTo(second.id());
    assertThat(repo.catalog().exists(second.id())).isFalse();
    assertThat(repo.catalog().current()).isEqualTo(left.id());
  }

  @Test
  void aSquashKilledPartWayIsFinishedByTheSameSquashAndAFailedOneLeavesNothing() throws Exception {
    Dataset v1 = closedVersion("p", "one", Map.of("a", "1"));
    Dataset v2 = closedVersion("p", "two", Map.of("b", "2"));
    List<String> ids = List.of(v1.id(), v2.id());
    // What a squash killed after making its draft leaves: a draft of no files, its owner ended.
    String before = repo.catalog().current();
    Dataset left = VersionLifecycle.create(repo, CreateOptions.of("p", "flat").description("squash of " + String.join(", ", ids)).build(),
        "squash", ids);
    assertThat(repo.catalog().current()).as("not current until closed: a later add does not go into it").isEqualTo(before);
    DraftOwners.endAll();
    assertThat(new dev.cairn.gc.Fsck(repo, Progress.NONE).check().problems()).anySatisfy(p -> assertThat(p.message())
        .startsWith("draft 1.0.0 of p/flat was left by a squash that was interrupted (its process ended): the same squash run again"
            + " finishes it; else cairn delete --id " + left.id().substring(0, 8)));
    Dataset sq = Dataset.squash(repo, "p", "flat", ids);
    assertThat(repo.catalog().current()).isEqualTo(sq.id());
    assertThat(sq.id()).isEqualTo(left.id());
    assertThat(sq.record().isDraft()).isFalse();
    assertThat(sq.version()).isEqualTo("1.0.0");
    assertThat(paths(sq.listFiles())).containsExactly("a", "b");
    assertThat(sq.record().log()).extracting(LogEntry::command).containsExactly("squash", "close");
    assertThat(sq.record().log().get(0).changes().added()).isEqualTo(2);
    assertThat(Dataset.list(repo, "p", "flat", List.of())).hasSize(1);

    // A squash that fails after making its draft (here: a source's manifest is not stored) deletes it.
    repo.catalog().write(v2.record().toBuilder().root(dev.cairn.id.HashAlgorithm.SHA256.hash(new byte[] {7})).build());
    assertThatThrownBy(() -> Dataset.squash(repo, "p", "flat2", List.of(v1.id(), v2.id())))
        .isInstanceOf(dev.cairn.errors.MissingObjectException.class);
    assertThat(Dataset.list(repo, "p", "flat2", List.of())).isEmpty();
  }

  @Test
  void aDraftTheDaemonsEarlierCommandLeftIsFinishedButOneKeptOpenOnPurposeIsNot() throws Exception {
    Path src = folder("s", Map.of("a.txt", "alpha"));
    List<String> argv = List.of("--project", "p", "--name", "d", "--folder", src.toString());
    // A command of a resident process made the draft and failed; the process runs on.
    Dataset left = VersionLifecycle.create(repo, CreateOptions.of("p", "d").build(), "sync", argv);
    assertThat(Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").build(), src, "", Progress.NONE, "sync", argv).resumed())
        .as("its command still runs").isNull();
    Dataset.list(repo, "p", "d", List.of()).stream().filter(r -> !r.id().equals(left.id())).forEach(r -> {
      try {
        repo.get(r.id()).delete(true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    DraftOwners.endAll(); // the command ended
    Dataset.NewVersion again = Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").build(), src, "", Progress.NONE, "sync", argv);
    assertThat(again.resumed()).isEqualTo(left.id());
    again.draft().disown();
    assertThat(left.record().owner()).isNull();
    DraftOwners.endAll();
    // Given up on purpose (--skip-close): the same command makes a version of its own.
    assertThat(Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").build(), src, "", Progress.NONE, "sync", argv).resumed()).isNull();
  }

  @Test
  void theSameSyncRunAgainMakesNothingWhileTheFolderEqualsTheVersionItClosed() throws Exception {
    Dataset base = closedVersion("p", "d", Map.of("a.txt", "alpha"));
    Path src = folder("s", Map.of("a.txt", "alpha", "b.txt", "beta"));
    List<String> argv = List.of("--parents", base.id(), "--version", "2.0");
    CreateOptions o = CreateOptions.of("p", "d").parents(base.id()).version("2.0").build();
    Dataset child = Dataset.syncNewVersion(repo, o, src, "", Progress.NONE, "sync", argv).draft();
    child.close();
    Dataset.NewVersion again = Dataset.syncNewVersion(repo, o, src, "", Progress.NONE, "sync", argv);
    assertThat(again.draft()).isNull();
    assertThat(again.sameAs()).isEqualTo(child.id());
    assertThat(again.change().summary().isEmpty()).isTrue();
    // Another command's version, or other arguments, are not taken for it: a new version is made.
    CreateOptions next = CreateOptions.of("p", "d").parents(base.id()).build();
    Dataset.NewVersion other = Dataset.syncNewVersion(repo, next, src, "", Progress.NONE, "sync", List.of("--parents", base.id()));
    assertThat(other.sameAs()).isNull();
    assertThat(other.draft().record().parents()).containsExactly(base.id());
    other.draft().close();
    // A changed folder is a change, against the parent named.
    Files.writeString(src.resolve("c.txt"), "gamma");
    Dataset.NewVersion changed = Dataset.syncNewVersion(repo, next, src, "", Progress.NONE, "sync", List.of("--parents", base.id()));
    assertThat(changed.sameAs()).isNull();
    assertThat(changed.change().summary().added()).isEqualTo(2);
  }

  @Test
  void aSyncOfAWildcardPatternMakesTheDatasetFolderHoldTheFilesThatMatch() throws Exception {
    Path src = folder("w", Map.of("a/x.jpg", "1", "a/y.txt", "2", "a/sub/z.jpg", "3", "b/w.jpg", "4"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "w").build());
    ds.addFiles(AddOptions.of(folder("old", Map.of("stale.jpg", "0"))));
    Dataset.Change c = ds.syncFolder(src.resolve("a/*.jpg"), "", Progress.NONE);
    assertThat(c.summary()).isEqualTo(new ChangeSummary(2, 0, 1, 2, 0, 1));
    assertThat(paths(ds.listFiles())).containsExactly("sub/z.jpg", "x.jpg");
    assertThatThrownBy(() -> ds.syncFolder(src.resolve("a/*.png"), "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("no file matches (to empty the dataset folder, sync an empty folder)");
    assertThatThrownBy(() -> ds.syncFolder(src.resolve("nope/*.png"), "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("nope is not a folder");
    assertThat(paths(ds.listFiles())).as("a refused sync changes nothing").containsExactly("sub/z.jpg", "x.jpg");
  }

  /** Gives the drafts' records the owner a process that has ended would have left. */
  private void ownedByADeadProcess(Dataset... drafts) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    for (Dataset d : drafts) {
      repo.catalog().write(d.record().toBuilder().owner(gone.pid() + "@" + VersionLocks.hostName() + " " + Catalog.newId()).build());
    }
  }

  @Test
  void syncIntoANewVersionOfSeveralParentsDeletesTheDraftWhenNothingChanged() throws IOException {
    Dataset a = Dataset.create(repo, CreateOptions.of("p", "a").build());
    a.addFiles(AddOptions.of(folder("a", Map.of("x.txt", "x"))));
    a.close();
    Dataset b = Dataset.create(repo, CreateOptions.of("p", "b").build());
    b.addFiles(AddOptions.of(folder("b", Map.of("y.txt", "y"))));
    b.close();
    Path both = folder("both", Map.of("x.txt", "x", "y.txt", "y"));
    Dataset.NewVersion none = Dataset.syncNewVersion(repo, CreateOptions.of("p", "m").parents(a.id(), b.id()).build(), both, "", Progress.NONE, null, List.of());
    assertThat(none.draft()).isNull();
    assertThat(Dataset.list(repo, "p", "m", List.of())).isEmpty();
    Files.writeString(both.resolve("z.txt"), "z");
    Dataset.NewVersion some = Dataset.syncNewVersion(repo, CreateOptions.of("p", "m").parents(a.id(), b.id()).build(), both, "", Progress.NONE, null, List.of());
    assertThat(some.change().summary().added()).isEqualTo(1);
    assertThat(paths(some.draft().listFiles())).containsExactly("x.txt", "y.txt", "z.txt");
    assertThat(some.draft().version()).isEqualTo("1.0.0");
  }

  @Test
  void syncIntoANewVersionRefusesAMissingFolderAndCreatesNothing() throws IOException {
    assertThatThrownBy(() -> Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").build(), tmp.resolve("nope"), "", Progress.NONE, null, List.of()))
        .isInstanceOf(InvalidInputException.class).hasMessageEndingWith(": no such folder");
    assertThat(Dataset.list(repo, "p", "d", List.of())).isEmpty();
    // Options are checked before the folder is read, even when it would bring no change.
    Path src = folder("s", Map.of("a.txt", "alpha"));
    Dataset v1 = Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").build(), src, "", Progress.NONE, null, List.of()).draft();
    v1.close();
    assertThatThrownBy(() -> Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").parents(v1.id()).version("1.0.0").build(), src, "",
        Progress.NONE, null, List.of())).isInstanceOf(InvalidInputException.class).hasMessageContaining("1.0.0 of p/d already exists");
    assertThatThrownBy(() -> Dataset.syncNewVersion(repo, CreateOptions.of("p", "d").parents(v1.id()).tags("bad\ttag").build(), src, "",
        Progress.NONE, null, List.of())).isInstanceOf(InvalidInputException.class).hasMessageContaining("tag");
  }

  @Test
  void mergeOfParentsLaterWinsAndConflictsAreRecorded() throws IOException {
    Dataset a = closedVersion("p", "a", Map.of("shared.txt", "from a", "only-a.txt", "a"));
    Dataset b = closedVersion("p", "b", Map.of("shared.txt", "from b", "only-b.txt", "b"));
    Dataset m = Dataset.create(repo, CreateOptions.of("p", "merged").parents(a.id(), b.id()).build());
    assertThat(paths(m.listFiles())).containsExactly("only-a.txt", "only-b.txt", "shared.txt");
    assertThat(m.record().conflicts()).containsExactly(new Conflict("shared.txt", List.of(a.id(), b.id())));
    m.close();
    assertThat(Files.readString(m.getLocalCopy().resolve("shared.txt"))).isEqualTo("from b");
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "m2").parents(a.id(), b.id()).failOnConflict(true).build()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("shared.txt");
  }

  @Test
  void aMergeNeverHoldsOneNameInTwoUnicodeFormsTheLaterParentsWins() throws IOException {
    String nfc = java.text.Normalizer.normalize("caf\u00e9.txt", java.text.Normalizer.Form.NFC);
    String nfd = java.text.Normalizer.normalize(nfc, java.text.Normalizer.Form.NFD);
    Dataset a = closedVersion("p", "nfc", Map.of(nfc, "composed", "plain.txt", "a"));
    Dataset b = closedVersion("p", "nfd", Map.of(nfd, "decomposed"));
    Dataset m = Dataset.create(repo, CreateOptions.of("p", "twins").parents(a.id(), b.id()).build());
    assertThat(paths(m.listFiles())).containsExactly(nfd, "plain.txt");
    assertThat(m.record().conflicts()).containsExactly(new Conflict(nfd, List.of(a.id(), b.id())));
    Dataset flat = Dataset.squash(repo, "p", "flat-twins", List.of(b.id(), a.id()));
    assertThat(paths(flat.listFiles())).containsExactly(nfc, "plain.txt");
  }

  @Test
  void aFolderNamedInTwoUnicodeFormsIsOneInAMergeAndRefusedByAnAdd() throws IOException {
    String nfc = java.text.Normalizer.normalize("caf\u00e9", java.text.Normalizer.Form.NFC);
    String nfd = java.text.Normalizer.normalize(nfc, java.text.Normalizer.Form.NFD);
    Dataset a = closedVersion("p", "folder-nfc", Map.of(nfc + "/a.txt", "from a", nfc + "/both.txt", "a's"));
    Dataset b = closedVersion("p", "folder-nfd", Map.of(nfd + "/b.txt", "from b", nfd + "/both.txt", "b's"));
    Dataset m = Dataset.create(repo, CreateOptions.of("p", "folder-twins").parents(a.id(), b.id()).build());
    // The later parent's form of the folder holds the earlier one's files too, its own winning a path both hold.
    assertThat(paths(m.listFiles())).containsExactly(nfd + "/a.txt", nfd + "/b.txt", nfd + "/both.txt");
    assertThat(m.record().conflicts()).extracting(Conflict::path).containsExactly(nfd, nfd + "/both.txt");
    m.close();
    assertThat(Files.readString(m.getLocalCopy().resolve(nfd + "/both.txt"))).isEqualTo("b's");
    Dataset draft = Dataset.create(repo, CreateOptions.of("p", "folder-nfc").parents(a.id()).build());
    assertThatThrownBy(() -> draft.addFiles(AddOptions.of(folder("folder-nfd-2", Map.of(nfd + "/c.txt", "c")))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("only by Unicode normalization");
  }

  @Test
  void removeWildcardsAndErrors() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").build());
    ds.addFiles(AddOptions.of(folder("s", Map.of("img/1.jpg", "1", "img/2.jpg", "2", "img/n.txt", "n", "top.jpg", "t"))));
    // Anchored at the root by a leading / or ./, as list --filter reads them: the top's only.
    Dataset anchored = Dataset.create(repo, CreateOptions.of("p", "anchored").build());
    anchored.addFiles(AddOptions.of(tmp.resolve("s")));
    assertThat(anchored.removeFiles("./*.jpg").summary().removed()).isEqualTo(1);
    assertThat(anchored.removeFiles("/img/1.jpg").summary().removed()).isEqualTo(1);
    assertThat(paths(anchored.listFiles())).containsExactly("img/2.jpg", "img/n.txt");
    assertThat(ds.removeFiles("*.jpg").summary().removed()).isEqualTo(3);
    assertThat(paths(ds.listFiles())).containsExactly("img/n.txt");
    assertThatThrownBy(() -> ds.removeFiles("nothing/here")).isInstanceOf(InvalidInputException.class).hasMessageContaining("no file");
    List<String> warned = new ArrayList<>();
    assertThat(ds.removeFiles(RemoveOptions.of("nothing/here", "img/n.txt").ignoreUnmatched(true), new Progress() {
      @Override
      public void warn(String message) {
        warned.add(message);
      }
    }).summary().removed()).isEqualTo(1);
    assertThat(warned).containsExactly("no file in the dataset matches 'nothing/here'; passed over");
    ds.addFiles(AddOptions.of(tmp.resolve("s/img/n.txt")).datasetFolder("img"));
    assertThatThrownBy(() -> ds.removeFiles("../escape")).isInstanceOf(InvalidInputException.class);
    assertThat(ds.removeFiles("img").summary().removed()).isEqualTo(1);
    // A pattern that matches a folder removes it whole, as clearml-data's recursive remove does
    // and as list --filter selects it; not recursive, only the files it matches itself.
    ds.addFiles(AddOptions.of(folder("f", Map.of("flat/a.bin", "a", "flat/b.bin", "b", "flat/sub/c.bin", "c", "other/d.bin", "d"))));
    Dataset copy = Dataset.create(repo, CreateOptions.of("p", "d2").build());
    copy.addFiles(AddOptions.of(tmp.resolve("f")));
    assertThat(copy.removeFiles(List.of("flat/*"), false).summary().removed()).isEqualTo(2);
    assertThat(paths(copy.listFiles())).containsExactly("flat/sub/c.bin", "other/d.bin");
    // Not recursive, a name pattern is matched from the root, as clearml-data matches the whole path.
    copy.addFiles(AddOptions.of(folder("top", Map.of("c.bin", "top"))));
    assertThat(copy.removeFiles(List.of("c.bin"), false).summary().removed()).isEqualTo(1);
    copy.addFiles(AddOptions.of(folder("top2", Map.of("c1.bin", "top"))));
    assertThat(copy.removeFiles(List.of("c?.bin"), false).summary().removed()).isEqualTo(1);
    assertThat(paths(copy.listFiles())).containsExactly("flat/sub/c.bin", "other/d.bin");
    assertThatThrownBy(() -> copy.removeFiles(List.of("d.*"), false)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no file in the dataset matches");
    // A plain name is a path from the top: the file of that name deeper down is named, with how to name each.
    assertThatThrownBy(() -> copy.removeFiles("d.bin")).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("nothing was removed (a path without wildcards starts at the dataset's top: 'other/d.bin' is one of"
            + " that name, '**/d.bin' names each; RemoveOptions.ignoreUnmatched passes over a pattern that matches nothing)");
    assertThat(ds.removeFiles("flat/*").summary().removed()).isEqualTo(3);
    assertThat(paths(ds.listFiles())).containsExactly("other/d.bin");
    // A name that exists as written is that file (or folder), not a pattern.
    ds.addFiles(AddOptions.of(folder("br", Map.of("[x].jpg", "1", "x.jpg", "2", "[d]/in.txt", "3", "d/in.txt", "4"))));
    assertThat(ds.removeFiles("[x].jpg").summary().removed()).isEqualTo(1);
    assertThat(ds.removeFiles("[d]").summary().removed()).isEqualTo(1);
    assertThat(paths(ds.listFiles())).containsExactly("d/in.txt", "other/d.bin", "x.jpg");
    assertThat(ds.removeFiles("[x].jpg").summary().removed()).as("no such name now: the pattern").isEqualTo(1);
    assertThat(paths(ds.listFiles())).containsExactly("d/in.txt", "other/d.bin");
  }

  @Test
  void datasetFolderWildcardAndNonRecursive() throws IOException {
    Path src = folder("s", Map.of("x.jpg", "x", "y.txt", "y", "deep/z.jpg", "z"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").build());
    ds.addFiles(AddOptions.of(src).wildcard("*.jpg").datasetFolder("images/"));
    assertThat(paths(ds.listFiles())).containsExactly("images/deep/z.jpg", "images/x.jpg");
    ds.addFiles(AddOptions.of(src).recursive(false).datasetFolder("flat"));
    assertThat(paths(ds.listFiles())).contains("flat/x.jpg", "flat/y.txt").doesNotContain("flat/deep/z.jpg");
    ds.addFiles(AddOptions.of(src.resolve("y.txt")));
    assertThat(paths(ds.listFiles())).contains("y.txt");
  }

  @Test
  void unchangedFilesAreNotReadAgain() throws Exception {
    Path src = folder("s", Map.of("a", "1", "b", "2", "c", "3"));
    // Files younger than the racy window are never trusted; let them age past it.
    Thread.sleep(StatCache.RACY_MILLIS + 200);
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").build());
    assertThat(ds.addFiles(AddOptions.of(src)).filesRead()).isEqualTo(3);
    assertThat(ds.addFiles(AddOptions.of(src)).filesRead()).isZero();
    assertThat(ds.syncFolder(src).filesRead()).isZero();
    assertThat(ds.addFiles(AddOptions.of(src).rehash(true)).filesRead()).isEqualTo(3);
    Files.writeString(src.resolve("b"), "changed");
    Dataset.Change c = ds.syncFolder(src);
    assertThat(c.filesRead()).isEqualTo(1);
    assertThat(c.summary().modified()).isEqualTo(1);
  }

  @Test
  void aFileThatChangesWhileAddedIsRefused() throws IOException {
    Path src = folder("s", Map.of("grows", "12345"));
    SourceFile stale = FolderScanner.describe(src.resolve("grows"), "grows");
    Files.writeString(src.resolve("grows"), "1234567890");
    SourceFile scanned = new SourceFile(stale.datasetPath(), stale.file(), stale.size(), stale.mtimeNanos(), stale.ctimeNanos(),
        stale.inode(), stale.device(), false);
    try (var ins = repo.repository().objects().newInserter()) {
      FileIngester ingester = new FileIngester(repo.statCache(), Progress.NONE, true);
      assertThatThrownBy(() -> ingester.ingest(List.of(scanned), ins))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("changed while").hasMessageEndingWith("freed by cairn gc)");
    }
  }

  @Test
  void cacheEvictsLeastRecentlyUsedFolders() throws IOException {
    repo.close();
    repo = DatasetRepository.open(tmp.resolve("small-cache"), TestRepos.SMALL.with(LocalCache.MAX_SIZE_KEY, "40K")
        .with(LocalCache.EVICTION_GRACE_KEY, "0"));
    List<Dataset> versions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path src = tmp.resolve("e" + i);
      Files.createDirectories(src);
      Files.write(src.resolve("data"), TestRepos.random(i, 15_000));
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d" + i).build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      versions.add(ds);
    }
    List<Path> folders = new ArrayList<>();
    for (Dataset ds : versions) {
      folders.add(ds.getLocalCopy());
    }
    assertThat(repo.cache().sizeBytes()).isLessThanOrEqualTo(40 << 10);
    assertThat(Files.exists(folders.get(0))).isFalse();
    assertThat(Files.exists(folders.get(3))).isTrue();
    // An evicted version is simply built again.
    assertThat(Files.readAllBytes(versions.get(0).getLocalCopy().resolve("data"))).isEqualTo(TestRepos.random(0, 15_000));
  }

  @Test
  void aCachedFolderChangedInPlaceIsRebuiltAndSoAreOthersSharingItsFiles() throws IOException {
    Dataset first = Dataset.create(repo, CreateOptions.of("p", "first").build());
    first.addFiles(AddOptions.of(folder("s1", Map.of("a.txt", "alpha", "b.txt", "beta", "c.txt", "gamma"))));
    first.close();
    Dataset other = Dataset.create(repo, CreateOptions.of("p", "other").build());
    other.addFiles(AddOptions.of(folder("s2", Map.of("a.txt", "alpha"))));
    other.close();
    Path copy = first.getLocalCopy();
    Path otherCopy = other.getLocalCopy();
    assertThat(first.getLocalCopy()).as("found again, untouched").isEqualTo(copy);
    Object inode = Files.getAttribute(copy.resolve("b.txt"), "unix:ino");

    // As root may, despite the read-only modes: a file written in place is the shared content file.
    copy.resolve("a.txt").toFile().setWritable(true);
    Files.writeString(copy.resolve("a.txt"), "ALPHA");
    assertThat(Files.readString(otherCopy.resolve("a.txt"))).isEqualTo("ALPHA");
    // A folder built now, before either is used again, does not take the changed content file.
    Dataset third = Dataset.create(repo, CreateOptions.of("p", "third").build());
    third.addFiles(AddOptions.of(folder("s3", Map.of("a.txt", "alpha"))));
    third.close();
    assertThat(Files.readString(third.getLocalCopy().resolve("a.txt"))).isEqualTo("alpha");
    assertThat(Files.readString(first.getLocalCopy().resolve("a.txt"))).isEqualTo("alpha");
    assertThat(Files.readString(other.getLocalCopy().resolve("a.txt"))).as("shared the changed file: rebuilt too").isEqualTo("alpha");
    assertThat(Files.getAttribute(first.getLocalCopy().resolve("b.txt"), "unix:ino")).as("unchanged content is linked again")
        .isEqualTo(inode);

    // A file deleted from the folder, or one added to it.
    copy.toFile().setWritable(true);
    Files.delete(copy.resolve("c.txt"));
    assertThat(Files.readString(first.getLocalCopy().resolve("c.txt"))).isEqualTo("gamma");
    copy.toFile().setWritable(true);
    Files.writeString(copy.resolve("stray.txt"), "x");
    assertThat(first.getLocalCopy().resolve("stray.txt")).doesNotExist();
    // Renamed: same files, bytes and times, another name.
    copy.toFile().setWritable(true);
    Files.move(copy.resolve("b.txt"), copy.resolve("z.txt"));
    assertThat(first.getLocalCopy().resolve("b.txt")).exists();
    assertThat(first.getLocalCopy().resolve("z.txt")).doesNotExist();
    assertThat(first.verify()).isEmpty();
  }

  @Test
  void aCachedFileGivenAnotherModeIsWrittenAgainForEveryFolderSharingIt() throws IOException {
    Dataset first = Dataset.create(repo, CreateOptions.of("p", "first").build());
    first.addFiles(AddOptions.of(folder("m1", Map.of("a.txt", "alpha", "b.txt", "beta"))));
    first.close();
    Dataset other = Dataset.create(repo, CreateOptions.of("p", "other").build());
    other.addFiles(AddOptions.of(folder("m2", Map.of("a.txt", "alpha"))));
    other.close();
    Path copy = first.getLocalCopy();
    Path otherCopy = other.getLocalCopy();
    Object inode = Files.getAttribute(copy.resolve("a.txt"), "unix:ino");

    // A chmod leaves the time alone; a+x looks like an executable's mode, u+w like nothing cached.
    Files.setPosixFilePermissions(copy.resolve("a.txt"), PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(copy.resolve("b.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    Path again = first.getLocalCopy();
    assertThat(Files.getPosixFilePermissions(again.resolve("a.txt"))).isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
    assertThat(Files.getPosixFilePermissions(again.resolve("b.txt"))).isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
    assertThat(Files.getAttribute(again.resolve("a.txt"), "unix:ino")).as("the content file was written again").isNotEqualTo(inode);
    assertThat(Files.getPosixFilePermissions(other.getLocalCopy().resolve("a.txt"))).as("shared the changed file: rebuilt too")
        .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
    assertThat(otherCopy.resolve("a.txt")).hasContent("alpha");
    assertThat(first.verify()).isEmpty();
  }

  @Test
  void aVersionDeletedWhileItsFolderIsBuiltLeavesNoFolder() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "racing").build());
    ds.addFiles(AddOptions.of(folder("race", Map.of("a.txt", "alpha"))));
    ds.close();
    boolean[] deleted = {false};
    Progress deleteMidway = new Progress() {
      @Override
      public void advance(long bytes) {
        if (!deleted[0]) {
          deleted[0] = true;
          try {
            repo.get(ds.id()).delete(true); // another process's delete, between the check and the rename
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
    assertThatThrownBy(() -> ds.getLocalCopy(Selection.ALL, deleteMidway)).isInstanceOf(dev.cairn.errors.DatasetNotFoundException.class)
        .hasMessageContaining("deleted while");
    try (var left = Files.list(repo.repository().directory().resolve("cache/versions"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void filtersThatSelectNothingAreRefusedByTheLibraryToo() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "f").build());
    ds.addFiles(AddOptions.of(folder("s", Map.of("a.txt", "a", "b.csv", "b"))));
    ds.close();
    Selection none = new Selection(0, 1, List.of(Glob.filter("nomatch")));
    assertThatThrownBy(() -> ds.getLocalCopy(none, null)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no file matches the filter nomatch");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(tmp.resolve("c"), false, none, null)).isInstanceOf(InvalidInputException.class);
    assertThat(Files.exists(tmp.resolve("c"))).isFalse();
    Selection folder = new Selection(0, 1, List.of(Glob.parseFilter("--filter", "images/")));
    assertThatThrownBy(() -> ds.getLocalCopy(folder, null)).as("the filter echoed as it was typed")
        .hasMessageEndingWith("no file matches the filter images/");
    try (var left = Files.list(repo.repository().directory().resolve("cache/versions"))) {
      assertThat(left).as("no empty folder cached").isEmpty();
    }
    // A filter that selects something, in a part that holds none of it, is an empty part, as before.
    Path some = ds.getLocalCopy(new Selection(0, 1, List.of(Glob.filter("*.csv"))), null);
    assertThat(some.resolve("b.csv")).exists();
  }

  @Test
  void aNullProgressIsNoProgressForFsckAndGcToo() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
    ds.close();
    assertThat(new dev.cairn.gc.Fsck(repo, null).check().errors()).isEmpty();
    new dev.cairn.gc.GarbageCollector(repo, 0, 0, null).run();
    assertThatThrownBy(() -> ds.removeFiles(List.of(), true)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Dataset.get(repo, "p", null, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("name must not be null");
  }

  @Test
  void mutableCopyPartsAndOverwrite() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").build());
    ds.addFiles(AddOptions.of(folder("s", Map.of("1", "one", "2", "two", "3", "three", "4", "four"))));
    ds.close();
    Path target = tmp.resolve("copy");
    ds.getMutableLocalCopy(target, false);
    Files.writeString(target.resolve("1"), "edited");
    assertThat(Files.readString(ds.getLocalCopy().resolve("1"))).isEqualTo("one");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(target, false)).isInstanceOf(InvalidInputException.class).hasMessageContaining("not empty");
    ds.getMutableLocalCopy(target, true);
    assertThat(Files.readString(target.resolve("1"))).isEqualTo("one");
    // A link to a folder is not filled through: the copy would take the link's place.
    Path viaLink = Files.createSymbolicLink(tmp.resolve("copy-link"), target);
    for (boolean overwrite : new boolean[] {false, true}) {
      assertThatThrownBy(() -> ds.getMutableLocalCopy(viaLink, overwrite)).isInstanceOf(InvalidInputException.class)
          .hasMessage("Cannot copy into " + viaLink + ": it is a symbolic link (to " + target + "); give the folder itself");
    }
    assertThat(Files.isSymbolicLink(viaLink)).isTrue();
    Path p0 = ds.getLocalCopy(0, 2);
    Path p1 = ds.getLocalCopy(1, 2);
    try (var a = Files.list(p0); var b = Files.list(p1)) {
      assertThat(a.count() + b.count()).isEqualTo(4);
    }
  }

  @Test
  void deleteRefusesParentsWithoutForce() throws IOException {
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "d").build());
    v1.close();
    Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build());
    assertThatThrownBy(() -> v1.delete(false)).isInstanceOf(DatasetStateException.class).hasMessageContaining("parent");
    v2.delete(false);
    v1.delete(false);
    assertThat(repo.list(null, null, null)).isEmpty();
  }

  @Test
  void aLocalStorageIsRecordedAsOneAbsoluteUriWhetherOrNotItsFolderExists() throws IOException {
    Path existing = Files.createDirectories(tmp.resolve("remote"));
    Dataset a = Dataset.create(repo, CreateOptions.of("p", "st").storage(existing + "/").build());
    Dataset b = Dataset.create(repo, CreateOptions.of("p", "st2").storage(tmp.resolve("later").toString()).build());
    assertThat(a.record().storage()).isEqualTo("file://" + existing);
    assertThat(b.record().storage()).isEqualTo("file://" + tmp.resolve("later"));
    Files.createDirectories(tmp.resolve("later"));
    a.close().upload(existing.toString(), null, Progress.NONE);
    a.upload(a.record().storage(), null, Progress.NONE);
    assertThat(a.record().storage()).as("unchanged by the uploads").isEqualTo("file://" + existing);
    assertThat(a.record().log()).extracting(LogEntry::command).as("the first upload logged, once").containsExactly("create", "close", "upload");
  }

  @Test
  void renameMoveMetadataSquashAndExportImport() throws IOException {
    Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "d").build());
    Path s = folder("s", Map.of("a", "1", "run.sh", "#!/bin/sh"));
    Files.setPosixFilePermissions(s.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    v1.addFiles(AddOptions.of(s));
    v1.close();
    Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build());
    v2.addFiles(AddOptions.of(folder("t", Map.of("b", "2"))));
    v2.close();
    v2.rename("renamed");
    assertThat(v1.name()).isEqualTo("renamed");
    v1.moveToProject("q");
    assertThat(v2.project()).isEqualTo("q");
    assertThat(repo.get("q", "renamed", null).id()).isEqualTo(v2.id());
    // Onto another dataset's name (as git branch -m): refused, though no version string collides.
    Dataset other = Dataset.create(repo, CreateOptions.of("q", "other").version("7.0.0").build());
    assertThatThrownBy(() -> v2.rename("other")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot rename renamed to other: q/other is another dataset (1 version); pick a name no dataset uses, or delete that one first");
    // The unnamed project is a project of its own, not "any project".
    Dataset loose = Dataset.create(repo, CreateOptions.of("", "loose").build());
    Dataset.create(repo, CreateOptions.of("elsewhere", "loose").version("2.0.0").build());
    Dataset.create(repo, CreateOptions.of("elsewhere", "taken").build());
    assertThat(loose.rename("taken")).isEqualTo(1);
    assertThat(repo.get("elsewhere", "loose", null).project()).isEqualTo("elsewhere");
    assertThat(loose.moveToProject("q")).isEqualTo(1);
    assertThat(loose.moveToProject("")).isEqualTo(1);
    v2.setMetadata(Map.of("k", "v"));
    assertThat(v2.metadata()).containsEntry("k", "v");
    Dataset sq = Dataset.squash(repo, "q", "flat", List.of(v1.id(), v2.id()));
    assertThat(sq.record().parents()).isEmpty();
    assertThat(paths(sq.listFiles())).containsExactly("a", "b", "run.sh");
    for (String ext : List.of(".zip", ".tar", ".tar.gz", ".tar.zst")) {
      Path out = tmp.resolve("export" + ext);
      sq.export(out, Progress.NONE);
      Dataset imp = Dataset.create(repo, CreateOptions.of("q", "imported" + ext).build());
      imp.addArchive(out, "", Progress.NONE);
      assertThat(imp.listFiles()).as(ext).extracting(FileEntry::path, FileEntry::digest, FileEntry::executable)
          .containsExactlyElementsOf(sq.listFiles().stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.path(), e.digest(), e.executable())).toList());
    }
  }

  @Test
  void anImportCountsTheArchivesBytesOutOfItsSize() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("big-src"));
    Files.writeString(src.resolve("zeros.csv"), "0,0,0,0\n".repeat(500_000)); // 4 MB that compress to almost nothing
    Files.writeString(src.resolve("b.txt"), "b");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), dev.cairn.testing.TestRepos.SMALL)) {
      Dataset made = Dataset.create(repo, CreateOptions.of("p", "made").build());
      made.addFiles(AddOptions.of(src));
      made.close();
      for (String ext : List.of(".zip", ".tar", ".tar.gz", ".tar.zst")) {
        Path out = tmp.resolve("big" + ext);
        made.export(out, Progress.NONE);
        long[] told = new long[2];
        Dataset imp = Dataset.create(repo, CreateOptions.of("p", "imp" + ext).build());
        imp.addArchive(out, "", new Progress() {
          @Override
          public void start(String task, long totalBytes) {
            told[0] = totalBytes;
          }

          @Override
          public void advance(long bytes) {
            assertThat(bytes).isNotNegative();
            told[1] += bytes;
          }
        });
        assertThat(told[0]).as(ext).isEqualTo(Files.size(out));
        assertThat(told[1]).as(ext).isPositive().isLessThanOrEqualTo(told[0]);
      }
    }
  }

  @Test
  void aZipStoresWhatDoesNotCompressAndDeflatesTheRest() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("zip-src"));
    byte[] noise = new byte[300_000]; // past the sample: its CRC is read in a pass of its own
    new java.util.Random(7).nextBytes(noise);
    byte[] smallNoise = java.util.Arrays.copyOf(noise, 1000);
    Files.write(src.resolve("photo.jpg"), noise);
    Files.write(src.resolve("small.bin"), smallNoise);
    Files.writeString(src.resolve("labels.csv"), "id,label\n".repeat(50_000));
    Files.writeString(src.resolve("named.PNG"), "compressible, but named as compressed already\n".repeat(100)); // as zip -n
    Files.write(src.resolve("empty"), new byte[0]);
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "zip").build());
    ds.addFiles(AddOptions.of(src));
    ds.close();
    Path out = tmp.resolve("out.zip");
    ds.export(out, Progress.NONE);
    // Read by the JDK's own zip reader, which checks each entry's CRC-32 as it reads.
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(out.toFile())) {
      Map<String, Integer> methods = new java.util.TreeMap<>();
      zip.stream().forEach(e -> methods.put(e.getName(), e.getMethod()));
      assertThat(methods).containsExactly(entry("empty", java.util.zip.ZipEntry.STORED),
          entry("labels.csv", java.util.zip.ZipEntry.DEFLATED), entry("named.PNG", java.util.zip.ZipEntry.STORED),
          entry("photo.jpg", java.util.zip.ZipEntry.STORED), entry("small.bin", java.util.zip.ZipEntry.STORED));
      for (String name : methods.keySet()) {
        try (java.io.InputStream in = zip.getInputStream(zip.getEntry(name))) {
          assertThat(in.readAllBytes()).as(name).isEqualTo(Files.readAllBytes(src.resolve(name)));
        }
      }
    }
    assertThat(Files.size(out)).isLessThan(noise.length + smallNoise.length + 4_700 + 50_000);
  }

  @Test
  void aSquashThatHoldsExternalFilesIsTaggedForThem() throws IOException {
    Path ext = Files.createDirectories(tmp.resolve("ext-sq"));
    Files.writeString(ext.resolve("e.txt"), "e");
    Dataset linked = Dataset.create(repo, CreateOptions.of("p", "linked").build());
    linked.addLinks(List.of(ext.toString()), "", Progress.NONE);
    linked.close();
    assertThat(linked.record().tags()).containsExactly(Dataset.EXTERNAL_FILES_TAG);
    Dataset plain = closedVersion("p", "plain", Map.of("a.txt", "a"));
    assertThat(Dataset.squash(repo, "p", "sq", List.of(plain.id(), linked.id())).record().tags()).containsExactly(Dataset.EXTERNAL_FILES_TAG);
    // A later source that replaces every link: nothing external is left, nor is the tag.
    Dataset over = closedVersion("p", "over", Map.of("e.txt", "mine"));
    assertThat(Dataset.squash(repo, "p", "sq2", List.of(linked.id(), over.id())).record().tags()).isEmpty();
  }

  @Test
  void aPatternAndAFilterOfTheSameTextGetFoldersOfTheirOwn() throws IOException {
    Dataset ds = closedVersion("p", "globs", Map.of("d1/a.txt", "a", "d1/b.txt", "b", "c.txt", "c"));
    // Glob.of("d1") selects a path named d1 (none: refused); Glob.filter("d1") the folder's
    // contents. The cached folder was named from the text alone: whichever came first was given to
    // both: a pattern and a filter of one text still get a folder each.
    assertThatThrownBy(() -> ds.getLocalCopy(new Selection(0, 1, List.of(Glob.of("d1"))), null)).isInstanceOf(InvalidInputException.class);
    Path folder = ds.getLocalCopy(new Selection(0, 1, List.of(Glob.filter("d1"))), null);
    assertThat(Files.readString(folder.resolve("d1/a.txt"))).isEqualTo("a");
    assertThat(Files.readString(folder.resolve("d1/b.txt"))).isEqualTo("b");
    assertThat(Files.exists(folder.resolve("c.txt"))).isFalse();
    Path top = ds.getLocalCopy(new Selection(0, 1, List.of(Glob.of("*.txt"))), null);
    Path everywhere = ds.getLocalCopy(new Selection(0, 1, List.of(Glob.filter("*.txt"))), null);
    assertThat(top).isNotEqualTo(everywhere);
    assertThat(Files.readString(everywhere.resolve("d1/a.txt"))).isEqualTo("a");
  }

  @Test
  void getByTagsTakesTheNewestVersionCarryingAnyOfThemAndNeedsOne() throws IOException {
    Dataset gold = closedVersion("p", "gold", Map.of("a", "1"));
    gold.addTags(List.of("gold", "train"));
    Dataset raw = closedVersion("p", "raw", Map.of("b", "2"));
    raw.addTags(List.of("raw"));
    assertThat(Dataset.getByTags(repo, List.of("gold", "raw")).id()).isEqualTo(raw.id());
    assertThat(Dataset.getByTags(repo, List.of("__$all", "gold", "train")).id()).isEqualTo(gold.id());
    assertThat(Dataset.getByTags(repo, List.of("-raw")).id()).isEqualTo(gold.id());
    assertThatThrownBy(() -> Dataset.getByTags(repo, List.of("__$all", "gold", "raw"))).isInstanceOf(dev.cairn.errors.DatasetNotFoundException.class)
        .hasMessageContaining("none tagged all of [gold, raw]");
    assertThatThrownBy(() -> Dataset.getByTags(repo, List.of())).isInstanceOf(InvalidInputException.class).hasMessageContaining("give at least one tag");
    assertThatThrownBy(() -> Dataset.getByTags(repo, null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void partsOfAFilteredSubsetSplitTheSubset() throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 8; i++) {
      files.put("a/" + i + ".txt", "x".repeat(100)); // the first half of the bytes
      files.put("sub/" + i + ".txt", "y".repeat(100));
    }
    Dataset ds = closedVersion("p", "split", files);
    List<String> seen = new ArrayList<>();
    for (int part = 0; part < 2; part++) {
      Path copy = ds.getMutableLocalCopy(tmp.resolve("part" + part), false, new Selection(part, 2, List.of(Glob.filter("sub"))), null);
      try (var walk = Files.walk(copy)) {
        List<String> got = walk.filter(Files::isRegularFile).map(p -> copy.relativize(p).toString()).sorted().toList();
        // Cut over the whole version, part 0 held none of sub/ and part 1 all of it.
        assertThat(got).hasSize(4).allMatch(p -> p.startsWith("sub/"));
        seen.addAll(got);
      }
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(files.keySet().stream().filter(p -> p.startsWith("sub/")).toList());
  }

  @Test
  void aCopyKilledWhileMovingIntoAnExistingFolderIsUndoneByTheNextOne() throws IOException {
    Dataset ds = closedVersion("p", "moved", Map.of("a.txt", "a", "b/c.txt", "c"));
    ds.upload(tmp.resolve("remote").toString(), null, Progress.NONE); // a version with a remote takes the other path
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    // What a copy killed part way leaves: one entry moved in, the other still in its hidden
    // folder, and the list of both with their identities. Before, the folder looked not empty and
    // the copy was refused.
    String dead = dev.cairn.testing.TestRepos.tempNameOfProcess(".cairn-copy-", 999999999);
    Files.createDirectories(out.resolve(dead + "/b"));
    Files.writeString(out.resolve(dead + "/b/c.txt"), "c");
    Files.writeString(out.resolve("a.txt"), "a");
    Files.writeString(out.resolve(dead + ".moving"), "a.txt\0" + key(out.resolve("a.txt")) + "\0b\0" + key(out.resolve(dead + "/b")) + "\0");
    ds.getMutableLocalCopy(out, false);
    try (var walk = Files.walk(out)) {
      assertThat(walk.map(p -> out.relativize(p).toString()).sorted().toList()).containsExactly("", "a.txt", "b", "b/c.txt");
    }
    // A copy stopped by Ctrl-C while moving in has no hidden folder left, only the list.
    Path again = tmp.resolve("again");
    Files.createDirectories(again);
    Files.writeString(again.resolve("a.txt"), "a");
    Files.writeString(again.resolve(dead + ".moving"), "a.txt\0" + key(again.resolve("a.txt")) + "\0");
    ds.getMutableLocalCopy(again, false);
    assertThat(Files.readString(again.resolve("b/c.txt"))).isEqualTo("c");
    try (var list = Files.list(again)) {
      assertThat(list.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("a.txt", "b");
    }
    // A file of the user's that took a listed name since (the folder emptied by hand, the list,
    // hidden, left) is not the entry moved: it stays, and the folder is refused as not empty.
    Path mine = tmp.resolve("mine");
    Files.createDirectories(mine);
    Files.writeString(mine.resolve(dead + ".moving"), "a.txt\0(dev=1,ino=1)\0");
    Files.writeString(mine.resolve("a.txt"), "my own");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(mine, false)).isInstanceOf(InvalidInputException.class).hasMessageContaining("not empty");
    assertThat(Files.readString(mine.resolve("a.txt"))).isEqualTo("my own");
  }

  @Test
  void whatAnEndedCopyOfThisVeryProcessLeftIsUndoneByTheNextOne() throws IOException {
    // A daemon, or a program embedding the library, lives on after a copy whose undo failed: the
    // list it kept, under this process's pid, is not a copy that runs.
    Dataset ds = closedVersion("p", "own", Map.of("new.txt", "new"));
    Path out = Files.createDirectories(tmp.resolve("own-out"));
    String token = dev.cairn.internal.fs.AtomicFiles.tempName("");
    Files.writeString(out.resolve("stuck.txt"), "half a copy");
    Files.writeString(out.resolve(".cairn-copy-" + token + ".moving"), "stuck.txt\0" + key(out.resolve("stuck.txt")) + "\0");
    Files.createDirectories(out.resolve(".cairn-old-" + token));
    Files.writeString(out.resolve(".cairn-old-" + token + "/mine.txt"), "mine");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(out, false)).as("the old contents are back: not empty")
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not empty");
    try (var list = Files.list(out)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("mine.txt");
    }
    ds.getMutableLocalCopy(out, true);
    try (var list = Files.list(out)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("new.txt");
    }
  }

  @Test
  void aCopyWithOverwriteKilledAtAnyStepLeavesTheOldContentsOrTheNewOnes() throws IOException {
    Dataset ds = closedVersion("p", "aside", Map.of("new.txt", "new"));
    String token = dev.cairn.testing.TestRepos.tempNameOfProcess("", 999999999); // a process that no longer runs
    // Killed while setting aside (or before its list was written): the old contents come back.
    Path aside = tmp.resolve("killed-aside");
    Files.createDirectories(aside.resolve(".cairn-old-" + token + "/dir"));
    Files.writeString(aside.resolve(".cairn-old-" + token + "/dir/mine.txt"), "mine");
    Files.writeString(aside.resolve("top.txt"), "top"); // not yet moved aside
    assertThatThrownBy(() -> ds.getMutableLocalCopy(aside, false)).as("the old contents are back: not empty")
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not empty");
    try (var walk = Files.walk(aside)) {
      assertThat(walk.map(p -> aside.relativize(p).toString()).sorted().toList()).containsExactly("", "dir", "dir/mine.txt", "top.txt");
    }
    // Killed while moving the new entries in: they go, the old ones come back.
    Path moving = tmp.resolve("killed-moving");
    Files.createDirectories(moving.resolve(".cairn-old-" + token));
    Files.writeString(moving.resolve(".cairn-old-" + token + "/mine.txt"), "mine");
    Files.writeString(moving.resolve("new.txt"), "new");
    Files.writeString(moving.resolve(".cairn-copy-" + token + ".moving"), "new.txt\0" + key(moving.resolve("new.txt")) + "\0");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(moving, false)).isInstanceOf(InvalidInputException.class);
    try (var list = Files.list(moving)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("mine.txt");
    }
    // Killed after its commit (the old contents are trash), before its list went: the new entries stay.
    Path committed = tmp.resolve("killed-committed");
    Files.createDirectories(committed.resolve(".cairn-trash-" + token));
    Files.writeString(committed.resolve(".cairn-trash-" + token + "/mine.txt"), "mine");
    Files.writeString(committed.resolve("new.txt"), "new");
    Files.writeString(committed.resolve(".cairn-copy-" + token + ".moving"), "new.txt\0" + key(committed.resolve("new.txt")) + "\0");
    ds.getMutableLocalCopy(committed, true);
    try (var list = Files.list(committed)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("new.txt");
    }
    // A name taken again since stays the user's; what could not go back is left in sight.
    Path taken = tmp.resolve("killed-taken");
    Files.createDirectories(taken.resolve(".cairn-old-" + token));
    Files.writeString(taken.resolve(".cairn-old-" + token + "/mine.txt"), "old");
    Files.writeString(taken.resolve("mine.txt"), "newer");
    assertThatThrownBy(() -> ds.getMutableLocalCopy(taken, false)).isInstanceOf(InvalidInputException.class);
    assertThat(Files.readString(taken.resolve("mine.txt"))).isEqualTo("newer");
    assertThat(Files.readString(taken.resolve("cairn-replaced-" + token + "/mine.txt"))).isEqualTo("old");
    // The user has not looked at it yet: an --overwrite does not delete it with the rest.
    assertThatThrownBy(() -> ds.getMutableLocalCopy(taken, true)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot copy into " + taken + " with overwrite = true: it holds cairn-replaced-" + token
            + ", what an interrupted copy could not put back; move out of it what you want to keep, then delete it");
    assertThat(Files.readString(taken.resolve("cairn-replaced-" + token + "/mine.txt"))).isEqualTo("old");
  }

  @Test
  void aCopyIntoAFolderAnotherCopyIsWritingIntoIsRefusedAndGitRepositoriesAreNotTakenForCairns() throws Exception {
    Dataset ds = closedVersion("p", "live", Map.of("new.txt", "new"));
    Path out = tmp.resolve("live-out");
    Files.createDirectories(out.resolve("work/.git/refs"));
    Files.writeString(out.resolve("work/.git/config"), "[core]\n");
    Files.writeString(out.resolve("new.txt"), "the other copy's");
    // A live copy's hidden folder (another process's): the two would replace each other's entries.
    Process other = new ProcessBuilder("sleep", "300").start();
    try {
      Path live = Files.createDirectories(out.resolve(dev.cairn.testing.TestRepos.tempNameOfProcess(".cairn-copy-", other.pid())));
      for (boolean overwrite : new boolean[] {true, false}) {
        assertThatThrownBy(() -> ds.getMutableLocalCopy(out, overwrite)).isInstanceOf(dev.cairn.errors.DatasetLockedException.class)
            .hasMessage("Cannot copy into " + out + ": another copy into it is running; it is left as it is (run again once that one ended)");
      }
      assertThat(Files.readString(out.resolve("new.txt"))).isEqualTo("the other copy's");
      assertThat(live).isDirectory();
    } finally {
      other.destroyForcibly().waitFor();
    }
    // Once it ended, the copy replaces what the folder holds, a git repository with the rest.
    ds.getMutableLocalCopy(out, true);
    try (var list = Files.list(out)) {
      assertThat(list.map(p -> p.getFileName().toString()).sorted()).containsExactly("new.txt");
    }
    assertThat(Files.readString(out.resolve("new.txt"))).isEqualTo("new");
  }

  @Test
  void filesThatAppearInTheFolderWhileTheCopyIsWrittenAreNotReplaced() throws IOException {
    Dataset ds = closedVersion("p", "appear", Map.of("a.txt", "new", "b.txt", "new"));
    Path out = Files.createDirectories(tmp.resolve("appear-out"));
    Progress user = new Progress() {
      @Override
      public void finish() {
        try { // the user saves a file into the empty folder while the copy is written
          Files.writeString(out.resolve("b.txt"), "the user's");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    assertThatThrownBy(() -> ds.getMutableLocalCopy(out, false, Selection.ALL, user)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot copy into " + out + ": files appeared in it while the copy was written; it is left as it is "
            + "(pass overwrite = true to replace them)");
    try (var list = Files.list(out)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("b.txt");
    }
    assertThat(Files.readString(out.resolve("b.txt"))).isEqualTo("the user's");
  }

  private static String key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey()
        .toString();
  }


  /**
   * A sync stops at a link leading nowhere only for what it would remove: a link where the
   * version holds nothing, or one the sync's pattern leaves out, is passed over with a warning.
   */
  @Test
  void aSyncPassesOverALinkLeadingNowhereWhereItWouldRemoveNothing() throws IOException {
    Path src = tmp.resolve("gs");
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("a.txt"), "a");
    Files.writeString(src.resolve("sub/b.txt"), "b");
    Files.createSymbolicLink(src.resolve("top.bin"), tmp.resolve("nowhere"));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "glob").build());
    ds.syncFolder(src.resolve("*.txt"), "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("a.txt", "sub/b.txt");
    ds.syncFolder(src, "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("a.txt", "sub/b.txt");
    // A folder the version holds files under, now a link to nowhere: its files would go.
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("c.txt"), "c");
    Files.createSymbolicLink(src.resolve("mounted"), data);
    ds.syncFolder(src, "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("a.txt", "mounted/c.txt", "sub/b.txt");
    Files.delete(data.resolve("c.txt"));
    Files.delete(data);
    assertThatThrownBy(() -> ds.syncFolder(src, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot sync " + src.resolve("mounted") + ": symbolic link leads nowhere, and the sync would remove its file"
            + " from the version (mount what it leads to, or delete the link)");
    // Unless the pattern leaves those files out: a sync of a.* makes the version those files
    // alone, whatever the link would lead to.
    ds.syncFolder(src.resolve("a.*"), "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("a.txt");
  }

  @Test
  void aLinkLeadingNowhereIsPassedOverByAnAddButStopsASync() throws IOException {
    Path share = tmp.resolve("share");
    Files.createDirectories(share);
    Files.writeString(share.resolve("img.bin"), "pixels");
    Path links = tmp.resolve("links");
    Files.createDirectories(links);
    Files.createSymbolicLink(links.resolve("img.bin"), share.resolve("img.bin")); // outside the folder: followed
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "linked").build());
    ds.syncFolder(links);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("img.bin");
    // The share is gone (not mounted): a sync would empty the version, so it stops; an add passes it over.
    Files.delete(share.resolve("img.bin"));
    assertThatThrownBy(() -> ds.syncFolder(links)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("leads nowhere, and the sync would remove its file");
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("img.bin");
    List<String> warnings = new ArrayList<>();
    ds.addFiles(AddOptions.of(links), new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    assertThat(warnings).singleElement().asString().contains("symbolic link leads nowhere");
    // Links that lead to each other: an add passes them over with a warning, a sync stops, as for
    // a link that leads nowhere.
    Files.writeString(share.resolve("img.bin"), "pixels");
    Files.createSymbolicLink(links.resolve("loop1"), links.resolve("loop2"));
    Files.createSymbolicLink(links.resolve("loop2"), links.resolve("loop1"));
    warnings.clear();
    ds.addFiles(AddOptions.of(links), new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    assertThat(warnings).containsExactly("skipped " + links.resolve("loop1") + ": symbolic links form a loop",
        "skipped " + links.resolve("loop2") + ": symbolic links form a loop");
    // The version holds nothing where the links are: a sync would remove nothing for them either.
    warnings.clear();
    ds.syncFolder(links, "", new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).endsWith(": symbolic links form a loop"));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("img.bin");
    // Once it holds a file there, the sync would remove it: it stops.
    Path held = Files.writeString(Files.createDirectories(tmp.resolve("held")).resolve("loop1"), "held");
    ds.addFiles(AddOptions.of(held));
    assertThatThrownBy(() -> ds.syncFolder(links)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("symbolic links form a loop, and the sync would remove its file");
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("img.bin", "loop1");
    Path folder = tmp.resolve("not-an-archive.zip");
    Files.createDirectories(folder);
    assertThatThrownBy(() -> ds.addArchive(folder, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot import " + folder + ": it is a folder, not an archive");
  }

  @Test
  void byNameTheHighestVersionIsADraftUnlessOnlyClosedOnesAreAskedFor() throws IOException {
    Dataset closed = closedVersion("p", "d", Map.of("a.txt", "a"));
    Dataset draft = Dataset.create(repo, CreateOptions.of("p", "d").parents(closed.id()).build());
    assertThat(Dataset.get(repo, "p", "d", null)).isEqualTo(draft);
    assertThat(Dataset.get(repo, "p", "d", null, true)).isEqualTo(closed);
    assertThat(Dataset.get(repo, "p", "d", null, true).getLocalCopy().resolve("a.txt")).hasContent("a");
    // Only closed ones asked for, a draft is never the answer (clearml's only_completed).
    assertThatThrownBy(() -> Dataset.get(repo, "p", "d", draft.version(), true)).isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("is a draft");
    Dataset lone = Dataset.create(repo, CreateOptions.of("p", "lone").build());
    assertThatThrownBy(() -> Dataset.get(repo, "p", "lone", null, true)).isInstanceOf(DatasetNotFoundException.class)
        .hasMessage("Cannot get p/lone closed: it has no closed version here; its highest, 1.0.0 (" + lone.id() + "), is a draft (close"
            + " it first, or ask for drafts too)");
    assertThat(Dataset.get(repo, "p", "lone", null, false)).isEqualTo(lone);
    // (id, storage) read as (project, name) is refused before any remote is opened.
    assertThatThrownBy(() -> Dataset.get(repo, "p", "d")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'p' is not an id").hasMessageContaining("Dataset.get(repo, project, name, version)");
  }

  @Test
  void withoutAProgressWhatAnAddSkipsIsLoggedNotDropped() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("with-a-broken-link"));
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.createSymbolicLink(dir.resolve("broken"), tmp.resolve("nowhere"));
    List<String> logged = new CopyOnWriteArrayList<>();
    Logger jul = Logger.getLogger("dev.cairn");
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r.getLevel() + " " + r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(handler);
    try {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "logged").build());
      ds.addFiles(AddOptions.of(dir));
      assertThat(paths(ds.listFiles())).containsExactly("a.txt");
      assertThat(logged).singleElement().asString().startsWith("WARNING ").contains("broken");
    } finally {
      jul.removeHandler(handler);
    }
  }

  @Test
  void aCopyOfAVersionWhoseDataWasLostNamesTheFile() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("to-lose"));
    Files.write(dir.resolve("big.bin"), TestRepos.random(77, 300_000));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "lost").build());
    ds.addFiles(AddOptions.of(dir));
    ds.close();
    // The packs of its data alone: the manifest (with the file's object) stays readable.
    for (Path pack : repo.repository().packs().packFiles()) {
      boolean dataOnly;
      try (var pf = dev.cairn.internal.pack.PackFile.open(pack)) {
        dataOnly = pf.entries().stream().allMatch(e -> e.type() == dev.cairn.object.ObjectType.CHUNK);
      }
      if (dataOnly) {
        Files.delete(pack);
      }
    }
    repo.repository().rebuildIndex();
    assertThatThrownBy(() -> ds.getMutableLocalCopy(tmp.resolve("copy"), false))
        .isInstanceOf(dev.cairn.errors.MissingObjectException.class)
        .hasMessageStartingWith("Cannot read 'big.bin' of version " + ds.id() + ", lost or damaged here (run cairn fsck)");
  }

  @Test
  void aRunCannotPinADraft() throws Exception {
    Dataset draft = Dataset.create(repo, CreateOptions.of("p", "pinned").build());
    assertThatThrownBy(() -> draft.alias("train", "run-1")).isInstanceOf(dev.cairn.errors.DatasetStateException.class)
        .hasMessageContaining("it is a draft, whose content may still change");
    assertThat(repo.usage().run("run-1")).isEmpty();
    assertThat(draft.description()).isEmpty();
  }

  @Test
  void anObjectOfAPackWhoseTableOfContentsIsDamagedIsNotJustMissing() throws Exception {
    Dataset ds = closedVersion("p", "toc", Map.of("a.txt", "alpha"));
    dev.cairn.id.ObjectId content = ds.listFiles().get(0).content();
    Path holder = null;
    for (Path pack : repo.repository().packs().packFiles()) {
      try (var pf = dev.cairn.internal.pack.PackFile.open(pack)) {
        if (pf.entries().stream().anyMatch(e -> e.id().equals(content))) {
          holder = pack;
        }
      }
    }
    Path root = tmp.resolve("repo");
    repo.close();
    byte[] bytes = Files.readAllBytes(holder);
    bytes[bytes.length - 30] ^= 0x01; // inside the index section, under the trailer
    Files.write(holder, bytes);
    repo = DatasetRepository.open(root, TestRepos.SMALL);
    Dataset again = Dataset.get(repo, ds.id());
    assertThatThrownBy(() -> again.getMutableLocalCopy(tmp.resolve("out"), false))
        .isInstanceOf(dev.cairn.errors.MissingObjectException.class)
        .hasStackTraceContaining("which may hold it, cannot be read").hasStackTraceContaining("cairn fsck --repair");
  }
}
