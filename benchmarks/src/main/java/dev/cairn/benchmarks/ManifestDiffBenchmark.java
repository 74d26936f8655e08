package dev.cairn.benchmarks;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
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
 * Manifest trees in a pack repository on disk, one flat folder of {@code entries} files.
 *
 * <ul>
 *   <li>{@code diff}: the differences between two versions that differ in 10 paths (8 modified,
 *       1 added, 1 removed, spread over the key range), with a cold node cache (a new
 *       {@link NodeLoader} and reader per operation; packs are in the page cache).
 *   <li>{@code commitOneEdit}: a one-file edit of the base version through
 *       {@link ManifestEditor} plus {@code flush} (a small pack fsynced and indexed): the manifest
 *       part of a commit. Each operation writes a different entry, so nothing is deduplicated.
 *   <li>{@code editWithoutFlush}: the same edit, discarded instead of flushed: the tree work alone,
 *       without the fsyncs (pack, directory, LMDB) whose latency dominates a commit.
 * </ul>
 * Times are per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class ManifestDiffBenchmark {
  @Param({"10000", "100000", "1000000"})
  public int entries;

  private Path dir;
  private Repository repo;
  private ObjectId base;
  private ObjectId changed;
  private long counter;

  /** A flat folder of {@code n} files, generated on the fly (as in ManifestScaleTest). */
  static List<FileEntry> flatFolder(int n) {
    return new AbstractList<>() {
      @Override
      public FileEntry get(int i) {
        return entry(String.format("train/img%07d.jpg", i), i);
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  static FileEntry entry(String path, long seed) {
    byte[] s = new byte[8];
    for (int b = 0; b < 8; b++) {
      s[b] = (byte) (seed >>> (8 * b));
    }
    ObjectId digest = HashAlgorithm.SHA256.hash(s);
    return FileEntry.file(path, new FileContent(1000 + Math.floorMod(seed, 5000), digest, digest), false);
  }

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = BenchData.newTempDir("cairn-manifest-");
    repo = Repository.create(dir.resolve("repo"), RepositoryConfig.DEFAULT);
    List<Edit> edits = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      int i = (int) ((k * 2L + 1) * entries / 16);
      edits.add(Edit.put(entry(String.format("train/img%07d.jpg", i), entries + 1000L + k)));
    }
    edits.add(Edit.put(entry(String.format("train/img%07d.jpg-extra", entries / 3), 7)));
    edits.add(Edit.remove(String.format("train/img%07d.jpg", entries * 2 / 3)));
    try (ObjectInserter ins = repo.objects().newInserter(); ObjectReader reader = repo.objects().newReader()) {
      base = Manifest.build(ins, flatFolder(entries));
      ins.flush();
      changed = new ManifestEditor(new NodeLoader(reader), ins).apply(base, edits);
      ins.flush();
    }
    if (diffOnce().size() != 10) {
      throw new IllegalStateException("expected 10 differences");
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    repo.close();
    BenchData.deleteRecursively(dir);
  }

  private List<DiffEntry> diffOnce() throws IOException {
    try (ObjectReader reader = repo.objects().newReader()) {
      return new ManifestDiff(new NodeLoader(reader)).diff(base, changed);
    }
  }

  @Benchmark
  public List<DiffEntry> diff() throws IOException {
    return diffOnce();
  }

  @Benchmark
  public ObjectId commitOneEdit() throws IOException {
    return editOne(true);
  }

  /** The same edit without the flush: tree work only; the inserter discards the new nodes. */
  @Benchmark
  public ObjectId editWithoutFlush() throws IOException {
    return editOne(false);
  }

  private ObjectId editOne(boolean flush) throws IOException {
    long op = ++counter;
    int i = (int) (op * 7919 % entries);
    FileEntry e = entry(String.format("train/img%07d.jpg", i), -op);
    try (ObjectInserter ins = repo.objects().newInserter(); ObjectReader reader = repo.objects().newReader()) {
      ObjectId root = new ManifestEditor(new NodeLoader(reader), ins).apply(base, List.of(Edit.put(e)));
      if (flush) {
        ins.flush();
      }
      return root;
    }
  }
}
