package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** clearml-data's --max-workers, --chunk-size and --verbose, as Cairn takes them. */
class CliWorkersAndChunkSizeTest {
  @TempDir Path tmp;

  private Path folderOf(int files, int bytesEach, long seed) throws IOException {
    Path dir = tmp.resolve("src-" + seed);
    Files.createDirectories(dir);
    Random random = new Random(seed);
    for (int i = 0; i < files; i++) {
      byte[] b = new byte[bytesEach];
      random.nextBytes(b);
      Files.write(dir.resolve("f" + i + ".bin"), b);
    }
    return dir;
  }

  private static long packsOn(Path remote) throws IOException {
    try (Stream<Path> s = Files.list(remote.resolve("packs"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".pack")).count();
    }
  }

  @Test
  void chunkSizeSetsTheSizeOfTheUploadedPacks() throws IOException {
    Path src = folderOf(6, 1 << 20, 1); // 6 MiB that does not compress
    Cli cli = new Cli(tmp.resolve("repo"));
    Path small = tmp.resolve("small");
    Path whole = tmp.resolve("whole");
    cli.ok("create", "--project", "p", "--name", "d");
    cli.ok("add", "--files", src.toString(), "--max-workers", "1");
    cli.ok("close", "--storage", small.toString(), "--chunk-size", "1");
    cli.ok("upload", "--storage", whole.toString(), "--chunk-size=-1");
    // Packs of about 1 MiB hold the 6 MiB of chunks in five or more; one pack per layer holds them in one.
    assertThat(packsOn(small)).isGreaterThanOrEqualTo(5 + 2);
    assertThat(packsOn(whole)).isLessThanOrEqualTo(4);
    // Both hold the same version, whole.
    Cli other = new Cli(tmp.resolve("other"));
    for (Path remote : new Path[] {small, whole}) {
      Path copy = tmp.resolve("copy-" + remote.getFileName());
      other.ok("get", "--project", "p", "--name", "d", "--storage", remote.toString(), "--copy", copy.toString(), "--max-workers", "2");
      for (int i = 0; i < 6; i++) {
        assertThat(Files.readAllBytes(copy.resolve("f" + i + ".bin"))).isEqualTo(Files.readAllBytes(src.resolve("f" + i + ".bin")));
      }
    }
  }

