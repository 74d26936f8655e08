package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote workflow through the command line, on a folder remote. */
class CliRemoteTest {
  @TempDir Path tmp;

  static void write(Path p, String s) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, s, StandardCharsets.UTF_8);
  }

  @Test
  void aRenameNotesTheAncestorsAnUploadSentWithAVersion() throws Exception {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("d/x.txt"), "x");
    String v1 = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("d").toString(), "--disable-upload",
        "--json").obj().get("id");
    write(tmp.resolve("d/y.txt"), "y");
    String v2 = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("d").toString(), "--storage", remote,
        "--json").obj().get("id"); // sends v1 with it, as its parent
    assertThat(new Cli(tmp.resolve("b")).ok("search", "--storage", remote, "--json").array()).hasSize(2);
    String note = a.ok("rename", "--project", "p", "--name", "n", "--new-name", "m").err();
    assertThat(note).contains(" keeps the records of 2 versions (").contains(v1.substring(0, 8)).contains(v2.substring(0, 8))
        .contains("until each, or a version descending from it, is uploaded again");
    // A child's upload takes the rename of the ancestors there with it: the dataset stays under one name there.
    write(tmp.resolve("d/w.txt"), "w");
    String v3 = (String) a.ok("sync", "--project", "p", "--name", "m", "--folder", tmp.resolve("d").toString(), "--storage", remote,
        "--json").obj().get("id");
    assertThat(new Cli(tmp.resolve("c")).ok("search", "--storage", remote, "--json").array())
        .extracting(m -> m.get("id") + " " + m.get("name")).containsExactlyInAnyOrder(v1 + " m", v2 + " m", v3 + " m");
    // And the ancestors of a version of another dataset: a merge uploaded sends its parents along.
    write(tmp.resolve("e/z.txt"), "z");
    String other = (String) a.ok("sync", "--project", "p", "--name", "o", "--folder", tmp.resolve("e").toString(), "--disable-upload",
        "--json").obj().get("id");
    String merge = (String) a.ok("create", "--project", "p", "--name", "merged", "--parents", other, v2, "--json").obj().get("id");
    a.ok("close", "--id", merge, "--storage", remote);
    String moved = a.ok("move", "--project", "p", "--name", "o", "--new-project", "q").err();
    assertThat(moved).contains(" keeps " + other.substring(0, 8) + "'s record as it was until cairn upload --id " + other.substring(0, 8));
  }

  @Test
  void closeRunAgainAfterItsUploadWasCutOffFinishesTheUpload() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/a.txt"), "a");
    cli.ok("create", "--project", "p", "--name", "again", "--storage", remote);
    cli.ok("add", "--files", tmp.resolve("src").toString());
    cli.ok("close", "--disable-upload"); // as a close killed between its close and its upload leaves it
    Cli.Result again = cli.ok("close");
    assertThat(again.err()).contains("was closed already, but not uploaded there (a close with --disable-upload, one whose upload failed or was"
        + " stopped, or one still uploading it):"
        + " this close uploaded it");
    assertThat(again.out()).contains("Uploaded to ");
    assertThat(new Cli(tmp.resolve("other")).ok("get", "--project", "p", "--name", "again", "--storage", remote).exit()).isZero();
    assertThat(cli.fails("close").err()).as("nothing left to do").contains("Cannot close: ").contains("is final already");
  }

  @Test
  void aSyncWhoseParentIsOlderThanTheRemotesNewestSaysSo() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    Path mine = tmp.resolve("mine");
    write(mine.resolve("a.txt"), "a");
    alice.ok("sync", "--project", "team", "--name", "ds", "--folder", mine.toString(), "--storage", remote);
    bob.ok("get", "--project", "team", "--name", "ds", "--storage", remote);
    Path theirs = tmp.resolve("theirs");
    write(theirs.resolve("b.txt"), "b");
    Cli.Result first = bob.ok("sync", "--project", "team", "--name", "ds", "--folder", theirs.toString(), "--storage", remote);
    assertThat(first.err()).doesNotContain("newer than");
    write(mine.resolve("c.txt"), "c");
    // Alice's latest is 1.0.0; Bob's 1.0.1 is on the remote only: her 1.0.2 branches off beside it.
    Cli.Result branched = alice.ok("sync", "--project", "team", "--name", "ds", "--folder", mine.toString(), "--storage", remote);
    assertThat(branched.err()).contains("holds 1 version of team/ds newer than 1.0.0, the parent taken here, that are not in this"
        + " repository (the newest is 1.0.1): 1.0.2 branches off beside them")
        .contains("cairn get --storage " + remote + " --project team --name ds");
    alice.ok("get", "--project", "team", "--name", "ds", "--storage", remote);
    write(mine.resolve("d.txt"), "d");
    assertThat(alice.ok("sync", "--project", "team", "--name", "ds", "--folder", mine.toString(), "--storage", remote).err())
        .as("built on the newest").doesNotContain("newer than");
    // A repository with no version of the dataset starts a lineage of its own beside the remote's.
    Path hers = tmp.resolve("hers");
    write(hers.resolve("e.txt"), "e");
    assertThat(new Cli(tmp.resolve("carol")).ok("sync", "--project", "team", "--name", "ds", "--folder", hers.toString(), "--storage",
        remote).err()).contains("holds 4 versions of team/ds that this repository does not (the newest is 1.0.3): 1.0.4, made here"
            + " without a parent, starts a lineage beside them.");
  }

  /** Two first syncs of a dataset at once: the one whose upload ends last sees the other's version, and says so. */
  @Test
  void aFirstSyncWhoseUploadEndsAfterATeammatesSaysItStartsALineageBesideIt() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("mine/a.txt"), "a");
    write(tmp.resolve("theirs/b.txt"), "b");
    Files.createDirectories(tmp.resolve("remote"));
    alice.ok("init", "--storage", remote);
    // Alice's version is made (its string reserved there) while Bob's is not there yet; her upload fails.
    Path packs = Path.of(remote, "packs");
    Files.createDirectories(packs);
    Files.delete(packs);
    Files.writeString(packs, "not a folder");
    String[] hers = {"sync", "--project", "team", "--name", "pair", "--folder", tmp.resolve("mine").toString(), "--storage", remote};
    Cli.Result cut = alice.run(hers);
    assertThat(cut.exit()).as("her upload failed").isEqualTo(1);
    assertThat(cut.err()).doesNotContain("beside");
    Files.delete(packs);
    // Bob's first version is uploaded meanwhile: hers is not on the remote yet, so he is told nothing.
    Cli.Result his = bob.ok("sync", "--project", "team", "--name", "pair", "--folder", tmp.resolve("theirs").toString(), "--storage",
        remote);
    assertThat(his.err()).doesNotContain("beside");
    // Alice runs her sync again, which finishes her upload, and then sees his.
    Cli.Result again = alice.ok(hers);
    assertThat(again.err()).contains("holds 1 version of team/pair that this repository does not (the newest is 1.0.1): 1.0.0, made"
        + " here without a parent, starts a lineage beside them.");
  }

  @Test
  void aVersionMadeOnAParentFetchedInPartGetsTheRestFromTheParentsRemote() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String remote = tmp.resolve("remote").toString();
    Path src = tmp.resolve("src");
    write(src.resolve("a/one.txt"), "one");
    byte[] two = new byte[1 << 20]; // blocks of its own: a fetch of a/ leaves it on the remote
    new Random(2).nextBytes(two);
    Files.createDirectories(src.resolve("b"));
    Files.write(src.resolve("b/two.bin"), two);
    String parent = (String) a.ok("sync", "--project", "p", "--name", "part", "--folder", src.toString(), "--storage", remote, "--json")
        .obj().get("id");
    b.ok("get", "--id", parent, "--storage", remote, "--filter", "a/*");
    write(tmp.resolve("more/three.txt"), "three");
    String child = (String) b.ok("create", "--name", "part", "--parents", parent, "--json").obj().get("id");
    b.ok("add", "--files", tmp.resolve("more").toString());
    b.ok("close");
    // Its parent's file not here is not damage, and get, a copy and export fetch it from there.
    assertThat(b.ok("verify", "--id", child).out()).contains("not_fetched").contains("b/two.bin").doesNotContain("damaged");
    assertThat(b.ok("fsck").exit()).isZero();
    Path copy = tmp.resolve("copy");
    b.ok("get", "--id", child, "--copy", copy.toString());
    assertThat(Files.readAllBytes(copy.resolve("b/two.bin"))).isEqualTo(two);
    assertThat(Files.readString(copy.resolve("three.txt"))).isEqualTo("three");
    assertThat(b.ok("verify", "--id", child).out()).containsPattern("Verified \\S+ \\S+ \\([0-9a-f]{8}\\): no differences");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRemoteGivenAsARelativeFolderIsLoggedAsItsUriSoThatTheLineRunsAgainFromAnywhere() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    String relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("remote")).toString();
    String uri = tmp.resolve("remote").toUri().toString().replaceFirst("/$", "");
    Files.createDirectories(tmp.resolve("src"));
    Files.writeString(tmp.resolve("src/a.txt"), "a");
    String id = cli.ok("create", "--project", "p", "--name", "d", "--storage", relative, "--json").obj().get("id").toString();
    cli.ok("add", "--files", tmp.resolve("src").toString());
    cli.ok("close", "--disable-upload");
    cli.ok("upload", "--id", id, "--storage", relative);
    List<Map<String, Object>> log = (List<Map<String, Object>>) (List<?>) cli.ok("log", "--id", id, "--json").array();
    assertThat(log).filteredOn(e -> e.get("command").equals("create")).singleElement()
        .satisfies(e -> assertThat((List<String>) e.get("arguments")).containsSequence("--storage", uri));
    assertThat(log).filteredOn(e -> e.get("command").equals("upload")).singleElement()
        .satisfies(e -> assertThat((List<String>) e.get("arguments")).containsSequence("--storage", uri));
    // The upload a sync or close makes is logged as the upload command that does it: the line runs again.
    Files.writeString(tmp.resolve("src/b.txt"), "b");
    String next = cli.ok("sync", "--project", "p", "--name", "d", "--folder", tmp.resolve("src").toString(), "--storage", relative,
        "--json").obj().get("id").toString();
    List<Map<String, Object>> synced = (List<Map<String, Object>>) (List<?>) cli.ok("log", "--id", next, "--json").array();
    assertThat(synced).filteredOn(e -> e.get("command").equals("upload")).singleElement()
        .satisfies(e -> assertThat((List<String>) e.get("arguments")).containsExactly("--storage", uri));
    assertThat(cli.ok("upload", "--id", next, "--storage", uri).exit()).isZero(); // as logged, with its --id
  }

  @Test
  void aRecordRecoveredByRepairNamesTheRemoteThatHeldItAndAGetFromThereBringsBackItsDataAndRecord() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    String remote = Path.of(tmp.resolve("remote").toString()).toUri().toString().replaceFirst("/$", "");
    Files.createDirectories(tmp.resolve("a"));
    Files.write(tmp.resolve("a/a.bin"), new Random(7).ints(200_000).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining()).getBytes());
    Files.createDirectories(tmp.resolve("b"));
    Files.writeString(tmp.resolve("b/b.txt"), "another dataset on the same remote");
    String id = cli.ok("sync", "--project", "p", "--name", "a", "--folder", tmp.resolve("a").toString(), "--storage", remote, "--json")
        .obj().get("id").toString();
    cli.ok("tags", "--id", id, "--add", "gold");
    cli.ok("upload", "--id", id);
    cli.ok("sync", "--project", "p", "--name", "b", "--folder", tmp.resolve("b").toString(), "--storage", remote);
    Files.delete(cli.repo.resolve("refs/datasets/" + id + ".json"));
    assertThat(cli.ok("fsck", "--repair").out()).contains("recovered the record of version " + id);
    assertThat(cli.ok("show", "--id", id).out()).contains("; newly stored: not known (the record was recovered from the version object");
    try (var packs = Files.list(cli.repo.resolve("packs"))) {
      for (Path p : packs.toList()) {
        Files.delete(p);
      }
    }
    String shortId = id.substring(0, 8);
    Cli.Result fsck = cli.run("fsck");
    assertThat(fsck.exit()).isEqualTo(1);
    assertThat(fsck.out()).contains("  " + shortId + " (p/a 1.0.0): its record was recovered here from its version object, which"
        + " names no remote; " + remote + " held it when last read from here: cairn get --id " + shortId + " --storage " + remote
        + " fetches it (and that remote's record of it, with its tags and metadata)");
    Path copy = tmp.resolve("copy");
    cli.ok("get", "--id", shortId, "--storage", remote, "--copy", copy.toString());
    assertThat(Files.readAllBytes(copy.resolve("a.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("a/a.bin")));
    assertThat(cli.ok("show", "--id", shortId).out()).contains("gold").contains(remote);
  }

  @Test
  @SuppressWarnings("unchecked")
  void fsckSaysHowToGetDamagedDataBackOrThatNoCopyIsKnown() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    String remote = tmp.resolve("remote").toString();
    Random random = new Random(6);
    byte[] bytes = new byte[1 << 20]; // packs of their own, apart from the small manifests and records
    random.nextBytes(bytes);
    Files.createDirectories(tmp.resolve("up"));
    Files.write(tmp.resolve("up/u.bin"), bytes);
    random.nextBytes(bytes);
    Files.createDirectories(tmp.resolve("here"));
    Files.write(tmp.resolve("here/h.bin"), bytes);
    String up = (String) cli.ok("sync", "--project", "p", "--name", "up", "--folder", tmp.resolve("up").toString(), "--storage", remote,
        "--json").obj().get("id").toString().substring(0, 8);
    String here = cli.ok("sync", "--project", "p", "--name", "here", "--folder", tmp.resolve("here").toString(), "--json").obj()
        .get("id").toString().substring(0, 8);
    // Made for the remote, never uploaded there: no copy there either.
    random.nextBytes(bytes);
    Files.createDirectories(tmp.resolve("meant"));
    Files.write(tmp.resolve("meant/m.bin"), bytes);
    String meant = cli.ok("create", "--project", "p", "--name", "meant", "--storage", remote, "--json").obj().get("id").toString()
        .substring(0, 8);
    cli.ok("add", "--files", tmp.resolve("meant").toString());
    cli.ok("close", "--disable-upload");
    try (var packs = Files.list(cli.repo.resolve("packs"))) {
      for (Path p : packs.toList()) {
        if (Files.size(p) > 100_000) {
          try (var ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55, 0x55}), Files.size(p) / 2);
          }
        }
      }
    }
    // A get before the repair names the remote that holds the damaged data, and the way to it.
    assertThat(cli.fails("get", "--id", up, "--copy", tmp.resolve("early").toString()).err())
        .contains("checksum mismatch").contains(Path.of(remote).toUri().toString().replaceFirst("/$", "") + " holds this version: cairn fsck"
            + " --repair sets the damaged data aside, then this get fetches it again")
        .doesNotContain("fsck checks");
    assertThat(cli.fails("get", "--id", here).err()).contains("; cairn fsck checks the whole repository").doesNotContain("holds this");
    Cli.Result fsck = cli.run("fsck");
    assertThat(fsck.exit()).isEqualTo(1);
    assertThat(fsck.out()).contains("3 versions lack data here; after cairn fsck --repair (which keeps every intact object):\n")
        .contains("  " + meant + " (p/meant 1.0.0): never uploaded, so no copy is known")
        .contains("  " + up + " (p/up 1.0.0): get it again from its remote: cairn get --id " + up + " --storage ")
        .doesNotContain("a get brings back what its version lacks") // said of two or more to get from remotes
        .contains("  " + here + " (p/here 1.0.0): never uploaded, so no copy is known: adding its source files again to any draft stores lost"
            + " file data anew (cairn fsck then tells what is still missing); or cairn delete --id " + here);
    List<Map<String, Object>> damaged = (List<Map<String, Object>>) cli.run("fsck", "--json").obj().get("damaged_versions");
    assertThat(damaged).extracting(m -> m.get("id").toString().substring(0, 8) + " " + m.get("name") + " " + m.get("storage"))
        .containsExactlyInAnyOrder(up + " up " + Path.of(remote).toUri().toString().replaceFirst("/$", ""), here + " here null",
            meant + " meant " + Path.of(remote).toUri().toString().replaceFirst("/$", ""));

    // After the repair, what the uploaded version lacks is left for its remote to give (as a version
    // fetched in part); following the advice for the other leaves a healthy repository.
    // (Its version object lost with the pack and the index rebuilt, the one made for the remote reads
    // as one known here by its record alone, as an ancestor fetched with its child: not listed.)
    assertThat(cli.run("fsck", "--repair").out()).contains("1 version lacks data here:\n  " + here + " (p/here 1.0.0)")
        .doesNotContain(up + " (");
    cli.ok("get", "--id", up, "--storage", remote, "--copy", tmp.resolve("copy").toString());
    assertThat(Files.readAllBytes(tmp.resolve("copy/u.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("up/u.bin")));
    // Its source files added again to a draft: the lost data is stored anew, and the version reads whole.
    cli.ok("create", "--project", "p", "--name", "again");
    cli.ok("add", "--files", tmp.resolve("here").toString(), tmp.resolve("meant").toString());
    assertThat(cli.ok("fsck").out()).startsWith("ok: ").doesNotContain("lack");
    cli.ok("get", "--id", here, "--copy", tmp.resolve("here-copy").toString());
    assertThat(Files.readAllBytes(tmp.resolve("here-copy/h.bin"))).isEqualTo(Files.readAllBytes(tmp.resolve("here/h.bin")));
  }

  /** As dvc diff takes two revisions: compare --name N takes version strings, here and, with --storage, from a remote. */
  @Test
  void compareByVersionStrings() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/a.txt"), "a");
    a.ok("sync", "--project", "p", "--name", "cmp", "--folder", tmp.resolve("src").toString(), "--storage", remote);
    write(tmp.resolve("src/b.txt"), "b");
    write(tmp.resolve("src/a.txt"), "a, changed");
    a.ok("sync", "--project", "p", "--name", "cmp", "--folder", tmp.resolve("src").toString());
    assertThat(a.ok("compare", "--project", "p", "--name", "cmp", "--source", "1.0.0", "--target", "1.0.1").out())
        .isEqualTo("0 removed, 1 modified, 1 added\n");
    assertThat(a.ok("compare", "--name", "cmp", "--source", "1.0.1", "--target", "1.0.0", "--verbose").out())
        .contains("removed  b.txt\n", "modified a.txt\n");
    assertThat(a.fails("compare", "--name", "cmp", "--source", "1.0.0", "--target", "9.9.9").err()).contains("9.9.9");
    assertThat(a.fails("compare", "--project", "p", "--source", "1.0.0", "--target", "1.0.1").err())
        .isEqualTo("cairn: Cannot compare by --project without --name: add --name N, whose version strings --source and --target then are\n");
    // Another machine, from the remote: records and manifests only.
    Cli b = new Cli(tmp.resolve("b"));
    assertThat(b.ok("compare", "--name", "cmp", "--source", "1.0.0", "--target", "1.0.1", "--storage", remote).out())
        .isEqualTo("0 removed, 1 modified, 1 added\n");
  }

  @Test
  void fsckAdvisingSeveralGetsFromRemotesSaysOneMayServeTheOthers() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    String remote = tmp.resolve("remote").toString();
    byte[] bytes = new byte[1 << 20];
    new Random(8).nextBytes(bytes);
    Files.createDirectories(tmp.resolve("src"));
    Files.write(tmp.resolve("src/big.bin"), bytes);
    String v1 = cli.ok("sync", "--project", "p", "--name", "two", "--folder", tmp.resolve("src").toString(), "--storage", remote, "--json")
        .obj().get("id").toString().substring(0, 8);
    write(tmp.resolve("src/small.txt"), "s");
    String v2 = cli.ok("sync", "--project", "p", "--name", "two", "--folder", tmp.resolve("src").toString(), "--json").obj().get("id")
        .toString().substring(0, 8);
    try (var packs = Files.list(cli.repo.resolve("packs"))) {
      for (Path p : packs.toList()) {
        if (Files.size(p) > 100_000) { // the one that holds big.bin, which both versions have
          try (var ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55, 0x55}), Files.size(p) / 2);
          }
        }
      }
    }
    assertThat(cli.run("fsck").out()).contains("2 versions lack data here")
        .contains("  " + v1 + " (p/two 1.0.0): get it again from its remote").contains("  " + v2 + " (p/two 1.0.1): get it again from its remote")
        .contains("  (a get brings back what its version lacks, and so what the others share with it: run fsck again after each; should a"
            + " remote say one was deleted there since, get the next)\n");
  }

  @Test
  void fsckSaysALostVersionObjectComesBackFromItsRecordAndRepairBringsItBack() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    write(tmp.resolve("src/a.txt"), "alpha");
    String id = (String) cli.ok("sync", "--name", "solo", "--folder", tmp.resolve("src").toString(), "--json").obj().get("id");
    String versionObject = (String) cli.ok("show", "--id", id, "--json").obj().get("version_object");
    int dropped = 0;
    try (var packs = Files.list(cli.repo.resolve("packs"))) {
      for (Path p : packs.filter(p -> p.toString().endsWith(".pack")).toList()) {
        boolean onlyIt;
        try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
          onlyIt = pf.entries().stream().allMatch(e -> e.id().hex().equals(versionObject));
        }
        if (onlyIt) {
          Files.delete(p);
          dropped++;
        }
      }
    }
    assertThat(dropped).isEqualTo(1);
    Cli.Result fsck = cli.run("fsck");
    assertThat(fsck.exit()).isEqualTo(1);
    assertThat(fsck.out()).contains("  " + id.substring(0, 8) + " (solo 1.0.0): its lost version object can be rebuilt from its record: cairn fsck --repair");
    Cli.Result repaired = cli.run("fsck", "--repair");
    assertThat(repaired.exit()).isZero();
    assertThat(repaired.out()).contains("repaired: rebuilt the version object of " + id + " from its record").doesNotContain("lack");
    assertThat(cli.ok("fsck").out()).startsWith("ok: ");
    // Tagged since close: the record no longer gives the object back, and fsck says what can be done.
    cli.ok("tags", "--id", id, "--add", "gold");
    try (var packs = Files.list(cli.repo.resolve("packs"))) {
      for (Path p : packs.filter(p -> p.toString().endsWith(".pack")).toList()) {
        try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
          if (pf.entries().stream().anyMatch(e -> e.id().hex().equals(versionObject))) {
            Files.delete(p);
          }
        }
      }
    }
    cli.run("fsck", "--repair"); // the index forgets the object
    assertThat(cli.run("fsck").out()).contains("  " + id.substring(0, 8) + " (solo 1.0.0): only its version object is lost, and its"
        + " record changed since close, so it cannot be rebuilt; its files are intact: copy them out (cairn get --id " + id.substring(0, 8)
        + " --copy DIR), then delete it and make it again");
  }

  @Test
  void aVersionWhoseHistoryIsHereInPartIsUploadedWholeToAnotherRemote() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String first = tmp.resolve("first").toString();
    Random random = new Random(9);
    Path src = tmp.resolve("src");
    for (int i = 0; i < 4; i++) {
      byte[] bytes = new byte[300_000];
      random.nextBytes(bytes);
      Files.createDirectories(src);
      Files.write(src.resolve("f" + i + ".bin"), bytes);
    }
    a.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", first);
    b.ok("get", "--project", "p", "--name", "ds", "--storage", first);
    Files.delete(src.resolve("f0.bin"));
    write(src.resolve("f4.txt"), "four");
    b.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", first);
    write(src.resolve("f5.txt"), "five");
    String last = (String) b.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", first, "--json").obj()
        .get("id");

    // c knows the first two versions by their records, and holds a part of the last one only.
    Cli c = new Cli(tmp.resolve("c"));
    c.ok("get", "--id", last, "--storage", first, "--part", "1", "--num-parts", "4");
    String second = tmp.resolve("second").toString();
    // Marked incomplete (as a repair leaves it), where every object is looked up: still sent whole.
    write(tmp.resolve("second/locks/incomplete"), "1\n");
    Cli.Result up = c.run("upload", "--id", last, "--storage", second);
    assertThat(up.exit()).as(up.err()).isZero();
    assertThat(c.ok("fsck", "--storage", second).out()).contains("ok: ").contains("; 0 errors");
    Cli d = new Cli(tmp.resolve("d"));
    Path copy = tmp.resolve("copy");
    d.ok("get", "--id", last, "--storage", second, "--copy", copy.toString());
    assertThat(GcLikeSnapshot.of(copy)).isEqualTo(GcLikeSnapshot.of(src));
    assertThat(d.ok("search", "--storage", second, "--json").array()).hasSize(3);
  }

  @Test
  void aVersionOnlyReservedOnItsRemoteMayTakeAnotherStringWhichGivesTheFirstBack() throws IOException {
    String remote = tmp.resolve("team").toString();
    Cli a = new Cli(tmp.resolve("a"));
    String mine = (String) a.ok("create", "--project", "p", "--name", "sv", "--storage", remote, "--json").obj().get("id");
    write(tmp.resolve("src/a.txt"), "a");
    a.ok("add", "--files", tmp.resolve("src").toString());
    a.ok("close", "--disable-upload"); // as a close whose upload failed leaves it: 1.0.0 reserved there, no record
    assertThat(a.ok("set-version", "--id", mine, "--new-version", "2.0.0").out()).contains("is now version 2.0.0");
    // 1.0.0 is free there again for a teammate; the upload takes 2.0.0.
    Cli b = new Cli(tmp.resolve("b"));
    assertThat(b.ok("create", "--project", "p", "--name", "sv", "--storage", remote, "--json").obj()).containsEntry("version", "1.0.0");
    a.ok("upload", "--id", mine);
    assertThat(a.fails("set-version", "--id", mine, "--new-version", "3.0.0").err()).contains("where that string is reserved for it");
  }

  @Test
  void aGetByIdOfAVersionNotHereLooksOnTheOneRemoteThisRepositorysVersionsAreOn() throws IOException {
    String remote = tmp.resolve("team").toString();
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    Path src = tmp.resolve("src");
    write(src.resolve("one.txt"), "one");
    Cli a = new Cli(tmp.resolve("a"));
    String first = (String) a.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", remote, "--json")
        .obj().get("id");
    Cli b = new Cli(tmp.resolve("b"));
    b.ok("get", "--id", first, "--storage", remote);
    write(src.resolve("two.txt"), "two");
    String second = (String) b.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--json").obj().get("id");
    // As clearml asks its server: a's versions are all on one remote, so a teammate's version is looked for there.
    Cli.Result got = a.ok("get", "--id", second.substring(0, 8), "--copy", tmp.resolve("copy").toString());
    assertThat(got.err()).contains("cairn: note: " + second.substring(0, 8) + " was not here: it came from " + uri
        + ", where this repository's versions are");
    assertThat(tmp.resolve("copy/two.txt")).hasContent("two");
    // That remote gone (a share not mounted): the version is first of all not here.
    Files.move(Path.of(remote), tmp.resolve("team-away"));
    String unknown = "0123456789abcdef";
    assertThat(a.fails("get", "--id", unknown).err()).startsWith("cairn: Cannot find dataset version " + unknown + " locally, and " + uri
        + ", where this repository's versions are, could not be asked (").endsWith("); give --storage URI to fetch it\n");
    Files.move(tmp.resolve("team-away"), Path.of(remote));
    // With versions on two remotes, which one is not guessed: both are named.
    a.ok("sync", "--project", "p", "--name", "other", "--folder", src.toString(), "--storage", tmp.resolve("second").toString());
    assertThat(a.fails("get", "--id", unknown).err()).isEqualTo("cairn: Cannot find dataset version " + unknown + " locally (give"
        + " --storage URI to fetch it; this repository's versions are on " + tmp.resolve("second").toUri().toString().replaceFirst("/$",
        "") + " and " + uri + ")\n");
  }

  @Test
  void aDraftWhoseParentATeammateDeletedThereSaysSoWhenItsCloseCannotUpload() throws IOException {
    String remote = tmp.resolve("team").toString();
    Path src = tmp.resolve("src");
    write(src.resolve("one.txt"), "one");
    write(src.resolve("two.txt"), "two");
    Cli a = new Cli(tmp.resolve("a"));
    String x = (String) a.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", remote, "--json")
        .obj().get("id");
    Cli b = new Cli(tmp.resolve("b"));
    b.ok("create", "--project", "p", "--name", "ds", "--parents", x, "--storage", remote); // its record and manifest, not its files
    write(tmp.resolve("new/three.txt"), "three");
    b.ok("add", "--files", tmp.resolve("new").toString());
    a.ok("delete", "--id", x, "--storage", remote, "--force");
    a.ok("gc", "--storage", remote);
    Cli.Result close = b.run("close");
    assertThat(close.exit()).isEqualTo(1);
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    assertThat(close.err()).contains("neither here nor there: its parent " + x.substring(0, 8) + " was deleted on " + uri + " after it"
        + " was fetched here in part, and its data collected there; an upload of " + x.substring(0, 8) + " from a repository holding"
        + " it whole brings that back");
    // As it says: a's upload puts the parent back, and b's version goes.
    a.ok("upload", "--id", x, "--storage", remote);
    b.ok("upload");
  }

  @Test
  void aVersionWhoseParentWasDeletedOnItsRemoteIsUploadedElsewhereAlone() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String first = tmp.resolve("first").toString();
    Path src = tmp.resolve("src");
    write(src.resolve("one.txt"), "one");
    String oldest = (String) a.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", first, "--json")
        .obj().get("id");
    write(src.resolve("two.txt"), "two");
    String middle = (String) a.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", first, "--json")
        .obj().get("id");
    write(src.resolve("three.txt"), "three");
    write(src.resolve("two.txt"), "two, changed"); // the base (the parent) holds what the version replaced
    String last = (String) a.ok("sync", "--project", "p", "--name", "ds", "--folder", src.toString(), "--storage", first, "--json")
        .obj().get("id");
    // b fetched the last version before its parent was deleted there and collected; c after.
    Cli b = new Cli(tmp.resolve("b"));
    b.ok("get", "--id", last, "--storage", first);
    a.ok("delete", "--id", middle, "--storage", first, "--force");
    a.ok("gc", "--storage", first);
    Cli c = new Cli(tmp.resolve("c"));
    c.ok("get", "--id", last, "--storage", first);
    int n = 0;
    for (Cli holder : List.of(b, c)) {
      String second = tmp.resolve("second-" + n++).toString();
      Cli.Result up = holder.run("upload", "--id", last, "--storage", second);
      assertThat(up.exit()).as(up.err()).isZero();
      Path copy = tmp.resolve("copy-" + n);
      new Cli(tmp.resolve("d-" + n)).ok("get", "--id", last, "--storage", second, "--copy", copy.toString());
      assertThat(GcLikeSnapshot.of(copy)).isEqualTo(GcLikeSnapshot.of(src));
      assertThat(holder.ok("fsck", "--storage", second).out()).startsWith("ok: ");
    }
    // c's fetch found the parent deleted there: not lost here, so fsck says nothing of it, and show names where it went.
    String firstUri = Path.of(first).toUri().toString().replaceFirst("/$", "");
    assertThat(c.ok("fsck").out()).startsWith("ok: ").doesNotContain(middle);
    // Its version object, which the remote keeps for its child's lineage, came with the fetch: the
    // lineage goes on past it, to the oldest version, whose record came too.
    assertThat(c.ok("show", "--id", last, "--lineage").out()).contains(middle.substring(0, 8) + "  deleted on " + firstUri
        + "  <- " + oldest.substring(0, 8) + "\n").contains(oldest.substring(0, 8) + "  p/ds 1.0.0\n");
    Cli.Result graph = c.ok("show", "--id", last, "--lineage", "--json");
    assertThat(graph.obj()).containsEntry(middle, List.of(oldest)).containsEntry(oldest, List.of());
    assertThat(graph.err()).isEmpty();
    assertThat(c.ok("compare", "--source", oldest, "--target", last, "--storage", first).out()).contains("2 added");
    assertThat(c.fails("get", "--id", middle).err()).isEqualTo("cairn: Cannot find dataset version " + middle + " locally: it was deleted"
        + " on " + firstUri + " when a version descending from it was fetched (if it is back there: cairn get --id " + middle.substring(0, 8)
        + " --storage " + firstUri + ")\n");
    // A record lost here (not deleted anywhere) is still warned of.
    Files.delete(tmp.resolve("b/refs/datasets/" + middle + ".json"));
    assertThat(b.run("fsck").out()).contains("parent " + middle + "'s record is not here (deleted on the remote");
  }

  @Test
  void aLockFileIsRestoredOnAnotherMachineFromTheRemote() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    a.ok("get", "--id", id, "--alias", "train", "--run", "r1");
    Path lock = tmp.resolve("data.lock");
    assertThat(a.ok("lock", "--run", "r1", "--output", lock.toString()).err()).as("on a remote: nothing to say").isEmpty();
    assertThat(Files.readString(lock)).contains("\"storage\": \"" + Path.of(remote).toUri().toString().replaceFirst("/$", ""));
    // The lock names the remote each version is on: a machine with no repository yet restores it from there, as one would
    // given --storage.
    Cli b = new Cli(tmp.resolve("b"));
    Path fromLock = Path.of(b.ok("get", "--lock", lock.toString()).lastLine());
    assertThat(Files.readString(fromLock.resolve("x.txt"))).isEqualTo("x");
    Cli empty = new Cli(tmp.resolve("empty"));
    empty.ok("init");
    assertThat(Files.readString(Path.of(empty.ok("get", "--lock", lock.toString()).lastLine()).resolve("x.txt"))).isEqualTo("x");
    // A lock written before locks named remotes: --storage says where.
    Path old = tmp.resolve("old.lock");
    Files.writeString(old, Files.readString(lock).replaceAll(",\\s*\"storage\": \"[^\"]*\"", ""));
    assertThat(Files.readString(old)).doesNotContain("storage");
    Cli older = new Cli(tmp.resolve("older"));
    assertThat(older.fails("get", "--lock", old.toString()).err()).contains("no Cairn repository").contains("the lock file names no remote");
    assertThat(older.repo).doesNotExist();
    Path restored = Path.of(older.ok("get", "--lock", old.toString(), "--storage", remote).lastLine());
    assertThat(Files.readString(restored.resolve("x.txt"))).isEqualTo("x");
    // Once its record is here, the version's own remote serves a copy of data not fetched yet.
    Cli c = new Cli(tmp.resolve("c"));
    c.ok("list", "--id", id, "--storage", remote);
    Path copy = tmp.resolve("copy");
    c.ok("get", "--lock", lock.toString(), "--copy", copy.toString());
    assertThat(Files.readString(copy.resolve("x.txt"))).isEqualTo("x");
    // A filter that matches nothing of one version of several: warned of, the others got.
    write(tmp.resolve("val/y.csv"), "y");
    String val = (String) a.ok("sync", "--project", "p", "--name", "v", "--folder", tmp.resolve("val").toString(), "--storage", remote,
        "--json").obj().get("id");
    a.ok("get", "--id", val, "--alias", "val", "--run", "r1");
    Path two = tmp.resolve("two.lock");
    a.ok("lock", "--run", "r1", "--output", two.toString());
    Cli.Result csv = b.ok("get", "--lock", two.toString(), "--storage", remote, "--filter", "*.csv");
    assertThat(csv.err()).isEqualTo("cairn: warning: no file of train (" + id.substring(0, 8) + ") matches --filter *.csv: its folder is"
        + " empty\n");
    assertThat(csv.out()).contains("val\t");
    // Several versions: a line "alias<TAB>folder" each; --json's path is the folder holding them with --copy, else none.
    assertThat(csv.out().lines()).hasSize(2).allMatch(l -> l.matches("(train|val)\t/.*"));
    Map<String, Object> copied = b.ok("get", "--lock", two.toString(), "--copy", tmp.resolve("both").toString(), "--json").obj();
    assertThat(copied).containsEntry("path", tmp.resolve("both").toAbsolutePath().toString());
    assertThat(b.ok("get", "--lock", two.toString(), "--json").obj()).containsEntry("path", null);
    // The remote a lock names moved: --storage says where it went, for the versions not found where the lock says.
    Path moved = tmp.resolve("remote-moved");
    Files.move(Path.of(remote), moved);
    Cli.Result fromMoved = new Cli(tmp.resolve("e")).ok("get", "--lock", lock.toString(), "--storage", moved.toString());
    assertThat(fromMoved.err()).contains("cairn: note: could not fetch train (" + id.substring(0, 8) + ") from ")
        .contains("which the lock names (").contains("trying --storage " + moved);
    assertThat(Files.readString(Path.of(fromMoved.lastLine()).resolve("x.txt"))).isEqualTo("x");
    assertThat(new Cli(tmp.resolve("f")).fails("get", "--lock", lock.toString()).err()).contains("no Cairn repository at ")
        .contains("(the remote the lock file names, " + Path.of(remote).toUri().toString().replaceFirst("/$", "") + ", holds no Cairn data"
        + " now (moved?): get --lock " + lock + " --storage URI fetches them from its new place, making a repository;");
    // Where there is a repository, the version is named, with what to do.
    Cli h = new Cli(tmp.resolve("h"));
    h.ok("init");
    assertThat(h.fails("get", "--lock", lock.toString()).err()).startsWith("cairn: Cannot restore train (" + id.substring(0, 8) + ") from "
        + Path.of(remote).toUri().toString().replaceFirst("/$", "") + ", which the lock names: ").endsWith("; if that remote moved, give"
        + " --storage with its new place\n");
    Files.move(moved, Path.of(remote));
    // A --storage that is no remote is not tried while the lock's own remote serves.
    Path viaLock = Path.of(new Cli(tmp.resolve("g")).ok("get", "--lock", lock.toString(), "--storage", tmp.resolve("nowhere").toString())
        .lastLine());
    assertThat(Files.readString(viaLock.resolve("x.txt"))).isEqualTo("x");
    // A version made for a remote but closed without its upload is on none: its lock names no remote.
    write(tmp.resolve("kept/z.txt"), "z");
    a.ok("create", "--project", "p", "--name", "kept", "--storage", tmp.resolve("never").toString());
    a.ok("add", "--files", tmp.resolve("kept").toString());
    a.ok("close", "--disable-upload");
    a.ok("get", "--name", "kept", "--project", "p", "--alias", "kept", "--run", "r2");
    Path keptLock = tmp.resolve("kept.lock");
    a.ok("lock", "--run", "r2", "--output", keptLock.toString());
    assertThat(Files.readString(keptLock)).doesNotContain("storage");
  }

  @Test
  void getJsonSaysWhatItDownloadedAndASecondGetDownloadsNothing() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    Files.createDirectories(tmp.resolve("dl"));
    byte[] big = new byte[200_000];
    new Random(5).nextBytes(big); // incompressible: what is downloaded is about its size
    Files.write(tmp.resolve("dl/big.bin"), big);
    String id = (String) a.ok("sync", "--project", "p", "--name", "dl", "--folder", tmp.resolve("dl").toString(), "--storage", remote,
        "--json").obj().get("id");
    Cli b = new Cli(tmp.resolve("b"));
    assertThat((Long) b.ok("get", "--id", id, "--storage", remote, "--json").obj().get("downloaded_bytes")).isGreaterThan(150_000L);
    assertThat(b.ok("get", "--id", id, "--storage", remote, "--json").obj()).containsEntry("downloaded_bytes", 0L);
    assertThat(b.ok("get", "--id", id, "--copy", tmp.resolve("c").toString(), "--json").obj()).containsEntry("downloaded_bytes", 0L);
  }

  @Test
  void createNamedWithoutItsProjectTakesTheProjectTheRemoteHoldsItIn() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    a.ok("sync", "--project", "vision", "--name", "animals", "--folder", tmp.resolve("src").toString(), "--storage", remote);
    // A fresh repository: no dataset of that name here, but the remote holds one.
    Cli b = new Cli(tmp.resolve("b"));
    assertThat(b.ok("create", "--name", "animals", "--storage", remote, "--json").obj()).containsEntry("project", "vision")
        .containsEntry("version", "1.0.1");
    assertThat(new Cli(tmp.resolve("c")).ok("create", "--name", "plants", "--storage", remote, "--json").obj()).containsEntry("project", "");
  }

  @Test
  void aMoveIsRefusedWhenARemoteHoldingACopyHasTheNewNameTaken() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String own = tmp.resolve("own").toString();
    String copies = tmp.resolve("copies").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "k", "--name", "d", "--folder", tmp.resolve("src").toString(), "--storage", own,
        "--json").obj().get("id");
    a.ok("upload", "--id", id, "--storage", copies);
    Cli b = new Cli(tmp.resolve("b"));
    write(tmp.resolve("other/y.txt"), "y");
    b.ok("sync", "--project", "k2", "--name", "d", "--folder", tmp.resolve("other").toString(), "--storage", copies);
    // The copy could never be uploaded again under the new name: refused, as on the version's own remote.
    assertThat(a.fails("move", "--project", "k", "--name", "d", "--new-project", "k2").err())
        .startsWith("cairn: Cannot move d to project k2: k2/d already has version 1.0.0 on " + Path.of(copies).toUri().toString()
            .replaceFirst("/$", ""));
    assertThat(a.ok("show", "--id", id, "--json").obj()).containsEntry("project", "k");
  }

  @Test
  void getByNameWithATeamRemoteTakesItsNewerVersion() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();
    String v1 = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote, "--json").obj().get("id");
    Cli b = new Cli(tmp.resolve("b"));
    assertThat(b.ok("get", "--project", "p", "--name", "n", "--storage", remote, "--json").obj()).containsEntry("id", v1);
    write(tmp.resolve("src/y.txt"), "y");
    String v2 = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--json").obj().get("id"); // to the parent's remote
    String v2before = v2;
    // Without a team remote, by name asks the dataset's own (where its versions here came from), as
    // clearml asks its server: a teammate's newer version.
    Path got = Path.of(b.ok("get", "--project", "p", "--name", "n").lastLine());
    assertThat(got.resolve("y.txt")).hasContent("y");
    assertThat(b.ok("show", "--project", "p", "--name", "n", "--json").obj()).containsEntry("id", v2);
    // A lock file of a run that used a version not here: fetched from that remote too, without --storage.
    write(tmp.resolve("src/w.txt"), "w");
    String v2b = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--json").obj().get("id");
    a.ok("get", "--id", v2b, "--alias", "train", "--run", "r1");
    a.ok("lock", "--run", "r1", "--output", tmp.resolve("r1.lock").toString());
    Path locked = Path.of(b.ok("get", "--lock", tmp.resolve("r1.lock").toString()).lastLine());
    assertThat(locked.resolve("w.txt")).hasContent("w");
    Files.delete(tmp.resolve("src/w.txt"));
    String v2c = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--json").obj().get("id");
    // With a team remote (remote.default, or $CAIRN_STORAGE), as --storage would.
    Files.writeString(tmp.resolve("b/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    assertThat(b.ok("get", "--project", "p", "--name", "n", "--json").obj()).containsEntry("id", v2c);
    v2 = v2c;
    // A version made here, newer than the remote's, is the one taken.
    write(tmp.resolve("src/z.txt"), "z");
    String v3 = (String) b.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--disable-upload", "--json").obj().get("id");
    assertThat(b.ok("get", "--project", "p", "--name", "n", "--json").obj()).containsEntry("id", v3);
    // search lists the team remote's versions that are not here too, as a clearml server lists a team's.
    write(tmp.resolve("src/t.txt"), "t");
    String v4 = (String) a.ok("sync", "--project", "p", "--name", "n", "--parents", v2, "--folder", src, "--json").obj().get("id");
    assertThat(b.ok("search", "--name", "^n$", "--json").array()).extracting(m -> m.get("id"))
        .containsExactly(v1, v2before, v2b, v2, v3, v4);
    // A team remote that cannot be asked leaves the highest here, said.
    Files.move(Path.of(remote), tmp.resolve("remote-away"));
    Files.writeString(Path.of(remote), "not a folder");
    Cli.Result offline = b.ok("get", "--project", "p", "--name", "n", "--json");
    assertThat(offline.obj()).containsEntry("id", v3);
    assertThat(offline.err()).startsWith("cairn: warning: could not ask " + remote + " for a newer version (").contains("); the highest"
        + " here, 1.0.4, is used");
    Cli.Result listedHere = b.ok("search", "--name", "^n$", "--json");
    assertThat(listedHere.array()).extracting(m -> m.get("id")).containsExactly(v1, v2before, v2b, v2, v3);
    assertThat(listedHere.err()).startsWith("cairn: warning: could not list the versions on " + remote + " (").endsWith("); those here"
        + " are listed\n");
  }

  @Test
  void showAndListAskTheTeamRemoteForAVersionNotHereAsGetDoes() throws IOException {
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    Cli a = new Cli(tmp.resolve("a"));
    String v1 = (String) a.ok("sync", "--project", "q", "--name", "w", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    Cli b = new Cli(tmp.resolve("b"));
    b.ok("init");
    assertThat(b.fails("show", "--id", v1.substring(0, 8)).err()).contains("no version id starts with " + v1.substring(0, 8) + " here");
    Files.writeString(tmp.resolve("b/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    assertThat(b.ok("show", "--id", v1.substring(0, 8), "--json").obj()).containsEntry("id", v1);
    assertThat(b.ok("list", "--project", "q", "--name", "w").out()).contains("x.txt");
    // What the remote has not either is said as it is here.
    assertThat(b.fails("list", "--project", "q", "--name", "nope").err()).isEqualTo("cairn: Cannot find dataset version: no dataset q/nope"
        + " here\n");
    // A version deleted here stays deleted: not fetched again unasked.
    b.ok("delete", "--id", v1);
    // It says where it was uploaded, and how to fetch it again from there.
    assertThat(b.fails("show", "--id", v1).err()).isEqualTo("cairn: Cannot find dataset version: version " + v1 + " was deleted here; it"
        + " was uploaded to file://" + remote + " before (cairn get --id " + v1.substring(0, 8) + " --storage file://" + remote
        + " fetches it again)\n");
    assertThat(b.fails("list", "--project", "q", "--name", "w").err()).contains("no dataset q/w here");
    assertThat(b.fails("show", "--id", v1.substring(0, 8)).err()).contains("was deleted");
    // A command that checks what is here does not fetch it.
    assertThat(b.fails("verify", "--id", v1.substring(0, 8)).err()).contains("was deleted");
    Cli c = new Cli(tmp.resolve("c"));
    c.ok("init");
    Files.writeString(tmp.resolve("c/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    assertThat(c.fails("verify", "--id", v1).err()).contains("no version");
    // A team remote that cannot be read: the answer here, and a note.
    Files.writeString(tmp.resolve("c/config"), Files.readString(tmp.resolve("c/config")).replace("remote.default = " + remote,
        "remote.default = " + tmp.resolve("gone")));
    Cli.Result offline = c.run("show", "--id", v1);
    assertThat(offline.exit()).isEqualTo(1);
    assertThat(offline.err()).contains("cairn: note: could not ask ").contains("no version");
  }

  @Test
  void getByNameWithATeamRemoteTakesTheHighestClosedVersionNotADraft() throws IOException {
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    Cli f = new Cli(tmp.resolve("f"));
    String v1 = (String) f.ok("sync", "--project", "q", "--name", "w", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    Cli e = new Cli(tmp.resolve("e"));
    e.ok("init");
    Files.writeString(tmp.resolve("e/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    // A draft here, its version string reserved on the team remote: get by name takes 1.0.0, as without the remote.
    String draft = (String) e.ok("create", "--project", "q", "--name", "w", "--json").obj().get("id");
    assertThat(e.ok("show", "--id", draft, "--json").obj()).containsEntry("version", "1.0.1");
    assertThat(e.ok("get", "--project", "q", "--name", "w", "--json").obj()).containsEntry("id", v1);
    // A teammate's draft there is passed over too.
    Cli g = new Cli(tmp.resolve("g"));
    g.ok("init");
    Files.writeString(tmp.resolve("g/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    assertThat(g.ok("get", "--project", "q", "--name", "w", "--json").obj()).containsEntry("id", v1);
    // A version made apart under the string the team's holds: the one here is used, said so.
    write(tmp.resolve("src2/other.txt"), "other");
    Cli h = new Cli(tmp.resolve("h"));
    String apart = (String) h.ok("sync", "--project", "q", "--name", "w", "--folder", tmp.resolve("src2").toString(), "--json").obj()
        .get("id");
    Files.writeString(tmp.resolve("h/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    Cli.Result both = h.ok("get", "--project", "q", "--name", "w", "--json");
    assertThat(both.obj()).containsEntry("id", apart);
    assertThat(both.err()).startsWith("cairn: warning: q/w version 1.0.0 is " + apart.substring(0, 8) + " here but " + v1.substring(0, 8)
        + " on " + remote + " (two versions made apart under one string); the one here is used (cairn get --id " + v1.substring(0, 8));
  }

  @Test
  void getByNameDoesNotBringBackAVersionDeletedHereFromARemoteNoOptionNamed() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();
    String v1 = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote, "--json").obj().get("id");
    write(tmp.resolve("src/y.txt"), "y");
    String v2 = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--json").obj().get("id");
    a.ok("delete", "--id", v2);
    // The dataset's own remote still holds 1.0.1: get by name takes 1.0.0, and says why.
    Cli.Result got = a.ok("get", "--project", "p", "--name", "n", "--json");
    assertThat(got.obj()).containsEntry("id", v1);
    assertThat(got.err()).isEqualTo("cairn: note: version 1.0.1 (" + v2.substring(0, 8) + ") on " + uri + " was deleted here, so version"
        + " 1.0.0 is taken (give --storage " + uri + " to fetch 1.0.1 again)\n");
    assertThat(a.ok("search", "--name", "^n$", "--json").array()).extracting(m -> m.get("id")).containsExactly(v1);
    // Asked for by its version string: refused, with the way to have it again.
    assertThat(a.fails("get", "--project", "p", "--name", "n", "--version", "1.0.1").err()).isEqualTo("cairn: Cannot get p/n: version 1.0.1 ("
        + v2.substring(0, 8) + ") on " + uri + " was deleted here (give --storage " + uri + " to fetch it again)\n");
    // A team remote lists and gives no more of it than the dataset's own remote.
    Files.writeString(tmp.resolve("a/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    assertThat(a.ok("get", "--project", "p", "--name", "n", "--json").obj()).containsEntry("id", v1);
    assertThat(a.ok("search", "--name", "^n$", "--json").array()).extracting(m -> m.get("id")).containsExactly(v1);
    // A version found neither here nor there is said to be missing from both.
    assertThat(a.fails("get", "--project", "p", "--name", "n", "--version", "9.9.9").err()).endsWith("version 9.9.9 here or on " + remote
        + "; the highest version of p/n is 1.0.0\n");
    // Named, the remote gives it back, as git fetch would.
    assertThat(a.ok("get", "--project", "p", "--name", "n", "--storage", remote, "--json").obj()).containsEntry("id", v2);
    assertThat(a.ok("search", "--name", "^n$", "--json").array()).extracting(m -> m.get("id")).containsExactly(v1, v2);
  }

  @Test
  void aChangeToAnUploadedRecordIsSentToItsRemotesAtOnce() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    Cli b = new Cli(tmp.resolve("b"));
    b.ok("get", "--id", id, "--storage", remote); // b's copy of the record is the first one
    for (String[] change : List.of(new String[] {"publish"}, new String[] {"tags", "--add", "gold"},
        new String[] {"metadata", "--set", "k=v"}, new String[] {"set-description", "--description", "d"})) {
      assertThat(a.ok(change).err()).as(change[0]).isEqualTo("cairn: note: sent the change to " + uri + "\n");
    }
    assertThat(a.ok("tags").err()).as("a listing changes nothing").doesNotContain("note:");
    // As a clearml server shows it: another repository finds the change on the remote with no upload.
    assertThat(new Cli(tmp.resolve("c")).ok("search", "--storage", remote, "--tags", "gold", "--json").array())
        .extracting(m -> m.get("id")).containsExactly(id);
    // A copy on a second remote: each gets it.
    String second = tmp.resolve("second").toString();
    a.ok("upload", "--id", id, "--storage", second);
    assertThat(a.ok("tags", "--add", "copied").err().lines().filter(l -> l.startsWith("cairn: note: sent the change to"))).hasSize(2);
    assertThat(new Cli(tmp.resolve("d")).ok("show", "--id", id, "--storage", second, "--json").obj())
        .containsEntry("tags", List.of("gold", "copied"));
    a.ok("tags", "--remove", "copied");
    // A remote that cannot take it keeps the old record, said with what sends it later; the change here stands.
    Path moved = tmp.resolve("second-moved");
    Files.move(Path.of(second), moved);
    Files.writeString(Path.of(second), "not a folder any more");
    Cli.Result offline = a.ok("metadata", "--set", "k=w");
    assertThat(offline.err()).contains("cairn: warning: " + Path.of(second).toUri().toString().replaceFirst("/$", "") + " keeps "
        + id.substring(0, 8) + "'s record as it was (").contains("); cairn upload --id " + id.substring(0, 8) + " --storage ");
    assertThat(a.ok("metadata", "--json").obj()).containsEntry("metadata", java.util.Map.of("k", "w"));
    // A remote moved away, or a share not mounted, is not made again by a change to a record (as an
    // upload to it is refused): nothing is written there, and the warning says what sends it later.
    Files.delete(Path.of(second));
    for (String[] change : List.of(new String[] {"tags", "--add", "away"}, new String[] {"metadata", "--set", "k=x"},
        new String[] {"set-description", "--description", "moved"})) {
      assertThat(a.ok(change).err()).as(change[0]).contains("keeps " + id.substring(0, 8) + "'s record as it was (its record there could"
          + " not be read: ");
      assertThat(Path.of(second)).as(change[0]).doesNotExist();
    }
    a.ok("tags", "--remove", "away");
    // show --storage takes the remote's newer record, as get --storage does.
    assertThat(b.ok("show", "--id", id, "--json").obj()).containsEntry("state", "final");
    assertThat(b.ok("show", "--id", id, "--storage", remote, "--json").obj())
        .containsEntry("state", "published").containsEntry("tags", List.of("gold"));
    // A mistyped (or unreachable) remote is said to be one; what is here still answers.
    assertThat(b.ok("get", "--id", id, "--storage", tmp.resolve("remot").toString()).err())
        .contains("could not read " + id.substring(0, 8) + "'s record on").contains("nothing is there (no cairn-remote; a mistyped or moved location?)").contains("the local one is used");
  }

  @Test
  void aRecordChangeIsNotSentToARemoteThatDeletedTheVersion() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String remote = tmp.resolve("remote").toString();
    String uri = "file://" + remote;
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    b.ok("get", "--id", id, "--storage", remote);
    a.ok("delete", "--id", id, "--storage", remote);
    // A tag on b's copy: kept here, said, and the teammate's delete stands there.
    Cli.Result tagged = b.ok("tags", "--id", id, "--add", "late");
    assertThat(tagged.err()).isEqualTo("cairn: warning: " + uri + " deleted " + id.substring(0, 8) + " since it was uploaded: the change"
        + " stays here (cairn upload --id " + id.substring(0, 8) + " --storage " + uri + " would bring the version back there)\n");
    assertThat(b.ok("tags", "--id", id).out()).isEqualTo("late\n");
    assertThat(new Cli(tmp.resolve("c")).ok("search", "--storage", remote, "--json").array()).isEmpty();
  }

  @Test
  void anUploadToASecondRemoteMakesACopyThereAndTheFirstStaysTheVersionsOwn() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String first = tmp.resolve("first").toString();
    String second = tmp.resolve("second").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", first,
        "--json").obj().get("id");
    Cli.Result copied = a.ok("upload", "--id", id, "--storage", second, "--json");
    assertThat(copied.err()).contains("own remote stays " + Path.of(first).toUri().toString().replaceFirst("/$", ""));
    assertThat(copied.obj().get("storage")).isEqualTo(Path.of(second).toUri().toString().replaceFirst("/$", ""));
    assertThat((String) a.ok("show", "--id", id, "--json").obj().get("storage")).contains("first");
    // Uploading again to the second remote publishes nothing new: its upload is logged once.
    assertThat(a.ok("upload", "--id", id, "--storage", second, "--json").obj()).containsEntry("up_to_date", true);
    a.ok("upload", "--id", id, "--storage", second);
    assertThat(a.ok("log", "--id", id, "--json").array()).filteredOn(e -> e.get("command").equals("upload")).hasSize(2);
    // A draft created against one remote and closed to another was never on the first: the second is its own.
    String draft = (String) a.ok("create", "--project", "p", "--name", "d", "--storage", first, "--json").obj().get("id");
    a.ok("add", "--files", tmp.resolve("src").toString());
    assertThat(a.ok("close", "--storage", second).out()).contains("Uploaded to " + Path.of(second).toUri().toString().replaceFirst("/$", ""));
    assertThat((String) a.ok("show", "--id", draft, "--json").obj().get("storage")).contains("second");
    a.ok("metadata", "--id", id, "--set", "k=v");
    assertThat(a.ok("upload", "--id", id).out()).contains("first");
    Map<String, Object> there = new Cli(tmp.resolve("b")).ok("show", "--id", id, "--storage", first, "--json").obj();
    assertThat((Map<String, Object>) there.get("metadata")).containsEntry("k", "v");
  }

  @Test
  void aSquashUploadsToTheRemoteItIsGiven() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    String x = syncedVersion(a, "x");
    String y = syncedVersion(a, "y");
    // Another repository took xy's first string there: the squash takes the next, as create does.
    new Cli(tmp.resolve("c")).ok("create", "--project", "p", "--name", "xy", "--storage", remote);
    Map<String, Object> squashed = a.ok("squash", "--name", "xy", "--ids", x, y, "--storage", remote, "--json").obj();
    assertThat((Long) squashed.get("uploaded_objects")).isPositive();
    assertThat(squashed).containsEntry("version", "1.0.1");
    Cli b = new Cli(tmp.resolve("b"));
    Path copy = Path.of(b.ok("get", "--project", "p", "--name", "xy", "--storage", remote).lastLine());
    assertThat(Files.readString(copy.resolve("x.txt")) + Files.readString(copy.resolve("y.txt"))).isEqualTo("xy");
    assertThat(a.fails("squash", "--name", "xy2", "--ids", x, y, "--storage", remote, "--disable-upload").err()).contains("one or the other");
    // Squashing a version d holds by its record and manifest alone fetches it whole first, and --verbose says so.
    Cli d = new Cli(tmp.resolve("d"));
    String xy = (String) d.ok("show", "--project", "p", "--name", "xy", "--storage", remote, "--json").obj().get("id");
    Cli.Result again = d.ok("squash", "--name", "flat", "--ids", xy, "--disable-upload", "--verbose");
    assertThat(again.err()).contains("downloading ");
    Path flat = Path.of(d.ok("get", "--name", "flat").lastLine());
    assertThat(Files.readString(flat.resolve("x.txt")) + Files.readString(flat.resolve("y.txt"))).isEqualTo("xy");
  }

  @Test
  void aChildUploadedAfterItsParentsWereRenamedThereIsSaidToSplitTheDataset() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    String uri = "file://" + remote;
    write(tmp.resolve("pets/p.txt"), "pet");
    String parent = (String) alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(),
        "--storage", remote, "--json").obj().get("id");
    bob.ok("get", "--id", parent, "--storage", remote);
    String child = (String) bob.ok("create", "--project", "vision", "--name", "pets", "--parents", parent, "--json").obj().get("id");
    // Meanwhile alice renames the dataset, and her upload renames it there.
    alice.ok("rename", "--project", "vision", "--name", "pets", "--new-name", "animals");
    alice.ok("upload", "--id", parent, "--storage", remote);
    write(tmp.resolve("more/m.txt"), "more");
    bob.ok("add", "--id", child, "--files", tmp.resolve("more").toString());
    Cli.Result closed = bob.ok("close", "--id", child);
    assertThat(closed.err()).contains("cairn: warning: " + child.substring(0, 8) + " goes to " + uri + " as vision/pets, but its parent "
        + parent.substring(0, 8) + " is vision/animals there (renamed since), so the dataset is under two names there; to follow the"
        + " rename, rename it here too (cairn rename --project vision --name pets --new-name animals) and upload it again");
    // The advice, followed, brings it under the new name there.
    bob.ok("rename", "--project", "vision", "--name", "pets", "--new-name", "animals");
    assertThat(bob.ok("upload", "--id", child, "--storage", remote).err()).doesNotContain("warning");
    assertThat(new Cli(tmp.resolve("carol")).ok("search", "--storage", remote, "--json").array())
        .allSatisfy(m -> assertThat(m).containsEntry("name", "animals")).hasSize(2);
  }

  @Test
  void aVersionStringKeptByARenamedDatasetIsSaidToBeIts() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("pets/p.txt"), "pet");
    String id = (String) alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(), "--storage",
        remote, "--json").obj().get("id");
    alice.ok("rename", "--project", "vision", "--name", "pets", "--new-name", "animals");
    alice.ok("upload", "--id", id, "--storage", remote);
    assertThat(bob.fails("create", "--project", "vision", "--name", "pets", "--version", "1.0.0", "--storage", remote).err())
        .contains("version 1.0.0 of vision/pets already exists on ").contains(", held by version " + id + ", since renamed vision/animals"
            + " 1.0.0 (a dataset's version strings stay reserved after a rename: a new version needs another version string, a renamed one"
            + " another name)");
  }

  /** A teammate's record taken from one remote keeps the copies this repository sent to others: later changes reach them too. */
  @Test
  void aRecordTakenFromOneRemoteKeepsTheCopiesOnOthers() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    String mirror = tmp.resolve("mirror").toString();
    write(tmp.resolve("pets/p.txt"), "pet");
    String v1 = (String) alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(),
        "--storage", remote, "--json").obj().get("id");
    bob.ok("get", "--id", v1, "--storage", remote);
    bob.ok("upload", "--id", v1, "--storage", mirror);
    alice.ok("tags", "--id", v1, "--add", "hers");
    assertThat(bob.ok("refresh", "--storage", remote, "--json").array().get(0)).containsEntry("updated", List.of(v1));
    assertThat(bob.ok("tags", "--id", v1, "--add", "mine").err()).contains("sent the change to file://" + remote + "\n")
        .contains("sent the change to file://" + mirror + "\n");
    assertThat(new Cli(tmp.resolve("carol")).ok("show", "--id", v1, "--storage", mirror, "--json").obj().get("tags"))
        .isEqualTo(List.of("hers", "mine"));
  }

  @Test
  void refreshTakesTheRemotesNewerRecordsOfEveryVersionHere() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("pets/p.txt"), "pet");
    String v1 = (String) alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(),
        "--storage", remote, "--json").obj().get("id");
    write(tmp.resolve("pets/q.txt"), "more");
    String v2 = (String) alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(),
        "--storage", remote, "--json").obj().get("id");
    bob.ok("get", "--id", v1, "--storage", remote);
    bob.ok("get", "--id", v2, "--storage", remote);
    // Alice renames the dataset and tags a version; both reach the remote with her uploads.
    alice.ok("rename", "--project", "vision", "--name", "pets", "--new-name", "animals");
    alice.ok("tags", "--id", v2, "--add", "gold");
    alice.ok("upload", "--id", v1, "--storage", remote);
    alice.ok("upload", "--id", v2, "--storage", remote);
    assertThat(bob.ok("show", "--id", v1, "--json").obj()).containsEntry("name", "pets");
    // Bob learns of it without fetching either version again.
    Cli.Result refreshed = bob.ok("refresh");
    assertThat(refreshed.out()).contains("updated " + v1.substring(0, 8) + "  vision/animals 1.0.0",
        "updated " + v2.substring(0, 8) + "  vision/animals 1.0.1").contains("2 versions on file://" + remote + ": 2 updated");
    assertThat(bob.ok("show", "--id", v1, "--json").obj()).containsEntry("name", "animals");
    assertThat(bob.ok("show", "--id", v2, "--json").obj()).containsEntry("name", "animals").containsEntry("tags", List.of("gold"));
    // Again, nothing new; asked as JSON, the same in fields.
    Map<String, Object> again = bob.ok("refresh", "--storage", remote, "--json").array().get(0);
    assertThat(again).containsEntry("compared", 2L).containsEntry("updated", List.of()).containsEntry("not_here", List.of());
    // A version alice adds is named, not fetched: bob hears that his dataset has more there.
    Files.writeString(tmp.resolve("pets/more.txt"), "more");
    String v3 = (String) alice.ok("sync", "--project", "vision", "--name", "animals", "--folder", tmp.resolve("pets").toString(),
        "--json").obj().get("id");
    assertThat(bob.ok("refresh", "--storage", remote, "--json").array().get(0)).containsEntry("not_here", List.of(v3));
    assertThat(bob.ok("refresh").out()).contains("2 versions on file://" + remote + ": 0 updated; 1 version there of datasets here is"
        + " not here (cairn search --storage file://" + remote + " lists them)");
    bob.fails("show", "--id", v3); // named only
    // One fetched, then deleted here on purpose, is not offered again.
    bob.ok("get", "--id", v3, "--storage", remote);
    bob.ok("delete", "--id", v3);
    assertThat(bob.ok("refresh", "--storage", remote, "--json").array().get(0)).containsEntry("not_here", List.of());
    // A change to a record a teammate changed there since: the remote's is taken first, then added
    // to, so that both changes stand, as on a clearml server (and nothing diverges).
    assertThat(bob.ok("tags", "--id", v1, "--add", "mine").err()).isEqualTo("cairn: note: sent the change to file://" + remote + "\n");
    assertThat(alice.ok("tags", "--id", v1, "--add", "hers").err()).isEqualTo("cairn: note: took file://" + remote + "'s newer record of "
        + v1.substring(0, 8) + " first (tags there since); this change is made on top of it\ncairn: note: sent the change to file://"
        + remote + "\n");
    assertThat(alice.ok("show", "--id", v1, "--json").obj().get("tags")).isEqualTo(List.of("mine", "hers"));
    assertThat(new Cli(tmp.resolve("carol")).ok("show", "--id", v1, "--storage", remote, "--json").obj().get("tags"))
        .isEqualTo(List.of("mine", "hers"));
    bob.ok("refresh", "--storage", remote);
    // A record changed on both sides since they last agreed: alice's change, made while the remote
    // was out of reach, and bob's, which reached it at once. Alice's next command takes bob's and
    // makes hers again on top of it, from the record the two last agreed on.
    Path away = tmp.resolve("remote-away");
    Files.move(Path.of(remote), away);
    Files.writeString(Path.of(remote), "not a folder for now");
    // Read as JSON, a remote that cannot be read is an entry with its error (and exit 1), as without --storage.
    Cli.Result unread = bob.run("refresh", "--storage", remote, "--json");
    assertThat(unread.exit()).isEqualTo(1);
    assertThat(unread.array()).singleElement().satisfies(m -> assertThat(m).containsEntry("storage", "file://" + remote).containsKey("error"));
    // compare --storage reads the remote for the newer records as show does (once ignored, whatever it named).
    assertThat(bob.fails("compare", "--source", v1, "--target", v2, "--storage", remote).err())
        .isEqualTo(bob.fails("show", "--id", v1, "--storage", remote).err()).contains("it is a file, not a folder");
    assertThat(alice.ok("tags", "--id", v1, "--remove", "mine").err()).contains("keeps " + v1.substring(0, 8) + "'s record as it was"
        + " (its record there could not be read: ").contains("); cairn upload --id " + v1.substring(0, 8) + " sends the change");
    Files.delete(Path.of(remote));
    Files.move(away, Path.of(remote));
    assertThat(bob.ok("tags", "--id", v1, "--remove", "hers").err()).contains("cairn: note: sent the change to");
    assertThat(alice.ok("tags", "--id", v1, "--add", "again").err()).contains("cairn: note: the record of " + v1.substring(0, 8) + " was"
        + " changed here (tags) and on ").contains(" (tags) since the two last agreed: the change made here is made again on top of the"
        + " remote's").contains("cairn: note: sent the change to");
    assertThat(alice.ok("show", "--id", v1, "--json").obj().get("tags")).isEqualTo(List.of("again"));
    assertThat(new Cli(tmp.resolve("dave")).ok("show", "--id", v1, "--storage", remote, "--json").obj().get("tags"))
        .isEqualTo(List.of("again"));
    // refresh merges too, and says so: each side set the same key its own way, the value set here wins.
    Files.move(Path.of(remote), away);
    Files.writeString(Path.of(remote), "not a folder for now");
    alice.ok("metadata", "--id", v1, "--set", "split=alice");
    Files.delete(Path.of(remote));
    Files.move(away, Path.of(remote));
    bob.ok("metadata", "--id", v1, "--set", "split=bob", "owner=bob");
    Cli.Result refreshMerged = alice.ok("refresh", "--storage", remote);
    assertThat(refreshMerged.out()).contains("merged  " + v1.substring(0, 8) + "  ").contains(": 1 updated (1 merged)");
    assertThat(refreshMerged.err()).contains("cairn: note: the record of " + v1.substring(0, 8) + " was changed here (metadata) and on ")
        .contains("the value set here wins (metadata split) (the next upload of it sends it there)");
    assertThat(alice.ok("metadata", "--id", v1, "--json").obj().get("metadata")).isEqualTo(Map.of("split", "alice", "owner", "bob"));
    // Without that record (a repository of an older release kept none), they stay apart, said.
    Files.move(Path.of(remote), away);
    Files.writeString(Path.of(remote), "not a folder for now");
    alice.ok("tags", "--id", v1, "--add", "solo");
    Files.delete(Path.of(remote));
    Files.move(away, Path.of(remote));
    bob.ok("tags", "--id", v1, "--add", "bobs");
    try (var agreed = Files.walk(tmp.resolve("alice/refs/agreed"))) {
      for (Path f : agreed.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
    // Sent again, refused there, said in the command line's words (no Java call in it) and with no upload advised.
    String refused = alice.ok("tags", "--id", v1, "--add", "again2").err();
    assertThat(refused).contains("keeps " + v1.substring(0, 8) + "'s record as it was: The record of " + v1 + " was changed here")
        .contains("cairn delete --id " + v1.substring(0, 8) + " --force").doesNotContain("Dataset.").doesNotContain("cairn upload --id");
    assertThat(refused.lines()).as("said once").hasSize(1);
    Cli.Result diverged = alice.ok("refresh", "--storage", remote);
    assertThat(diverged.err()).contains("cairn: warning: the record of " + v1 + " was changed here");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> kept = (List<Map<String, Object>>) alice.ok("refresh", "--storage", remote, "--json").array().get(0)
        .get("kept");
    assertThat(kept).singleElement().satisfies(k -> assertThat(k).containsEntry("id", v1).containsEntry("reason", "diverged")
        .containsEntry("other", null));
    assertThat(alice.ok("show", "--id", v1, "--json").obj().get("tags")).isEqualTo(List.of("again", "solo", "again2"));
    assertThat(bob.fails("refresh", "--storage", tmp.resolve("nothing-there").toString()).err()).startsWith("cairn: ");
    // A record taken that now shares its name and version string with a version of bob's: said.
    write(tmp.resolve("whales/w.txt"), "whale");
    String bobs = (String) bob.ok("sync", "--project", "sea", "--name", "whales", "--folder", tmp.resolve("whales").toString(),
        "--version", "1.0.1", "--disable-upload", "--json").obj().get("id");
    alice.ok("move", "--project", "vision", "--name", "animals", "--new-project", "sea");
    alice.ok("rename", "--project", "sea", "--name", "animals", "--new-name", "whales");
    alice.ok("upload", "--id", v2, "--storage", remote);
    Cli.Result clash = bob.ok("refresh", "--storage", remote);
    assertThat(clash.err()).contains(v2 + " is now sea/whales 1.0.1, as " + bobs + " here is: give one of them another version string");
    // A record the remote holds damaged is said, and the others are still taken.
    Path records = Path.of(remote, "versions", v1);
    try (var files = Files.list(records)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        Files.writeString(f, "garbage");
      }
    }
    assertThat(bob.ok("refresh", "--storage", remote).err()).contains("the record of " + v1 + " there could not be read");
    // A remote that cannot be read, among others, is said; the others are read; the exit status says it.
    alice.ok("tags", "--id", v2, "--add", "silver");
    alice.ok("upload", "--id", v2, "--storage", remote);
    Path moved = tmp.resolve("remote-gone");
    Files.move(Path.of(remote), moved);
    Cli.Result gone = bob.run("refresh", "--json");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.array()).singleElement().satisfies(m -> assertThat(m).containsKey("error"));
    Files.move(moved, Path.of(remote));
    assertThat(bob.ok("refresh").out()).contains("updated " + v2.substring(0, 8));
  }

  @Test
  void aRenameRefusedOnOneRemoteReservesNothingOnAnother() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli carol = new Cli(tmp.resolve("carol"));
    String first = tmp.resolve("first").toString();
    String second = tmp.resolve("second").toString();
    write(tmp.resolve("pets/p.txt"), "pet");
    alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(), "--storage", first);
    write(tmp.resolve("pets/q.txt"), "more");
    alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(), "--storage", second);
    carol.ok("create", "--project", "vision", "--name", "cats", "--version", "1.0.1", "--storage", second);
    assertThat(alice.fails("rename", "--project", "vision", "--name", "pets", "--new-name", "cats").err())
        .contains("vision/cats already has version 1.0.1 on " + Path.of(second).toUri().toString().replaceFirst("/$", ""));
    // 1.0.0 of cats on the first remote, checked free there, was not taken by the refused rename.
    carol.ok("create", "--project", "vision", "--name", "cats", "--version", "1.0.0", "--storage", first);
  }

  @Test
  void aRenameToANameAnotherDatasetUsesOnTheRemoteIsRefused() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli carol = new Cli(tmp.resolve("carol"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("cats/c.txt"), "cat");
    write(tmp.resolve("pets/p.txt"), "pet");
    carol.ok("sync", "--project", "vision", "--name", "cats", "--folder", tmp.resolve("cats").toString(), "--storage", remote);
    String pets = (String) alice.ok("sync", "--project", "vision", "--name", "pets", "--folder", tmp.resolve("pets").toString(), "--storage",
        remote, "--json").obj().get("id");
    assertThat(alice.fails("rename", "--project", "vision", "--name", "pets", "--new-name", "cats").err())
        .startsWith("cairn: Cannot rename pets to cats: vision/cats already has version 1.0.0 on ").contains("pick a name");
    assertThat(alice.ok("show", "--id", pets, "--json").obj()).containsEntry("name", "pets");
    // A name taken here is refused before the remote is asked: nothing is reserved there.
    write(tmp.resolve("mine/m.txt"), "mine");
    alice.ok("sync", "--project", "vision", "--name", "mine", "--folder", tmp.resolve("mine").toString());
    assertThat(alice.fails("rename", "--project", "vision", "--name", "pets", "--new-name", "mine").err())
        .contains("vision/mine is another dataset (1 version)");
    carol.ok("create", "--project", "vision", "--name", "mine", "--version", "1.0.0", "--storage", remote);
    // A free name is taken there at once, so that no one else takes it before the upload.
    String id8 = pets.substring(0, 8);
    assertThat(alice.ok("rename", "--project", "vision", "--name", "pets", "--new-name", "animals").err()).isEqualTo("cairn: note: "
        + Path.of(remote).toUri().toString().replaceFirst("/$", "") + " keeps " + id8 + "'s record as it was until cairn upload --id " + id8
        + " --storage " + Path.of(remote).toUri().toString().replaceFirst("/$", "") + " (or the upload of a version descending from it)\n");
    assertThat(carol.fails("create", "--project", "vision", "--name", "animals", "--version", "1.0.0", "--storage", remote).err())
        .contains("held by version " + pets);
    alice.ok("upload", "--id", pets, "--storage", remote);
    assertThat(carol.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("name")).containsExactly("cats", "animals");
    assertThat(carol.ok("search", "--storage", remote, "--ids", "0badc0de").err())
        .isEqualTo("cairn: note: no version with id 0badc0de among those searched on " + remote + "\n");
    write(tmp.resolve("pets/q.txt"), "more");
    alice.ok("sync", "--project", "vision", "--name", "animals", "--folder", tmp.resolve("pets").toString(), "--storage", remote);
    String copy = tmp.resolve("copy").toString();
    alice.ok("upload", "--id", pets, "--storage", copy);
    String moved = alice.ok("move", "--project", "vision", "--name", "animals", "--new-project", "zoo").err();
    assertThat(moved).contains(" keeps the records of 2 versions (").contains(") as they were until each, or a version descending from it,"
        + " is uploaded again: cairn upload --id ID"
        + " --storage " + Path.of(remote).toUri().toString().replaceFirst("/$", "") + "\n");
    // A copy elsewhere too, which only an upload to it updates (a plain upload goes to the version's own remote).
    String copyUri = Path.of(copy).toUri().toString().replaceFirst("/$", "");
    assertThat(moved).as("a copy elsewhere too").contains("cairn: note: " + copyUri + " keeps "
        + id8 + "'s record as it was until cairn upload --id " + id8 + " --storage " + copyUri + " (or the upload of a version descending"
        + " from it)\n");
    alice.ok("upload", "--id", id8, "--storage", copyUri);
    assertThat(new Cli(tmp.resolve("reader")).ok("search", "--storage", copy, "--json").array()).extracting(m -> m.get("project"))
        .containsExactly("zoo");
  }

  @Test
  void aRepositoryMadeForARemoteTakesItsObjectFormatAndNoneIsMadeForAMissingRemote() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    a.ok("init", "--object-format", "blake3");
    write(tmp.resolve("src/x.txt"), "x");
    a.ok("sync", "--project", "p", "--name", "b3", "--folder", tmp.resolve("src").toString(), "--storage", remote);
    for (String[] first : List.of(new String[] {"get", "--project", "p", "--name", "b3", "--storage", remote},
        new String[] {"sync", "--project", "p", "--name", "b3", "--folder", tmp.resolve("src").toString(), "--storage", remote})) {
      Cli fresh = new Cli(tmp.resolve("fresh-" + first[0]));
      fresh.ok(first);
      assertThat(Files.readString(fresh.repo.resolve("config"))).contains("core.objectFormat = blake3");
    }
    Cli collector = new Cli(tmp.resolve("fresh-gc"));
    collector.ok("gc", "--storage", remote);
    assertThat(Files.readString(collector.repo.resolve("config"))).contains("core.objectFormat = blake3");
    // A repository of the other format cannot delete there: ids of one format name nothing in the other.
    Cli sha = new Cli(tmp.resolve("sha"));
    sha.ok("init");
    String id = (String) a.ok("show", "--json").obj().get("id");
    assertThat(sha.fails("delete", "--id", id, "--storage", remote).err()).contains("it uses object format blake3");
    Cli none = new Cli(tmp.resolve("none"));
    String typo = tmp.resolve("typo").toString();
    for (String[] args : List.of(new String[] {"get", "--project", "p", "--name", "b3", "--storage", typo},
        new String[] {"gc", "--storage", typo}, new String[] {"delete", "--id", id, "--storage", typo})) {
      assertThat(none.fails(args).err()).as(args[0]).contains("nothing is there (no cairn-remote");
      assertThat(none.repo).as(args[0]).doesNotExist();
    }
    assertThat(tmp.resolve("typo")).doesNotExist();
  }

  @Test
  void aRepositoryOrAFolderOfOtherFilesIsNotMadeARemote() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--json").obj().get("id");
    b.ok("sync", "--project", "p", "--name", "b", "--folder", tmp.resolve("src").toString());
    Set<Path> packsBefore;
    try (var s = Files.list(b.repo.resolve("packs"))) {
      packsBefore = s.collect(Collectors.toSet());
    }
    // Taken as a remote, b's own packs would pass for the remote's, and b's gc would delete what came in.
    Cli.Result refused = a.fails("upload", "--id", id, "--storage", b.repo.toString());
    assertThat(refused.err()).isEqualTo("cairn: Cannot use " + b.repo.toUri().toString().replaceFirst("/$", "")
        + " as a remote: it is a Cairn repository, not a remote (a repository is given as --repo)\n");
    try (var s = Files.list(b.repo.resolve("packs"))) {
      assertThat(s.collect(Collectors.toSet())).isEqualTo(packsBefore);
    }
    assertThat(b.repo.resolve("cairn-remote")).doesNotExist();
    assertThat(b.ok("fsck").out()).startsWith("ok: ");
    // Read as a remote, it is said to be a repository, not a location without Cairn data.
    assertThat(new Cli(tmp.resolve("reader")).fails("search", "--storage", b.repo.toString()).err())
        .contains("it is a Cairn repository, not a remote (a repository is given as --repo)");
    // Nor a folder inside the repository itself.
    for (Path inside : List.of(a.repo, a.repo.resolve("packs"), a.repo.resolve("new/remote"))) {
      assertThat(a.fails("upload", "--id", id, "--storage", inside.toString()).err()).as(inside.toString())
          .contains("as a remote: it lies inside the repository " + a.repo + "; give a folder outside it");
    }
    assertThat(a.repo.resolve("new")).doesNotExist();
    // Nor inside another repository, whose gc would delete it; nor a repository inside one.
    assertThat(a.fails("upload", "--id", id, "--storage", b.repo.resolve("cache/versions/remote").toString()).err())
        .contains("it lies inside the repository " + b.repo + ", whose gc would delete it");
    assertThat(new Cli(b.repo.resolve("cache/inner")).fails("init").err())
        .contains("Cannot make a repository at " + b.repo.resolve("cache/inner") + ": it lies inside the repository " + b.repo);
    assertThat(a.ok("fsck").out()).startsWith("ok: ");
    // Someone's folder, the same; an empty one becomes a remote.
    write(tmp.resolve("photos/2024/me.jpg"), "jpeg");
    assertThat(a.fails("create", "--project", "p", "--name", "m", "--storage", tmp.resolve("photos").toString()).err())
        .contains("as a remote: it holds no Cairn data but other files (2024); give a new or empty location, or an existing remote");
    assertThat(tmp.resolve("photos/cairn-remote")).doesNotExist();
    Files.createSymbolicLink(tmp.resolve("photos-link"), tmp.resolve("photos")); // through a link, the same
    assertThat(a.fails("upload", "--id", id, "--storage", tmp.resolve("photos-link").toString()).err()).contains("other files (2024)");
    assertThat(tmp.resolve("photos/cairn-remote")).doesNotExist();
    write(tmp.resolve("album/packs/holiday.jpg"), "jpeg"); // named as a remote's folder, but not its files
    assertThat(a.fails("upload", "--id", id, "--storage", tmp.resolve("album").toString()).err()).contains("other files (packs/holiday.jpg)");
    write(tmp.resolve("hidden/.tmp/notes.txt"), "mine"); // a folder named as a remote's temporary one is someone's too
    assertThat(a.fails("upload", "--id", id, "--storage", tmp.resolve("hidden").toString()).err()).contains("other files (.tmp)");
    Files.createDirectories(tmp.resolve("volume/lost+found")); // a new volume's root is no one's files
    Files.writeString(tmp.resolve("volume/.DS_Store"), "x");
    a.ok("upload", "--id", id, "--storage", tmp.resolve("volume").toString());
    Files.createDirectories(tmp.resolve("empty"));
    assertThat(a.ok("upload", "--id", id, "--storage", tmp.resolve("empty").toString(), "--json").obj()).containsEntry("remote_created", true);
    // And the other way round: a remote given as --repo.
    for (String[] args : List.of(new String[] {"search"}, new String[] {"init"}, new String[] {"create", "--name", "x"})) {
      assertThat(new Cli(tmp.resolve("empty")).fails(args).err()).as(args[0]).isEqualTo("cairn: Cannot use " + tmp.resolve("empty")
          + " as a repository: it is a Cairn remote, not a repository (a remote is given as --storage)\n");
    }
    assertThat(tmp.resolve("empty/config")).doesNotExist();
  }

  @Test
  void aSyncThatBringsNoChangeUploadsTheVersionItEqualsIfARunStoppedBeforeItsUpload() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();
    // Closed and not uploaded, as a run stopped between its close and the end of its upload leaves
    // it: here the remote's packs/ is a file, so the upload fails after the close.
    blockUploads(remote);
    Cli.Result failed = a.run("sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote);
    assertThat(failed.exit()).isNotZero();
    assertThat(failed.err()).contains("here, but could not upload it to");
    String id = (String) a.ok("search", "--json").array().get(0).get("id");
    Files.delete(Path.of(remote, "packs"));
    // Another command's version is not uploaded by a sync that brings no change.
    assertThat(a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote, "--exclude", "*.none").out())
        .doesNotContain("Uploaded");
    // The same command line spelt otherwise (the folder with a slash, from elsewhere; options in
    // another order) is the same command: run again, it finishes the upload.
    Cli.Result again = a.ok("sync", "--storage", remote, "--folder", src + "/.", "--name", "n", "--project", "p");
    assertThat(again.out()).contains("No change: the folder equals version " + id + " (1.0.0), made by this same sync command line; no new"
        + " version was created\nUploaded " + id + " (1.0.0), which the folder equals, to ");
    assertThat(b.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("id")).containsExactly(id);
    Map<String, Object> third = a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote, "--json").obj();
    assertThat(third).containsEntry("reverted", true).containsEntry("same_as", id).containsEntry("uploaded_version", null)
        .containsEntry("uploaded_objects", null);
  }

  @Test
  void aSyncRunAgainFinishesTheUploadToItsParentsRemoteAndNamesTheVersionTheFolderEquals() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();
    String parent = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote, "--json").obj().get("id");
    // The child goes to its parent's remote, unnamed; its upload fails after its close.
    write(tmp.resolve("src/y.txt"), "y");
    Path packs = Path.of(remote, "packs");
    Files.move(packs, tmp.resolve("packs-aside"));
    Files.writeString(packs, "in the way");
    String[] sync = {"sync", "--project", "p", "--name", "n", "--folder", src, "--json"};
    Cli.Result failed = a.run(sync);
    assertThat(failed.exit()).isNotZero();
    String child = (String) failed.obj().get("id");
    Files.delete(packs);
    Files.move(tmp.resolve("packs-aside"), packs);
    // Its remote moved away meanwhile: not made again, empty, where it was.
    Files.move(Path.of(remote), tmp.resolve("remote-away"));
    assertThat(a.fails(sync).err()).contains("Cannot upload " + child + ": its remote ").contains(" holds no Cairn data now");
    assertThat(Path.of(remote)).doesNotExist();
    Files.move(tmp.resolve("remote-away"), Path.of(remote));
    Map<String, Object> again = a.ok(sync).obj();
    assertThat(again).containsEntry("same_as", child).containsEntry("equals", child).containsEntry("uploaded_version", child);
    assertThat(new Cli(tmp.resolve("b")).ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("id"))
        .contains(parent, child);
    // Another command line finding the folder unchanged names the version it equals, and uploads nothing.
    Map<String, Object> other = a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--exclude", "*.none", "--json").obj();
    assertThat(other).containsEntry("id", null).containsEntry("same_as", null).containsEntry("equals", child)
        .containsEntry("uploaded_version", null);
    assertThat(a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--exclude", "*.none").out())
        .contains("No change: the folder equals version " + child + " (1.0.1); no new version was created");
  }

  @Test
  void aSyncWithParentsOrAVersionStringRunAgainMakesNothingNewAndFinishesItsUpload() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();
    a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--disable-upload");
    String base = (String) a.ok("search", "--json").array().get(0).get("id");
    write(tmp.resolve("src/y.txt"), "y");
    // The upload of the child fails after its close (the remote's packs/ is a file).
    blockUploads(remote);
    String[] sync = {"sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote, "--parents", base, "--version", "2.0"};
    assertThat(a.run(sync).err()).contains("here, but could not upload it to");
    String child = (String) a.ok("search", "--json").array().stream().filter(m -> m.get("version").equals("2.0")).findFirst()
        .orElseThrow().get("id");
    Files.delete(Path.of(remote, "packs"));
    // Run again: the folder is the child already; its version string is not refused, its upload is finished.
    Map<String, Object> again = a.ok(withJson(sync)).obj();
    assertThat(again).containsEntry("id", null).containsEntry("reverted", true).containsEntry("same_as", child)
        .containsEntry("uploaded_version", child);
    assertThat(a.ok("search", "--json").array()).hasSize(2);
    assertThat(a.ok(withJson(sync)).obj()).containsEntry("same_as", child).containsEntry("uploaded_version", null);
    // Without the version string, the same: a new child of the same parent would hold the same files.
    String[] plain = {"sync", "--project", "p", "--name", "n", "--folder", src, "--disable-upload", "--parents", base};
    String third = (String) a.ok(withJson(plain)).obj().get("id");
    assertThat(a.ok(plain).out()).contains("No change: the folder equals version " + third);
    // How it prints is not what it does: run again with --verbose, the same.
    String[] verbose = java.util.stream.Stream.concat(java.util.Arrays.stream(plain), java.util.stream.Stream.of("--verbose"))
        .toArray(String[]::new);
    assertThat(a.ok(verbose).out()).contains("No change: the folder equals version " + third);
    // Nor is the parent's id, given by a prefix, nor the folder reached through a link.
    assertThat(a.ok("sync", "--parents", base.substring(0, 8), "--project", "p", "--name", "n", "--folder", src, "--disable-upload").out())
        .contains("No change: the folder equals version " + third);
    Path link = Files.createSymbolicLink(tmp.resolve("via-link"), Path.of(src));
    assertThat(a.ok("sync", "--project", "p", "--name", "n", "--folder", link.toString(), "--disable-upload", "--parents", base).out())
        .contains("No change: the folder equals version " + third);
    // A changed folder makes a new child of the parent it names, and a version string in use is refused.
    write(tmp.resolve("src/z.txt"), "z");
    assertThat(a.fails(sync).err()).isEqualTo("cairn: Cannot create version: version 2.0 of p/n already exists\n");
    Map<String, Object> fourth = a.ok(withJson(plain)).obj();
    assertThat(fourth).containsEntry("added", 2L).containsEntry("same_as", null);
    assertThat(a.ok("show", "--id", (String) fourth.get("id"), "--json").obj().get("parents")).isEqualTo(List.of(base));
    assertThat(a.ok("search", "--json").array()).hasSize(4);
  }

  @Test
  void tagsAndExcludePatternsInAnotherOrderAndTheRootAsDatasetFolderAreTheSameSyncCommandLine() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();
    String first = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--disable-upload", "--tags", "b,a",
        "--exclude", "*.y", "*.x", "--json").obj().get("id");
    Cli.Result again = a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--disable-upload", "--tags", "a", "--tags", "b",
        "--exclude", "*.x", "--exclude", "*.y", "--exclude", "*.x", "--dataset-folder", "/");
    assertThat(again.out()).contains("No change: the folder equals version " + first + " (1.0.0), made by this same sync command line");
    assertThat(a.ok("search", "--json").array()).hasSize(1);
  }

  @Test
  void aCloseOrSyncWhoseRemoteCannotTakeTheUploadLeavesTheDraftOpen() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    write(tmp.resolve("src/x.txt"), "x");
    write(tmp.resolve("photos/me.jpg"), "jpeg");
    String photos = tmp.resolve("photos").toString();
    String id = (String) a.ok("create", "--project", "p", "--name", "n", "--json").obj().get("id");
    a.ok("add", "--files", tmp.resolve("src").toString());
    assertThat(a.fails("close", "--storage", photos).err()).isEqualTo("cairn: Did not close " + id + ": cannot use " + tmp.toUri()
        + "photos as a remote: it holds no Cairn data but other files (me.jpg); give a new or empty location, or an existing remote;"
        + " or close it with --disable-upload and upload it later\n");
    assertThat(a.fails("sync", "--folder", tmp.resolve("src").toString(), "--storage", "nosuch://x").err())
        .startsWith("cairn: Did not close " + id + ": cannot open storage nosuch://x: no support for scheme 'nosuch'");
    assertThat(a.ok("show", "--id", id, "--json").obj()).containsEntry("state", "draft");
    assertThat(tmp.resolve("photos/cairn-remote")).doesNotExist();
    String remote = tmp.resolve("remote").toString();
    assertThat(a.ok("close", "--storage", remote, "--json").obj()).containsEntry("state", "final").containsEntry("storage",
        Path.of(remote).toUri().toString().replaceAll("/$", ""));
  }

  @Test
  void aChildGoesToItsParentsRemoteWhenNoneIsGivenAndStaysHereWhenParentsDisagree() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();
    String parent = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--storage", remote, "--json").obj().get("id");

    // As clearml-data sends every version to its server: a child of a version on a remote goes there.
    write(tmp.resolve("src/y.txt"), "y");
    Cli.Result child = a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--json");
    String childId = (String) child.obj().get("id");
    assertThat(child.obj()).containsEntry("storage", uri).containsEntry("version", "1.0.1");
    assertThat(child.err()).isEqualTo("cairn: note: " + childId.substring(0, 8) + " goes to " + uri + ", its parent's remote, when closed"
        + " (--storage names another; --disable-upload keeps it here)\n");
    Cli b = new Cli(tmp.resolve("b"));
    assertThat(b.ok("get", "--project", "p", "--name", "n", "--storage", remote, "--json").obj()).containsEntry("id", childId);
    // Its version string was reserved there: another repository's next version is not a second 1.0.1.
    b.ok("create", "--project", "p", "--name", "n", "--parents", childId);
    assertThat(b.ok("show", "--json").obj()).containsEntry("version", "1.0.2");

    // Kept here on purpose: nothing uploaded, nothing to say.
    write(tmp.resolve("src/z.txt"), "z");
    Cli.Result kept = a.ok("sync", "--project", "p", "--name", "other", "--parents", parent, "--folder", src, "--disable-upload", "--json");
    assertThat(kept.err()).isEmpty();
    assertThat(kept.obj()).containsEntry("storage", null);

    // create takes the parent's remote for the draft, whose close uploads it there.
    Cli.Result created = a.ok("create", "--project", "p", "--name", "n", "--parents", parent);
    assertThat(created.err()).contains(" goes to " + uri + ", its parent's remote, when closed (--storage names another;"
        + " close --disable-upload keeps it here)");
    assertThat(a.ok("close", "--json").obj()).containsEntry("storage", uri);
    // Without parents, the dataset's versions stand for them.
    assertThat(a.ok("create", "--project", "p", "--name", "n").err()).contains(" goes to " + uri + ", its dataset's remote, when closed");
    assertThat(a.ok("close", "--json").obj()).containsEntry("storage", uri);

    // A default the user did not ask for: the remote unusable (here, its client cannot be built),
    // the version is made here alone, and said so once.
    write(tmp.resolve("src/w.txt"), "w");
    Cli.Result offline = a.ok("--conf", "cairn.hadoop.file=true", "--conf", "fs.file.impl=no.such.Class", "sync", "--project", "p",
        "--name", "n", "--folder", src, "--json");
    assertThat(offline.obj()).containsEntry("storage", null).containsEntry("closed", true);
    assertThat((Long) offline.obj().get("files_read")).as("read once, and counted").isPositive();
    assertThat((Long) offline.obj().get("stored_bytes")).as("the new file, stored once, and counted").isPositive();
    assertThat(offline.err().lines()).singleElement().asString().startsWith("cairn: note: the parents' remote cannot be used now, so"
        + " the new version stays here (cairn upload --storage " + uri + " sends it later): Cannot open storage on " + uri);
    // The same command run again once the remote can be used: the version goes where that run meant it to.
    String offId = (String) offline.obj().get("id");
    Cli.Result online = a.ok("sync", "--project", "p", "--name", "n", "--folder", src, "--json");
    assertThat(online.obj()).containsEntry("equals", offId);
    assertThat(online.err()).doesNotContain("stays here");
    assertThat(a.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("id")).contains(offId);
    // The parents' remote moved away (a share not mounted): not made again where it was, but said.
    Path away = tmp.resolve("remote-away");
    Files.move(Path.of(remote), away);
    write(tmp.resolve("src/v.txt"), "v");
    Cli.Result unmounted = a.ok("sync", "--project", "p", "--name", "n", "--parents", parent, "--folder", src, "--json");
    assertThat(unmounted.obj()).containsEntry("storage", null);
    assertThat(unmounted.err().lines()).singleElement().asString().isEqualTo("cairn: note: the parents' remote cannot be used now, so the"
        + " new version stays here (cairn upload --storage " + uri + " sends it later): it holds no Cairn data now (moved away, or not"
        + " mounted?)");
    assertThat(Path.of(remote)).doesNotExist();
    Files.move(away, Path.of(remote));

    // Parents on two remotes: none is taken, and the close says the version stays here.
    String elsewhere = (String) a.ok("sync", "--project", "p", "--name", "m", "--folder", src, "--storage", tmp.resolve("remote2").toString(),
        "--json").obj().get("id");
    Cli.Result merged = a.ok("create", "--project", "p", "--name", "mix", "--parents", parent, elsewhere);
    assertThat(merged.err()).doesNotContain("goes to");
    assertThat(a.ok("close").err()).contains(" stays here: no remote was given");

    // A squash of versions on one remote is uploaded there, as a child of them would be, and says so.
    Cli.Result squashed = a.ok("squash", "--name", "flat", "--ids", parent, childId, "--json");
    assertThat(squashed.obj()).containsEntry("storage", uri);
    assertThat((Long) squashed.obj().get("uploaded_objects")).isPositive();
    assertThat(squashed.err()).isEqualTo("cairn: note: " + ((String) squashed.obj().get("id")).substring(0, 8) + " goes to " + uri
        + ", the remote of the versions it squashes (--storage names another; --disable-upload keeps it here)\n");
    assertThat(b.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("name")).contains("flat");
    // Kept here when asked, or when its versions are on two remotes.
    assertThat(a.ok("squash", "--name", "flat", "--ids", parent, childId, "--disable-upload", "--json").obj()).containsEntry("storage", null);
    Cli.Result mixed = a.ok("squash", "--name", "mixed", "--ids", parent, elsewhere, "--json");
    assertThat(mixed.obj()).containsEntry("storage", null);
    assertThat(mixed.err()).doesNotContain("goes to");
  }

  @Test
  void withJsonAnUploadThatFailsAfterTheCloseStillGivesTheClosedVersionThenTheError() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    blockUploads(remote);
    write(tmp.resolve("src/x.txt"), "x");
    String src = tmp.resolve("src").toString();

    Cli.Result synced = a.run("sync", "--project", "p", "--name", "s", "--folder", src, "--storage", remote, "--json");
    assertThat(synced.exit()).isEqualTo(1);
    String syncedId = (String) a.ok("search", "--name", "s", "--json").array().get(0).get("id");
    assertThat(synced.obj()).containsEntry("id", syncedId).containsEntry("closed", true).containsEntry("uploaded_objects", null);
    assertThat((String) synced.obj().get("storage")).as("the remote it tried").endsWith("/remote");
    assertThat((String) synced.obj().get("upload_error")).startsWith("Closed " + syncedId + " here, but could not upload it to");
    assertThat(synced.err()).contains("here, but could not upload it to");

    String draft = (String) a.ok("create", "--name", "c", "--json").obj().get("id");
    a.ok("add", "--files", src);
    Cli.Result closed = a.run("close", "--storage", remote, "--json");
    assertThat(closed.exit()).isEqualTo(1);
    assertThat(closed.obj()).containsEntry("id", draft).containsEntry("state", "final").containsEntry("uploaded_objects", null);
    assertThat((String) closed.obj().get("storage")).as("the remote it tried").endsWith("/remote");
    assertThat((String) closed.obj().get("upload_error")).startsWith("Closed " + draft + " here, but could not upload it to");

    Cli.Result squashed = a.run("squash", "--name", "flat", "--ids", syncedId, draft, "--storage", remote, "--json");
    assertThat(squashed.exit()).isEqualTo(1);
    String flat = (String) a.ok("search", "--name", "flat", "--json").array().get(0).get("id");
    assertThat(squashed.obj()).containsEntry("id", flat);
    assertThat((String) squashed.obj().get("upload_error")).contains("could not upload it to");
    assertThat((String) squashed.obj().get("storage")).as("the remote it tried").endsWith("/remote");

    // Uploaded: the field is there, null.
    Files.delete(Path.of(remote, "packs"));
    Map<String, Object> retried = a.ok("close", "--id", draft, "--storage", remote, "--json").obj();
    assertThat(retried).containsEntry("upload_error", null).containsKey("upload_error");
    assertThat(retried.get("storage")).isNotNull();
  }

  @Test
  void aSquashRunAgainAfterItsUploadFailedUploadsTheVersionItMade() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    String x = syncedVersion(a, "x");
    String y = syncedVersion(a, "y");
    blockUploads(remote);
    String[] squash = {"squash", "--name", "flat", "--ids", x, y, "--storage", remote, "--json"};
    assertThat(a.run(squash).err()).contains("here, but could not upload it to");
    String made = (String) a.ok("search", "--name", "flat", "--json").array().get(0).get("id");
    Files.delete(Path.of(remote, "packs"));
    assertThat(a.ok(squash).obj()).containsEntry("id", made).containsEntry("made_earlier", true);
    assertThat(a.ok("search", "--name", "flat", "--json").array()).hasSize(1);
    assertThat(new Cli(tmp.resolve("b")).ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("id"))
        .containsExactly(made);
    // Uploaded, the same squash makes a version of its own, as before; so it does after one kept here on purpose.
    assertThat(a.ok(squash).obj()).containsEntry("made_earlier", false);
    a.ok("squash", "--name", "kept", "--ids", x, y, "--disable-upload");
    assertThat(a.ok("squash", "--name", "kept", "--ids", x, y, "--storage", remote, "--json").obj()).containsEntry("made_earlier", false);
  }

  @Test
  void aVerboseStepThatFailedIsSaidToHaveStoppedNotToBeDone() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    String x = syncedVersion(a, "x");
    blockUploads(remote);
    Cli.Result failed = a.run("upload", "--id", x, "--storage", remote, "--verbose");
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).containsPattern("cairn: uploading [^\n]*: stopped after ").doesNotContain("done in");
    Files.delete(Path.of(remote, "packs"));
    assertThat(a.ok("upload", "--id", x, "--storage", remote, "--verbose").err()).containsPattern("cairn: uploading [^\n]*: done in ")
        .doesNotContain("stopped");
  }

  /** The id of a new version of dataset p/{@code name}, synced from a folder holding {@code <name>.txt}. */
  private String syncedVersion(Cli a, String name) throws IOException {
    write(tmp.resolve(name + "/" + name + ".txt"), name);
    return (String) a.ok("sync", "--project", "p", "--name", name, "--folder", tmp.resolve(name).toString(), "--json").obj().get("id");
  }

  /** Makes {@code remote} a remote whose uploads fail once a version is closed: its packs/ is a file. */
  private static void blockUploads(String remote) throws IOException {
    Files.createDirectories(Path.of(remote));
    Files.writeString(Path.of(remote, "cairn-remote"), "format = 1\nobjectFormat = sha256\n");
    Files.writeString(Path.of(remote, "packs"), "in the way");
  }

  private static String[] withJson(String[] args) {
    String[] out = Arrays.copyOf(args, args.length + 1);
    out[args.length] = "--json";
    return out;
  }

  @Test
  void aParentKnownHereByItsRecordAloneIsReadWithStorage() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String parent = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    write(tmp.resolve("src/y.txt"), "y");
    a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote);
    write(tmp.resolve("src/z.txt"), "z");
    String grandchild = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage",
        remote, "--json").obj().get("id");
    b.ok("get", "--id", grandchild, "--storage", remote); // its lineage's records come with it, its grandparent's manifest not
    assertThat(b.fails("list", "--id", parent).err()).isEqualTo("cairn: Cannot read version " + parent + ": only its record is local;"
        + " add --storage " + Path.of(remote).toUri().toString().replaceFirst("/$", "") + " to read its manifest from there\n");
    assertThat(b.ok("list", "--id", parent, "--storage", remote).lastLine()).isEqualTo("Total 1 file, 1 byte");
  }

  @Test
  void aRemoteMadeWhereNoCairnDataWasIsNoted() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--json").obj().get("id");
    String typo = tmp.resolve("remtoe").toString();
    Cli.Result first = a.ok("upload", "--id", id, "--storage", typo, "--json");
    assertThat(first.obj()).containsEntry("remote_created", true);
    assertThat(first.err()).contains("note: " + typo + " held no Cairn data: a new remote was made there");
    Cli.Result again = a.ok("upload", "--id", id, "--storage", typo, "--json");
    assertThat(again.obj()).containsEntry("remote_created", false);
    assertThat(again.err()).doesNotContain("note:");
    String other = tmp.resolve("other").toString();
    assertThat(a.ok("create", "--project", "p", "--name", "m", "--storage", other).err()).contains("note: " + other + " held no Cairn data");
    assertThat(a.ok("create", "--project", "p", "--name", "m2", "--storage", other).err()).doesNotContain("note:");
    write(tmp.resolve("src/y.txt"), "y");
    Map<String, Object> synced = a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", typo,
        "--json").obj();
    assertThat((Long) synced.get("uploaded_objects")).isPositive();
  }

  @Test
  void aVersionsOwnRemoteGoneIsNotMadeAgainUnlessNamed() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    write(tmp.resolve("src/x.txt"), "x");
    Path remote = tmp.resolve("remote");
    a.ok("create", "--project", "p", "--name", "n", "--storage", remote.toString());
    a.ok("add", "--files", tmp.resolve("src").toString());
    try (var walk = Files.walk(remote)) { // moved away, or a share not mounted
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Cli.Result close = a.fails("close");
    String uri = remote.toUri().toString().replaceFirst("/$", "");
    assertThat(close.err()).startsWith("cairn: Did not close ").contains(": its remote " + uri + " holds no Cairn data now (moved away,"
        + " or not mounted?); make it reachable again, or give --storage " + uri + " to make a new remote there; or close it with"
        + " --disable-upload and upload it later\n");
    assertThat(a.ok("show", "--json").obj()).containsEntry("state", "draft");
    assertThat(remote).doesNotExist();
    a.ok("close", "--disable-upload");
    assertThat(a.fails("upload").err()).startsWith("cairn: Cannot upload ").contains(" holds no Cairn data now");
    assertThat(remote).doesNotExist();
    assertThat(a.ok("upload", "--storage", remote.toString()).err()).contains("a new remote was made there");
  }

  @Test
  void aRefreshThatTakesARenameCountsTheVersionsThereUnderTheNewName() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("d/a.txt"), "a");
    String v1 = (String) alice.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("d").toString(), "--storage", remote,
        "--json").obj().get("id");
    bob.ok("get", "--id", v1, "--storage", remote);
    alice.ok("rename", "--project", "p", "--name", "n", "--new-name", "m");
    write(tmp.resolve("d/b.txt"), "b");
    String v2 = (String) alice.ok("sync", "--project", "p", "--name", "m", "--folder", tmp.resolve("d").toString(), "--json").obj()
        .get("id");
    Map<String, Object> refreshed = bob.ok("refresh", "--json").array().get(0);
    assertThat(refreshed).containsEntry("updated", List.of(v1)).containsEntry("not_here", List.of(v2));
  }

  @Test
  void aRenameHereAndATeammatesTagThereOnTheSameVersionMerge() throws IOException {
    Cli alice = new Cli(tmp.resolve("alice"));
    Cli bob = new Cli(tmp.resolve("bob"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("d/a.txt"), "a");
    String v1 = (String) alice.ok("sync", "--project", "p", "--name", "rr", "--folder", tmp.resolve("d").toString(), "--storage", remote,
        "--json").obj().get("id");
    write(tmp.resolve("d/b.txt"), "b");
    String v2 = (String) alice.ok("sync", "--project", "p", "--name", "rr", "--folder", tmp.resolve("d").toString(), "--json").obj()
        .get("id");
    bob.ok("get", "--id", v1, "--storage", remote);
    alice.ok("rename", "--project", "p", "--name", "rr", "--new-name", "rr2");
    bob.ok("tags", "--id", v1, "--add", "gold"); // reaches the remote at once
    alice.ok("create", "--project", "p", "--name", "rr2", "--parents", v2);
    write(tmp.resolve("more/c.txt"), "c");
    alice.ok("add", "--files", tmp.resolve("more").toString());
    Cli.Result closed = alice.ok("close");
    assertThat(closed.err()).doesNotContain("warning").contains("the record of " + v1.substring(0, 8) + " was changed here (rename) and on ");
    List<Map<String, Object>> there = new Cli(tmp.resolve("carol")).ok("search", "--storage", remote, "--json").array();
    assertThat(there).extracting(m -> m.get("name")).containsOnly("rr2").hasSize(3);
    assertThat(there).filteredOn(m -> m.get("id").equals(v1)).singleElement().satisfies(m -> assertThat(m).containsEntry("tags",
        List.of("gold")));
    // And bob's copy takes both with its next refresh.
    bob.ok("refresh");
    assertThat(bob.ok("show", "--id", v1, "--json").obj()).containsEntry("name", "rr2").containsEntry("tags", List.of("gold"));
  }

  @Test
  void aRenameWhileAVersionDeletedHereStaysOnTheRemoteSaysToDeleteItThere() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    write(tmp.resolve("src/x.txt"), "x");
    String v1 = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    write(tmp.resolve("src/y.txt"), "y");
    a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote);
    a.ok("delete", "--id", v1, "--force");
    assertThat(a.fails("rename", "--project", "p", "--name", "n", "--new-name", "m").err()).isEqualTo("cairn: Cannot rename n to m: " + uri
        + " still holds 1 version of p/n deleted here (1.0.0), which would keep the old name there: delete it there first (cairn delete"
        + " --id " + v1.substring(0, 8) + " --storage '" + uri + "' --force), or get it back (cairn get --id " + v1.substring(0, 8)
        + " --storage '" + uri + "')\n");
    a.ok("delete", "--id", v1, "--storage", uri, "--force");
    a.ok("rename", "--project", "p", "--name", "n", "--new-name", "m");
    // A remote found empty (moved away, a share not mounted) cannot check the name: said, not passed over.
    Path away = Files.move(Path.of(remote), tmp.resolve("away"));
    Files.createDirectories(Path.of(remote));
    assertThat(a.ok("rename", "--project", "p", "--name", "m", "--new-name", "k").err()).startsWith("cairn: warning: " + uri + " holds no"
        + " Cairn data now (moved away, or not mounted?), so the new name could not be checked there; its versions' next upload there"
        + " reserves it\n");
    assertThat(away).isDirectory();
  }

  @Test
  void anUploadOfAVersionMadeWhileItsParentsRemoteWasAwayGoesThere() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Path remote = tmp.resolve("remote");
    write(tmp.resolve("src/x.txt"), "x");
    String parent = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage",
        remote.toString(), "--json").obj().get("id");
    Path away = Files.move(remote, tmp.resolve("away"));
    a.ok("create", "--project", "p", "--name", "n", "--parents", parent);
    write(tmp.resolve("more/y.txt"), "y");
    a.ok("add", "--files", tmp.resolve("more").toString());
    a.ok("close");
    String uri = remote.toUri().toString().replaceFirst("/$", "");
    // Still away: not made again as a new remote where it was.
    assertThat(a.fails("upload").err()).isEqualTo("cairn: Cannot upload: its parents' remote " + uri + " holds no Cairn data now (moved"
        + " away, or not mounted?); make it reachable again, or give --storage URI\n");
    assertThat(remote).doesNotExist();
    Files.move(away, remote);
    Cli.Result up = a.ok("upload");
    String child = (String) a.ok("show", "--json").obj().get("id");
    assertThat(up.out()).startsWith("Uploaded ").contains(" to " + uri + ": 1 version");
    assertThat(up.err()).isEqualTo("cairn: note: " + child.substring(0, 8) + " goes to " + uri + ", its parent's remote (--storage names"
        + " another)\n");
    assertThat(a.ok("show", "--json").obj()).containsEntry("storage", uri);
    assertThat(a.ok("upload").out()).as("its own remote now").contains("up to date");
    // A version whose parents are on no remote still needs one named.
    write(tmp.resolve("solo/z.txt"), "z");
    a.ok("sync", "--project", "p", "--name", "solo", "--folder", tmp.resolve("solo").toString(), "--disable-upload");
    assertThat(a.fails("upload", "--name", "solo").err()).isEqualTo("cairn: Cannot upload: give --storage URI (or set CAIRN_STORAGE, or"
        + " remote.default in the repository's config)\n");
  }

  @Test
  void aRemoteNamedALetterAwayFromOneInUseIsRefusedUntilInitMakesIt() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("team").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    String typo = tmp.resolve("taem").toString();
    String refused = ": " + typo + " holds no Cairn data, and " + uri + ", a remote this repository uses, is one letter away (a mistyped"
        + " address?); to make a new remote there, run 'cairn init --storage " + typo + "' first\n";
    assertThat(a.fails("upload", "--id", id, "--storage", typo).err()).isEqualTo("cairn: Cannot upload " + id + refused);
    write(tmp.resolve("src/y.txt"), "y");
    assertThat(a.fails("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", typo).err())
        .isEqualTo("cairn: Did not sync p/n" + refused);
    assertThat(a.fails("create", "--project", "p", "--name", "m", "--storage", typo).err()).isEqualTo("cairn: Did not create p/m" + refused);
    assertThat(a.fails("squash", "--name", "flat", "--ids", id, "--storage", typo).err()).isEqualTo("cairn: Did not squash" + refused);
    assertThat(Path.of(typo)).as("nothing made there").doesNotExist();
    // A draft's close too, before it closes anything.
    a.ok("create", "--project", "p", "--name", "n", "--parents", id);
    String draft = (String) a.ok("show", "--json").obj().get("id");
    assertThat(a.fails("close", "--storage", typo).err()).isEqualTo("cairn: Did not close " + draft + refused);
    assertThat(a.ok("show", "--json").obj()).containsEntry("state", "draft");
    // A location far from every remote in use is made a remote as before, and init --storage makes a near one on purpose.
    assertThat(a.ok("upload", "--id", id, "--storage", tmp.resolve("backup").toString()).err()).contains("a new remote was made there");
    Files.createDirectories(Path.of(typo));
    Map<String, Object> init = a.ok("init", "--storage", typo, "--json").obj();
    assertThat(init).containsEntry("created", false).containsEntry("storage_created", true);
    assertThat(a.ok("init", "--storage", typo).out()).endsWith("Existing Cairn remote at " + Path.of(typo).toUri().toString()
        .replaceFirst("/$", "") + "\n");
    assertThat(a.ok("upload", "--id", id, "--storage", typo).out()).contains("Uploaded " + id);
  }

  /** As dvc remote add -d: init --storage URI --default makes the remote the repository's default, keeping the config's other lines. */
  @Test
  void initWithDefaultMakesTheRemoteTheDefault() throws IOException {
    String remote = tmp.resolve("team-remote").toString();
    String uri = Path.of(remote).toUri().toString().replaceFirst("/$", "");
    Cli a = new Cli(tmp.resolve("a"));
    assertThat(a.fails("init", "--default").err()).contains("--default makes the --storage remote the default; give --storage URI too");
    assertThat(a.ok("init", "--storage", remote, "--default").out()).endsWith("Default remote: " + uri + "\n");
    Path config = tmp.resolve("a/config");
    assertThat(Files.readString(config)).contains("remote.default = " + uri + "\n");
    // A sync with no --storage then goes there, and another machine gets it from there.
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--name", "d", "--folder", tmp.resolve("src").toString(), "--json").obj().get("id");
    new Cli(tmp.resolve("b")).ok("get", "--id", id, "--storage", remote);
    // Another default replaces it, the config's other lines (a note of the user's) as they were.
    Files.writeString(config, "# our team's settings\n", StandardOpenOption.APPEND);
    String other = tmp.resolve("other-remote").toString();
    String otherUri = Path.of(other).toUri().toString().replaceFirst("/$", "");
    assertThat(a.ok("init", "--storage", other, "--default", "--json").obj()).containsEntry("default", true);
    assertThat(Files.readString(config)).contains("# our team's settings\n", "remote.default = " + otherUri + "\n")
        .doesNotContain("remote.default = " + uri + "\n");
    assertThat(a.ok("init", "--storage", remote, "--default").out()).endsWith("Default remote: " + uri + " (it was " + otherUri + ")\n");
  }

  @Test
  void aTeamRemoteFoundEmptyIsNotMadeAgainUnlessNamed() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Path remote = tmp.resolve("team");
    a.ok("init");
    Files.writeString(tmp.resolve("a/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    write(tmp.resolve("src/x.txt"), "x");
    a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString());
    Path away = Files.move(remote, tmp.resolve("team-away"));
    Files.createDirectories(remote); // the share's mount point, not mounted
    write(tmp.resolve("src/y.txt"), "y");
    String uri = remote.toUri().toString().replaceFirst("/$", "");
    String refusal = ": the default remote " + remote + " holds no Cairn data now, though 1 version here is on it (uploaded there, or"
        + " fetched from it; moved away, or not mounted?); make it reachable again, or give --storage " + remote + " to make a new remote there";
    assertThat(a.fails("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString()).err())
        .isEqualTo("cairn: Did not sync p/n" + refusal + "\n");
    assertThat(a.fails("create", "--project", "p", "--name", "other").err()).isEqualTo("cairn: Did not create p/other" + refusal + "\n");
    write(tmp.resolve("src2/z.txt"), "z");
    String other = (String) a.ok("sync", "--project", "p", "--name", "z", "--folder", tmp.resolve("src2").toString(), "--disable-upload",
        "--json").obj().get("id");
    write(tmp.resolve("src2/z2.txt"), "z2");
    String other2 = (String) a.ok("sync", "--project", "p", "--name", "z", "--folder", tmp.resolve("src2").toString(), "--disable-upload",
        "--json").obj().get("id");
    assertThat(a.fails("squash", "--name", "sq", "--ids", other, other2).err()).isEqualTo("cairn: Did not squash" + refusal + "\n");
    assertThat(remote).isEmptyDirectory();
    assertThat(a.ok("search", "--json").array()).as("nothing made but the versions kept here").hasSize(3);
    // Back where it was: the team's remote takes the new version.
    Files.delete(remote);
    Files.move(away, remote);
    a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString());
    assertThat(new Cli(tmp.resolve("b")).ok("search", "--storage", uri, "--json").array()).hasSize(2);
    // Named with --storage, an empty folder gets a new remote, as at any first upload there.
    Path fresh = Files.createDirectories(tmp.resolve("fresh"));
    assertThat(a.ok("sync", "--project", "p", "--name", "elsewhere", "--folder", tmp.resolve("src").toString(), "--storage",
        fresh.toString()).err()).contains("a new remote was made there");
  }

  @Test
  void closeOfAVersionUploadedElsewhereSaysItMadeACopy() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    write(tmp.resolve("src/x.txt"), "x");
    String first = tmp.resolve("first").toString();
    String second = tmp.resolve("second").toString();
    a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", first);
    assertThat(a.ok("close", "--storage", second).err()).contains(" was closed already and is on " + Path.of(first).toUri().toString()
        .replaceFirst("/$", "") + ": this close uploaded a copy to " + Path.of(second).toUri().toString().replaceFirst("/$", ""));
  }

  @Test
  void anUploadThatBringsBackAVersionDeletedThereSaysSo() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    // Published there, as here, it needs --force.
    a.ok("publish", "--id", id);
    a.ok("upload", "--id", id, "--storage", remote);
    assertThat(a.fails("delete", "--id", id, "--storage", remote).err()).isEqualTo("cairn: Cannot delete " + id + " from "
        + Path.of(remote).toUri().toString().replaceFirst("/$", "") + ": it is published there (others may rely on it); use --force to delete it anyway\n");
    Map<String, Object> deleted = a.ok("delete", "--id", id, "--storage", remote, "--force", "--json").obj();
    assertThat(deleted.get("storage")).isEqualTo(Path.of(remote).toUri().toString().replaceFirst("/$", ""));
    // Deleted there: a copy held here is still given, with a note; a repository without one is told why it is not found.
    assertThat(a.ok("get", "--id", id, "--storage", remote).err())
        .contains("cairn: note: " + id.substring(0, 8) + " was deleted on " + remote + "; the copy here is used");
    assertThat(new Cli(tmp.resolve("fresh")).fails("get", "--id", id, "--storage", remote).err())
        .contains("Cannot find dataset version " + id + " on ").contains(": it was deleted there (another remote that holds it can give it: name that one as the storage)");
    Cli.Result up = a.ok("upload", "--id", id, "--storage", remote, "--json");
    assertThat(up.obj()).containsEntry("restored", List.of(id));
    assertThat(up.err()).contains("note: " + id.substring(0, 8) + " had been deleted on " + remote + "; this upload brought it back");
    assertThat(a.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("id")).containsExactly(id);
    assertThat(a.fails("create", "--name", "x", "--parents", id, "--disable-upload").err())
        .isEqualTo("cairn: Unknown option: '--disable-upload' (see 'cairn create --help')\n");
  }

  @Test
  void exportShowAndVerifyReadAVersionOnlyARemoteHolds() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/x.txt"), "x");
    a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote);
    Cli b = new Cli(tmp.resolve("b"));
    assertThat(b.ok("show", "--project", "p", "--name", "n", "--storage", remote, "--json").obj()).containsEntry("version", "1.0.0");
    // verify --storage fetches the files' data too: every byte is checked, and kept as a get keeps it.
    assertThat(b.ok("verify", "--project", "p", "--name", "n", "--storage", remote).out()).matches("Verified n 1\\.0\\.0 \\([0-9a-f]{8}\\): no differences\n");
    assertThat(b.ok("verify", "--project", "p", "--name", "n").out()).matches("Verified n 1\\.0\\.0 \\([0-9a-f]{8}\\): no differences\n");
    // A parent known here by its record alone (a child fetched in part): both what is absent are named.
    write(tmp.resolve("src/y.txt"), "y");
    String parent = (String) a.ok("show", "--json").obj().get("id");
    String child = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    Cli d = new Cli(tmp.resolve("d"));
    d.ok("get", "--id", child, "--storage", remote, "--filter", "y.txt");
    assertThat(d.ok("verify", "--id", parent).out())
        .contains("not_fetched version object ")
        .contains("(its version object and the data of 1 file not fetched, so not checked: cairn verify --storage URI fetches");
    assertThat(d.ok("verify", "--id", parent, "--storage", remote).out()).matches("Verified n 1\\.0\\.0 \\([0-9a-f]{8}\\): no differences\n");
    // compare reads versions only the remote holds with --storage; without, it says how to get them.
    Cli e = new Cli(tmp.resolve("e"));
    e.ok("init");
    assertThat(e.fails("compare", "--source", parent, "--target", child).err()).contains("is fetched with cairn get --id " + parent);
    assertThat(e.ok("compare", "--source", parent, "--target", child, "--storage", remote).lastLine()).isEqualTo("0 removed, 0 modified, 1 added");
    Path archive = tmp.resolve("out.zip");
    b.ok("export", "--project", "p", "--name", "n", "--storage", remote, "--output", archive.toString());
    try (var zip = new ZipFile(archive.toFile())) {
      assertThat(new String(zip.getInputStream(zip.getEntry("x.txt")).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("x");
    }
    Cli c = new Cli(tmp.resolve("c"));
    assertThat(c.fails("export", "--project", "p", "--name", "n", "--storage", tmp.resolve("typo").toString(), "--output",
        tmp.resolve("o.zip").toString()).err()).contains("nothing is there (no cairn-remote");
    assertThat(c.repo).doesNotExist();
  }

  @Test
  void verifyOfARemoteThatLostDataSaysSoAndChecksTheRest() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Path remote = tmp.resolve("remote");
    byte[] big = new byte[600_000]; // a pack of its own on the remote
    new Random(5).nextBytes(big);
    Files.createDirectories(tmp.resolve("src"));
    Files.write(tmp.resolve("src/big.bin"), big);
    write(tmp.resolve("src/small.txt"), "small");
    String id = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage",
        remote.toString(), "--json").obj().get("id");
    try (var packs = Files.list(remote.resolve("packs"))) {
      Files.delete(packs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow());
    }
    Cli.Result r = new Cli(tmp.resolve("b")).run("verify", "--id", id, "--storage", remote.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("not_fetched big.bin").doesNotContain("Verified")
        .contains("not fetched, so not checked: the remote could not give it whole, see below)");
    assertThat(r.err()).contains("could not give all of " + id.substring(0, 8) + "'s data")
        .contains("; cairn fsck --storage " + remote + " --read-data says what is damaged there");
  }

  @Test
  void fsckOfARemoteCountsWhatAVersionLacksOnce() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Path remote = tmp.resolve("remote");
    byte[] big = new byte[600_000]; // a pack of its own on the remote
    new Random(3).nextBytes(big);
    Files.createDirectories(tmp.resolve("src"));
    Files.write(tmp.resolve("src/big.bin"), big);
    a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage", remote.toString());
    write(tmp.resolve("src/copy/twice.bin"), "small");
    Files.write(tmp.resolve("src/copy/big.bin"), big); // the same content under a second path
    String child = (String) a.ok("sync", "--project", "p", "--name", "n", "--folder", tmp.resolve("src").toString(), "--storage",
        remote.toString(), "--json").obj().get("id");
    Path largest;
    try (var packs = Files.list(remote.resolve("packs"))) {
      largest = packs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    Files.delete(largest);
    // The child reaches big.bin's two chunks by two paths and again through its base: two objects
    // lacking, listed once, under whichever of the two versions is checked first.
    String out = a.run("fsck", "--storage", remote.toString()).out();
    String uri = remote.toUri().toString().replaceFirst("/$", "");
    assertThat(out).containsPattern("version lacks 2 objects there( \\(listed for a version above: it shares them\\))? \\(cairn fsck"
        + " --storage \\S+ --repair, then cairn upload --id " + child.substring(0, 8) + " --storage \\S+ from a repository that holds it,"
        + " sends it again\\) \\(" + child.substring(0, 12));
    assertThat(out).contains("version lacks 2 objects there (cairn fsck --storage " + uri + " --repair, then cairn upload")
        .contains("version lacks 2 objects there (listed for a version above");
    assertThat(out.lines().filter(l -> l.contains("missing chunk of"))).hasSize(2);
    assertThat(out.strip().lines().reduce((x, y) -> y).orElseThrow()).as("the way forward names the remote")
        .isEqualTo("cairn fsck --storage " + uri + " --repair replaces the remote's damaged packs by their intact objects and marks"
            + " what the versions there lack, for uploads to complete; run cairn fsck --storage " + uri + " again after it");
  }

  /** Every file under a folder and its bytes' hash. */
  static final class GcLikeSnapshot {
    static Map<String, Integer> of(Path root) throws IOException {
      Map<String, Integer> m = new TreeMap<>();
      try (var s = Files.walk(root)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          m.put(root.relativize(p).toString(), Arrays.hashCode(Files.readAllBytes(p)));
        }
      }
      return m;
    }
  }

  /** A version "p/first" made and uploaded by {@code a}, and fetched by {@code b}: its id. */
  private String madeOnAFetchedOnB(Cli a, Cli b, String remote) throws IOException {
    write(tmp.resolve("src/x.txt"), "x");
    String id = (String) a.ok("sync", "--project", "p", "--name", "first", "--folder", tmp.resolve("src").toString(), "--storage", remote,
        "--json").obj().get("id");
    b.ok("get", "--id", id, "--storage", remote);
    return id;
  }

  @Test
  void aGetFromARemoteTakesItsNewerRecordEvenWhenNoDataComes() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String remote = tmp.resolve("remote").toString();
    String id = madeOnAFetchedOnB(a, b, remote);
    a.ok("rename", "--project", "p", "--name", "first", "--new-name", "second");
    a.ok("tags", "--id", id, "--add", "gold");
    a.ok("upload", "--id", id);
    assertThat(b.ok("show", "--id", id).out()).contains("first");
    b.ok("get", "--id", id); // the version's own remote is not asked: nothing changes
    assertThat(b.ok("tags", "--id", id, "--json").obj().get("tags")).asList().isEmpty();
    b.ok("get", "--id", id, "--storage", remote);
    assertThat(b.ok("tags", "--id", id, "--json").obj().get("tags")).asList().containsExactly("gold");
    assertThat(b.ok("search", "--name", "second", "--json").array()).extracting(m -> m.get("id")).containsExactly(id);
  }

  @Test
  void anUploadOfAnOlderCopySaysItTookTheRemotesRecord() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String remote = tmp.resolve("remote").toString();
    String id = madeOnAFetchedOnB(a, b, remote);
    a.ok("rename", "--project", "p", "--name", "first", "--new-name", "second");
    a.ok("upload", "--id", id);

    assertThat(b.ok("upload", "--id", id).out()).doesNotContain("Uploaded")
        .contains("The record of " + id + " on ").contains("is newer than this copy").contains("now p/second 1.0.0");
    Map<String, Object> again = b.ok("upload", "--id", id, "--json").obj();
    assertThat(again).containsEntry("up_to_date", true).containsEntry("record_taken", false).containsEntry("versions", 0L);
  }

  @Test
  void aVersionDeletedBeforeItsUploadGivesItsStringBackToTheRemote() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Path remote = tmp.resolve("remote");
    String draft = (String) a.ok("create", "--project", "p", "--name", "d", "--storage", remote.toString(), "--json").obj().get("id");
    Cli.Result draftDeleted = a.ok("delete", "--id", draft);
    assertThat(draftDeleted.out()).contains("version 1.0.0 is free again on ");
    assertThat(draftDeleted.err()).as("never uploaded: no copy stays").isEmpty();
    // Renamed, then moved, before its upload: the string is given back where create reserved it.
    String renamed = (String) a.ok("create", "--project", "p", "--name", "d", "--storage", remote.toString(), "--json").obj().get("id");
    a.ok("rename", "--project", "p", "--name", "d", "--new-name", "e");
    a.ok("move", "--project", "p", "--name", "e", "--new-project", "q");
    assertThat(a.ok("delete", "--id", renamed).out()).contains("version 1.0.0 is free again on ");
    // So does a draft a sync made (its log names the sync's own arguments).
    write(tmp.resolve("early/x.txt"), "x");
    String synced = (String) a.ok("sync", "--project", "p", "--name", "d", "--folder", tmp.resolve("early").toString(), "--storage",
        remote.toString(), "--skip-close", "--json").obj().get("id");
    a.ok("rename", "--project", "p", "--name", "d", "--new-name", "f");
    assertThat(a.ok("delete", "--id", synced).out()).contains("version 1.0.0 is free again on ");
    write(tmp.resolve("src/x.txt"), "x");
    String kept = (String) a.ok("sync", "--project", "p", "--name", "d", "--folder", tmp.resolve("src").toString(), "--storage",
        remote.toString(), "--json").obj().get("id");
    assertThat(a.ok("show", "--id", kept, "--json").obj()).containsEntry("version", "1.0.0");
    // Uploaded: the string is the version's on the remote for good, and so is its copy there until deleted there.
    Map<String, Object> keptDeleted = a.ok("delete", "--id", kept, "--json").obj();
    assertThat(keptDeleted).containsEntry("released_on", null).containsEntry("still_on", List.of(remote.toUri().toString().replaceAll("/$", "")));
    assertThat(keptDeleted.get("notes")).asList().singleElement().asString().startsWith("deleted here only, not on ")
        .endsWith(" deletes it there)");
    a.ok("get", "--id", kept, "--storage", remote.toString());
    assertThat(a.ok("delete", "--id", kept).err()).isEqualTo("cairn: note: deleted here only, not on "
        + remote.toUri().toString().replaceAll("/$", "") + ", where it was uploaded (cairn delete --id " + kept.substring(0, 8)
        + " --storage " + remote.toUri().toString().replaceAll("/$", "") + " deletes it there)\n");
    // A whole dataset: how many versions stay, and where.
    Path other = tmp.resolve("other-remote");
    write(tmp.resolve("whole/w.txt"), "w");
    new Cli(tmp.resolve("w")).ok("sync", "--project", "p", "--name", "whole", "--folder", tmp.resolve("whole").toString(), "--storage",
        other.toString());
    Cli.Result whole = new Cli(tmp.resolve("w")).ok("delete", "--project", "p", "--name", "whole", "--entire-dataset", "--force");
    assertThat(whole.err()).startsWith("cairn: note: deleted here only, not on " + other.toUri().toString().replaceAll("/$", "")
        + ", where 1 version was uploaded");
    new Cli(tmp.resolve("w")).ok("get", "--project", "p", "--name", "whole", "--storage", other.toString());
    assertThat(new Cli(tmp.resolve("w")).ok("delete", "--project", "p", "--name", "whole", "--entire-dataset", "--force", "--json").obj()
        .get("notes")).asList().singleElement().asString().contains("where 1 version was uploaded").endsWith(" deletes one there)");
    assertThat(new Cli(tmp.resolve("b")).ok("search", "--storage", remote.toString(), "--json").array()).extracting(m -> m.get("id"))
        .containsExactly(kept);
    // A string held there says by what: a version deleted there, or one not uploaded yet.
    a.ok("get", "--id", kept, "--storage", remote.toString());
    a.ok("delete", "--id", kept, "--storage", remote.toString(), "--force");
    assertThat(a.ok("delete", "--id", kept).err()).as("deleted there already: not said to stay there").isEmpty();
    assertThat(a.fails("create", "--project", "p", "--name", "d", "--version", "1.0.0", "--storage", remote.toString()).err())
        .contains("already exists on").contains("held by version " + kept + ", deleted there");
    String elsewhere = (String) new Cli(tmp.resolve("c")).ok("create", "--project", "p", "--name", "d", "--storage", remote.toString(),
        "--json").obj().get("id");
    assertThat(a.fails("create", "--project", "p", "--name", "d", "--version", "1.0.1", "--storage", remote.toString()).err())
        .contains("held by version " + elsewhere + ", not uploaded yet");
    // A remote that cannot be reached: deleted here all the same, with a warning.
    String lost = (String) a.ok("create", "--project", "p", "--name", "d", "--storage", remote.toString(), "--json").obj().get("id");
    Files.move(remote, tmp.resolve("moved"));
    Files.writeString(remote, "not a folder");
    Cli.Result gone = a.ok("delete", "--id", lost);
    assertThat(gone.err()).contains("warning: could not ask ").contains("version 1.0.2 may stay reserved there");
    assertThat(a.fails("show", "--id", lost).err()).contains("was deleted");
    // Moved away, no file in its place (a share not mounted): said too, not taken for released.
    Files.delete(remote);
    String unmounted = (String) a.ok("create", "--project", "p", "--name", "d2", "--storage", tmp.resolve("moved").toString(), "--json")
        .obj().get("id");
    Files.move(tmp.resolve("moved"), tmp.resolve("moved-again"));
    Cli.Result away = a.ok("delete", "--id", unmounted, "--json");
    assertThat(away.err()).contains("warning: could not ask ").contains("may stay reserved there");
    assertThat(away.obj().get("warnings")).asList().singleElement().asString().contains("may stay reserved there");
  }

  @Test
  void pushFromOneRepositoryGetFromAnother() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Cli b = new Cli(tmp.resolve("b"));
    String remote = tmp.resolve("remote").toString();
    Path src = tmp.resolve("src");
    write(src.resolve("data/x.csv"), "a,b\n1,2\n");
    write(src.resolve("y.txt"), "why");
    String id = (String) a.ok("create", "--project", "p", "--name", "shared", "--storage", remote, "--json").obj().get("id");
    a.ok("add", "--files", src.toString());
    Map<String, Object> closed = a.ok("close", "--json").obj();
    assertThat(closed.get("storage")).asString().contains("remote");
    assertThat(a.ok("log", "--json").array()).extracting(m -> m.get("command")).containsExactly("create", "add", "close", "upload");

    assertThat(b.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("id")).containsExactly(id);
    assertThat(b.ok("list", "--id", id.substring(0, 8), "--storage", remote, "--json").array()).extracting(m -> m.get("path"))
        .containsExactly("data/x.csv", "y.txt");
    // Listed only (its manifest fetched): verify says what is not here, and that it is no damage.
    Cli.Result listedOnly = b.ok("verify", "--id", id);
    assertThat(listedOnly.out()).contains("not_fetched").contains("the data of 2 files not fetched, so not checked: cairn verify --storage URI")
        .doesNotContain("damaged");
    assertThat(b.ok("verify", "--id", id, "--json").obj().get("ok")).isEqualTo(true);
    Path copy = Path.of(b.ok("get", "--id", id.substring(0, 8), "--storage", remote).lastLine());
    assertThat(b.ok("verify", "--id", id).out()).containsPattern("Verified \\S+ \\S+ \\([0-9a-f]{8}\\): no differences").doesNotContain("not fetched");
    assertThat(Files.readString(copy.resolve("data/x.csv"))).isEqualTo("a,b\n1,2\n");
    assertThat(b.ok("get", "--id", id).lastLine()).isEqualTo(copy.toString());

    // A parent known only on the remote is fetched by create (its record and manifest).
    Cli d = new Cli(tmp.resolve("d"));
    Map<String, Object> made = d.ok("create", "--name", "shared-child", "--parents", id.substring(0, 8), "--storage", remote, "--json").obj();
    assertThat(made.get("parents")).asList().containsExactly(id);
    assertThat(d.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("data/x.csv", "y.txt");
    assertThat(new Cli(tmp.resolve("e")).fails("create", "--name", "orphan", "--parents", id.substring(0, 8)).err())
        .contains("no version id starts with");
    // A child made on b goes back to the remote and on to a.
    write(src.resolve("z.txt"), "zed");
    String child = (String) b.ok("create", "--name", "shared", "--parents", id, "--storage", remote, "--json").obj().get("id");
    assertThat(b.ok("search", "--name", "shared", "--not-only-completed", "--json").array()).extracting(m -> m.get("version")).contains("1.0.1");
    b.ok("sync", "--id", child, "--folder", src.toString(), "--disable-upload"); // closes it, as clearml-data's sync does
    Map<String, Object> up = b.ok("upload", "--id", child, "--storage", remote, "--json").obj();
    assertThat(up.get("versions")).isEqualTo(1L);
    assertThat(b.ok("upload", "--id", child, "--storage", remote).out()).startsWith(child + " is up to date on ")
        .doesNotContain("Uploaded");
    Path childCopy = Path.of(a.ok("get", "--id", child, "--storage", remote).lastLine());
    assertThat(Files.readString(childCopy.resolve("z.txt"))).isEqualTo("zed");

    // By name, a named remote's highest version wins over the older local one (so does the
    // dataset's own remote, unnamed); a fresh repository finds it there too, and a name the remote
    // lacks is a one-line error.
    Cli c = new Cli(tmp.resolve("c"));
    c.ok("get", "--id", id, "--storage", remote);
    assertThat(c.ok("get", "--project", "p", "--name", "shared", "--version", "1.0.0", "--json").obj().get("id")).isEqualTo(id);
    assertThat(c.ok("get", "--project", "p", "--name", "shared", "--json").obj().get("id")).isEqualTo(child);
    assertThat(c.ok("get", "--project", "p", "--name", "shared", "--storage", remote, "--json").obj().get("id")).isEqualTo(child);
    assertThat(new Cli(tmp.resolve("by-name")).ok("get", "--name", "shared", "--storage", remote, "--json").obj().get("id"))
        .isEqualTo(child);
    assertThat(new Cli(tmp.resolve("by-name")).ok("get", "--name", "shared", "--version", "1.0.0", "--storage", remote, "--json")
        .obj().get("id")).isEqualTo(id);
    assertThat(a.fails("get", "--name", "absent", "--storage", remote).err()).contains("no dataset absent on");
    assertThat(c.ok("list", "--name", "shared", "--storage", remote, "--json").array()).extracting(m -> m.get("path"))
        .contains("z.txt");

    // Deleting on the remote: the parent is refused without --force; then the remote is collected.
    assertThat(a.fails("delete", "--id", id, "--storage", remote).err()).contains("parent");
    // By name, the remote's highest version of it (the child), as get --storage finds it.
    assertThat(a.ok("delete", "--name", "shared", "--storage", remote).out()).startsWith("Dataset version " + child + " deleted from ");
    assertThat(b.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("id")).containsExactly(id);
    Map<String, Object> gc = a.ok("gc", "--storage", remote, "--json").obj();
    assertThat((Long) gc.get("objects_deleted")).isPositive();
    Path again = Path.of(new Cli(tmp.resolve("fresh")).ok("get", "--id", id, "--storage", remote).lastLine());
    assertThat(Files.readString(again.resolve("y.txt"))).isEqualTo("why");
    // Many not here are counted, not listed a line each, unless asked.
    for (int i = 0; i < 12; i++) {
      write(tmp.resolve("many/f" + i + ".txt"), "f" + i);
    }
    String many = (String) a.ok("sync", "--project", "p", "--name", "many", "--folder", tmp.resolve("many").toString(), "--storage",
        remote, "--json").obj().get("id");
    b.ok("list", "--id", many, "--storage", remote); // its manifest only
    String firstTen = b.ok("verify", "--id", many).out();
    assertThat(firstTen.lines().filter(l -> l.startsWith("not_fetched ")).toList()).hasSize(11).last().isEqualTo("not_fetched ... and 2 more");
    assertThat(firstTen).contains("the data of 12 files (--verbose lists them all) not fetched, so not checked");
    assertThat(b.ok("verify", "--id", many, "--verbose").out().lines().filter(l -> l.startsWith("not_fetched"))).hasSize(12);
  }

  @Test
  @SuppressWarnings("unchecked")
  void uploadOfADraftSendsItsDataAndItsCloseTheRest() throws IOException {
    String remote = tmp.resolve("remote").toString();
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    byte[] big = new byte[2 << 20];
    new Random(9).nextBytes(big);
    Files.write(src.resolve("big.bin"), big);
    write(src.resolve("a.txt"), "a");
    Cli a = new Cli(tmp.resolve("a"));
    // clearml-data's order: create, add, upload, close.
    String id = (String) a.ok("create", "--project", "p", "--name", "early", "--json").obj().get("id");
    a.ok("add", "--files", src.toString());
    Map<String, Object> up = a.ok("upload", "--storage", remote, "--json").obj();
    assertThat(up).containsEntry("draft", true).containsEntry("remote_created", true);
    assertThat((Long) up.get("bytes")).isGreaterThan(2L << 20);
    assertThat(new Cli(tmp.resolve("c")).ok("search", "--storage", remote, "--not-only-completed", "--json").array())
        .as("no version listed before its close").isEmpty();
    Map<String, Object> closed = a.ok("close", "--json").obj();
    assertThat(closed.get("storage")).asString().contains("remote");
    assertThat((Long) closed.get("uploaded_bytes")).as("only its manifest and version").isLessThan(100_000L);
    Path copy = Path.of(new Cli(tmp.resolve("b")).ok("get", "--id", id, "--storage", remote).lastLine());
    assertThat(Files.readAllBytes(copy.resolve("big.bin"))).isEqualTo(big);
    assertThat(a.ok("log", "--id", id, "--json").array()).extracting(m -> m.get("command")).containsExactly("create", "add", "close",
        "upload");
  }

  @Test
  void syncIntoADraftClosesItAndUploadsItAsCloseDoes() throws IOException {
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/a.txt"), "a");
    Cli a = new Cli(tmp.resolve("a"));
    String id = (String) a.ok("create", "--project", "p", "--name", "ds", "--storage", remote, "--json").obj().get("id");
    Map<String, Object> synced = a.ok("sync", "--folder", tmp.resolve("src").toString(), "--json").obj();
    assertThat(synced).containsEntry("id", id).containsEntry("closed", true).containsEntry("added", 1L).containsEntry("version", "1.0.0");
    assertThat(synced.get("storage")).asString().contains("remote");
    assertThat(a.ok("show", "--id", id, "--json").obj().get("state")).isEqualTo("final");
    Path copy = Path.of(new Cli(tmp.resolve("b")).ok("get", "--id", id, "--storage", remote).lastLine());
    assertThat(Files.readString(copy.resolve("a.txt"))).isEqualTo("a");
    // --skip-close leaves it open; a plain sync of a closed version is refused, as an add is.
    String next = (String) a.ok("create", "--name", "ds", "--parents", id, "--json").obj().get("id");
    write(tmp.resolve("src/b.txt"), "b");
    Cli.Result open = a.ok("sync", "--id", next, "--folder", tmp.resolve("src").toString(), "--skip-close");
    assertThat(open.out()).contains("left open (--skip-close)");
    assertThat(a.ok("show", "--id", next, "--json").obj().get("state")).isEqualTo("draft");
    assertThat(a.fails("sync", "--id", id, "--folder", tmp.resolve("src").toString()).err()).contains(id.substring(0, 8));
  }

  @Test
  void aDefaultRemoteReservesVersionStringsAndTakesUploads() throws IOException {
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/a.txt"), "a");
    write(tmp.resolve("src2/b.txt"), "b");
    Cli other = new Cli(tmp.resolve("other"));
    other.ok("sync", "--project", "p", "--name", "ds", "--folder", tmp.resolve("src").toString(), "--storage", remote);
    Cli a = new Cli(tmp.resolve("a"));
    a.ok("init");
    Files.writeString(tmp.resolve("a/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);

    // Reserved there: 1.0.0 is the other repository's, so this one is 1.0.1, and uploaded.
    Map<String, Object> synced = a.ok("sync", "--project", "p", "--name", "ds", "--folder", tmp.resolve("src2").toString(), "--json").obj();
    assertThat(synced.get("storage")).asString().contains("remote");
    String id = (String) synced.get("id");
    assertThat(a.ok("search", "--ids", id, "--json").array()).extracting(m -> m.get("version")).containsExactly("1.0.1");
    assertThat(a.ok("create", "--project", "p", "--name", "ds", "--json").obj().get("version")).isEqualTo("1.0.2");
    assertThat(other.ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("version"))
        .containsExactly("1.0.0", "1.0.1");
    // --disable-upload keeps a new version local; with --skip-close, the flags that say how to upload are refused.
    Map<String, Object> local = a.ok("sync", "--project", "p", "--name", "solo", "--folder", tmp.resolve("src").toString(),
        "--disable-upload", "--json").obj();
    assertThat(local.get("storage")).isNull();
    assertThat(other.ok("search", "--storage", remote, "--json").array()).hasSize(2);
    Cli.Result refused = a.fails("sync", "--id", id, "--folder", tmp.resolve("src").toString(), "--skip-close", "--storage", remote);
    assertThat(refused.err()).contains("--skip-close leaves the draft open").hasLineCount(1);
    // A relative folder in the config is relative to the repository, wherever the command runs.
    Cli c = new Cli(tmp.resolve("c"));
    c.ok("init");
    Files.writeString(tmp.resolve("c/config"), "remote.default = ../beside\n", StandardOpenOption.APPEND);
    String beside = (String) c.ok("sync", "--project", "p", "--name", "rel", "--folder", tmp.resolve("src").toString(), "--json").obj()
        .get("id");
    assertThat(other.ok("search", "--storage", tmp.resolve("beside").toString(), "--json").array()).extracting(m -> m.get("id"))
        .containsExactly(beside);
  }

  @Test
  void aVersionWhoseStringAnotherRepositoryTookFirstIsRenumberedAndUploaded() throws IOException {
    String remote = tmp.resolve("remote").toString();
    write(tmp.resolve("src/a.txt"), "a");
    Cli a = new Cli(tmp.resolve("a"));
    String mine = (String) a.ok("sync", "--project", "p", "--name", "ds", "--folder", tmp.resolve("src").toString(), "--json")
        .obj().get("id");
    new Cli(tmp.resolve("b")).ok("sync", "--project", "p", "--name", "ds", "--folder", tmp.resolve("src").toString(),
        "--storage", remote);
    assertThat(a.fails("upload", "--id", mine, "--storage", remote).err()).contains("already exists on")
        .contains("cairn set-version --id " + mine.substring(0, 8) + " --new-version V");
    write(tmp.resolve("src/b.txt"), "b");
    a.ok("create", "--project", "p", "--name", "ds", "--version", "1.0.1"); // a draft holds 1.0.1 here
    assertThat(a.fails("set-version", "--id", mine, "--new-version", "1.0.1").err()).contains("already has version 1.0.1");
    assertThat(a.fails("set-version", "--id", mine, "--new-version", "bad version").err()).contains("invalid version");
    Map<String, Object> renumbered = a.ok("set-version", "--id", mine, "--new-version", "1.0.5", "--json").obj();
    assertThat(renumbered).containsEntry("old_version", "1.0.0").containsEntry("version", "1.0.5");
    a.ok("upload", "--id", mine, "--storage", remote);
    assertThat(new Cli(tmp.resolve("c")).ok("search", "--storage", remote, "--json").array()).extracting(m -> m.get("version"))
        .containsExactlyInAnyOrder("1.0.0", "1.0.5");
    assertThat(a.ok("log", "--id", mine, "--json").array()).extracting(m -> m.get("command")).contains("set-version");
    assertThat(a.fails("set-version", "--id", mine, "--new-version", "1.0.6").err())
        .contains(": it is 1.0.5 on " + Path.of(remote).toUri().toString().replaceAll("/$", "")).contains("where that string is reserved for it")
        .doesNotContain("--storage");
    // A version that reached the remote as a child's parent was uploaded there too: its string
    // there is reserved for it, and it keeps it.
    String parent = (String) a.ok("sync", "--name", "ds2", "--folder", tmp.resolve("src").toString(), "--json").obj().get("id");
    String child = (String) a.ok("create", "--name", "ds2", "--parents", parent, "--json").obj().get("id");
    write(tmp.resolve("more/c.txt"), "c");
    a.ok("add", "--files", tmp.resolve("more").toString());
    a.ok("close");
    a.ok("upload", "--id", child, "--storage", remote);
    assertThat(a.fails("set-version", "--id", parent, "--new-version", "3.0.0").err()).contains(": it is 1.0.0 on ")
        .contains("where that string is reserved for it").endsWith("; to have its files under 3.0.0, make a child of it with that string"
            + " (cairn create --name ds2 --parents " + parent.substring(0, 8) + " --version 3.0.0, then close it)\n");
    assertThat(a.ok("upload", "--id", parent, "--storage", remote).out()).contains("up to date");
  }

  /** As restic's unlock: locks no running process holds go; --remove-all takes one a process killed on another host left. */
  @Test
  void unlockRemovesLocksNoRunningProcessHoldsAndWithRemoveAllEvery() throws IOException {
    Path remote = tmp.resolve("remote");
    write(tmp.resolve("src/a.txt"), "a");
    Cli a = new Cli(tmp.resolve("a"));
    a.ok("sync", "--name", "locked", "--folder", tmp.resolve("src").toString(), "--storage", remote.toString());
    String uri = remote.toUri().toString().replaceFirst("/$", "");
    assertThat(a.ok("unlock", "--storage", remote.toString()).out()).isEqualTo("No lock to remove on " + uri + "\n");
    // One of this host's processes that ended, one not renewed for two hours, one just taken on another host.
    Path ended = remote.resolve("locks/push-0b2c3d4e-0000-4000-8000-000000000001");
    Files.writeString(ended, System.currentTimeMillis() + " 999999999 " + dev.cairn.dataset.VersionLocks.hostName() + " "
        + dev.cairn.internal.proc.ProcessIdentity.pidTable() + ".12345\n");
    Path stale = remote.resolve("locks/gc-0b2c3d4e-0000-4000-8000-000000000002");
    Files.writeString(stale, (System.currentTimeMillis() - 7_200_000) + " 4242 elsewhere.example\n");
    Path held = remote.resolve("locks/push-0b2c3d4e-0000-4000-8000-000000000003");
    Files.writeString(held, System.currentTimeMillis() + " 14829 bobhost\n");
    assertThat(a.fails("gc", "--storage", remote.toString()).err()).contains("an upload holds locks/push-0b2c3d4e-0000-4000-8000-000000000003")
        .containsPattern("if nothing runs, cairn unlock --storage file:\\S+/remote/? --remove-all deletes it\\)");
    Cli.Result unlocked = a.ok("unlock", "--storage", remote.toString());
    assertThat(unlocked.out()).contains("Removed " + uri + "/locks/push-0b2c3d4e-0000-4000-8000-000000000001 (its process, of this"
        + " host, ended)\n").contains("Removed " + uri + "/locks/gc-0b2c3d4e-0000-4000-8000-000000000002 (not renewed for over an hour)\n")
        // The one kept is listed, as restic's unlock lists what it keeps: the lock that holds a gc off is no mystery.
        .contains("Kept: an upload holds locks/push-0b2c3d4e-0000-4000-8000-000000000003, taken 0 min ago by pid 14829 on bobhost")
        .endsWith("Removed 2 locks on " + uri + "; kept 1 lock whose process may still run (once it has surely ended, as after a crash"
            + " of that host, --remove-all deletes it)\n");
    assertThat(ended).doesNotExist();
    assertThat(stale).doesNotExist();
    assertThat(held).as("its upload may still run").exists();
    Map<String, Object> all = a.ok("unlock", "--storage", remote.toString(), "--remove-all", "--json").obj();
    assertThat(all).containsEntry("storage", uri).containsEntry("kept", List.of());
    assertThat((List<?>) all.get("removed")).singleElement().asString().startsWith("locks/push-0b2c3d4e-0000-4000-8000-000000000003 (an"
        + " upload holds locks/push-0b2c3d4e-0000-4000-8000-000000000003, taken 0 min ago by pid 14829 on bobhost");
    assertThat(held).doesNotExist();
    a.ok("gc", "--storage", remote.toString());
    assertThat(a.fails("unlock", "--storage", tmp.resolve("nowhere").toString()).err()).startsWith("cairn: ");
  }

  @Test
  void uploadingAVersionAgainChecksItAndSendsWhatAPackDeletedByHandTook() throws IOException {
    Path remote = tmp.resolve("remote");
    byte[] big = new byte[600_000];
    new Random(7).nextBytes(big);
    Files.createDirectories(tmp.resolve("src"));
    Files.write(tmp.resolve("src/big.bin"), big);
    Cli a = new Cli(tmp.resolve("a"));
    String id = (String) a.ok("sync", "--name", "again", "--folder", tmp.resolve("src").toString(), "--storage", remote.toString(),
        "--json").obj().get("id");
    assertThat(a.ok("upload", "--id", id, "--json").obj().get("objects")).as("nothing missing: nothing sent").isEqualTo(0L);
    Path largest;
    try (var packs = Files.list(remote.resolve("packs"))) {
      largest = packs.max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    Files.delete(largest);
    Files.writeString(remote.resolve("packs/notes.txt"), "stray");
    assertThat(a.ok("upload", "--id", id, "--json").obj().get("objects")).asString().isNotEqualTo("0");
    Path copy = Path.of(new Cli(tmp.resolve("b")).ok("get", "--id", id, "--storage", remote.toString()).lastLine());
    assertThat(Files.readAllBytes(copy.resolve("big.bin"))).isEqualTo(big);
    assertThat(new Cli(tmp.resolve("b")).ok("fsck", "--storage", remote.toString()).out()).contains("not a pack").startsWith("warning");
    // An upload killed part way leaves its lock, which holds off collections for an hour: the check names it.
    Files.writeString(remote.resolve("locks/push-0b2c3d4e-0000-4000-8000-000000000000"),
        System.currentTimeMillis() + " 999999999 " + dev.cairn.dataset.VersionLocks.hostName() + "\n");
    assertThat(new Cli(tmp.resolve("b")).ok("fsck", "--storage", remote.toString()).out())
        .contains("an upload holds locks/push-0b2c3d4e").contains("which no longer runs it");
    assertThat(a.fails("gc", "--storage", remote.toString()).err()).contains("an upload holds locks/push-0b2c3d4e");
    // One whose process runs here says so.
    Files.writeString(remote.resolve("locks/push-0b2c3d4e-0000-4000-8000-000000000000"),
        System.currentTimeMillis() + " " + ProcessHandle.current().pid() + " " + dev.cairn.dataset.VersionLocks.hostName() + "\n");
    assertThat(a.fails("gc", "--storage", remote.toString()).err()).contains("by pid " + ProcessHandle.current().pid()
        + " on this host, where it still runs");
    // One that recorded this very pid table (same boot and pid namespace) is known ended: passed over.
    Files.writeString(remote.resolve("locks/push-0b2c3d4e-0000-4000-8000-000000000000"), System.currentTimeMillis() + " 999999999 "
        + dev.cairn.dataset.VersionLocks.hostName() + " " + dev.cairn.internal.proc.ProcessIdentity.pidTable() + ".12345\n");
    assertThat(new Cli(tmp.resolve("b")).ok("fsck", "--storage", remote.toString()).out()).doesNotContain("an upload holds")
        .contains("lock left by a process of this host that ended: passed over by uploads and collections; the next upload from"
            + " this host, or cairn gc --storage ");
    a.ok("gc", "--storage", remote.toString());
    assertThat(remote.resolve("locks/push-0b2c3d4e-0000-4000-8000-000000000000")).as("removed by the collection").doesNotExist();
  }

  @Test
  void fsckOfARemoteFindsWhatADeletedPackTookAndUploadCompletesIt() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    Path remote = tmp.resolve("remote");
    write(tmp.resolve("src/a.txt"), "alpha");
    write(tmp.resolve("src/b.txt"), "beta");
    String id = (String) a.ok("sync", "--name", "ds", "--folder", tmp.resolve("src").toString(), "--storage", remote.toString(),
        "--json").obj().get("id");
    Cli b = new Cli(tmp.resolve("b"));
    Map<String, Object> clean = b.ok("fsck", "--storage", remote.toString(), "--read-data", "--json").obj();
    // A damaged record: search leaves the version out and says so; an upload supersedes it.
    Path record;
    try (var logs = Files.list(remote.resolve("versions").resolve(id))) {
      record = logs.max(Comparator.naturalOrder()).orElseThrow();
    }
    Files.writeString(record, "garbage");
    Cli.Result listed = b.ok("search", "--storage", remote.toString(), "--json");
    assertThat(listed.array()).isEmpty();
    assertThat(listed.err()).contains("1 version record on").contains("fsck --storage");
    assertThat(b.run("fsck", "--storage", remote.toString()).out()).contains("newest record unreadable");
    assertThat(b.fails("gc", "--storage", remote.toString()).err()).contains("cannot be read");
    a.ok("upload", "--id", id);
    assertThat(b.ok("search", "--storage", remote.toString(), "--json").array()).extracting(m -> m.get("id")).containsExactly(id);
    // A lost reservation: found, and made again by the repair.
    try (var names = Files.walk(remote.resolve("names"))) {
      for (Path n : names.filter(Files::isRegularFile).toList()) {
        Files.delete(n);
      }
    }
    assertThat(b.run("fsck", "--storage", remote.toString()).out()).contains("is not reserved for it");
    assertThat(b.ok("fsck", "--storage", remote.toString(), "--repair").out()).contains("reserved ds 1.0.0 for " + id + " again")
        .contains("ok:");
    assertThat(clean.get("ok")).isEqualTo(true);
    assertThat(clean.get("versions")).isEqualTo(1L);
    // Every pack deleted by hand: the record still names what they held.
    List<Path> all;
    try (var packs = Files.list(remote.resolve("packs"))) {
      all = packs.toList();
    }
    for (Path p : all) {
      Files.delete(p);
    }
    Cli.Result found = b.run("fsck", "--storage", remote.toString());
    assertThat(found.exit()).isEqualTo(1);
    assertThat(found.out()).contains("missing version object").contains("cairn upload --id " + id.substring(0, 8))
        .contains("--repair").containsPattern("DAMAGED: \\d+ errors?, \\d+ warnings?; checked \\d+ packs? ");
    Cli.Result repaired = b.run("fsck", "--storage", remote.toString(), "--repair");
    assertThat(repaired.exit()).isEqualTo(1);
    assertThat(repaired.out()).contains("marked the remote incomplete");
    assertThat(Files.exists(remote.resolve("locks/incomplete"))).isTrue();
    a.ok("upload", "--id", id);
    assertThat(b.ok("fsck", "--storage", remote.toString()).out()).contains("still marked incomplete")
        .contains("--repair lifts the mark").contains("ok: ");
    assertThat(b.ok("fsck", "--storage", remote.toString(), "--repair").out()).contains("whole again").startsWith("repaired");
    assertThat(Files.exists(remote.resolve("locks/incomplete"))).isFalse();
    Path copy = Path.of(b.ok("get", "--id", id, "--storage", remote.toString()).lastLine());
    assertThat(Files.readString(copy.resolve("b.txt"))).isEqualTo("beta");
    assertThat(a.ok("fsck", "--read-data").lastLine()).startsWith("ok: "); // a local fsck reads every byte, with or without it
  }

  @Test
  void aMergeWhoseBaseCannotBeFetchedSaysItWasAUnion() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String remote = tmp.resolve("remote").toString();
    java.util.function.BiFunction<String, String, String> sync = (folder, parent) -> {
      List<String> args = new java.util.ArrayList<>(List.of("sync", "--project", "p", "--name", "n", "--folder",
          tmp.resolve(folder).toString(), "--storage", remote, "--json"));
      if (parent != null) {
        args.addAll(List.of("--parents", parent));
      }
      return (String) a.ok(args.toArray(String[]::new)).obj().get("id");
    };
    // Two branches two versions deep: fetching their tips brings the base's record, not its manifest.
    write(tmp.resolve("v0/f"), "0");
    for (String side : List.of("l", "r")) {
      write(tmp.resolve(side + "0/f"), "0");
      write(tmp.resolve(side + "0/" + side + "0"), side);
      write(tmp.resolve(side + "1/f"), "0");
      write(tmp.resolve(side + "1/" + side + "0"), side);
      write(tmp.resolve(side + "1/" + side + "1"), side);
    }
    String base = sync.apply("v0", null);
    String left = sync.apply("l1", sync.apply("l0", base));
    String right = sync.apply("r1", sync.apply("r0", base));
    Cli b = new Cli(tmp.resolve("b"));
    b.ok("get", "--id", left, "--storage", remote);
    b.ok("get", "--id", right, "--storage", remote);
    Files.move(tmp.resolve("remote"), tmp.resolve("remote-gone"));
    Cli.Result merged = b.ok("create", "--name", "m", "--parents", left, right);
    assertThat(merged.err()).contains("cairn: note: the parents' common ancestor " + base.substring(0, 8) + " is known here by its"
        + " record alone");
  }

  @Test
  void aCloseWhoseUploadFailsSaysTheVersionIsClosedAndHowToRetry() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path remote = tmp.resolve("remote");
    write(tmp.resolve("src/a.txt"), "a");
    String id = (String) cli.ok("create", "--name", "up", "--storage", remote.toString(), "--json").obj().get("id");
    cli.ok("add", "--files", tmp.resolve("src").toString());
    if (Files.exists(remote.resolve("packs"))) {
      Files.walk(remote.resolve("packs")).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    write(remote.resolve("packs"), "in the way"); // the remote is fine, but its upload fails
    String err = cli.fails("close").err();
    assertThat(err).contains("Closed " + id + " here, but could not upload it to").contains("cairn upload --id " + id.substring(0, 8) + "'");
    assertThat(err.lines().count()).isEqualTo(1);
    // Run again, close tries the upload again (and says how to retry while it fails).
    assertThat(cli.fails("close").err()).contains("Could not upload " + id).contains("cairn upload --id " + id.substring(0, 8));
    Files.delete(remote.resolve("packs"));
    cli.ok("upload");
    assertThat(new Cli(tmp.resolve("other")).ok("search", "--storage", remote.toString(), "--json").array())
        .extracting(m -> m.get("id")).containsExactly(id);
    // A remote that is not the version's own (the default one here; $CAIRN_STORAGE, set for the close alone, likewise) is named.
    String other = (String) cli.ok("create", "--name", "elsewhere", "--json").obj().get("id");
    cli.ok("add", "--files", tmp.resolve("src").toString());
    Files.writeString(tmp.resolve("repo/config"), "remote.default = " + remote + "\n", StandardOpenOption.APPEND);
    if (Files.exists(remote.resolve("locks"))) {
      Files.walk(remote.resolve("locks")).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    write(remote.resolve("locks"), "in the way"); // the upload cannot take its lock
    assertThat(cli.fails("close").err()).contains("Closed " + other + " here, but could not upload it to")
        .contains("cairn upload --id " + other.substring(0, 8) + " --storage ");
  }

  @Test
  void aCopyWithOverwriteDeletesWhatTheFolderHeldOnlyOnceTheCopyIsWhole() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path ext = tmp.resolve("ext");
    write(ext.resolve("l1.txt"), "one");
    write(ext.resolve("l2.txt"), "two");
    String id = (String) cli.ok("create", "--name", "links", "--json").obj().get("id");
    cli.ok("add", "--links", ext.toString());
    cli.ok("close");
    // The copy replaces the very folder the linked files are read from: read first, then replaced.
    cli.ok("get", "--id", id, "--copy", ext.toString(), "--overwrite");
    assertThat(Files.readString(ext.resolve("l1.txt"))).isEqualTo("one");
    assertThat(Files.readString(ext.resolve("l2.txt"))).isEqualTo("two");
    // A linked file changed since: the copy fails, and the folder it would replace keeps its files.
    Path precious = tmp.resolve("out/precious");
    write(precious.resolve("mywork.txt"), "mine");
    write(ext.resolve("l2.txt"), "TWO!");
    assertThat(cli.fails("get", "--id", id, "--copy", precious.toString(), "--overwrite").err()).contains("changed since it was added");
    try (var left = Files.list(precious)) {
      assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("mywork.txt");
    }
    assertThat(Files.readString(precious.resolve("mywork.txt"))).isEqualTo("mine");
  }

  @Test
  void anExternalFileIsRemovedByItsLinkAsClearmlRemovesIt() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path ext = tmp.resolve("ext");
    for (String f : List.of("a.txt", "b.txt", "sub/c.txt", "d.csv", "my dir/e f.txt")) {
      write(ext.resolve(f), f);
    }
    cli.ok("create", "--name", "links");
    cli.ok("add", "--links", ext.toString());
    String uri = ext.toUri().toString().replaceFirst("/$", ""); // file:///...
    assertThat(cli.ok("remove", "--files", uri + "/a.txt").out()).startsWith("1 file removed");
    assertThat(cli.ok("remove", "--files", "file:" + ext + "/*.txt").out()).as("file:/x is file:///x; * stays in its folder")
        .startsWith("1 file removed");
    assertThat(cli.ok("remove", "--files", uri + "/sub").out()).as("a folder's links").startsWith("1 file removed");
    assertThat(cli.ok("remove", "--files", uri + "/my dir/e f.txt").out()).as("typed with its spaces").startsWith("1 file removed");
    assertThat(cli.fails("remove", "--files", uri + "/nope").err())
        .isEqualTo("cairn: Cannot remove '" + uri + "/nope': no external file of the dataset links there; nothing was removed\n");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("d.csv");
  }

  @Test
  void anExternalFileAddedByItsLocalPathIsRemovedByIt() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path raw = tmp.resolve("raw");
    for (String f : List.of("r1.jpg", "r2.jpg", "r3.txt", "sub/r4.jpg")) {
      write(raw.resolve(f), f);
    }
    cli.ok("create", "--name", "local-links");
    cli.ok("add", "--links", raw + "/");
    assertThat(cli.ok("remove", "--files", raw.resolve("r1.jpg").toString()).out()).startsWith("1 file removed");
    assertThat(cli.ok("remove", "--files", raw + "/*.jpg").out()).startsWith("1 file removed");
    assertThat(cli.ok("remove", "--files", raw.resolve("sub").toString()).out()).startsWith("1 file removed");
    assertThat(cli.fails("remove", "--files", raw.resolve("nope").toString()).err()).contains("no file in the dataset matches");
    assertThat(cli.ok("list", "--json").array()).extracting(m -> m.get("path")).containsExactly("r3.txt");
  }

  @Test
  void externalLinksStayWhereTheyAreAndAreChecked() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path outside = tmp.resolve("bucket");
    write(outside.resolve("images/a.jpg"), "AAA");
    write(outside.resolve("images/sub/b.jpg"), "BBBB");
    write(outside.resolve("one.csv"), "1,2");
    String id = (String) cli.ok("create", "--name", "links", "--json").obj().get("id");
    Map<String, Object> added = cli.ok("add", "--links", outside.resolve("images").toUri() + "/", outside.resolve("one.csv").toString(),
        "--dataset-folder", "ext", "--json").obj();
    assertThat(added.get("added")).isEqualTo(3L);
    List<Map<String, Object>> files = cli.ok("list", "--json").array();
    assertThat(files).extracting(m -> m.get("path")).containsExactly("ext/a.jpg", "ext/one.csv", "ext/sub/b.jpg");
    assertThat(files.get(0).get("link")).asString().endsWith("images/a.jpg");
    Cli.Result listed = cli.ok("list");
    assertThat(listed.out()).containsPattern("ext/a\\.jpg .* -> file:/\\S+/images/a\\.jpg\\n");
    assertThat(listed.lastLine()).isEqualTo("Total 3 files (3 external links), 10 bytes");
    // Tagged as clearml-data tags such a version, once however many links come in.
    cli.ok("add", "--links", outside.resolve("one.csv").toString(), "--dataset-folder", "again");
    assertThat(cli.ok("show", "--json").obj().get("tags")).isEqualTo(List.of("external files"));
    cli.ok("close");
    Path copy = Path.of(cli.ok("get", "--id", id).lastLine());
    assertThat(Files.readString(copy.resolve("ext/sub/b.jpg"))).isEqualTo("BBBB");
    assertThat(cli.ok("verify", "--id", id).exit()).isZero();
    write(outside.resolve("one.csv"), "changed!");
    Cli.Result bad = cli.run("verify", "--id", id);
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out()).contains("ext/one.csv");
    // Gone from where it was linked: said so, not as a file missing on Cairn's remote.
    write(outside.resolve("one.csv"), "1,2");
    Files.delete(outside.resolve("images/sub/b.jpg"));
    assertThat(cli.fails("get", "--id", id, "--copy", tmp.resolve("gone").toString()).err())
        .contains("Cannot get ext/sub/b.jpg: the linked file ").contains("images/sub/b.jpg is gone (it was deleted or moved since it was added)");
    write(outside.resolve("images/sub/b.jpg"), "BBBB");

    // A folder given as a local path (with or without a slash) or a file: URI without a slash.
    cli.ok("create", "--name", "links-forms");
    List<String> forms = List.of(outside.resolve("images").toString(), outside.resolve("images") + "/",
        "file://" + outside.resolve("images"));
    for (int i = 0; i < forms.size(); i++) {
      assertThat(cli.ok("add", "--links", forms.get(i), "--dataset-folder", "f" + i, "--json").obj().get("added")).as(forms.get(i))
          .isEqualTo(2L);
    }
    assertThat(cli.fails("add", "--links", outside.resolve("nothing").toString()).err()).contains("no such file or folder");
    // Names that a URI must encode (a space, '#', '%', non-ASCII) in a folder and in a file.
    Path odd = tmp.resolve("odd dir");
    write(odd.resolve("a b#1%.txt"), "spaces");
    write(odd.resolve("sub/caf\u00e9 2.txt"), "accent");
    String oddId = (String) cli.ok("create", "--name", "odd-links", "--json").obj().get("id");
    cli.ok("add", "--links", odd.toString(), odd.resolve("a b#1%.txt").toString(), "--dataset-folder", "o");
    cli.ok("close");
    Path oddCopy = Path.of(cli.ok("get", "--id", oddId).lastLine());
    assertThat(Files.readString(oddCopy.resolve("o/a b#1%.txt"))).isEqualTo("spaces");
    assertThat(Files.readString(oddCopy.resolve("o/sub/caf\u00e9 2.txt"))).isEqualTo("accent");
    assertThat(cli.ok("verify", "--id", oddId).exit()).isZero();
    // An export holds linked files too, read from where they stay.
    Path zip = tmp.resolve("odd.zip");
    cli.ok("export", "--id", oddId, "--output", zip.toString());
    try (var z = new ZipFile(zip.toFile())) {
      assertThat(new String(z.getInputStream(z.getEntry("o/sub/caf\u00e9 2.txt")).readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("accent");
      assertThat(z.size()).isEqualTo(2);
    }
    write(odd.resolve("a b#1%.txt"), "changed since");
    assertThat(cli.fails("export", "--id", oddId, "--output", tmp.resolve("odd2.zip").toString()).err()).contains("changed since it was added");
    assertThat(tmp.resolve("odd2.zip")).doesNotExist();
    // A mistyped remote is refused, and nothing is created there.
    Path typo = tmp.resolve("typo-remote");
    assertThat(cli.fails("search", "--storage", typo.toString()).err()).contains("no cairn-remote");
    assertThat(cli.fails("gc", "--storage", typo.toString()).err()).contains("no cairn-remote");
    assertThat(typo).doesNotExist();
  }
}
