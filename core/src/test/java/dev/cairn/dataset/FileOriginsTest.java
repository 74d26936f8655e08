package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.cairn.testing.TestRepos;
import dev.cairn.store.ObjectReader;
import dev.cairn.manifest.NodeLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#fileOrigins}: which version brought each file, through chains and merges. */
class FileOriginsTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  int folders;

  @BeforeEach
  void open() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
  }

  @AfterEach
  void close() throws IOException {
    repo.close();
  }

  /** A closed child of {@code parents} that adds or replaces {@code files} and removes {@code removed}. */
  Dataset version(Map<String, String> files, List<String> removed, String... parents) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").parents(parents).build());
    if (!files.isEmpty()) {
      Path dir = tmp.resolve("src" + folders++);
      for (Map.Entry<String, String> e : files.entrySet()) {
        Path f = dir.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
      }
      ds.addFiles(AddOptions.of(dir));
    }
    for (String r : removed) {
      ds.removeFiles(r);
    }
    return ds.close();
  }

  @Test
  void aFileComesFromTheVersionThatLastChangedIt() throws IOException {
    Dataset v1 = version(Map.of("a", "1", "b", "1", "c", "1", "sub/s", "1"), List.of());
    Dataset v2 = version(Map.of("b", "2", "d", "2"), List.of(), v1.id());
    Dataset v3 = version(Map.of("e", "3"), List.of("c", "a"), v2.id());
    // Added again with the bytes v1 had: the version that added it back brought it.
    Dataset v4 = version(Map.of("a", "1"), List.of(), v3.id());

    assertThat(v4.fileOrigins(List.of())).containsExactly(entry("a", v4.id()), entry("b", v2.id()), entry("d", v2.id()),
        entry("e", v3.id()), entry("sub/s", v1.id()));
    assertThat(v2.fileOrigins(List.of("sub/", "c"))).containsExactly(entry("c", v1.id()), entry("sub/s", v1.id()));
    assertThat(v1.fileOrigins(List.of())).containsOnlyKeys("a", "b", "c", "sub/s").allSatisfy((p, id) -> assertThat(id).isEqualTo(v1.id()));
  }

  @Test
  void throughAMergeAFileComesFromTheParentThatHoldsItAlikeTheLaterFirst() throws IOException {
    Dataset base = version(Map.of("a", "0", "b", "0"), List.of());
    Dataset left = version(Map.of("a", "left", "same", "z"), List.of(), base.id());
    Dataset right = version(Map.of("c", "right", "same", "z"), List.of(), base.id());
    Dataset merge = Dataset.create(repo, CreateOptions.of("p", "d").parents(left.id(), right.id()).build());
    Path own = tmp.resolve("own");
    Files.createDirectories(own);
    Files.writeString(own.resolve("m"), "merge's own");
    merge.addFiles(AddOptions.of(own));

    // A draft too: its files so far.
    assertThat(merge.fileOrigins(List.of())).containsExactly(entry("a", left.id()), entry("b", base.id()), entry("c", right.id()),
        entry("m", merge.id()), entry("same", right.id()));
  }

  @Test
  void aDeletedAncestorIsPassedThroughItsVersionObject() throws IOException {
    Dataset v1 = version(Map.of("a", "1"), List.of());
    Dataset v2 = version(Map.of("b", "2"), List.of(), v1.id());
    Dataset v3 = version(Map.of("c", "3"), List.of(), v2.id());
    v2.delete(true);
    new dev.cairn.gc.GarbageCollector(repo, 0, 0, Progress.NONE).run(); // v3's lineage keeps v2's version object
    // What the deleted v2 brought is its own still (its bytes stay stored with it); v1's, v1's.
    assertThat(v3.fileOrigins(List.of())).containsExactly(entry("a", v1.id()), entry("b", v2.id()), entry("c", v3.id()));
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      FileOrigins origins = new FileOrigins(repo, new NodeLoader(reader));
      DatasetRecord b = origins.introducer(v3.record(), v3.listFiles().stream().filter(e -> e.path().equals("b")).findFirst().orElseThrow());
      assertThat(b.id()).isEqualTo(v2.id());
      assertThat(repo.catalog().exists(b.id())).as("deleted here: a stand-in").isFalse();
      DatasetRecord a = origins.introducer(v3.record(), v3.listFiles().get(0));
      assertThat(a.id()).isEqualTo(v1.id());
      assertThat(repo.catalog().exists(a.id())).isTrue();
    }
  }

  @Test
  void aDeletedMergeIsPassedThroughToEachOfItsParents() throws IOException {
    Dataset base = version(Map.of("a", "0"), List.of());
    Dataset left = version(Map.of("l", "left"), List.of(), base.id());
    Dataset right = version(Map.of("r", "right"), List.of(), base.id());
    Dataset merge = Dataset.create(repo, CreateOptions.of("p", "d").parents(left.id(), right.id()).build());
    Path own = Files.createDirectories(tmp.resolve("merge-own"));
    Files.writeString(own.resolve("m"), "merge's own");
    merge.addFiles(AddOptions.of(own));
    merge.close();
    Dataset child = version(Map.of("c", "child"), List.of(), merge.id());
    merge.delete(true);
    assertThat(child.fileOrigins(List.of())).containsExactly(entry("a", base.id()), entry("c", child.id()), entry("l", left.id()),
        entry("m", merge.id()), entry("r", right.id()));
    assertThat(child.dependencyGraph()).containsEntry(merge.id(), List.of(left.id(), right.id()));
  }

  @Test
  void anExecutableBitAloneDoesNotMoveWhereTheBytesAre() throws IOException {
    Dataset v1 = version(Map.of("run.sh", "echo hi"), List.of());
    Path dir = tmp.resolve("exec");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("run.sh"), "echo hi");
    Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "d").parents(v1.id()).build());
    v2.addFiles(AddOptions.of(dir));
    v2.close();
    dev.cairn.manifest.DiffEntry change = v2.changes().get(0);
    assertThat(change.type()).isEqualTo(dev.cairn.manifest.DiffEntry.ChangeType.MODIFIED);
    assertThat(v2.fileOrigins(List.of())).containsExactly(entry("run.sh", v1.id()));
    try (dev.cairn.store.ObjectReader reader = repo.repository().objects().newReader()) {
      FileOrigins origins = new FileOrigins(repo, new dev.cairn.manifest.NodeLoader(reader));
      assertThat(origins.introducer(v2.record(), change).id()).as("the change-set's view").isEqualTo(v1.id());
      assertThat(origins.introducer(v2.record(), change.newEntry()).id()).as("the contents' view").isEqualTo(v1.id());
    }
  }

  @Test
  void aVersionThatIsItsOwnAncestorEndsTheWalk() throws IOException {
    Dataset v1 = version(Map.of("a", "1"), List.of());
    Dataset v2 = version(Map.of("b", "2"), List.of(), v1.id());
    // A damaged catalog: v1's record names v2 as its parent.
    repo.catalog().write(v1.record().toBuilder().parents(List.of(v2.id())).base(v1.record().root()).build());
    assertThat(v2.fileOrigins(List.of())).containsEntry("b", v2.id()).containsKey("a");
    try (dev.cairn.store.ObjectReader reader = repo.repository().objects().newReader()) {
      FileOrigins origins = new FileOrigins(repo, new dev.cairn.manifest.NodeLoader(reader));
      dev.cairn.manifest.FileEntry a = v2.listFiles(List.of("a")).get(0);
      assertThat(origins.introducer(v2.record(), a)).isNull();
    }
  }

  /**
   * Random lineages (chains, merges, executable bits, removals, drafts, ancestors deleted): the
   * bulk walk and the per-file walk give every file the same origin.
   */
  @Test
  void theTwoWalksAgreeOnRandomLineages() throws IOException {
    for (int seed = 0; seed < 12; seed++) {
      Random rnd = new Random(seed);
      try (DatasetRepository r = DatasetRepository.open(tmp.resolve("lineage" + seed), TestRepos.SMALL)) {
        List<Dataset> closed = new ArrayList<>();
        List<Dataset> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          List<String> parents = new ArrayList<>();
          for (int k = rnd.nextInt(3); k > 0 && !closed.isEmpty(); k--) {
            String p = closed.get(rnd.nextInt(closed.size())).id();
            if (!parents.contains(p)) {
              parents.add(p);
            }
          }
          Dataset ds = Dataset.create(r, CreateOptions.of("p", "d").parents(parents).build());
          Path dir = tmp.resolve("random" + seed + "-" + i);
          Files.createDirectories(dir);
          for (int k = rnd.nextInt(4); k > 0; k--) {
            Path f = dir.resolve((rnd.nextBoolean() ? "sub/" : "") + "f" + rnd.nextInt(5));
            Files.createDirectories(f.getParent());
            Files.writeString(f, "c" + rnd.nextInt(3));
            if (rnd.nextInt(4) == 0) {
              Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
          }
          ds.addFiles(AddOptions.of(dir));
          if (rnd.nextInt(4) == 0 && !ds.listFiles().isEmpty()) {
            ds.removeFiles(ds.listFiles().get(0).path());
          }
          if (rnd.nextInt(8) != 0) {
            closed.add(ds.close());
          }
          all.add(ds);
        }
        if (rnd.nextBoolean()) {
          Dataset gone = closed.get(rnd.nextInt(closed.size()));
          try {
            gone.delete(true);
            all.remove(gone);
          } catch (dev.cairn.errors.DatasetStateException aDraftsParent) {
            // kept: a draft is built on it
          }
        }
        for (Dataset ds : all) {
          DatasetRecord rec = ds.record();
          Map<String, String> bulk = ds.fileOrigins(List.of());
          try (dev.cairn.store.ObjectReader reader = r.repository().objects().newReader()) {
            FileOrigins origins = new FileOrigins(r, new dev.cairn.manifest.NodeLoader(reader));
            for (dev.cairn.manifest.FileEntry e : ds.listFiles()) {
              DatasetRecord one = origins.introducer(rec, e);
              assertThat(bulk.get(e.path())).as("seed %d, %s of %s", seed, e.path(), rec.id()).isEqualTo(one == null ? null : one.id());
            }
            for (dev.cairn.manifest.DiffEntry d : ds.changes()) {
              if (d.type() != dev.cairn.manifest.DiffEntry.ChangeType.REMOVED) {
                DatasetRecord viaChange = origins.introducer(rec, d);
                DatasetRecord viaFile = origins.introducer(rec, d.newEntry());
                assertThat(viaChange == null ? null : viaChange.id()).as("seed %d, change %s", seed, d.path())
                    .isEqualTo(viaFile == null ? null : viaFile.id());
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aFileKeptAlongALineageComesFromItsFirstVersion() throws IOException {
    Dataset first = version(Map.of("kept", "k"), List.of());
    Dataset last = first;
    for (int i = 0; i < 60; i++) {
      Dataset child = Dataset.create(repo, CreateOptions.of("p", "d").parents(last.id()).build());
      last = child.close();
    }
    assertThat(last.fileOrigins(List.of())).containsExactly(entry("kept", first.id()));
  }
}
