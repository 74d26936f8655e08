package dev.cairn.benchmarks;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.object.ObjectType;
import dev.cairn.store.FileContent;
import dev.cairn.store.InsertStats;
import dev.cairn.store.ObjectInserter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chunk-size sweep: ingests every version of a {@link SweepDataset} into a fresh repository
 * for each average chunk size (min = avg/4, max = avg*4, normalization 1; everything else the
 * default config) and prints, as markdown, what each size stores and how fast it ingests.
 *
 * <pre>
 * java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *   -cp benchmarks/target/benchmarks.jar dev.cairn.benchmarks.ChunkSizeSweep \
 *   [--scale 1.0] [--versions 5] [--sizes 64K,128K,256K,512K,1M,2M,4M] [--seed 1]
 * </pre>
 * A version is ingested as a tool would: every file through {@code insertFile} (unchanged files
 * are cut and hashed again, and found already stored), then the manifest is built and the
 * inserter flushed. The ingest time covers that whole loop; files come from memory. A small
 * untimed run first warms the JIT. The time spent in {@code insertFile} is also split between
 * large files (1 MiB and more: shards, tables) and small ones, since their costs differ.
 */
public final class ChunkSizeSweep {
  private ChunkSizeSweep() {}

  /** What one version cost in one repository. */
  record VersionResult(int version, long logicalBytes, long changedBytes, InsertStats stats, long nanos,
      long largeBytes, long largeNanos, int smallFiles, long smallNanos) {}

  /** Files from this size on count as large in the timing split. */
  static final int LARGE_FILE_BYTES = 1 << 20;

  /** One chunk size's totals. */
  record SizeResult(int avgSize, List<VersionResult> versions, long packBytes, long lmdbBytes,
      Map<ObjectType, long[]> objects) {
    long logicalBytes() {
      return versions.stream().mapToLong(VersionResult::logicalBytes).sum();
    }

    long nanos() {
      return versions.stream().mapToLong(VersionResult::nanos).sum();
    }

    double largeMBps() {
      return versions.stream().mapToLong(VersionResult::largeBytes).sum() * 1e3
          / versions.stream().mapToLong(VersionResult::largeNanos).sum();
    }

    double smallFilesPerSecond() {
      return versions.stream().mapToLong(VersionResult::smallFiles).sum() * 1e9
          / versions.stream().mapToLong(VersionResult::smallNanos).sum();
    }

    long count(ObjectType t) {
      return objects.get(t)[0];
    }

    long rawBytes(ObjectType t) {
      return objects.get(t)[1];
    }

    long objectCount() {
      return objects.values().stream().mapToLong(a -> a[0]).sum();
    }
  }

