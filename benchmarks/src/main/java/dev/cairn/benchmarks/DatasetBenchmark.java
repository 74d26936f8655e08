package dev.cairn.benchmarks;

import dev.cairn.RepositoryConfig;
import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.ParentMerge;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dataset-level operations (issue 3):
 * <ul>
 *   <li>{@code mergeParents}: the manifest of a new version with {@code parents} parents of
 *       {@code entries} files each. The parents share a lineage, as versions of one dataset do:
 *       each is the same base with 100 files modified (conflicting with the other parents) and 100
 *       files of its own added. The merged tree is built but not flushed.
 *   <li>{@code mergeDisjointParents}: the worst case, two parents with nothing in common.
 *   <li>{@code warmGet}: {@code getLocalCopy()} of a version of 10,000 files already materialized.
 *   <li>{@code coldGet}: the same version materialized from the packs into an empty cache.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class DatasetBenchmark {
  /** Parents and their size, for the merge benchmarks. */
  @State(Scope.Benchmark)
  public static class Parents {
    @Param({"2", "4", "8"})
    public int parents;

    @Param({"100000", "1000000"})
    public int entries;

    Path dir;
    DatasetRepository repo;
    List<ObjectId> roots = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    ObjectId disjointA;
    ObjectId disjointB;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("cairn-merge-bench");
      repo = DatasetRepository.open(dir, RepositoryConfig.DEFAULT);
      try (ObjectInserter ins = repo.repository().objects().newInserter(); ObjectReader reader = ins.newReader()) {
        ObjectId base = Manifest.build(ins, ManifestDiffBenchmark.flatFolder(entries));
        ins.flush();
        ManifestEditor editor = new ManifestEditor(new NodeLoader(reader), ins);
        Random r = new Random(7);
        for (int p = 0; p < parents; p++) {
          List<Edit> edits = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            int at = r.nextInt(entries);
            edits.add(Edit.put(entry(String.format("train/img%07d.jpg", at), 1_000_000 + p * 1000 + i)));
            edits.add(Edit.put(entry(String.format("parent%d/new%05d.jpg", p, i), 2_000_000 + p * 1000 + i)));
          }
          roots.add(editor.apply(base, edits));
          ids.add(String.format("%032x", p));
        }
        if (parents == 2) {
          disjointA = base;
          List<FileEntry> other = new ArrayList<>();
          for (int i = 0; i < entries; i++) {
            other.add(entry(String.format("val/img%07d.jpg", i), 3_000_000 + i));
          }
          disjointB = Manifest.build(ins, other);
        }
        ins.flush();
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      repo.close();
      BenchData.deleteRecursively(dir);
    }
  }

  static FileEntry entry(String path, int seed) {
    ObjectId digest = HashAlgorithm.SHA256.hash(new byte[] {(byte) seed, (byte) (seed >> 8), (byte) (seed >> 16), (byte) (seed >> 24)});
    return FileEntry.file(path, new FileContent(1000 + seed % 5000, digest, digest), false);
  }

  @Benchmark
  public ObjectId mergeParents(Parents s) throws IOException {
    try (ObjectInserter ins = s.repo.repository().objects().newInserter(); ObjectReader reader = ins.newReader()) {
      return ParentMerge.merge(s.ids, s.roots, new NodeLoader(reader), ins).root();
    }
  }

  @Benchmark
  public ObjectId mergeDisjointParents(Parents s) throws IOException {
    if (s.disjointA == null) {
      return null; // only measured with two parents
    }
    try (ObjectInserter ins = s.repo.repository().objects().newInserter(); ObjectReader reader = ins.newReader()) {
      return ParentMerge.merge(List.of("a", "b"), List.of(s.disjointA, s.disjointB), new NodeLoader(reader), ins).root();
    }
  }

  /** A closed version of 10,000 small files. */
  @State(Scope.Benchmark)
  public static class Version {
    Path dir;
    DatasetRepository repo;
    Dataset ds;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("cairn-get-bench");
      Path src = dir.resolve("src");
      Random r = new Random(3);
      for (int i = 0; i < 10_000; i++) {
        byte[] b = new byte[1000 + r.nextInt(8000)];
        r.nextBytes(b);
        Path f = src.resolve(String.format("d%02d/f%05d.bin", i % 50, i));
        Files.createDirectories(f.getParent());
        Files.write(f, b);
      }
      repo = DatasetRepository.open(dir.resolve("repo"), RepositoryConfig.DEFAULT);
      ds = Dataset.create(repo, CreateOptions.of("bench", "get").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      ds.getLocalCopy();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      repo.close();
      BenchData.deleteRecursively(dir);
    }
  }

  @Benchmark
  public Path warmGet(Version v) throws IOException {
    return v.ds.getLocalCopy();
  }

  /** Drops the cached folder and contents before each cold get. */
  @State(Scope.Thread)
  public static class EmptyCache {
    @Setup(Level.Invocation)
    public void drop(Version v) throws IOException {
      BenchData.deleteRecursively(v.repo.repository().directory().resolve("cache"));
      Files.createDirectories(v.repo.repository().directory().resolve("cache").resolve("files"));
      Files.createDirectories(v.repo.repository().directory().resolve("cache").resolve("versions"));
    }
  }

  @Benchmark
  public Path coldGet(Version v, EmptyCache empty) throws IOException {
    return v.ds.getLocalCopy();
  }
}
