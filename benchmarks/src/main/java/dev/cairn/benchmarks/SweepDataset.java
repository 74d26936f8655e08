package dev.cairn.benchmarks;

import dev.cairn.manifest.DatasetPaths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic, versioned dataset held in memory for {@link ChunkSizeSweep}. At scale 1 the
 * first version is about 300 MiB (file sizes, file counts and per-version churn scale linearly):
 * <ul>
 *   <li>6 large binary shards of 32 MiB ({@code shards/}), random bytes like compressed images or
 *       serialized tensors;
 *   <li>3,000 small files of 1-64 KiB, log-uniform ({@code images/}: random bytes, and
 *       {@code labels/}: short CSV text, one in three);
 *   <li>8 CSV tables of 8 MiB ({@code tables/}).
 * </ul>
 * Each later version ({@link #next}) appends about 500 rows to every table and corrects one value
 * in the middle of one table; overwrites three 4 KiB ranges in two shards and inserts 1 KiB into
 * a third (shifting the rest of it); adds 100 small files, deletes 60 and rewrites 20. Every step
 * draws from its own seeded generator, so the same scale and version always give the same bytes.
 */
public final class SweepDataset {
  private final double scale;
  private final long seed;
  private final TreeMap<String, byte[]> files = new TreeMap<>(DatasetPaths::compare);
  private final Map<String, Long> tableRows = new TreeMap<>();
  private int version;
  private int nextSmall;
  private long changedBytes;

  public SweepDataset(long seed, double scale) {
    this.seed = seed;
    this.scale = scale;
    SplittableRandom r = new SplittableRandom(seed);
    int shardBytes = (int) Math.max(1 << 20, (32 << 20) * scale);
    for (int i = 0; i < 6; i++) {
      files.put(String.format("shards/train-%02d.bin", i), BenchData.random(r.nextLong(), shardBytes));
    }
    int small = Math.max(10, (int) Math.round(3000 * scale));
    for (int i = 0; i < small; i++) {
      addSmall(r);
    }
    int tableBytes = (int) Math.max(256 << 10, (8 << 20) * scale);
    for (int i = 0; i < 8; i++) {
      String path = String.format("tables/part-%02d.csv", i);
      byte[] t = BenchData.text(r.nextLong(), tableBytes);
      // Cut after the last complete row, so that appended rows line up.
      int end = t.length;
      while (end > 0 && t[end - 1] != '\n') {
        end--;
      }
      files.put(path, Arrays.copyOf(t, end));
      tableRows.put(path, countLines(t, end) - 1L);
    }
    changedBytes = totalBytes();
  }

  private static int countLines(byte[] b, int end) {
    int n = 0;
    for (int i = 0; i < end; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  private void addSmall(SplittableRandom r) {
    int size = (int) Math.round(Math.exp(Math.log(1024) + r.nextDouble() * Math.log(64)));
    int n = nextSmall++;
    if (n % 3 == 2) {
      byte[] rows = BenchData.csvRows(r, r.nextInt(1_000_000), Math.max(1, size / 72));
      files.put(String.format("labels/%03d/label-%06d.csv", n / 1000, n), rows);
    } else {
      files.put(String.format("images/%03d/img-%06d.jpg", n / 1000, n), BenchData.random(r.nextLong(), size));
    }
  }

  /** Moves to the next version. */
  public void next() {
    version++;
    SplittableRandom r = new SplittableRandom(seed * 31 + version);
    changedBytes = 0;
    appendRows(r);
    editShards(r);
    churnSmallFiles(r);
  }

  private void appendRows(SplittableRandom r) {
    List<String> tables = new ArrayList<>(tableRows.keySet());
    for (String path : tables) {
      long rows = tableRows.get(path);
      int add = (int) Math.max(5, Math.round(500 * scale));
      byte[] extra = BenchData.csvRows(r, rows, add);
      byte[] old = files.get(path);
      byte[] now = Arrays.copyOf(old, old.length + extra.length);
      System.arraycopy(extra, 0, now, old.length, extra.length);
      files.put(path, now);
      tableRows.put(path, rows + add);
      changedBytes += extra.length;
    }
    // A correction in the middle of one table: one digit of a value, same length.
    byte[] t = files.get(tables.get(r.nextInt(tables.size())));
    for (int i = t.length / 2; i < t.length; i++) {
      if (t[i] >= '0' && t[i] <= '8') {
        t[i]++;
        changedBytes += 1;
        break;
      }
    }
  }

  private void editShards(SplittableRandom r) {
    List<String> shards = new ArrayList<>();
    for (String p : files.keySet()) {
      if (p.startsWith("shards/")) {
        shards.add(p);
      }
    }
    Collections.shuffle(shards, new Random(r.nextLong()));
    for (int s = 0; s < Math.min(2, shards.size()); s++) {
      byte[] b = files.get(shards.get(s));
      for (int e = 0; e < 3; e++) {
        int len = Math.min(4096, b.length);
        BenchData.fillRandom(r, b, r.nextInt(b.length - len + 1), len);
        changedBytes += len;
      }
    }
    if (shards.size() > 2) {
      String path = shards.get(2);
      byte[] b = files.get(path);
      int at = r.nextInt(b.length);
      byte[] now = new byte[b.length + 1024];
      System.arraycopy(b, 0, now, 0, at);
      BenchData.fillRandom(r, now, at, 1024);
      System.arraycopy(b, at, now, at + 1024, b.length - at);
      files.put(path, now);
      changedBytes += 1024;
    }
  }

  private void churnSmallFiles(SplittableRandom r) {
    List<String> small = new ArrayList<>();
    for (String p : files.keySet()) {
      if (p.startsWith("images/") || p.startsWith("labels/")) {
        small.add(p);
      }
    }
    Collections.shuffle(small, new Random(r.nextLong()));
    int delete = (int) Math.round(60 * scale);
    int rewrite = (int) Math.round(20 * scale);
    int add = (int) Math.round(100 * scale);
    for (int i = 0; i < Math.min(delete, small.size()); i++) {
      files.remove(small.get(i));
    }
    for (int i = delete; i < Math.min(delete + rewrite, small.size()); i++) {
      byte[] b = files.get(small.get(i));
      BenchData.fillRandom(r, b, 0, b.length);
      changedBytes += b.length;
    }
    for (int i = 0; i < add; i++) {
      long before = totalSmall();
      addSmall(r);
      changedBytes += totalSmall() - before;
    }
  }

  private long totalSmall() {
    long t = 0;
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      if (e.getKey().startsWith("images/") || e.getKey().startsWith("labels/")) {
        t += e.getValue().length;
      }
    }
    return t;
  }

  /** The current version's files in path order (the arrays are live: do not modify). */
  public Map<String, byte[]> files() {
    return Collections.unmodifiableMap(files);
  }

  /** The current version number, from 0. */
  public int version() {
    return version;
  }

  /** Sum of the current files' sizes. */
  public long totalBytes() {
    long t = 0;
    for (byte[] b : files.values()) {
      t += b.length;
    }
    return t;
  }

  /**
   * Bytes written, appended, inserted or added by the last {@link #next} (the whole dataset for
   * version 0): the least any store must add for this version.
   */
  public long changedBytes() {
    return changedBytes;
  }
}
