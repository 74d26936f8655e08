package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.gc.Fsck;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.WriteGuard;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that tries to escape, collide, change under us or fill the disk: refused, nothing lost. */
class HostileInputTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  Dataset stable;

  @BeforeEach
  void setUp() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    Path src = tmp.resolve("stable");
    Files.createDirectories(src);
    Files.write(src.resolve("keep.bin"), TestRepos.random(1, 50_000));
    stable = Dataset.create(repo, CreateOptions.of("h", "stable").build());
    stable.addFiles(AddOptions.of(src));
    stable.close();
  }

  @AfterEach
  void tearDown() throws IOException {
    WriteGuard.limit(Long.MAX_VALUE);
    // Whatever was refused, the repository is intact and the stable version reads back.
    assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
    assertThat(Files.readAllBytes(stable.getLocalCopy().resolve("keep.bin"))).isEqualTo(TestRepos.random(1, 50_000));
    repo.close();
  }

  @Test
  void theWorkAKilledGetCopyLeftInAFolderIsNeitherAddedNorReported() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("work"));
    Files.writeString(src.resolve("real.txt"), "mine");
    // What a get --copy --overwrite killed midway leaves: its hidden folder, and what it set aside.
    Path copying = Files.createDirectories(src.resolve(dev.cairn.internal.fs.AtomicFiles.tempName(".cairn-copy-")));
    Files.writeString(copying.resolve("half.bin"), "half written");
    Path trash = Files.createDirectories(src.resolve(dev.cairn.internal.fs.AtomicFiles.tempName(".cairn-trash-")));
    Files.writeString(trash.resolve("old.txt"), "old");
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "work").build());
    List<String> warnings = new ArrayList<>();
    ds.syncFolder(SyncOptions.of(src), warningsInto(warnings));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("real.txt");
    assertThat(warnings).hasSize(2).allMatch(w -> w.startsWith("skipped " + src + "/.cairn-")
        && w.endsWith(": the work of a get --copy (one that was stopped leaves it; the next get --copy into " + src + " removes it)"));
    ds.close();
    assertThat(ds.verify(src)).isEmpty(); // nor is it "not in the version"
  }

  /** Progress that keeps the warnings it is given. */
  private static Progress warningsInto(List<String> warnings) {
    return new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    };
  }

  private Path tar(String... names) throws IOException {
    Path t = tmp.resolve("hostile-" + names.length + "-" + Math.abs(String.join("", names).hashCode()) + ".tar");
    try (OutputStream os = Files.newOutputStream(t); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String n : names) {
        byte[] b = n.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(n, true);
        e.setSize(b.length);
        out.putArchiveEntry(e);
        out.write(b);
        out.closeArchiveEntry();
      }
    }
    return t;
  }

  @Test
  void aDamagedCurrentVersionFileNamesNoVersionAndTheNextCreateWritesItAnew() throws IOException {
    Path current = tmp.resolve("repo/refs/CURRENT");
    for (byte[] junk : List.of(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 'j', 'u', 'n', 'k'}, "zzzz\n".getBytes(StandardCharsets.US_ASCII))) {
      Files.createDirectories(current.getParent());
      Files.write(current, junk);
      assertThat(repo.catalog().lastUsed()).isNull();
      assertThat(repo.current()).isNull();
      Dataset made = Dataset.create(repo, CreateOptions.of("p", "n" + junk.length).build());
      assertThat(repo.current().id()).isEqualTo(made.id());
    }
  }

  @Test
  void archiveEntriesThatEscapeOrAreInvalidAreRefusedWhole() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "archives").build());
    List<String> hostile = List.of("../escape.txt", "/etc/passwd", "a/../../b", "dir\\evil.txt", "x".repeat(256) + ".txt",
        "ctrl\u0001char", "a/./../../b");
    for (String name : hostile) {
      Path archive = tar("fine.txt", name);
      assertThatThrownBy(() -> ds.addArchive(archive, "", Progress.NONE))
          .as(name).isInstanceOf(InvalidInputException.class).hasMessageContaining("not a valid dataset path");
    }
    assertThat(ds.listFiles()).isEmpty();
  }

  /**
   * Files deleted while an add reads their folder: those gone before they were looked at are
   * passed over with a warning, a file deleted before it was read fails the add saying so; never
   * a bare "no such file".
   */
  @Test
  void filesDeletedWhileTheirFolderIsAddedArePassedOverOrNamed() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("vanishing"));
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Files.writeString(src.resolve("f" + i), "file " + i);
    }
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "vanishing").build());
    Thread deleter = new Thread(() -> {
      for (int i = n - 1; i >= 0; i--) {
        try {
          Files.deleteIfExists(src.resolve("f" + i));
        } catch (IOException ignored) {
          // the test checks the add
        }
      }
    });
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    deleter.start();
    try {
      ds.addFiles(AddOptions.of(src), warningsInto(warnings));
      assertThat(warnings).allMatch(w -> w.endsWith(": deleted while the folder was read"));
      for (FileEntry e : ds.listFiles()) {
        assertThat(e.path()).matches("f[0-9]+");
      }
    } catch (InvalidInputException e) {
      assertThat(e.getMessage()).matches("Cannot add .*: (it was deleted while the files were being added; try again|the file changed"
          + " while it was being added; try again \\(what was stored of it is reused then, or freed by cairn gc\\))");
    } finally {
      deleter.join();
    }
  }

  /** As tar and unzip extract them: empty and '.' segments are dropped. */
  @Test
  void archiveEntriesWithEmptyOrDotSegmentsTakeTheirPlainPaths() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "dots").build());
    ds.addArchive(tar("x//y.txt", "./sub/./d.txt", "./top.txt"), "in", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("in/sub/d.txt", "in/top.txt", "in/x/y.txt");
    assertThat(Files.readString(ds.close().getLocalCopy().resolve("in/x/y.txt"))).isEqualTo("x//y.txt");
  }

  @Test
  void unicodeFormsThatCollideAreRefused() throws IOException {
    Path src = tmp.resolve("unicode");
    Files.createDirectories(src);
    String composed = Normalizer.normalize("café.txt", Normalizer.Form.NFC);
    String decomposed = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
    Files.writeString(src.resolve(composed), "one");
    Files.writeString(src.resolve(decomposed), "two");
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "unicode").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("Unicode normalization");
    assertThat(ds.listFiles()).isEmpty();
    // The two forms from two inputs of one add: two folders, a folder and an archive.
    Path one = Files.createDirectories(tmp.resolve("u1"));
    Path two = Files.createDirectories(tmp.resolve("u2"));
    Files.writeString(one.resolve(composed), "one");
    Files.writeString(two.resolve(decomposed), "two");
    assertThatThrownBy(() -> ds.addFiles(new AddOptions(List.of(one, two), List.of(), "", true, false)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("from both " + one.resolve(composed) + " and "
            + two.resolve(decomposed) + " (the names differ only by Unicode normalization");
    assertThatThrownBy(() -> ds.add(AddOptions.of(one), tar(decomposed), LinkOptions.NONE, "", Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("the names differ only by Unicode normalization");
    assertThat(ds.listFiles()).isEmpty();
  }

  @Test
  void fifosAreSkippedWithAWarningAndUnreadableFilesRefused() throws Exception {
    Path src = tmp.resolve("special");
    Files.createDirectories(src);
    Files.writeString(src.resolve("regular.txt"), "ok");
    Process mk = new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start();
    assumeTrue(mk.waitFor() == 0, "mkfifo is available");
    List<String> warnings = new ArrayList<>();
    Progress p = warningsInto(warnings);
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "special").build());
    ds.addFiles(AddOptions.of(src), p);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("regular.txt");
    assertThat(warnings).anyMatch(w -> w.contains("pipe") && w.contains("not a regular file"));
    // Named alone, it is refused, as git add refuses it.
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src.resolve("pipe")))).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("pipe: not a regular file (a fifo, socket or device)");
    Path secret = src.resolve("secret.txt");
    Files.writeString(secret, "no");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    assumeTrue(!Files.isReadable(secret), "not running as root (root reads anything)");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("permission denied");
  }

  @Test
  void theRepositoryInsideTheFolderIsLeftOut() throws Exception {
    // tmp holds the repository (repo/) and the stable version's source (stable/keep.bin).
    List<String> warnings = new ArrayList<>();
    Progress p = warningsInto(warnings);
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "around").build());
    ds.addFiles(AddOptions.of(tmp), p);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("stable/keep.bin");
    assertThat(warnings).anyMatch(w -> w.contains(tmp.resolve("repo").toString()) && w.contains("the repository itself"));

    Files.writeString(tmp.resolve("new.txt"), "new");
    ds.syncFolder(tmp);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("new.txt", "stable/keep.bin");
    ds.close();
    assertThat(ds.verify(tmp)).isEmpty();

    // Reached through a link, the repository is still recognized.
    Path link = Files.createSymbolicLink(tmp.resolve("repo-link"), tmp.resolve("repo"));
    Dataset viaLink = Dataset.create(repo, CreateOptions.of("h", "link").build());
    viaLink.addFiles(AddOptions.of(tmp));
    assertThat(viaLink.listFiles()).extracting(FileEntry::path).containsExactly("new.txt", "stable/keep.bin");
    Files.delete(link);
  }

  @Test
  void aCopyThatFailsLeavesNoFileCutShort() throws Exception {
    Path src = tmp.resolve("five");
    Files.createDirectories(src.resolve("sub"));
    for (int i = 0; i < 5; i++) {
      Files.write(src.resolve("sub/f" + i + ".bin"), TestRepos.random(40 + i, 100_000));
    }
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "copies").build());
    ds.addFiles(AddOptions.of(src));
    ds.close();
    Path fresh = tmp.resolve("out/fresh");
    Path empty = Files.createDirectories(tmp.resolve("out/empty"));
    for (Path target : List.of(fresh, empty)) {
      WriteGuard.limit(250_000); // the disk fills up with the third file
      assertThatThrownBy(() -> ds.getMutableLocalCopy(target, false, Selection.ALL, Progress.NONE))
          .isInstanceOf(FileSystemException.class).hasMessageContaining("No space left on device");
      WriteGuard.limit(Long.MAX_VALUE);
      try (var left = Files.list(tmp.resolve("out"))) {
        assertThat(left.map(p -> p.getFileName().toString())).as("after a failed copy into " + target).containsExactly("empty");
      }
      try (var left = Files.list(empty)) {
        assertThat(left).as("the existing folder after a failed copy").isEmpty();
      }
    }
    // What a copy stopped by Ctrl-C may leave while its threads still wrote: a dead process's
    // hidden folders, inside the folder and beside it.
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    Files.createDirectories(empty.resolve(TestRepos.tempNameOfProcess(".cairn-copy-", ended.pid()) + "/sub"));
    Files.createDirectories(tmp.resolve("out").resolve(TestRepos.tempNameOfProcess(".fresh.cairn-copy-", ended.pid())));
    for (Path target : List.of(fresh, empty)) {
      ds.getMutableLocalCopy(target, false, Selection.ALL, Progress.NONE);
      try (var files = Files.walk(target)) {
        assertThat(files.filter(Files::isRegularFile).map(p -> target.relativize(p).toString()))
            .containsExactlyInAnyOrder("sub/f0.bin", "sub/f1.bin", "sub/f2.bin", "sub/f3.bin", "sub/f4.bin");
      }
      assertThat(Files.readAllBytes(target.resolve("sub/f4.bin"))).isEqualTo(TestRepos.random(44, 100_000));
    }
    try (var left = Files.list(tmp.resolve("out"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fresh", "empty");
    }
  }

  @Test
  void namesGivenAsArgumentsThatWereNotUtf8AreRefused() throws IOException {
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p\uFFFD", "n").build())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+FFFD");
    assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "n\uFFFD").build())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+FFFD");
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "args").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(tmp.resolve("stable")).datasetFolder("z\uFFFD")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("Cannot use dataset folder");
  }

  @Test
  void oneAddNamesEveryRefusedNameNotOneARun() throws Exception {
    Path src = tmp.resolve("many-bad");
    Files.createDirectories(src.resolve("bad\\dir"));
    Files.writeString(src.resolve("bad\\dir/inside.txt"), "x");
    Files.writeString(src.resolve("back\\slash.txt"), "x");
    Files.writeString(src.resolve("tab\there.txt"), "x");
    Files.writeString(src.resolve("caf\u00e9.txt"), "x");
    Files.writeString(src.resolve("cafe\u0301.txt"), "x");
    Files.writeString(src.resolve("fine.txt"), "ok");
    List<String> warnings = new ArrayList<>();
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "many").build());
    Throwable refused = catchThrowable(() -> ds.addFiles(AddOptions.of(src), warningsInto(warnings)));
    assertThat(warnings).hasSize(4).allSatisfy(w -> assertThat(w).startsWith("refused "));
    // The first is in the error too, for a caller that shows no warnings.
    assertThat(refused).isInstanceOf(InvalidInputException.class).hasMessage("Cannot add " + src + ": 4 names in it refused, each"
        + " warned of above (the first: " + warnings.get(0).substring("refused ".length()) + "); nothing was added (rename them, move"
        + " them out of the folder, or pass them over with AddOptions.skipRefused)");
    assertThat(String.join("\n", warnings))
        .contains("back\\slash.txt", "bad\\dir/inside.txt", "tab\\x09here.txt", "only by Unicode normalization");
    assertThat(ds.listFiles()).as("nothing added while a name is refused").isEmpty();

    // Asked to, the add passes them over, each warned of, and adds the rest.
    warnings.clear();
    Dataset.Change added = ds.addFiles(AddOptions.of(src).skipRefused(true), warningsInto(warnings));
    assertThat(warnings).hasSize(4).allSatisfy(w -> assertThat(w).startsWith("passed over "));
    assertThat(String.join("\n", warnings)).contains("back\\slash.txt", "bad\\dir/inside.txt", "tab\\x09here.txt",
        "only by Unicode normalization");
    // Of two names that differ only by normalization, the one the walk met first is added.
    assertThat(ds.listFiles()).extracting(FileEntry::path).hasSize(2).contains("fine.txt").anyMatch(p -> p.startsWith("caf"));
    assertThat(added.summary().added()).isEqualTo(2);
    assertThat(ds.record().log().get(ds.record().log().size() - 1).arguments()).contains("--skip-refused");
  }

  @Test
  void aSyncAskedToPassesOverRefusedNamesAndRemovesNothingForThem() throws Exception {
    Path src = tmp.resolve("sync-bad");
    Files.createDirectories(src.resolve("bad\\dir"));
    Files.writeString(src.resolve("bad\\dir/inside.txt"), "x");
    Files.writeString(src.resolve("tab\there.txt"), "x");
    Files.writeString(src.resolve("fine.txt"), "ok");
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "sync-bad").build());
    assertThatThrownBy(() -> ds.syncFolder(SyncOptions.of(src), Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(": 2 names in it refused, each warned of above");
    assertThat(ds.listFiles()).as("nothing synced while a name is refused").isEmpty();

    List<String> warnings = new ArrayList<>();
    ds.syncFolder(SyncOptions.of(src).skipRefused(true), warningsInto(warnings));
    assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("passed over "));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("fine.txt");
    assertThat(ds.record().log().get(ds.record().log().size() - 1).arguments()).contains("--skip-refused");
    ds.close();

    // Into a new version: the same, and the file the version holds is not removed for the refused ones.
    Files.writeString(src.resolve("more.txt"), "more");
    Dataset.NewVersion next = Dataset.syncNewVersion(repo, CreateOptions.of("h", "sync-bad").parents(List.of(ds.id())).build(),
        SyncOptions.of(src).skipRefused(true), Progress.NONE, null, null);
    assertThat(next.change().summary().added()).isEqualTo(1);
    assertThat(next.change().summary().removed()).isZero();
    assertThat(next.draft().listFiles()).extracting(FileEntry::path).containsExactly("fine.txt", "more.txt");
    next.draft().close();

    // A twin by normalization of a name the version holds: the sync keeps the version's, whichever
    // sorts first, and refuses the other (passed over when asked), never replacing the one by the other.
    Path twins = Files.createDirectories(tmp.resolve("twins"));
    Files.writeString(twins.resolve("caf\u00e9.txt"), "held");
    Dataset held = Dataset.create(repo, CreateOptions.of("h", "twins").build());
    held.syncFolder(SyncOptions.of(twins), Progress.NONE);
    Files.writeString(twins.resolve("cafe\u0301.txt"), "twin"); // sorts first
    assertThatThrownBy(() -> held.syncFolder(SyncOptions.of(twins), Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'cafe\u0301.txt' (decomposed): its name differs from 'caf\u00e9.txt' (composed)"
            + " only by Unicode normalization");
    List<String> passed = new ArrayList<>();
    Dataset.Change kept = held.syncFolder(SyncOptions.of(twins).skipRefused(true), warningsInto(passed));
    assertThat(passed).singleElement().asString().startsWith("passed over 'cafe\u0301.txt'");
    assertThat(kept.summary().isEmpty()).isTrue();
    assertThat(held.listFiles()).extracting(FileEntry::path).containsExactly("caf\u00e9.txt");
    assertThat(Files.readString(held.getMutableLocalCopy(tmp.resolve("twins-copy"), false).resolve("caf\u00e9.txt"))).isEqualTo("held");
  }

  @Test
  void aLinkBackToAFolderAboveIsRefusedOrPassedOverAsARefusedName() throws Exception {
    Path src = tmp.resolve("looped");
    Files.createDirectories(src.resolve("sub"));
    Files.writeString(src.resolve("sub/a.txt"), "a");
    Files.createSymbolicLink(src.resolve("sub/up"), src);
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "looped").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot add " + src.resolve("sub/up") + ": symbolic links form a loop");
    // A sync meets it in the scan that an add shares, and says it is the sync that refuses.
    assertThatThrownBy(() -> ds.syncFolder(SyncOptions.of(src), Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot sync " + src.resolve("sub/up") + ": symbolic links form a loop");
    List<String> warnings = new ArrayList<>();
    ds.addFiles(AddOptions.of(src).skipRefused(true), warningsInto(warnings));
    assertThat(warnings).containsExactly("passed over " + src.resolve("sub/up") + ": symbolic links form a loop");
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("sub/a.txt");
    ds.syncFolder(SyncOptions.of(src).skipRefused(true), Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("sub/a.txt");
    // A sync whose version holds files where the loop is would remove them: refused, option or not.
    Path held = Files.createDirectories(tmp.resolve("held/up"));
    Files.writeString(held.resolve("kept.txt"), "kept");
    ds.addFiles(AddOptions.of(held).datasetFolder("sub/up"));
    assertThatThrownBy(() -> ds.syncFolder(SyncOptions.of(src).skipRefused(true), Progress.NONE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("symbolic links form a loop, and the sync would remove what the version holds at 'sub/up'");
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("sub/a.txt", "sub/up/kept.txt");
  }

  @Test
  void aNameThatIsNotUtf8IsRefused() throws Exception {
    Path src = tmp.resolve("latin1");
    Files.createDirectories(src);
    Files.writeString(src.resolve("fine.txt"), "ok");
    // Java cannot name it: the shell makes a file whose name holds the byte 0xFF.
    Process p = new ProcessBuilder("sh", "-c", "printf A > \"$(printf 'x\\377.txt')\"").directory(src.toFile()).start();
    assertThat(p.waitFor()).isZero();
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "names").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not valid UTF-8");
    assertThat(ds.listFiles()).isEmpty();
    // A name no wildcard keeps is never used: it does not stop the add.
    ds.addFiles(AddOptions.of(src).wildcard("fine.*"));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("fine.txt");
  }

  @Test
  void theRepositoryOrAFolderInsideItIsRefusedButACachedCopyIsNot() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "inside").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(tmp.resolve("repo")))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("it is the repository");
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(tmp.resolve("repo/refs")))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("inside the repository");
    assertThatThrownBy(() -> ds.syncFolder(tmp.resolve("repo/refs"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("inside the repository");
    assertThat(ds.listFiles()).isEmpty();
    ds.addFiles(AddOptions.of(stable.getLocalCopy())); // what get returns holds still
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("keep.bin");
  }

  @Test
  void twoFilesForOnePathInOneAddAreRefused() throws IOException {
    Path a = tmp.resolve("col/a");
    Path b = tmp.resolve("col/b");
    Files.createDirectories(a);
    Files.createDirectories(b);
    Files.writeString(a.resolve("x.txt"), "AAA");
    Files.writeString(b.resolve("x.txt"), "BBB");
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "collide").build());
    assertThatThrownBy(() -> ds.addFiles(new AddOptions(List.of(a, b), List.of(), "", true, false)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'x.txt' from both");
    assertThatThrownBy(() -> ds.addFiles(new AddOptions(List.of(a.resolve("x.txt"), b.resolve("x.txt")), List.of(), "", true, false)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'x.txt' from both");
    assertThat(ds.listFiles()).isEmpty();
    // The same file named twice is one file.
    ds.addFiles(new AddOptions(List.of(a.resolve("x.txt"), a.resolve("x.txt")), List.of(), "", true, false));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("x.txt");
  }

  /** Files, an archive and links in one add: a path from two of them is refused, as from two files. */
  @Test
  void onePathFromTwoKindsOfInputInOneAddIsRefused() throws IOException {
    Path file = Files.writeString(Files.createDirectories(tmp.resolve("mix")).resolve("x.txt"), "from the file");
    Path other = Files.writeString(Files.createDirectories(tmp.resolve("mix/other")).resolve("x.txt"), "from a link");
    Path archive = tar("x.txt");
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "mixed").build());
    AddOptions files = AddOptions.of(file);
    assertThatThrownBy(() -> ds.add(files, archive, LinkOptions.NONE, "", Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessage("Cannot add 'x.txt' from both " + file + " and archive " + archive
            + ": add them under different dataset folders (AddOptions.datasetFolder), or in two adds to replace one by the other")
        .extracting(e -> ((InvalidInputException) e).commandLineMessage()).isEqualTo("Cannot add 'x.txt' from both " + file
            + " and archive " + archive + ": add them under different --dataset-folder, or in two adds to replace one by the other");
    assertThatThrownBy(() -> ds.add(files, null, LinkOptions.of(List.of(other.toUri().toString())), "", Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'x.txt' from both " + file + " and link file:");
    assertThatThrownBy(() -> ds.add(null, null, LinkOptions.of(List.of(file.toUri().toString(), other.toUri().toString())), "", Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'x.txt' from both link file:");
    assertThat(ds.listFiles()).isEmpty();
    // One link named twice is one file.
    ds.add(null, null, LinkOptions.of(List.of(other.toUri().toString(), other.toUri().toString())), "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("x.txt");
  }

  @Test
  void anEmptyFileOrAnEncryptedZipIsRefusedSayingSo() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "odd-archives").build());
    for (String name : List.of("empty.tar", "empty.tar.zst", "empty.zip")) {
      Path empty = Files.createFile(tmp.resolve(name));
      assertThatThrownBy(() -> ds.addArchive(empty, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("it is an empty file (0 bytes), not an archive");
    }
    Path locked = tmp.resolve("locked.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(locked))) {
      out.putNextEntry(new java.util.zip.ZipEntry("secret.txt"));
      out.write("not really encrypted".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    // The "encrypted" flag (bit 0 of the general purpose flags) set in the entry's local and central headers.
    byte[] zip = Files.readAllBytes(locked);
    zip[6] |= 1;
    for (int i = 0; i + 4 <= zip.length; i++) {
      if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
        zip[i + 8] |= 1;
      }
    }
    Files.write(locked, zip);
    assertThatThrownBy(() -> ds.addArchive(locked, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("entry 'secret.txt' is encrypted");
    assertThat(ds.listFiles()).isEmpty();
  }

  @Test
  void archiveLinksHoldWhatTheyLeadToAndLinksOutOfTheArchiveAreRefused() throws IOException {
    Path t = tmp.resolve("links.tar");
    try (OutputStream os = Files.newOutputStream(t); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      byte[] body = "real".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry real = new TarArchiveEntry("d/real");
      real.setSize(body.length);
      real.setMode(0100755);
      out.putArchiveEntry(real);
      out.write(body);
      out.closeArchiveEntry();
      // The link's header says 0644; as tar -x makes it, it is the executable file's other name.
      out.putArchiveEntry(new TarArchiveEntry("hard", TarArchiveEntry.LF_LINK) {{ setLinkName("d/real"); setMode(0100644); }});
      out.closeArchiveEntry();
      out.putArchiveEntry(new TarArchiveEntry("d/sym", TarArchiveEntry.LF_SYMLINK) {{ setLinkName("real"); }});
      out.closeArchiveEntry();
      out.putArchiveEntry(new TarArchiveEntry("up", TarArchiveEntry.LF_SYMLINK) {{ setLinkName("d/sym"); }});
      out.closeArchiveEntry();
      out.putArchiveEntry(new TarArchiveEntry("pipe", TarArchiveEntry.LF_FIFO));
      out.closeArchiveEntry();
    }
    List<String> warnings = new ArrayList<>();
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "links").build());
    ds.addArchive(t, "", warningsInto(warnings));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("d/real", "d/sym", "hard", "up");
    assertThat(ds.listFiles()).extracting(FileEntry::size).containsOnly(4L);
    assertThat(ds.listFiles()).filteredOn(e -> e.path().equals("hard") || e.path().equals("d/real")).extracting(FileEntry::executable)
        .containsOnly(true);
    assertThat(warnings).anyMatch(w -> w.contains("pipe"));

    // A hard link to a symbolic link is that link again, as tar -x makes it; one to a folder is refused, said so.
    Path toLink = tmp.resolve("hard-to-symlink.tar");
    try (OutputStream os = Files.newOutputStream(toLink); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      byte[] body = "A".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry a = new TarArchiveEntry("a");
      a.setSize(body.length);
      out.putArchiveEntry(a);
      out.write(body);
      out.closeArchiveEntry();
      out.putArchiveEntry(new TarArchiveEntry("s", TarArchiveEntry.LF_SYMLINK) {{ setLinkName("a"); }});
      out.closeArchiveEntry();
      out.putArchiveEntry(new TarArchiveEntry("h", TarArchiveEntry.LF_LINK) {{ setLinkName("s"); }});
      out.closeArchiveEntry();
    }
    Dataset other = Dataset.create(repo, CreateOptions.of("h", "hard-to-symlink").build());
    other.addArchive(toLink, "", Progress.NONE);
    assertThat(other.listFiles()).extracting(FileEntry::path).containsExactly("a", "h", "s");
    assertThat(other.listFiles()).extracting(FileEntry::size).containsOnly(1L);
    Path toFolder = tmp.resolve("hard-to-folder.tar");
    try (OutputStream os = Files.newOutputStream(toFolder); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
      out.putArchiveEntry(new TarArchiveEntry("d/"));
      out.closeArchiveEntry();
      out.putArchiveEntry(new TarArchiveEntry("h", TarArchiveEntry.LF_LINK) {{ setLinkName("d"); }});
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> other.addArchive(toFolder, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageEndingWith("'h' is a hard link to the folder 'd', which no file system makes");

    for (String target : List.of("/etc/passwd", "../../outside", "missing", "d")) {
      Path bad = tmp.resolve("bad-" + Math.abs(target.hashCode()) + ".tar");
      try (OutputStream os = Files.newOutputStream(bad); TarArchiveOutputStream out = new TarArchiveOutputStream(os)) {
        out.putArchiveEntry(new TarArchiveEntry("d/f", TarArchiveEntry.LF_NORMAL) {{ setSize(0); }});
        out.closeArchiveEntry();
        out.putArchiveEntry(new TarArchiveEntry("link", TarArchiveEntry.LF_SYMLINK) {{ setLinkName(target); }});
        out.closeArchiveEntry();
      }
      assertThatThrownBy(() -> ds.addArchive(bad, "", Progress.NONE)).as(target).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("symbolic link 'link'")
          .hasMessageContaining(switch (target) {
            case "d" -> "leads to 'd', which is a folder of the archive (a link in an archive may lead to a file only)";
            case "missing" -> "leads to 'missing', which is no file of the archive";
            default -> "leads outside the archive";
          });
    }
  }

  @Test
  void archivesThatAreNotOrAreCutShortAreRefused() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "broken").build());
    Path zip = tmp.resolve("garbage.zip");
    Files.writeString(zip, "garbage");
    assertThatThrownBy(() -> ds.addArchive(zip, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a zip archive");
    byte[] whole = Files.readAllBytes(tar("a.txt", "b.txt"));
    Path cut = tmp.resolve("cut.tar");
    Files.write(cut, Arrays.copyOf(whole, 1200));
    assertThatThrownBy(() -> ds.addArchive(cut, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cut short");
    Path gz = tmp.resolve("cut.tar.gz");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (var z = new GZIPOutputStream(buf)) {
      z.write(whole);
    }
    Files.write(gz, Arrays.copyOf(buf.toByteArray(), buf.size() / 2));
    assertThatThrownBy(() -> ds.addArchive(gz, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot import " + gz + ": not a readable tar.gz archive, or a damaged one (").hasMessageNotContaining("null")
        .hasMessageNotContaining("Exception");
    // Garbage of each compressed kind: the decoder's words only in brackets, after what the file is not.
    for (String name : List.of("garbage.tar.gz", "garbage.tar.zst")) {
      Path bad = Files.writeString(tmp.resolve(name), "garbage, not an archive at all");
      String kind = name.substring("garbage.".length());
      assertThatThrownBy(() -> ds.addArchive(bad, "", Progress.NONE)).as(name).isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Cannot import " + bad + ": not a readable " + kind + " archive, or a damaged one (");
    }
    assertThat(ds.listFiles()).isEmpty();
  }

  @Test
  void aTarHeaderWhoseChecksumFailsIsRefusedAsDamaged() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "checksum").build());
    byte[] whole = Files.readAllBytes(tar("a.txt", "b.txt"));
    Path renamed = tmp.resolve("renamed.tar");
    byte[] bad = whole.clone();
    bad[0] = (byte) 'z'; // "z.txt": another name, the header's checksum left as it was
    Files.write(renamed, bad);
    assertThatThrownBy(() -> ds.addArchive(renamed, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the header of entry 'z.txt' is damaged (its checksum does not match)");
    assertThat(ds.listFiles()).isEmpty();
    // Bytes after a whole archive's end, in a size no tar writes: said as a possible cause too.
    Path trailing = tmp.resolve("trailing.tar");
    Files.write(trailing, java.nio.ByteBuffer.allocate(whole.length + 7).put(whole).put("GARBAGE".getBytes(StandardCharsets.US_ASCII)).array());
    assertThatThrownBy(() -> ds.addArchive(trailing, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a tar archive, cut short, or with bytes after its end");
  }

  @Test
  void aZipEntryOfAFifoOrDeviceIsSkippedAsATarsIs() throws IOException {
    Path zip = tmp.resolve("special.zip");
    try (var out = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(zip)) {
      for (String[] e : new String[][] {{"pipe", "10644"}, {"dev", "20644"}, {"real.txt", "100644"}}) {
        var ze = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry(e[0]);
        ze.setUnixMode(Integer.parseInt(e[1], 8));
        out.putArchiveEntry(ze);
        if (e[0].equals("real.txt")) {
          out.write("real".getBytes(StandardCharsets.UTF_8));
        }
        out.closeArchiveEntry();
      }
    }
    List<String> warnings = new ArrayList<>();
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "special-zip").build());
    ds.addArchive(zip, "", warningsInto(warnings));
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("real.txt");
    assertThat(warnings).anyMatch(w -> w.startsWith("skipped pipe: not a regular file")).anyMatch(w -> w.startsWith("skipped dev: "));
  }

  @Test
  void aSysFileIsNamedAsOneNotAsAFileThatChanged() throws IOException {
    Path sys = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    assumeTrue(Files.isReadable(sys), "no such /sys file here");
    Path src = Files.createDirectories(tmp.resolve("sysfs"));
    Files.createSymbolicLink(src.resolve("thp"), sys);
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "sysfs").build());
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("(a file the kernel makes as it is read, on sysfs); copy it to a regular file first")
        .hasMessageNotContaining("try again");
  }

  @Test
  void aCopyIntoAMissingFolderWithALongNameIsBuiltBesideItUnderAShorterOne() throws IOException {
    // The hidden folder beside it repeats its name: whole, it would pass the 255 bytes a name may have.
    for (String name : List.of("D".repeat(200), "\u00e9".repeat(120))) {
      Path target = tmp.resolve(name);
      assertThat(stable.getMutableLocalCopy(target, false).resolve("keep.bin")).hasBinaryContent(TestRepos.random(1, 50_000));
      try (var beside = Files.list(tmp)) {
        assertThat(beside.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".cairn-copy-"));
      }
    }
  }

  @Test
  void aCopyOrLinkNeverLandsInOrOverTheRepository() throws IOException {
    Path repoDir = tmp.resolve("repo");
    for (Path target : List.of(tmp, repoDir, repoDir.resolve("cache"), repoDir.resolve("new"))) {
      assertThatThrownBy(() -> stable.getMutableLocalCopy(target, true)).as(target.toString())
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("repository");
      assertThatThrownBy(() -> stable.linkLocalCopy(target, true, Selection.ALL, Progress.NONE)).as(target.toString())
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("repository");
    }
    // A link of the user's own is replaced only with overwrite; one made by an earlier get always.
    Path mine = Files.createSymbolicLink(tmp.resolve("mine"), tmp.resolve("stable"));
    assertThatThrownBy(() -> stable.linkLocalCopy(mine, false, Selection.ALL, Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("pass overwrite = true");
    assertThat(Files.readSymbolicLink(mine)).isEqualTo(tmp.resolve("stable"));
    Path ours = tmp.resolve("ours");
    stable.linkLocalCopy(ours, false, Selection.ALL, Progress.NONE);
    stable.linkLocalCopy(ours, false, Selection.ALL, Progress.NONE);
    assertThat(Files.readString(ours.resolve("keep.bin"), StandardCharsets.ISO_8859_1)).hasSize(50_000);
  }

  @Test
  void anOverwritingExportWritesThroughALinkAndNeverIntoTheRepository() throws IOException {
    // As a shell's > does: the file the link names is replaced, the link stays a link.
    Path archives = Files.createDirectories(tmp.resolve("archives"));
    Path real = Files.writeString(archives.resolve("real.tar"), "old archive");
    Path link = Files.createSymbolicLink(tmp.resolve("latest.tar"), real);
    assertThatThrownBy(() -> stable.export(link, false, Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageEndingWith("the file exists; pass overwrite = true to replace it")
        .extracting(e -> ((InvalidInputException) e).commandLineMessage()).asString().endsWith("the file exists; use --overwrite to replace it");
    stable.export(link, true, Progress.NONE);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.size(real)).isGreaterThan(50_000);
    try (var names = Files.list(archives)) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("real.tar"); // no partial left
    }
    Path dangling = Files.createSymbolicLink(tmp.resolve("gone.tar"), archives.resolve("gone.tar"));
    assertThatThrownBy(() -> stable.export(dangling, true, Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("which does not exist");
    assertThatThrownBy(() -> stable.export(dangling, false, Progress.NONE)) // not "the file exists"
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("it is a link to " + archives.resolve("gone.tar") + ", which does not exist");
    assertThat(Files.exists(archives.resolve("gone.tar"))).isFalse();
    // A link into the repository is refused for where it leads.
    Path config = tmp.resolve("repo").resolve("config");
    byte[] before = Files.readAllBytes(config);
    Path intoRepo = Files.createSymbolicLink(tmp.resolve("sneaky.tar"), config);
    assertThatThrownBy(() -> stable.export(intoRepo, true, Progress.NONE))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("repository");
    assertThat(Files.readAllBytes(config)).isEqualTo(before);
    // A lock file the same way.
    stable.alias("train", "run-1");
    Path lockTarget = Files.writeString(archives.resolve("data.lock"), "old");
    Path lockLink = Files.createSymbolicLink(tmp.resolve("data.lock"), lockTarget);
    repo.usage().writeLockFile("run-1", lockLink, true);
    assertThat(Files.isSymbolicLink(lockLink)).isTrue();
    assertThat(Files.readString(lockTarget)).contains("\"cairn_lock\"").contains(stable.id());
  }

  /**
   * A named pipe at the output is fed as a shell's {@code >} feeds it, with or without overwrite,
   * never renamed over (a device the same way: the overwrite of /dev/full replaced it by a file).
   */
  @Test
  void aNamedPipeAtTheOutputIsFedNotReplaced() throws Exception {
    Path fifo = tmp.resolve("v.tar");
    assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is available");
    for (boolean overwrite : new boolean[] {false, true}) {
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      Thread reader = reading(fifo, read);
      stable.export(fifo, overwrite, Progress.NONE);
      reader.join(60_000);
      try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
          new java.io.ByteArrayInputStream(read.toByteArray()))) {
        assertThat(tar.getNextEntry()).as("overwrite " + overwrite).isNotNull();
      }
      assertThat(Files.isRegularFile(fifo)).as("still a pipe").isFalse();
      assertThat(Files.exists(fifo)).isTrue();
    }
    stable.alias("train", "run-1");
    Path lockFifo = tmp.resolve("data.lock");
    assumeTrue(new ProcessBuilder("mkfifo", lockFifo.toString()).start().waitFor() == 0);
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    Thread reader = reading(lockFifo, read);
    repo.usage().writeLockFile("run-1", lockFifo, true);
    reader.join(60_000);
    assertThat(read.toString(StandardCharsets.UTF_8)).contains("\"cairn_lock\"").contains(stable.id());
    assertThat(Files.isRegularFile(lockFifo)).isFalse();
  }

  /**
   * A regular file under /dev (a memory file system, /dev/shm) is replaced as any file is: an
   * export over a longer archive there left the old one's tail, whose zip directory still listed
   * the old files, and wrote without --overwrite.
   */
  @Test
  void aFileInDevShmIsAFileNotAStream() throws Exception {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "/dev/shm is writable");
    Path out = Files.createTempDirectory(shm, "cairn-test-").resolve("v.zip");
    try {
      Files.write(out, new byte[1 << 20]);
      assertThatThrownBy(() -> stable.export(out, false, Progress.NONE)).isInstanceOf(IOException.class);
      assertThat(Files.size(out)).isEqualTo(1 << 20);
      stable.export(out, true, Progress.NONE);
      try (var zip = org.apache.commons.compress.archivers.zip.ZipFile.builder().setPath(out).get()) {
        assertThat(zip.getEntries().hasMoreElements()).isTrue();
      }
      assertThat(Files.size(out)).isLessThan(1 << 20);
      assertThat(AtomicFiles.isStreamTarget(Path.of("/dev/stdout"))).isTrue();
      assertThat(AtomicFiles.isStreamTarget(Path.of("/proc/self/fd/1"))).isTrue();
      assertThat(AtomicFiles.isStreamTarget(out)).isFalse();
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(out.getParent());
    }
  }

  /** A started thread that reads {@code pipe} to its end into {@code into}. */
  private static Thread reading(Path pipe, ByteArrayOutputStream into) {
    Thread reader = new Thread(() -> {
      try (var in = Files.newInputStream(pipe)) {
        in.transferTo(into);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    reader.start();
    return reader;
  }

  @Test
  void aFullDiskFailsCleanlyAndTheCommandCompletesOnceThereIsRoom() throws IOException {
    Path src = tmp.resolve("big");
    Files.createDirectories(src);
    for (int i = 0; i < 5; i++) {
      Files.write(src.resolve("f" + i), TestRepos.random(10 + i, 200_000));
    }
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "full").build());
    var before = ds.record();
    WriteGuard.limit(300_000);
    assertThatThrownBy(() -> ds.addFiles(AddOptions.of(src))).isInstanceOf(FileSystemException.class)
        .hasMessageContaining("No space left on device");
    WriteGuard.limit(Long.MAX_VALUE);
    assertThat(ds.record().root()).as("a refused add changes nothing").isEqualTo(before.root());
    assertThat(ds.addFiles(AddOptions.of(src)).summary().added()).isEqualTo(5);
    ds.close();
    assertThat(ds.verify()).isEmpty();
  }

  @Test
  void aTruncatedIndexIsSetAsideAndRebuilt() throws IOException {
    // The index is opened when first needed: reading the version sets it aside and rebuilds it.
    damageIndexThenReadTheVersion(b -> Arrays.copyOf(b, b.length / 2));
  }

  @Test
  void anIndexThatIsNotLmdbsIsSetAsideAndRebuilt() throws IOException {
    damageIndexThenReadTheVersion(b -> {
      Arrays.fill(b, 0, 8192, (byte) 0x5a); // both meta pages
      return b;
    });
  }

  @Test
  void anIndexWhoseTableOfTablesIsDamagedIsSetAsideAndRebuilt() throws IOException {
    // The table naming the others: its damage was once found only when a table was opened, after
    // the damage check, so every command failed and fsck --repair too.
    // LMDB checks no page: random bytes there may crash the process instead (it trusts its pages).
    // The root page of the main database is given another page type, which it reports as
    // MDB_CORRUPTED ("located page was wrong type").
    damageIndexThenReadTheVersion(b -> {
      java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder());
      int pageSize = 4096;
      // The newer of the two meta pages: a page header of 16 bytes, then magic, version, address,
      // map size, the free and the main database (48 bytes each, the root page number last), the
      // last page, the transaction id.
      int meta = bb.getLong(pageSize + 144) > bb.getLong(144) ? pageSize : 0;
      long root = bb.getLong(meta + 128);
      assertThat(root).as("the main database has a root page").isBetween(2L, (long) b.length / pageSize - 1);
      bb.putShort((int) root * pageSize + 10, (short) 0x04); // the page's flags: an overflow page
      return b;
    });
  }

  /**
   * An index that reads as damaged for a moment (another process writing it, say) is opened again
   * a moment later, not set aside: processes that have it open would go on writing into the copy.
   */
  @Test
  void anIndexDamagedForAMomentIsNotSetAside() throws Exception {
    Path dir = repo.repository().directory();
    String id = stable.id();
    repo.close();
    Path data = dir.resolve("index").resolve("data.mdb");
    byte[] whole = Files.readAllBytes(data);
    Files.write(data, Arrays.copyOf(whole, whole.length / 2));
    Path mended = dir.resolve("index").resolve("data.mdb.mended");
    Files.write(mended, whole);
    Thread mend = new Thread(() -> {
      try {
        // Well inside the retries (0.1 s, 0.3 s and 0.6 s after the first look), and at once: no
        // look between falls on a file half rewritten.
        Thread.sleep(100);
        Files.move(mended, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    mend.start();
    try {
      repo = DatasetRepository.open(dir, TestRepos.SMALL);
      stable = repo.get(id);
      assertThat(stable.verify()).isEmpty();
    } finally {
      mend.join();
    }
    try (var s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.startsWith("index.damaged-"));
    }
  }

  /** Damages the closed index's data file, reopens, and checks the version reads back from an index set aside and rebuilt. */
  private void damageIndexThenReadTheVersion(UnaryOperator<byte[]> damage) throws IOException {
    Path dir = repo.repository().directory();
    String id = stable.id();
    repo.close();
    Path data = dir.resolve("index").resolve("data.mdb");
    Files.write(data, damage.apply(Files.readAllBytes(data)));
    repo = DatasetRepository.open(dir, TestRepos.SMALL);
    stable = repo.get(id);
    assertThat(stable.verify()).isEmpty();
    try (var s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString())).anyMatch(n -> n.startsWith("index.damaged-"));
    }
  }

  /**
   * An index that cannot be mapped (the process's address space is short of index.mapSize, as a
   * cluster's memory limit makes it) is not damaged: it is left as it is, and the message says
   * what to change. Before, it was set aside, and processes that had it open went on writing into
   * the copy set aside.
   */
  @Test
  void anIndexThatCannotBeMappedIsLeftAsItIsAndTheErrorSaysWhy() throws IOException {
    Path dir = repo.repository().directory();
    String id = stable.id();
    repo.close();
    Path config = dir.resolve("config");
    String good = Files.readString(config);
    // 2^62 bytes: more than any 64-bit process's whole address space (47 or 48 bits of it, 57 at most).
    Files.writeString(config, good.replaceAll("(?m)^index\\.mapSize = .*$", "index.mapSize = 4611686018427387904"));
    repo = DatasetRepository.open(dir, TestRepos.SMALL);
    assertThatThrownBy(() -> repo.get(id).verify()).isInstanceOf(IOException.class)
        .hasMessageContaining("no address space to map its 4611686018427387904 bytes (index.mapSize)");
    repo.close();
    try (var s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.startsWith("index.damaged-"));
    }
    Files.writeString(config, good);
    repo = DatasetRepository.open(dir, TestRepos.SMALL);
    stable = repo.get(id);
    assertThat(stable.verify()).isEmpty();
  }

  /** Runs {@code chattr} (root on a file system that has the immutable attribute); whether it did. */
  private static boolean chattr(String flag, Path p) {
    try {
      Process proc = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
      proc.getInputStream().readAllBytes();
      return proc.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void aCopyWithOverwriteThatCannotMoveAnEntryAsideLeavesTheFolderAsItWas() throws IOException {
    Path target = tmp.resolve("work");
    Files.createDirectories(target.resolve("a"));
    Files.writeString(target.resolve("a/f1"), "one");
    Files.writeString(target.resolve("top"), "top");
    Path stuck = Files.createDirectories(target.resolve("m"));
    Files.writeString(stuck.resolve("f2"), "two");
    Files.writeString(target.resolve("zz"), "zz");
    // An entry that can be neither moved nor emptied: an immutable folder (root only; a folder of
    // another user's refuses in the same way).
    assumeTrue(chattr("+i", stuck), "chattr +i needs root and a file system that has it");
    try {
      assertThatThrownBy(() -> stable.getMutableLocalCopy(target, true)).isInstanceOf(IOException.class)
          .hasMessageContaining("m cannot be moved").hasMessageContaining("left as it was");
    } finally {
      chattr("-i", stuck);
    }
    try (var left = Files.walk(target)) {
      assertThat(left.filter(Files::isRegularFile).map(p -> target.relativize(p).toString()))
          .containsExactlyInAnyOrder("a/f1", "top", "m/f2", "zz");
    }
    assertThat(Files.readString(target.resolve("top"))).isEqualTo("top");
    // Once it can be moved, the copy replaces it all.
    stable.getMutableLocalCopy(target, true);
    try (var left = Files.list(target)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("keep.bin");
    }
  }

  @Test
  void oldContentsThatCannotBeDeletedAfterTheCopyLeaveNoListThatWouldUndoIt() throws IOException {
    Path target = tmp.resolve("work");
    Path stuck = Files.createDirectories(target.resolve("m"));
    Path locked = Files.writeString(stuck.resolve("locked"), "old");
    // A file that cannot be deleted, in a folder that can be moved: the copy is in place before
    // the old contents fail to go (root only; a file of another user's in a sticky folder alike).
    assumeTrue(chattr("+i", locked), "chattr +i needs root and a file system that has it");
    Path trash = null;
    try {
      assertThatThrownBy(() -> stable.getMutableLocalCopy(target, true)).isInstanceOf(IOException.class)
          .hasMessageStartingWith("Copied into " + target + ", but part of what it held before could not be deleted (")
          .hasMessageContaining("it is left in " + target.resolve(".cairn-trash-"));
      try (var list = Files.list(target)) {
        List<String> names = list.map(p -> p.getFileName().toString()).sorted().toList();
        assertThat(names).as("the copy, and the trash: no list of moved entries").hasSize(2).contains("keep.bin")
            .noneMatch(n -> n.endsWith(".moving"));
        trash = target.resolve(names.stream().filter(n -> n.startsWith(".cairn-trash-")).findFirst().orElseThrow());
      }
    } finally {
      chattr("-i", trash == null ? locked : trash.resolve("m/locked"));
      try (var walk = Files.walk(target)) { // wherever it went, for the folder's cleanup
        walk.filter(p -> p.getFileName().toString().equals("locked")).forEach(p -> chattr("-i", p));
      }
    }
    // The user edits the copy and deletes the trash as told; a later copy into the folder, refused
    // as it is not empty, takes nothing out of it (a list left behind made it delete the copy).
    Files.writeString(target.resolve("keep.bin"), "edited");
    dev.cairn.internal.fs.Trees.delete(trash);
    assertThatThrownBy(() -> stable.getMutableLocalCopy(target, false)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not empty");
    assertThat(Files.readString(target.resolve("keep.bin"))).isEqualTo("edited");
  }

  @Test
  void aCopyNeitherUndoesNorIgnoresTheHiddenFolderOfACopyWhoseProcessCannotBeLookedUp() throws IOException {
    Path target = Files.createDirectories(tmp.resolve("work"));
    // Another host's (or container's, or an earlier boot's) copy, which set aside the user's file.
    Path aside = Files.createDirectories(target.resolve(".cairn-old-p1t0badbeef-" + UUID.randomUUID()));
    Files.writeString(aside.resolve("mine.txt"), "mine");
    for (boolean overwrite : new boolean[] {false, true}) {
      assertThatThrownBy(() -> stable.getMutableLocalCopy(target, overwrite)).isInstanceOf(InvalidInputException.class)
          .hasMessage("Cannot copy into " + target + ": it holds " + aside + ", left by a copy made on another host, in another container"
              + " or before a restart, which may still run; if none runs, move what it holds back into " + target
              + " (what that copy replaced), then delete it, and run again");
    }
    assertThat(Files.readString(aside.resolve("mine.txt"))).isEqualTo("mine");
  }

  @Test
  void theHiddenFolderOfACopyWhosePidNowNamesALaterProcessIsTakenForDead() throws Exception {
    Process later = new ProcessBuilder("sleep", "60").start();
    try {
      Path target = Files.createDirectories(tmp.resolve("work"));
      String own = dev.cairn.internal.fs.AtomicFiles.tempName(".cairn-copy-");
      // This machine's name, with the pid of a process that started long after the folder was last changed.
      Path dead = Files.createDirectories(target.resolve(own.replace("-p" + ProcessHandle.current().pid() + "t", "-p" + later.pid() + "t")));
      assertThat(dead.getFileName().toString()).contains("-p" + later.pid() + "t");
      Files.setLastModifiedTime(dead, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
      stable.getMutableLocalCopy(target, false);
      try (var list = Files.list(target)) {
        assertThat(list.map(p -> p.getFileName().toString())).containsExactly("keep.bin");
      }
    } finally {
      later.destroy();
    }
  }

  @Test
  void aCopyWithOverwriteReplacesReadOnlyFoldersOfTheOwner() throws IOException {
    Path target = tmp.resolve("work");
    Path ro = Files.createDirectories(target.resolve("ro/deeper"));
    Files.writeString(ro.resolve("f"), "f");
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(ro.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
    stable.getMutableLocalCopy(target, true);
    try (var left = Files.list(target)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("keep.bin");
    }
  }
  /** A tar of the given raw names (in their own header bytes, no PAX) and contents. */
  private Path rawTar(String file, byte[][] names, String... contents) throws IOException {
    Path t = tmp.resolve(file);
    // Latin-1 writes each char as the byte of its code: the names' bytes exactly.
    try (OutputStream os = Files.newOutputStream(t); TarArchiveOutputStream out = new TarArchiveOutputStream(os, "ISO-8859-1")) {
      for (int i = 0; i < names.length; i++) {
        byte[] b = contents[i].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(new String(names[i], StandardCharsets.ISO_8859_1), true);
        e.setSize(b.length);
        out.putArchiveEntry(e);
        out.write(b);
        out.closeArchiveEntry();
      }
    }
    return t;
  }

  @Test
  void archiveNamesThatAreNotUtf8AreRefusedNotReadAsQuestionMarks() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "names").build());
    var before = ds.record().root();
    // caf\xe9 and caf\xe8 (Latin-1) would both read as "caf?", one file lost.
    Path latin = rawTar("latin.tar", new byte[][] {{'c', 'a', 'f', (byte) 0xe9}, {'c', 'a', 'f', (byte) 0xe8}}, "acute", "grave");
    assertThatThrownBy(() -> ds.addArchive(latin, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'caf\\xe9' has a name that is not valid UTF-8");
    // A zip's name without the UTF-8 flag, in the bytes of code page 437.
    Path zip = tmp.resolve("cp437.zip");
    try (var out = new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(zip.toFile())) {
      out.setEncoding("IBM437");
      out.setUseLanguageEncodingFlag(false);
      out.setCreateUnicodeExtraFields(org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream.UnicodeExtraFieldPolicy.NEVER);
      var e = new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("caf\u00e9");
      out.putArchiveEntry(e);
      out.write("x".getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
    }
    assertThatThrownBy(() -> ds.addArchive(zip, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not valid UTF-8");
    assertThat(ds.record().root()).as("refused whole").isEqualTo(before);
    // Real question marks, in UTF-8 bytes and in a PAX name of Latin-1 letters, are names like any other.
    Path fine = rawTar("fine.tar", new byte[][] {"\u00e7a?".getBytes(StandardCharsets.UTF_8), "why?".getBytes(StandardCharsets.UTF_8)}, "1", "2");
    ds.addArchive(fine, "raw", Progress.NONE);
    ds.addArchive(tar("caf\u00e9?", "plain"), "pax", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactlyInAnyOrder("raw/\u00e7a?", "raw/why?", "pax/caf\u00e9?", "pax/plain");
  }

  @Test
  void aZipEntryWhoseDataDoesNotMatchItsCrcIsRefused() throws IOException {
    Path zip = tmp.resolve("crc.zip");
    for (int method : new int[] {ZipEntry.STORED, ZipEntry.DEFLATED}) {
      byte[] data = "hello world ".repeat(10).getBytes(StandardCharsets.UTF_8);
      try (var out = new ZipOutputStream(Files.newOutputStream(zip))) {
        var e = new ZipEntry("f");
        e.setMethod(method);
        if (method == ZipEntry.STORED) {
          var crc = new CRC32();
          crc.update(data);
          e.setSize(data.length);
          e.setCrc(crc.getValue());
        }
        out.putNextEntry(e);
        out.write(data);
        out.closeEntry();
      }
      byte[] b = Files.readAllBytes(zip);
      int at = method == ZipEntry.STORED ? indexOf(b, "hello".getBytes(StandardCharsets.UTF_8)) : 40;
      b[at] ^= 1; // the first byte of the data (stored), or one inside the deflate stream
      Files.write(zip, b);
      Dataset ds = Dataset.create(repo, CreateOptions.of("h", "crc" + method).build());
      assertThatThrownBy(() -> ds.addArchive(zip, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("entry 'f' is damaged (its CRC-32 is");
      assertThat(ds.listFiles()).isEmpty();
      ds.delete(false);
    }
  }

  /**
   * A zip of stored entries written byte by byte, as a Unix zip writes them (version made by 3.x,
   * mode 644), each with a data descriptor (as zip writes to a pipe) when {@code descriptors}; an
   * entry whose local header names it otherwise has a {@code localName} that is not null.
   */
  private static byte[] rawZip(byte[] preamble, boolean descriptors, String[] names, String[] localNames, byte[][] data) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put(preamble);
    int[] offsets = new int[names.length];
    long[] crcs = new long[names.length];
    for (int i = 0; i < names.length; i++) {
      CRC32 crc = new CRC32();
      crc.update(data[i]);
      crcs[i] = crc.getValue();
      byte[] name = (localNames[i] != null ? localNames[i] : names[i]).getBytes(StandardCharsets.UTF_8);
      offsets[i] = b.position();
      b.putInt(0x04034b50).putShort((short) 20).putShort((short) (descriptors ? 8 : 0)).putShort((short) 0).putInt(0)
          .putInt(descriptors ? 0 : (int) crcs[i]).putInt(descriptors ? 0 : data[i].length).putInt(descriptors ? 0 : data[i].length)
          .putShort((short) name.length).putShort((short) 0).put(name).put(data[i]);
      if (descriptors) {
        b.putInt(0x08074b50).putInt((int) crcs[i]).putInt(data[i].length).putInt(data[i].length);
      }
    }
    int directory = b.position();
    for (int i = 0; i < names.length; i++) {
      byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
      b.putInt(0x02014b50).putShort((short) 0x0314).putShort((short) 20).putShort((short) (descriptors ? 8 : 0)).putShort((short) 0)
          .putInt(0).putInt((int) crcs[i]).putInt(data[i].length).putInt(data[i].length).putShort((short) name.length)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0100644 << 16).putInt(offsets[i])
          .put(name);
    }
    int end = b.position();
    b.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) names.length).putShort((short) names.length)
        .putInt(end - directory).putInt(directory).putShort((short) 0);
    return Arrays.copyOf(b.array(), b.position());
  }

  @Test
  void aZipIsReadByItsCentralDirectoryAsUnzipReadsIt() throws IOException {
    byte[][] data = {"one".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8)};
    // Stored entries followed by data descriptors (zip -0 to a pipe): read as any other.
    Path piped = tmp.resolve("piped.zip");
    Files.write(piped, rawZip(new byte[0], true, new String[] {"a.txt", "sub/b.txt"}, new String[2], data));
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "zips").build());
    ds.addArchive(piped, "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("a.txt", "sub/b.txt");
    // A self-extracting zip: a program before the archive, the offsets counting it (zip -A).
    Path sfx = tmp.resolve("sfx.zip");
    Files.write(sfx, rawZip("#!/bin/sh\nexit 0\n".getBytes(StandardCharsets.UTF_8), false, new String[] {"c.txt"}, new String[1],
        new byte[][] {data[0]}));
    ds.addArchive(sfx, "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).containsExactly("a.txt", "c.txt", "sub/b.txt");
    // The name is the central directory's, not the local header's.
    Path twoNames = tmp.resolve("two-names.zip");
    Files.write(twoNames, rawZip(new byte[0], false, new String[] {"good.txt"}, new String[] {"evil.txt"}, new byte[][] {data[1]}));
    ds.addArchive(twoNames, "", Progress.NONE);
    assertThat(ds.listFiles()).extracting(FileEntry::path).contains("good.txt").doesNotContain("evil.txt");
    // A Unix zip's name with a backslash is a name with a backslash (refused), not a DOS path.
    Path backslash = tmp.resolve("backslash.zip");
    Files.write(backslash, rawZip(new byte[0], false, new String[] {"a\\b.txt"}, new String[1], new byte[][] {data[0]}));
    assertThatThrownBy(() -> ds.addArchive(backslash, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'a\\b.txt' is not a valid dataset path");
    assertThat(ds.listFiles()).extracting(FileEntry::path).doesNotContain("a/b.txt");
  }

  private static int indexOf(byte[] b, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= b.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void archiveNamesThatDifferOnlyByNormalizationAreRefusedAsInAFolder() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "nfc").build());
    String nfc = "caf\u00e9";
    String nfd = "cafe\u0301";
    assertThatThrownBy(() -> ds.addArchive(tar(nfc, nfd), "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("only by Unicode normalization")
        .hasMessageContaining("'" + nfd + "' (decomposed) differs from '" + nfc + "' (composed)"); // alike on a screen but for that
    assertThatThrownBy(() -> ds.addArchive(tar(nfc + "/a", nfd + "/b"), "", Progress.NONE)).as("as folders")
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("only by Unicode normalization");
    assertThat(ds.listFiles()).isEmpty();
  }

  @Test
  void anArchiveEntryGivenTwiceKeepsTheLastWithAWarning() throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "twice").build());
    Path t = rawTar("twice.tar", new byte[][] {"x".getBytes(StandardCharsets.UTF_8), "x".getBytes(StandardCharsets.UTF_8)}, "first", "second");
    List<String> warnings = new ArrayList<>();
    ds.addArchive(t, "", warningsInto(warnings));
    assertThat(warnings).singleElement().asString().contains("holds 'x' more than once");
    // Into a dataset folder: the entry is named as the archive holds it, not by its path in the dataset.
    warnings.clear();
    ds.addArchive(t, "sub", warningsInto(warnings));
    assertThat(warnings).singleElement().asString().contains("holds 'x' more than once").doesNotContain("sub/x");
    ds.close();
    assertThat(Files.readString(ds.getLocalCopy().resolve("x"))).isEqualTo("second");
    assertThat(Files.readString(ds.getLocalCopy().resolve("sub/x"))).isEqualTo("second");
  }
  @Test
  void aCopyOrLinkWithOverwriteRefusesToReplaceARemoteOrAnotherRepository() throws IOException {
    Path remote = tmp.resolve("remote");
    stable.upload(remote.toString(), null, Progress.NONE);
    Path other = tmp.resolve("other-repo");
    DatasetRepository.open(other, TestRepos.SMALL).close();
    Path holder = tmp.resolve("holder");
    Files.createDirectories(holder.resolve("deep"));
    stable.upload(holder.resolve("deep/remote").toString(), null, Progress.NONE);
    for (Path target : List.of(remote, other, holder)) {
      assertThatThrownBy(() -> stable.getMutableLocalCopy(target, true)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("which would be deleted");
      assertThatThrownBy(() -> stable.linkLocalCopy(target, true, Selection.ALL, Progress.NONE)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("which would be deleted");
    }
    assertThat(Files.exists(remote.resolve("cairn-remote"))).isTrue();
    assertThat(Files.exists(holder.resolve("deep/remote/cairn-remote"))).isTrue();
    assertThat(Files.exists(other.resolve("config"))).isTrue();
    assertThat(repo.listRemote(remote.toString(), null)).extracting(DatasetRecord::id).contains(stable.id());
  }
  /** A new remote in a folder that does not exist is refused, not made with its parents: a share not mounted, or a typo. */
  @Test
  void aNewRemoteUnderAMissingFolderIsRefused() throws IOException {
    Path missing = tmp.resolve("not-mounted");
    assertThatThrownBy(() -> stable.upload(missing.resolve("team/cairn").toString(), null, Progress.NONE))
        .isInstanceOf(dev.cairn.errors.BadStorageLocationException.class)
        .hasMessage("Cannot make a remote at " + missing.resolve("team/cairn").toUri().toString().replaceFirst("/$", "") + ": "
            + missing.resolve("team") + " does not exist (a mistyped path, or a share not mounted?); create it first");
    assertThat(missing).doesNotExist();
    Files.createDirectories(missing.resolve("team"));
    stable.upload(missing.resolve("team/cairn").toString(), null, Progress.NONE);
    assertThat(missing.resolve("team/cairn/cairn-remote")).exists();
  }

  @Test
  void aFileThatCannotBeReadIsNamedInTheError() throws IOException {
    Path mem = Path.of("/proc/self/mem");
    assumeTrue(Files.isRegularFile(mem), "Linux's /proc");
    Path src = Files.createDirectories(tmp.resolve("pv"));
    Files.writeString(src.resolve("ok"), "ok");
    Files.createSymbolicLink(src.resolve("mem"), mem); // reading its first bytes fails: Input/output error
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "io").build());
    assertThatThrownBy(() -> ds.syncFolder(src)).isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot add " + src.resolve("mem") + ": reading it failed (");
    assertThat(ds.listFiles()).isEmpty();
  }
  @Test
  void aCopyIntoAPathThatCannotBeAFolderNamesThePathGiven() throws IOException {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    assertThatThrownBy(() -> stable.getMutableLocalCopy(file.resolve("x"), false)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot copy into " + file.resolve("x") + ": " + file + " is not a folder");
    Path proc = Path.of("/proc/cairn-copy-test");
    assumeTrue(Files.isDirectory(proc.getParent()), "Linux's /proc");
    assertThatThrownBy(() -> stable.getMutableLocalCopy(proc, false)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Cannot copy into " + proc + ": ").hasMessageNotContaining("cairn-copy-p");
  }
  /** A ustar header block: name, size, type, with its checksum. */
  private static byte[] tarHeader(String name, long size, char type) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    put(h, 100, "0000644\0");
    put(h, 108, "0000000\0");
    put(h, 116, "0000000\0");
    put(h, 124, String.format("%011o\0", size));
    put(h, 136, "00000000000\0");
    put(h, 148, "        ");
    h[156] = (byte) type;
    put(h, 257, "ustar\0");
    put(h, 263, "00");
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o\0 ", sum));
    return h;
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  /** Bytes padded to whole 512-byte blocks. */
  private static byte[] blocks(byte[] b) {
    return Arrays.copyOf(b, (b.length + 511) / 512 * 512);
  }

  @Test
  void aPaxNameThatIsNotUtf8IsRefusedNotReadAsAReplacementCharacter() throws IOException {
    // PAX path records of raw bytes (as hdrcharset=BINARY writes them): caf\xe9 and caf\xe8.
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    for (byte last : new byte[] {(byte) 0xe9, (byte) 0xe8}) {
      byte[] value = {'c', 'a', 'f', last};
      byte[] key = " path=".getBytes(StandardCharsets.US_ASCII);
      int len = key.length + value.length + 1 + 2; // two digits of length
      ByteArrayOutputStream record = new ByteArrayOutputStream();
      record.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
      record.writeBytes(key);
      record.writeBytes(value);
      record.write('\n');
      tar.writeBytes(tarHeader("PaxHeaders/f", record.size(), 'x'));
      tar.writeBytes(blocks(record.toByteArray()));
      tar.writeBytes(tarHeader("f", 1, '0'));
      tar.writeBytes(blocks(new byte[] {last}));
    }
    tar.writeBytes(new byte[1024]);
    Path t = Files.write(tmp.resolve("pax-binary.tar"), tar.toByteArray());
    Dataset ds = Dataset.create(repo, CreateOptions.of("h", "pax").build());
    assertThatThrownBy(() -> ds.addArchive(t, "", Progress.NONE)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not valid UTF-8");
    assertThat(ds.listFiles()).isEmpty();
  }
}