  public static void main(String[] args) throws IOException {
    double scale = 1.0;
    int versions = 5;
    long seed = 1;
    List<Integer> sizes = new ArrayList<>(List.of(64 << 10, 128 << 10, 256 << 10, 512 << 10, 1 << 20, 2 << 20, 4 << 20));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale" -> scale = Double.parseDouble(args[++i]);
        case "--versions" -> versions = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--sizes" -> {
          sizes.clear();
          for (String s : args[++i].split(",")) {
            sizes.add(parseSize(s.trim()));
          }
        }
        default -> {
          System.err.println("usage: ChunkSizeSweep [--scale X] [--versions N] [--sizes 64K,1M,...] [--seed N]");
          System.exit(2);
        }
      }
    }
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "Chunk-size sweep: scale %.2f, %d versions, seed %d, sizes %s%n%n", scale, versions, seed, sizes);
    // Warm the JIT on a small run first, so that the first size measured is not the slowest.
    run(1 << 20, Math.min(scale, 0.1), 2, seed + 1);
    List<SizeResult> results = new ArrayList<>();
    for (int avg : sizes) {
      SizeResult r = run(avg, scale, versions, seed);
      results.add(r);
      out.printf(Locale.ROOT, "avg %s: %d objects, %s stored, %.1f MB/s%n", human(avg), r.objectCount(),
          mib(r.packBytes()), r.logicalBytes() / 1e6 / (r.nanos() / 1e9));
    }
    report(out, results, versions);
  }

  static int parseSize(String s) {
    String u = s.toUpperCase(Locale.ROOT);
    if (u.endsWith("K")) {
      return Integer.parseInt(u.substring(0, u.length() - 1)) << 10;
    }
    if (u.endsWith("M")) {
      return Integer.parseInt(u.substring(0, u.length() - 1)) << 20;
    }
    return Integer.parseInt(u);
  }

  static SizeResult run(int avg, double scale, int versions, long seed) throws IOException {
    ChunkerParams params = new ChunkerParams(avg / 4, avg, avg * 4, 1);
    Path dir = BenchData.newTempDir("cairn-sweep-");
    try {
      List<VersionResult> vs = new ArrayList<>();
      Map<ObjectType, long[]> objects = new EnumMap<>(ObjectType.class);
      long packBytes = 0;
      long lmdbBytes;
      try (Repository repo = Repository.create(dir.resolve("repo"), RepositoryConfig.DEFAULT.withChunker(params))) {
        SweepDataset ds = new SweepDataset(seed, scale);
        for (int v = 0; v < versions; v++) {
          if (v > 0) {
            ds.next();
          }
          vs.add(ingest(repo, ds));
        }
        for (ObjectType t : ObjectType.values()) {
          objects.put(t, new long[2]);
        }
        for (Path p : repo.packs().packFiles()) {
          packBytes += Files.size(p);
          try (PackFile pack = PackFile.open(p)) {
            for (PackEntry e : pack.entries()) {
              long[] a = objects.get(e.type());
              a[0]++;
              a[1] += e.length();
            }
          }
        }
        lmdbBytes = BenchData.treeSize(dir.resolve("repo").resolve("index"));
      }
      return new SizeResult(avg, vs, packBytes, lmdbBytes, objects);
    } finally {
      BenchData.deleteRecursively(dir);
    }
  }

  static VersionResult ingest(Repository repo, SweepDataset ds) throws IOException {
    long t0 = System.nanoTime();
    InsertStats stats;
    long largeBytes = 0;
    long largeNanos = 0;
    int smallFiles = 0;
    long smallNanos = 0;
    try (ObjectInserter ins = repo.objects().newInserter()) {
      List<FileEntry> entries = new ArrayList<>(ds.files().size());
      for (Map.Entry<String, byte[]> f : ds.files().entrySet()) {
        long s0 = System.nanoTime();
        FileContent c = ins.insertFile(new ByteArrayInputStream(f.getValue()));
        long dt = System.nanoTime() - s0;
        if (f.getValue().length >= LARGE_FILE_BYTES) {
          largeBytes += f.getValue().length;
          largeNanos += dt;
        } else {
          smallFiles++;
          smallNanos += dt;
        }
        entries.add(FileEntry.file(f.getKey(), c, false));
      }
      ObjectId root = Manifest.build(ins, entries);
      ins.flush();
      stats = ins.stats();
      if (root == null) {
        throw new IllegalStateException("no manifest root");
      }
    }
    return new VersionResult(ds.version(), ds.totalBytes(), ds.changedBytes(), stats, System.nanoTime() - t0,
        largeBytes, largeNanos, smallFiles, smallNanos);
  }

  static void report(PrintStream out, List<SizeResult> results, int versions) {
    out.println();
    out.println("| avg chunk | logical bytes | stored (pack) bytes | dedup ratio (raw) | stored ratio | objects | chunks | "
        + "file objects | tree nodes | metadata + index bytes | ingest MB/s (all) | v0 MB/s | later versions MB/s | "
        + "large files MB/s | small files/s |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (SizeResult r : results) {
      long uniqueRaw = r.rawBytes(ObjectType.CHUNK);
      long v0nanos = r.versions().get(0).nanos();
      long laterBytes = r.logicalBytes() - r.versions().get(0).logicalBytes();
      long laterNanos = r.nanos() - v0nanos;
      long indexBytes = r.objectCount() * 53 + r.lmdbBytes();
      long metaBytes = r.rawBytes(ObjectType.FILE) + r.rawBytes(ObjectType.TREE) + r.rawBytes(ObjectType.VERSION);
      out.printf(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %d | %d | %d | %d | %s + %s | %.0f | %.0f | %s | %.0f | %.0f |%n",
          human(r.avgSize()), mib(r.logicalBytes()), mib(r.packBytes()), (double) r.logicalBytes() / uniqueRaw,
          (double) r.logicalBytes() / r.packBytes(), r.objectCount(), r.count(ObjectType.CHUNK), r.count(ObjectType.FILE),
          r.count(ObjectType.TREE), mib(metaBytes), mib(indexBytes), r.logicalBytes() / 1e6 / (r.nanos() / 1e9),
          r.versions().get(0).logicalBytes() / 1e6 / (v0nanos / 1e9),
          laterNanos == 0 ? "-" : String.format(Locale.ROOT, "%.0f", laterBytes / 1e6 / (laterNanos / 1e9)),
          r.largeMBps(), r.smallFilesPerSecond());
    }
    out.println();
    out.println("New bytes per version (raw bytes of new objects / stored bytes after compression; "
        + "'changed' is what the edit itself wrote):");
    out.println();
    StringBuilder head = new StringBuilder("| avg chunk |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int v = 0; v < versions; v++) {
      head.append(" v").append(v).append(" |");
      rule.append("---|");
    }
    head.append(" mean v1+ amplification |");
    rule.append("---|");
    out.println(head);
    out.println(rule);
    StringBuilder changed = new StringBuilder("| changed |");
    for (VersionResult v : results.get(0).versions()) {
      changed.append(' ').append(mib(v.changedBytes())).append(" |");
    }
    out.println(changed.append(" 1.0x |"));
    for (SizeResult r : results) {
      StringBuilder row = new StringBuilder("| ").append(human(r.avgSize())).append(" |");
      double amp = 0;
      for (VersionResult v : r.versions()) {
        row.append(' ').append(mib(v.stats().rawBytesWritten())).append(" / ").append(mib(v.stats().storedBytesWritten())).append(" |");
        if (v.version() > 0) {
          amp += (double) v.stats().rawBytesWritten() / v.changedBytes();
        }
      }
      row.append(String.format(Locale.ROOT, " %.1fx |", versions > 1 ? amp / (versions - 1) : 1.0));
      out.println(row);
    }
  }

  static String human(long bytes) {
    if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    return (bytes >> 10) + " KiB";
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
  }
}
