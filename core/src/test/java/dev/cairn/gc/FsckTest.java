package dev.cairn.gc;

import static dev.cairn.gc.GcFixtures.folder;
import static dev.cairn.gc.GcFixtures.snapshot;
import static dev.cairn.gc.GcFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import dev.cairn.id.ObjectId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsckTest {
  @TempDir Path tmp;

  @Test
  void aHealthyRepositoryIsClean() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 5, 30_000));
      version(repo, "d", folder(tmp.resolve("t"), 2, 3, 10_000), v1.id());
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      assertThat(r.problems()).isEmpty();
      assertThat(r.versions()).isEqualTo(2);
      assertThat(r.packs()).isPositive();
    }
  }

  @Test
  void aVersionClosedWhileTheCheckRunsIsNotTakenForDamage() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 5, 30_000));
      Path more = folder(tmp.resolve("t"), 2, 3, 10_000);
      // Once the packs are listed, another command closes a version: its packs, index entries and
      // record appear while the check runs.
      Progress meanwhile = new Progress() {
        boolean done;

        @Override
        public void start(String task, long totalBytes) {
          if (!done && task.startsWith("checking")) {
            done = true;
            try {
              version(repo, "d", more, v1.id());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
      };
      Fsck.Report r = new Fsck(repo, meanwhile).check();
      assertThat(r.errors()).isEmpty();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    }
  }

  @Test
  void aCachedCopyChangedInPlaceIsFoundAndRebuiltByRepair() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path src = folder(tmp.resolve("s"), 1, 3, 20_000);
      Dataset v1 = version(repo, "d", src);
      Dataset v2 = version(repo, "d", src, v1.id()); // the same files: both folders link one content
      Path c1 = v1.getLocalCopy();
      Path c2 = v2.getLocalCopy();
      assertThat(Files.getPosixFilePermissions(c1)).doesNotContain(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
          java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      // As root may: a cached file written to in place, a file added, a file deleted.
      Files.write(c1.resolve("f0.bin"), new byte[] {1}, StandardOpenOption.APPEND);
      Files.writeString(c2.resolve("extra.txt"), "mine");
      Files.delete(c2.resolve("f2.bin"));
      List<Problem> found = new Fsck(repo, Progress.NONE).check().errors();
      assertThat(found).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("cached content changed"));
      assertThat(found).filteredOn(p -> p.where().equals(c1.toString())).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("'f0.bin'"));
      assertThat(found).filteredOn(p -> p.where().equals(c2.toString())).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("2 files changed or added").contains("'extra.txt'"));
      assertThat(new Repair(repo, Progress.NONE).run()).anySatisfy(a -> assertThat(a).startsWith("deleted damaged cached copy " + c1));
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      assertThat(snapshot(v1.getLocalCopy())).isEqualTo(snapshot(src));
      assertThat(snapshot(v2.getLocalCopy())).isEqualTo(snapshot(src));
      // A copy of the right bytes, not a link (a file system without hard links, or a folder built
      // while fsck ran) is fine.
      Path copied = v1.getLocalCopy().resolve("f1.bin");
      byte[] same = Files.readAllBytes(copied);
      Files.delete(copied);
      Files.write(copied, same);
      Files.setPosixFilePermissions(copied, PosixFilePermissions.fromString("r--r--r--")); // as a copy keeps it
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      // A chmod of a cached file (its time unchanged) changes what every folder linking it hands out:
      // the content file and both folders are reported, and the repair leaves none of them so.
      for (String mode : List.of("rwxr--r--", "r-xr-xr-x")) {
        Path chmodded = v1.getLocalCopy().resolve("f2.bin");
        v2.getLocalCopy();
        Files.setPosixFilePermissions(chmodded, PosixFilePermissions.fromString(mode));
        List<Problem> modeFound = new Fsck(repo, Progress.NONE).check().errors();
        assertThat(modeFound).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("mode changed to " + mode));
        assertThat(modeFound).extracting(Problem::where).contains(c1.toString(), c2.toString());
        new Repair(repo, Progress.NONE).run();
        assertThat(new Fsck(repo, Progress.NONE).check().problems()).as(mode).isEmpty();
      }
      assertThat(Files.getPosixFilePermissions(v2.getLocalCopy().resolve("f2.bin")))
          .isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
      // A link to intact content, but another path's.
      Path swapped = v1.getLocalCopy();
      Files.delete(swapped.resolve("f0.bin"));
      Files.createLink(swapped.resolve("f0.bin"), swapped.resolve("f2.bin"));
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("'f0.bin'"));
      new Repair(repo, Progress.NONE).run();
      assertThat(snapshot(v1.getLocalCopy())).isEqualTo(snapshot(src));
      // A whole version's folder missing a file.
      Files.delete(v2.getLocalCopy().resolve("f1.bin"));
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("1 file of the version missing, first 'f1.bin'"));
    }
  }

  @Test
  void aDamagedRunRecordIsFoundAndSetAsideByRepair() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "d", folder(tmp.resolve("s"), 1, 2, 1_000));
      for (String run : List.of("r1", "r2", "r3", "r4")) {
        repo.usage().record(run, "train", v.record());
      }
      Path runs = repo.repository().directory().resolve("runs");
      List<Path> records;
      try (var s = Files.list(runs)) {
        records = s.sorted().toList();
      }
      // Cut short, bytes that are not UTF-8, a use that is not an object: each is the record's damage, said.
      Files.writeString(records.get(0), "[1");
      Files.write(records.get(1), new byte[] {'{', (byte) 0xff, (byte) 0xfe});
      Files.writeString(records.get(2), "{\"run\": \"r\", \"uses\": [null]}");
      Path earlier = Files.writeString(records.get(0).resolveSibling(records.get(0).getFileName() + ".damaged"), "set aside before");
      assertThatThrownBy(() -> repo.usage().usesOf(v.id())).isInstanceOf(CorruptObjectException.class);
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).hasSize(3)
          .allSatisfy(p -> assertThat(p.message()).startsWith("run record cannot be read (").contains("fsck --repair sets it aside"))
          .extracting(Problem::where).containsExactly(records.get(0).toString(), records.get(1).toString(), records.get(2).toString());
      assertThat(new Repair(repo, Progress.NONE).run()).filteredOn(a -> a.startsWith("set damaged run record ")).hasSize(3);
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      assertThat(repo.usage().usesOf(v.id())).singleElement(); // the other run's use stays
      assertThat(earlier).hasContent("set aside before");
      assertThat(earlier.resolveSibling(records.get(0).getFileName() + ".damaged-2")).hasContent("[1");
    }
  }

  @Test
  void aDamagedCurrentVersionFileIsAWarningAndRepairDeletesIt() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      version(repo, "d", folder(tmp.resolve("s"), 1, 2, 1_000));
      Path current = repo.repository().directory().resolve("refs/CURRENT");
      Files.writeString(current, "garbage\n");
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).singleElement()
          .satisfies(p -> assertThat(p.where()).isEqualTo(current.toString()))
          .satisfies(p -> assertThat(p.message()).startsWith("names no version id (damaged)"));
      assertThat(new Repair(repo, Progress.NONE).run()).contains("deleted damaged " + current + " (it named no version)");
      assertThat(current).doesNotExist();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    }
  }

  @Test
  void aPartsFolderMissingOneOfItsFilesIsFound() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "d", folder(tmp.resolve("s"), 1, 6, 20_000));
      Path part = v.getLocalCopy(1, 2);
      List<Path> held;
      try (var s = Files.list(part)) {
        held = s.sorted().toList();
      }
      assertThat(held).hasSizeBetween(1, 5);
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      Files.delete(held.get(0));
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).singleElement()
          .satisfies(p -> assertThat(p.where()).isEqualTo(part.toString()))
          .satisfies(p -> assertThat(p.message()).contains("1 file of the version missing, first '" + held.get(0).getFileName() + "'"));
      new Repair(repo, Progress.NONE).run();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      assertThat(v.getLocalCopy(1, 2).resolve(held.get(0).getFileName())).exists();
    }
  }

  @Test
  void everyDamagedObjectIsFoundAndUndamagedVersionsStayReadable() throws IOException {
    Path dir = tmp.resolve("r");
    String goodId;
    String badId;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      goodId = version(repo, "good", folder(tmp.resolve("g"), 1, 4, 20_000)).id();
      badId = version(repo, "bad", folder(tmp.resolve("b"), 2, 4, 20_000)).id();
    }
    // Damage one byte inside the data of the "bad" version's pack(s): the last pack written holds it.
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Dataset good = repo.get(goodId);
      Dataset bad = repo.get(badId);
      Path victim = largestPackOf(repo, bad);
      byte[] b = Files.readAllBytes(victim);
      b[b.length / 3] ^= 0x40;
      Files.write(victim, b);
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      assertThat(r.ok()).isFalse();
      assertThat(r.errors()).anyMatch(p -> p.where() != null && p.where().contains(victim.getFileName().toString()));
      assertThat(r.errors()).anyMatch(p -> p.message().contains("damaged") && p.what() != null);
      assertThat(r.errors()).anyMatch(p -> p.where() != null && p.where().contains(bad.id()));
      assertThat(snapshot(good.getLocalCopy())).isEqualTo(snapshot(tmp.resolve("g")));
      assertThat(good.verify()).isEmpty();
      assertThat(bad.verify()).isNotEmpty();
      assertThatThrownBy(() -> bad.getLocalCopy()).isInstanceOf(CorruptObjectException.class).hasMessageContaining(victim.getFileName().toString());
      // Repair salvages the rest; the damaged objects stay reported until fetched again.
      List<String> actions = new Repair(repo, Progress.NONE).run();
      assertThat(actions).anyMatch(a -> a.contains("lost-found"));
      Fsck.Report after = new Fsck(repo, Progress.NONE).check();
      assertThat(after.errors()).allMatch(p -> p.where() != null && p.where().contains(bad.id()));
      assertThat(snapshot(good.getLocalCopy())).isEqualTo(snapshot(tmp.resolve("g")));
    }
  }

  @Test
  void repairCopiesEveryIntactObjectOutOfAPackWhoseIndexOrTrailerIsDamaged() throws IOException {
    Path dir = tmp.resolve("r");
    String id;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      id = version(repo, "d", folder(tmp.resolve("s"), 3, 6, 40_000)).id();
    }
    // Each damage in turn, on a fresh copy: the trailer's index checksum, one byte of one index
    // entry's id, the trailer's index offset.
    for (String damage : List.of("index checksum", "entry id", "index offset")) {
      Path copy = tmp.resolve("copy-" + damage.replace(' ', '-'));
      TestRepos.copyRepository(dir, copy);
      try (DatasetRepository repo = DatasetRepository.open(copy, TestRepos.SMALL)) {
        Path victim = largestPackOf(repo, repo.get(id));
        byte[] b = Files.readAllBytes(victim);
        long indexOffset = java.nio.ByteBuffer.wrap(b, b.length - 20, 8).getLong();
        switch (damage) {
          case "index checksum" -> b[b.length - 12] ^= 1;
          case "entry id" -> b[(int) indexOffset + 8 + 5] ^= 1; // the first entry's id
          default -> b[b.length - 14] ^= 0x10; // the offset's low bytes
        }
        Files.write(victim, b);
        assertThat(new Fsck(repo, Progress.NONE).check().ok()).as(damage).isFalse();
        List<String> actions = new Repair(repo, Progress.NONE).run();
        assertThat(actions).as(damage).anyMatch(a -> a.startsWith("copied ") && a.contains(" intact object"));
        Fsck.Report after = new Fsck(repo, Progress.NONE).check();
        if (damage.equals("entry id")) {
          // The one object whose entry lost its id is lost with it, and named.
          assertThat(after.errors()).as(damage).isNotEmpty().allMatch(p -> p.where() != null && p.where().contains(id));
        } else {
          assertThat(after.errors()).as(damage).isEmpty();
          assertThat(snapshot(repo.get(id).getLocalCopy())).as(damage).isEqualTo(snapshot(tmp.resolve("s")));
        }
      }
    }
  }

  @Test
  void aPackOfANewerFormatVersionIsLeftAloneAndOneWhoseVersionByteIsDamagedIsSalvaged() throws IOException {
    Path dir = tmp.resolve("r");
    String id;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      id = version(repo, "d", folder(tmp.resolve("s"), 3, 6, 40_000)).id();
    }
    for (boolean newer : List.of(true, false)) {
      Path copy = tmp.resolve(newer ? "newer" : "damaged");
      TestRepos.copyRepository(dir, copy);
      Path victim;
      try (DatasetRepository repo = DatasetRepository.open(copy, TestRepos.SMALL)) {
        victim = largestPackOf(repo, repo.get(id));
      }
      byte[] b = Files.readAllBytes(victim);
      b[4] = 2; // the format version
      if (newer) { // written so: the whole-pack checksum covers it
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 8);
        java.nio.ByteBuffer.wrap(b, b.length - 8, 4).putInt((int) crc.getValue());
      }
      Files.write(victim, b);
      for (Path p : Files.list(copy.resolve("index")).toList()) {
        Files.delete(p); // the rebuild passes over the pack rather than stopping at it
      }
      try (DatasetRepository repo = DatasetRepository.open(copy, TestRepos.SMALL)) {
        assertThat(new Fsck(repo, Progress.NONE).check().errors()).as("newer " + newer)
            .anyMatch(p -> p.message().contains("format version 2 is not supported"));
        List<String> actions = new Repair(repo, Progress.NONE).run();
        if (newer) {
          assertThat(victim).as("a newer release's pack").exists();
          assertThat(copy.resolve("lost-found")).doesNotExist();
          assertThat(actions).noneMatch(a -> a.startsWith("copied "));
        } else {
          assertThat(actions).anyMatch(a -> a.startsWith("copied ") && a.contains(" intact object"));
          assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
          assertThat(snapshot(repo.get(id).getLocalCopy())).isEqualTo(snapshot(tmp.resolve("s")));
        }
      }
    }
  }

  @Test
  void repairRefusesWhenEveryPackIsOfTheObjectFormatTheConfigDoesNotName() throws IOException {
    Path dir = tmp.resolve("r");
    String id;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      id = version(repo, "d", folder(tmp.resolve("s"), 4, 3, 10_000)).id();
    }
    Path config = dir.resolve("config");
    String text = Files.readString(config);
    Files.writeString(config, text.replace("core.objectFormat = sha256", "core.objectFormat = blake3"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      assertThatThrownBy(() -> new Repair(repo, Progress.NONE).run()).isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
          .hasMessageContaining("is of object format sha256, and the config says blake3; the config is wrong, not the packs: set"
              + " core.objectFormat = sha256");
    }
    assertThat(dir.resolve("lost-found")).doesNotExist();
    Files.writeString(config, text);
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      assertThat(snapshot(repo.get(id).getLocalCopy())).isEqualTo(snapshot(tmp.resolve("s")));
    }
  }

  /** Deletes every pack that holds object {@code id}, as a disk that lost them would. */
  private static void deletePacksHolding(DatasetRepository repo, ObjectId id) throws IOException {
    for (Path p : packsHolding(repo, id)) {
      Files.delete(p);
    }
  }

  private static List<Path> packsHolding(DatasetRepository repo, ObjectId id) throws IOException {
    List<Path> holding = new ArrayList<>();
    for (Path p : repo.repository().packs().packFiles()) {
      try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
        if (pf.entries().stream().anyMatch(e -> e.id().equals(id))) {
          holding.add(p);
        }
      }
    }
    return holding;
  }

  @Test
  void aLostFileObjectIsReportedOnceByItsId() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      // Big enough for several packs. Files are cut in parallel, so which pack a file object lands
      // in varies: take a file whose object shares no pack with the manifest root or the version.
      Dataset v = version(repo, "d", folder(tmp.resolve("s"), 1, 4, 300_000));
      List<Path> versionPacks = new ArrayList<>(packsHolding(repo, v.record().root()));
      versionPacks.addAll(packsHolding(repo, v.record().versionObject()));
      var entry = v.listFiles().stream().filter(e -> {
        try {
          return packsHolding(repo, e.content()).stream().noneMatch(versionPacks::contains);
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      }).findFirst().orElseThrow(() -> new AssertionError("every file object is packed beside the manifest root"));
      assertThat(entry.chunked()).as("a file of several chunks has a file object").isTrue();
      deletePacksHolding(repo, entry.content());
      repo.repository().rebuildIndex();
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      assertThat(r.errors()).as(r.errors().toString()).filteredOn(p -> p.message().contains("file object of " + entry.path())).singleElement().satisfies(p -> {
        assertThat(p.message()).isEqualTo("missing file object of " + entry.path());
        assertThat(p.toString()).as("the id named once").containsOnlyOnce(entry.content().hex()).contains(v.id());
      });
    }
  }

  @Test
  void aLostVersionObjectIsReportedOnceByItsId() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 10_000));
      dev.cairn.id.ObjectId versionObject = v.record().versionObject();
      deletePacksHolding(repo, versionObject);
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      assertThat(r.errors()).filteredOn(p -> p.message().contains("version object")).singleElement().satisfies(p -> {
        assertThat(p.message()).isEqualTo("missing version object");
        assertThat(p.toString()).as("the id named once").containsOnlyOnce(versionObject.hex()).contains(v.id());
        assertThat(p.what()).isEqualTo(versionObject.hex());
      });
    }
  }

  @Test
  void anUploadedVersionThatLostItsVersionObjectHereIsDamagedNotTakenForOneKnownByItsRecordAlone() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 10_000));
      v.upload(tmp.resolve("remote").toString(), null, Progress.NONE);
      assertThat(v.record().storage()).isNotNull();
      dev.cairn.id.ObjectId versionObject = v.record().versionObject();
      deletePacksHolding(repo, versionObject);
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      assertThat(r.damagedVersions()).containsExactly(v.id());
      assertThat(r.errors()).anySatisfy(p -> {
        assertThat(p.what()).isEqualTo(versionObject.hex());
        assertThat(p.message()).isEqualTo("missing version object");
      });
    }
  }

  @Test
  void aPackWhoseSalvageHasItsOwnNameKeepsTheSalvageAndSetsTheDamagedBytesAside() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 10_000));
      v1.setDescription("changed after close"); // the version object can no longer be made again from the record
      dev.cairn.id.ObjectId versionObject = v1.record().versionObject();
      Path victim = null;
      for (Path p : repo.repository().packs().packFiles()) {
        try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
          if (pf.entries().size() == 1 && pf.entries().get(0).id().equals(versionObject)) {
            victim = p; // close writes its version object into a pack of its own: one object, one block
          }
        }
      }
      assertThat(victim).isNotNull();
      byte[] damagedBytes = Files.readAllBytes(victim);
      damagedBytes[damagedBytes.length - 8] ^= 1; // the pack's checksum: every object in it is intact
      Files.write(victim, damagedBytes);
      assertThat(new Fsck(repo, Progress.NONE).check().ok()).isFalse();

      List<String> actions = new Repair(repo, Progress.NONE).run();
      String name = victim.getFileName().toString().replaceFirst("^pack-", "").replaceFirst("\\.pack$", "");
      assertThat(actions).anyMatch(a -> a.startsWith("copied 1 intact object of damaged pack " + name + " into pack " + name));
      assertThat(Files.readAllBytes(victim)).as("the salvage, in place").isNotEqualTo(damagedBytes);
      assertThat(Files.readAllBytes(repo.repository().directory().resolve("lost-found").resolve(victim.getFileName())))
          .as("the damaged bytes, kept aside").isEqualTo(damagedBytes);
      assertThat(new Fsck(repo, Progress.NONE).check().errors()).isEmpty();
      try (var reader = repo.repository().objects().newReader()) {
        assertThat(reader.has(versionObject)).isTrue();
      }
    }
  }

  @Test
  void aVersionObjectLostWithItsPackIsRebuiltFromItsRecordUnlessTheRecordChangedSinceClose() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 10_000));
      Dataset v2 = version(repo, "d", folder(tmp.resolve("t"), 2, 2, 10_000), v1.id());
      Dataset tagged = version(repo, "e", folder(tmp.resolve("u"), 3, 2, 10_000));
      tagged.addTags(List.of("gold")); // the record no longer says what the object held
      Path copy = v2.getLocalCopy();
      Map<String, String> before = snapshot(copy);
      List<dev.cairn.id.ObjectId> lost = List.of(v1.record().versionObject(), v2.record().versionObject(), tagged.record().versionObject());
      for (Path p : repo.repository().packs().packFiles()) {
        List<dev.cairn.id.ObjectId> held;
        try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
          held = pf.entries().stream().map(dev.cairn.internal.pack.PackEntry::id).toList();
        }
        if (lost.containsAll(held)) { // close writes its version object into a pack of its own
          Files.delete(p);
        }
      }
      assertThat(new Fsck(repo, Progress.NONE).check().damagedVersions()).containsExactlyInAnyOrder(v1.id(), v2.id(), tagged.id());

      List<String> actions = new Repair(repo, Progress.NONE).run();
      assertThat(actions).contains("rebuilt the version object of " + v1.id() + " from its record",
          "rebuilt the version object of " + v2.id() + " from its record");
      assertThat(actions).noneMatch(a -> a.contains(tagged.id()));
      Fsck.Report after = new Fsck(repo, Progress.NONE).check();
      assertThat(after.damagedVersions()).containsExactly(tagged.id());
      try (var reader = repo.repository().objects().newReader()) {
        dev.cairn.object.Version v = dev.cairn.object.VersionFormat.decode(reader.open(v2.record().versionObject()).bytes(), v2.record().versionObject());
        assertThat(v.parents()).containsExactly(v1.record().versionObject());
      }
      Dataset child = Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").parents(v2.id()).build());
      assertThat(snapshot(child.close().getLocalCopy())).isEqualTo(before);
    }
  }

  @Test
  void aRecoveredRecordKeepsTheUnreadableOneAsideAndANewerCairnsRecordIsLeftAlone() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "d", folder(tmp.resolve("s"), 1, 2, 10_000));
      Dataset w = version(repo, "e", folder(tmp.resolve("t"), 2, 2, 10_000));
      Path records = repo.repository().directory().resolve("refs/datasets");
      Files.writeString(records.resolve(v.id() + ".json"), "{\"format\": 1, \"id\": \"" + v.id() + "\", \"tags\": [\"gold\"");
      String newer = "{\"format\": 9, \"id\": \"" + w.id() + "\"}\n";
      Files.writeString(records.resolve(w.id() + ".json"), newer);
      List<String> actions = new Repair(repo, Progress.NONE).run();
      assertThat(actions).anyMatch(a -> a.contains("recovered the record of version " + v.id())).noneMatch(a -> a.contains(w.id()));
      try (var kept = Files.list(repo.repository().directory().resolve("lost-found/records"))) {
        assertThat(kept.map(p -> p.getFileName().toString())).singleElement().asString().startsWith(v.id() + ".json-");
      }
      assertThat(Files.readString(records.resolve(w.id() + ".json"))).isEqualTo(newer);
    }
  }

  @Test
  void aDamagedObjectIsReportedWithEveryVersionThatReachesIt() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Path src = folder(tmp.resolve("s"), 4, 4, 20_000);
      Dataset v1 = version(repo, "shared", src);
      Files.writeString(src.resolve("extra.txt"), "one more");
      Dataset v2 = version(repo, "shared", src, v1.id()); // the four files again, and one more
      Dataset other = version(repo, "other", src); // the same files, in a dataset of its own
      Path victim = largestPackOf(repo, v1);
      byte[] b = Files.readAllBytes(victim);
      b[b.length / 3] ^= 0x40;
      Files.write(victim, b);
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      List<Problem> data = r.errors().stream().filter(p -> p.where() != null && p.where().startsWith("version")).toList();
      assertThat(data).isNotEmpty().allSatisfy(p -> assertThat(p.where()).startsWith("versions ")
          .contains(v1.id()).contains(v2.id()).contains(other.id()));
      assertThat(data).extracting(Problem::what).doesNotHaveDuplicates();
    }
  }

  @Test
  void aDamagedManifestOfAVersionWithACachedFolderIsReportedAndItsFolderKept() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v = version(repo, "cached", folder(tmp.resolve("s"), 2, 3, 5_000));
      Path cached = v.getLocalCopy();
      dev.cairn.id.ObjectId root = v.record().root();
      boolean hit = false;
      for (Path p : repo.repository().packs().packFiles()) {
        try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
          for (var e : pf.entries()) {
            if (e.id().equals(root)) {
              byte[] b = Files.readAllBytes(p);
              b[(int) (e.blockOffset() + e.blockLength() / 2)] ^= 0x40; // inside the block holding the manifest's root
              Files.write(p, b);
              hit = true;
            }
          }
        }
      }
      assertThat(hit).isTrue();
      Fsck.Report r = new Fsck(repo, Progress.NONE).check(); // threw: "Cannot read object ...: checksum mismatch"
      assertThat(r.errors()).isNotEmpty().anySatisfy(p -> assertThat(p.where()).contains(v.id()));
      new Repair(repo, Progress.NONE).run();
      assertThat(cached).as("the folder may hold the last good copy of the files").isDirectory();
    }
  }

  static Path largestPackOf(DatasetRepository repo, Dataset ds) throws IOException {
    List<Path> packs = repo.repository().packs().packFiles();
    Path best = null;
    for (Path p : packs) {
      try (var pf = dev.cairn.internal.pack.PackFile.open(p)) {
        boolean holds = pf.entries().stream().anyMatch(e -> {
          try {
            return ds.listFiles().stream().anyMatch(f -> f.content().equals(e.id()));
          } catch (IOException ex) {
            return false;
          }
        });
        if (holds && (best == null || Files.size(p) > Files.size(best))) {
          best = p;
        }
      }
    }
    return best;
  }

  @Test
  void packsAGcRemovesBeforeFsckScansThemAreNotTakenForDamage() throws IOException {
    checkWithAGcMidway(false);
  }

  @Test
  void packsAGcRemovesWhileFsckFollowsTheVersionsAreNotTakenForDamage() throws IOException {
    checkWithAGcMidway(true);
  }

  /** Runs fsck with a gc removing packs once they are listed, or once they are scanned and the versions are followed through them. */
  private void checkWithAGcMidway(boolean afterScan) throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset first = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000));
      version(repo, "d", folder(tmp.resolve("t"), 2, 3, 5000), first.id());
      version(repo, "e", folder(tmp.resolve("u"), 3, 3, 5000));
      first.delete(true);
      List<String> warnings = new ArrayList<>();
      boolean[] collected = {false};
      Progress gcOnce = new Progress() {
        private boolean scanning;

        @Override
        public void start(String task, long totalBytes) {
          scanning = task.startsWith("checking");
          if (scanning && !afterScan) {
            collect(); // the packs are listed: a gc now removes some before they are read
          }
        }

        @Override
        public void finish() {
          if (scanning && afterScan) {
            collect(); // scanned: a gc now removes packs the versions' objects are read from
          }
          scanning = false;
        }

        private void collect() {
          if (collected[0]) {
            return;
          }
          collected[0] = true;
          try {
            TestRepos.collect(repo, 0);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void warn(String message) {
          warnings.add(message);
        }
      };
      Fsck.Report report = new Fsck(repo, gcOnce).check();
      assertThat(report.errors()).isEmpty();
      assertThat(warnings).anyMatch(w -> w.contains("was removed while fsck read it (a gc running meanwhile): checking again"));
    }
  }

  @Test
  void aLostRecordWhoseParentWasDeletedComesBackWithItsOwnChangeSet() throws IOException {
    Path dir = tmp.resolve("r");
    String middle;
    ObjectId base;
    List<String> changed;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Dataset first = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000));
      Dataset second = version(repo, "d", folder(tmp.resolve("t"), 2, 3, 5000), first.id());
      version(repo, "d", folder(tmp.resolve("u"), 3, 3, 5000), second.id());
      middle = second.id();
      base = second.record().base();
      changed = second.changes().stream().map(dev.cairn.manifest.DiffEntry::path).toList();
      first.delete(true);
      new GarbageCollector(repo, 0, 0, Progress.NONE).run();
    }
    Files.delete(dir.resolve("refs/datasets/" + middle + ".json"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      assertThat(new Repair(repo, Progress.NONE).run()).anyMatch(a -> a.contains(middle));
      Dataset recovered = repo.get(middle);
      // The deleted parent's manifest, through its version object: not an empty base, which made every file its own.
      assertThat(recovered.record().base()).isEqualTo(base);
      assertThat(recovered.changes()).extracting(dev.cairn.manifest.DiffEntry::path).containsExactlyElementsOf(changed);
    }
  }

  @Test
  void aLostIndexIsRebuiltAndLostRecordsAreRecovered() throws IOException {
    Path dir = tmp.resolve("r");
    Dataset v1;
    Dataset v2;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000));
      v2 = version(repo, "d", folder(tmp.resolve("t"), 2, 3, 5000), v1.id());
      v2.setMetadata(Map.of("k", "v"));
    }
    for (Path p : Files.list(dir.resolve("index")).toList()) {
      Files.delete(p);
    }
    Files.writeString(dir.resolve("refs/datasets/" + v2.id() + ".json"), "{ damaged");
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      assertThat(r.ok()).isFalse();
      assertThat(r.errors()).anyMatch(p -> p.what() != null && p.what().equals(v2.id()) && p.message().contains("record unreadable"));
      List<String> actions = new Repair(repo, Progress.NONE).run();
      assertThat(actions).anyMatch(a -> a.contains("recovered the record of version " + v2.id()));
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      Dataset back = repo.get(v2.id());
      assertThat(back.record().parents()).containsExactly(v1.id());
      assertThat(back.version()).isEqualTo("1.0.1");
      assertThat(back.metadata()).isEmpty(); // metadata set after close lives in the record only
      assertThat(snapshot(back.getLocalCopy())).isEqualTo(snapshot(tmp.resolve("t")));
    }
  }

  @Test
  void aRecordRecoveredWithoutItsRemoteTakesTheRemotesRecordAtTheNextRefreshOrFetch() throws IOException {
    Path dir = tmp.resolve("r");
    String remote = tmp.resolve("remote").toString();
    Dataset v;
    Dataset w;
    String storage;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      v = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000));
      v.addTags(List.of("best"));
      v.upload(remote, null, Progress.NONE);
      w = version(repo, "e", folder(tmp.resolve("t"), 2, 3, 5000));
      w.upload(remote, null, Progress.NONE); // nothing changed since close: its recovered record is the remote's, but for the remote
      storage = v.record().storage();
    }
    Files.delete(dir.resolve("refs/datasets/" + v.id() + ".json"));
    Files.delete(dir.resolve("refs/datasets/" + w.id() + ".json"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      new Repair(repo, Progress.NONE).run();
      // The version object keeps what close recorded: neither the remote nor what came after.
      assertThat(repo.get(v.id()).record()).satisfies(r -> {
        assertThat(r.wasRecovered()).isTrue();
        assertThat(r.storage()).isNull();
        assertThat(r.tags()).isEmpty();
      });
      // fsck, offline, names the remote from the pack indexes cached here.
      ObjectId versionObject = repo.get(v.id()).record().versionObject();
      assertThat(dev.cairn.transport.Remote.cachedIndexLists(repo.repository(), storage, versionObject)).isTrue();
      assertThat(dev.cairn.transport.Remote.cachedIndexLists(repo.repository(), storage + "-other", versionObject)).isFalse();
      // Named by the address each remote's cache keeps: no other record need name the remote.
      assertThat(dev.cairn.transport.Remote.cachedHolders(repo.repository(), versionObject)).containsExactly(storage);
      assertThat(dev.cairn.transport.Remote.cachedHolders(repo.repository(), ObjectId.fromHex("ab".repeat(32)))).isEmpty();

      assertThat(repo.refreshRecords(remote).updated()).containsExactlyInAnyOrder(v.id(), w.id());
      assertThat(repo.get(w.id()).record()).satisfies(r -> {
        assertThat(r.storage()).isEqualTo(storage);
        assertThat(r.wasRecovered()).isFalse();
      });
    }
    // A get or show --storage of one whose data is here takes it too (the same changes: its remote alone).
    Files.delete(dir.resolve("refs/datasets/" + w.id() + ".json"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      new Repair(repo, Progress.NONE).run();
      assertThat(repo.get(w.id()).record().storage()).isNull();
      assertThat(repo.catchUp(w.id(), remote)).isTrue();
      assertThat(repo.get(w.id()).record().storage()).isEqualTo(storage);
      assertThat(repo.catchUp(w.id(), remote)).as("then nothing more to take").isFalse();
    }
    Files.delete(dir.resolve("refs/datasets/" + v.id() + ".json"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      new Repair(repo, Progress.NONE).run();
    }
    try (var packs = Files.list(dir.resolve("packs"))) {
      for (Path p : packs.toList()) {
        Files.delete(p); // and then the data is lost here too
      }
    }
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Dataset back = repo.fetch(v.id(), dev.cairn.dataset.Selection.ALL, remote, null, Progress.NONE);
      assertThat(back.record().storage()).isEqualTo(storage);
      assertThat(back.tags()).containsExactly("best");
      assertThat(snapshot(back.getLocalCopy())).isEqualTo(snapshot(tmp.resolve("s")));
    }
  }

  @Test
  void aRecoveredRecordOfAMergeKeepsItsChangeSetAndConflicts() throws IOException {
    Path dir = tmp.resolve("r");
    dev.cairn.dataset.DatasetRecord before;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      // Same three paths, other bytes: the merge conflicts on all three; then one more file.
      Dataset a = version(repo, "a", folder(tmp.resolve("s"), 1, 3, 5000));
      Dataset b = version(repo, "b", folder(tmp.resolve("t"), 2, 3, 5000));
      Dataset m = Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "m").parents(a.id(), b.id()).build());
      GcFixtures.add(m, folder(tmp.resolve("u"), 3, 1, 7000).resolve("f0.bin"));
      before = m.close().record();
      assertThat(before.conflicts()).hasSize(3);
    }
    Files.delete(dir.resolve("refs/datasets/" + before.id() + ".json"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Fsck.Report report = new Fsck(repo, Progress.NONE).check();
      assertThat(report.errors()).singleElement().satisfies(p -> assertThat(p.message()).contains("record missing")
          .contains("fsck --repair recovers it"));
      new Repair(repo, Progress.NONE).run();
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      dev.cairn.dataset.DatasetRecord after = repo.catalog().read(before.id());
      assertThat(after.createdMillis()).isEqualTo(before.createdMillis());
      assertThat(after.log()).extracting(dev.cairn.dataset.LogEntry::command).containsExactly("create", "add", "close", "fsck --repair");
      assertThat(after.conflicts()).isEqualTo(before.conflicts());
      assertThat(after.summary()).isEqualTo(before.summary()).isNotEqualTo(dev.cairn.dataset.ChangeSummary.EMPTY);
      assertThat(after.base()).isEqualTo(before.base());
    }
  }

  @Test
  void aLostRecordOfARenumberedVersionComesBackWithItsNewVersionString() throws IOException {
    Path dir = tmp.resolve("r");
    Dataset v1;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000));
      v1.setVersion("2.0.0");
      // The string it was closed with is free again, and another version takes it.
      Dataset other = Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").version("1.0.0").build());
      other.syncFolder(folder(tmp.resolve("t"), 2, 2, 5000));
      other.close();
    }
    Files.delete(dir.resolve("refs/datasets/" + v1.id() + ".json"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      assertThat(new Fsck(repo, Progress.NONE).check().errors())
          .anySatisfy(p -> assertThat(p.message()).contains("record missing").contains("fsck --repair recovers it"));
      assertThat(new Repair(repo, Progress.NONE).run()).anyMatch(a -> a.contains("recovered the record of version " + v1.id()));
      assertThat(repo.catalog().read(v1.id()).version()).isEqualTo("2.0.0");
      assertThat(repo.get("gc", "d", "2.0.0").id()).isEqualTo(v1.id());
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
    }
  }

  @Test
  void theVersionStringOfADraftWhoseRecordWasLostIsReleasedOnceItsCreateNoLongerRuns() throws Exception {
    Path dir = tmp.resolve("r");
    String draft;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      draft = Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").version("2.0.0").build()).id();
    }
    Files.delete(dir.resolve("refs/datasets/" + draft + ".json"));
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).singleElement().satisfies(p -> {
        assertThat(p.what()).isEqualTo(draft);
        assertThat(p.message()).startsWith("version string 2.0.0 reserved for a version with no record");
      });
      // A reservation this young whose id's lock is held may be a create about to write its record: left alone.
      java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      Thread create = new Thread(() -> {
        try (var lock = repo.catalog().lock(draft)) {
          held.countDown();
          done.await();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      create.start();
      held.await();
      try {
        assertThat(new Repair(repo, Progress.NONE).run()).noneMatch(a -> a.contains("released"));
        Path reservation;
        try (var s = Files.walk(dir.resolve("refs/versions"))) {
          reservation = s.filter(p -> p.getFileName().toString().equals("2.0.0")).findFirst().orElseThrow();
        }
        // An hour old, it is released whatever holds the lock: no create takes that long to write its record.
        Files.setLastModifiedTime(reservation, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000));
        assertThat(new Repair(repo, Progress.NONE).run()).anyMatch(a -> a.startsWith("released version string 2.0.0 reserved for " + draft));
      } finally {
        done.countDown();
        create.join();
      }
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      // One whose create no longer runs (killed: no live process holds its id's lock) is released at once.
      String killed = Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").version("3.0.0").build()).id();
      Files.delete(dir.resolve("refs/datasets/" + killed + ".json"));
      assertThat(new Repair(repo, Progress.NONE).run()).anyMatch(a -> a.startsWith("released version string 3.0.0 reserved for " + killed)
          && a.endsWith("whose create no longer runs"));
      assertThat(Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").version("2.0.0").build()).version()).isEqualTo("2.0.0");
    }
  }

  @Test
  void versionStringsWhoseReservationsWereLostAreReportedAndReservedAgain() throws IOException {
    Path dir = tmp.resolve("r");
    String v1;
    String v2;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000)).id();
      v2 = version(repo, "d", folder(tmp.resolve("t"), 2, 3, 5000), v1).id();
    }
    try (var s = Files.walk(dir.resolve("refs/versions"))) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Fsck.Report report = new Fsck(repo, Progress.NONE).check();
      // No data is at stake: warnings, which the repair mends.
      assertThat(report.errors()).isEmpty();
      assertThat(report.problems()).extracting(Problem::what).containsExactlyInAnyOrder(v1, v2);
      assertThat(report.problems()).allSatisfy(p -> assertThat(p.message()).contains("is not reserved for it")
          .contains("fsck --repair reserves it again"));

      assertThat(new Repair(repo, Progress.NONE).run()).contains("reserved version string 1.0.0 of gc/d for " + v1
          + " again (its reservation was lost)", "reserved version string 1.0.1 of gc/d for " + v2 + " again (its reservation was lost)");

      assertThat(new Fsck(repo, Progress.NONE).check().problems()).isEmpty();
      assertThatThrownBy(() -> Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").version("1.0.1").build()))
          .hasMessageContaining("already exists");
      assertThat(Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").build()).version()).isEqualTo("1.0.2");
    }
  }

  @Test
  void aVersionDeletedOnPurposeStaysDeletedThroughRepair() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000));
      version(repo, "d", folder(tmp.resolve("t"), 2, 3, 5000), v1.id());
      v1.delete(true); // its version object stays: the child's lineage names it
      Dataset again = version(repo, "d", folder(tmp.resolve("u"), 3, 2, 5000));
      assertThat(again.version()).isEqualTo("1.0.2");

      List<String> actions = new Repair(repo, Progress.NONE).run();

      assertThat(actions).noneMatch(a -> a.contains("recovered"));
      assertThat(repo.catalog().exists(v1.id())).isFalse();
    }
  }

  @Test
  void aRecordWhoseVersionStringIsNowAnotherVersionsIsNotRecovered() throws IOException {
    Path dir = tmp.resolve("r");
    Dataset v1;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      v1 = version(repo, "d", folder(tmp.resolve("s"), 1, 3, 5000));
      version(repo, "d", folder(tmp.resolve("t"), 2, 3, 5000), v1.id());
    }
    // A record lost the way a delete of an older build lost it: the file and the reservation gone,
    // no mark; then another version takes the version string.
    Files.delete(dir.resolve("refs/datasets/" + v1.id() + ".json"));
    try (var s = Files.walk(dir.resolve("refs/versions"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().equals("1.0.0")).toList()) {
        Files.delete(p);
      }
    }
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      // Record and reservation gone, no mark: what an older build's delete left. Not an error.
      Fsck.Report report = new Fsck(repo, Progress.NONE).check();
      assertThat(report.errors()).isEmpty();
      assertThat(report.problems()).anySatisfy(p -> assertThat(p.message()).contains("deleted by an older cairn"));
      Dataset other = Dataset.create(repo, dev.cairn.dataset.CreateOptions.of("gc", "d").version("1.0.0").build());
      other.syncFolder(folder(tmp.resolve("u"), 3, 2, 5000));
      other.close();

      new Repair(repo, Progress.NONE).run();

      assertThat(repo.catalog().exists(v1.id())).isFalse();
    }
  }

  @Test
  void randomCorruptionOfPacksIsAlwaysDetected() throws IOException {
    Path dir = tmp.resolve("r");
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      version(repo, "d", folder(tmp.resolve("s"), 3, 6, 8000));
    }
    List<Path> packs;
    try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
      packs = repo.repository().packs().packFiles();
    }
    Random rnd = new Random(5);
    for (int trial = 0; trial < 30; trial++) {
      Path victim = packs.get(rnd.nextInt(packs.size()));
      byte[] original = Files.readAllBytes(victim);
      byte[] b = original.clone();
      if (trial % 3 == 0) {
        b = Arrays.copyOf(b, rnd.nextInt(b.length));
      } else {
        b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
      }
      Files.write(victim, b);
      try (DatasetRepository repo = DatasetRepository.open(dir, TestRepos.SMALL)) {
        assertThat(new Fsck(repo, Progress.NONE).check().ok()).as("trial %d on %s", trial, victim).isFalse();
      }
      Files.write(victim, original);
    }
  }
}