  @Test
  void badValuesAreRefusedBeforeAnythingChanges() throws IOException {
    Path src = folderOf(2, 1000, 2);
    Cli cli = new Cli(tmp.resolve("repo"));
    String id = (String) cli.ok("create", "--project", "p", "--name", "d", "--json").obj().get("id");
    Cli.Result bad = cli.run("add", "--files", src.toString(), "--max-workers", "0");
    assertThat(bad.exit()).as("a value out of range: the command line does not parse").isEqualTo(2);
    assertThat(bad.err().strip()).isEqualTo("cairn: Cannot use --max-workers 0: give 1 or more threads (see 'cairn add --help')");
    assertThat(cli.ok("list", "--id", id, "--json").array()).isEmpty();
    cli.ok("add", "--files", src.toString());
    Path remote = tmp.resolve("remote");
    for (String size : new String[] {"0", "-2", "99999999999999"}) {
      Cli.Result r = cli.run("close", "--storage", remote.toString(), "--chunk-size", size);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err().strip()).isEqualTo("cairn: Cannot use --chunk-size " + size
          + ": give a size in MiB from 1 to 8796093022207, or -1 for as few packs as possible (see 'cairn close --help')");
    }
    Cli.Result both = cli.run("close", "--disable-upload", "--chunk-size", "8");
    assertThat(both.err().strip()).isEqualTo("cairn: Cannot close: --chunk-size says how to upload, --disable-upload says not to;"
        + " give one");
    Cli.Result nowhere = cli.run("close", "--chunk-size", "8");
    assertThat(nowhere.err().strip()).isEqualTo("cairn: Cannot close: --chunk-size sizes an upload, and there is no remote to upload to"
        + " (give --storage, or set CAIRN_STORAGE)");
    assertThat(cli.run("sync", "--project", "p", "--name", "other", "--folder", src.toString(), "--skip-close", "--chunk-size", "8").err())
        .contains("--skip-close leaves the draft open, and --chunk-size says how to upload it once closed");
    assertThat(cli.ok("show", "--id", id, "--json").obj().get("state")).isEqualTo("draft");
    assertThat(Files.exists(remote)).isFalse();
    Cli.Result syncDraft = cli.run("sync", "--id", id, "--folder", src.toString(), "--skip-close", "--chunk-size", "8");
    assertThat(syncDraft.err()).contains("--skip-close leaves the draft open");
  }

  @Test
  void howACommandWorkedIsNotLoggedAsWhatItDid() throws IOException {
    Path src = folderOf(3, 1000, 3);
    Cli cli = new Cli(tmp.resolve("repo"));
    String id = (String) cli.ok("sync", "--project", "p", "--name", "d", "--folder", src.toString(), "--max-workers", "1",
        "--chunk-size=4", "--storage", tmp.resolve("remote").toString(), "--json").obj().get("id");
    String log = cli.ok("log", "--id", id).out();
    assertThat(log).contains("sync").contains("--folder").doesNotContain("--max-workers").doesNotContain("--chunk-size")
        .doesNotContain(" 4 ");
    // clearml-data's --output-uri is --storage, and logged as it, so that a run again with either finishes the other's draft.
    Path more = folderOf(2, 1000, 5);
    String other = (String) cli.ok("sync", "--project", "p", "--name", "o", "--folder", more.toString(), "--output-uri",
        tmp.resolve("remote").toString(), "--json").obj().get("id");
    assertThat(cli.ok("log", "--id", other).out()).contains("--storage").doesNotContain("--output-uri");
  }

  @Test
  void verboseSaysEachStepWithItsSizeAndTime() throws IOException {
    Path src = folderOf(3, 100_000, 4);
    Cli cli = new Cli(tmp.resolve("repo"));
    String remote = tmp.resolve("remote").toString();
    String id = (String) cli.ok("create", "--project", "p", "--name", "d", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    Cli.Result closed = cli.ok("close", "--storage", remote, "--verbose");
    assertThat(closed.err()).containsPattern("cairn: uploading \\d+ objects to file:\\S+, sized by their files' data \\(293.0 KiB\\) \\.\\.\\.\\n")
        .containsPattern("cairn: uploading \\d+ objects to file:\\S+, sized by their files' data: done in \\d+(\\.\\d)? m?s, 293.0 KiB\\n");
    assertThat(cli.ok("verify", "--id", id, "--verbose").err()).contains("cairn: checking 3 files as stored, 293.0 KiB ...")
        .containsPattern("cairn: checking 3 files as stored, 293.0 KiB: done in \\d+(\\.\\d)? m?s");
    Cli other = new Cli(tmp.resolve("other"));
    assertThat(other.ok("get", "--id", id, "--storage", remote, "--verbose").err()).contains("cairn: downloading ")
        .contains("cairn: writing 3 files (293.0 KiB) ...");
    assertThat(other.ok("upload", "--id", id, "--storage", tmp.resolve("second").toString(), "--verbose").err())
        .contains("cairn: uploading ");
    // Without a remote, close and squash have steps to say too.
    String local = (String) cli.ok("create", "--project", "p", "--name", "local", "--json").obj().get("id");
    cli.ok("add", "--files", src.toString());
    assertThat(cli.ok("close", "--disable-upload", "--verbose").err())
        .containsPattern("cairn: closing " + local.substring(0, 8) + ": writing its version object: done in \\d+(\\.\\d)? m?s\\n");
    assertThat(cli.ok("squash", "--name", "flat", "--ids", id, local, "--disable-upload", "--verbose").err())
        .contains("cairn: merging the manifests of 2 versions ...").containsPattern("cairn: closing [0-9a-f]{8}: done in ");
  }
}
