package dev.cairn.benchmarks.sidebyside;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Seeded, deterministic inputs for the side-by-side harness ({@code benchmarks/sidebyside/run.sh}).
 * The same seed and size always give the same bytes, and each change step applied to the same
 * state gives the same result, so every tool and every repetition sees identical data.
 *
 * <pre>
 * DataGenerator mixed  --out DIR --bytes N [--seed S]      # images, CSV tables, large shards
 * DataGenerator change --dir DIR --percent P --step K [--seed S]
 * DataGenerator tiny   --out DIR --files N [--seed S]      # N tiny text files, 1,000 per folder
 * DataGenerator touch  --dir DIR --files K --step K [--seed S]   # rewrite K tiny files
 * </pre>
 *
 * <p>The mixed set holds, by bytes: 40% image-like binary files of 16-256 KiB (incompressible,
 * thousands of them), a few JSON label files, 20% CSV tables (compressible text) and 40% in three
 * large shards (hundreds of MiB at 2 GiB; half random, half float32 series that compress a
 * little). A change step of P percent changes about P% of the bytes, a quarter each: rows appended
 * to CSV tables, byte ranges overwritten inside shards, new small files, deleted small files.
 * Prints what it did as one line of {@code key=value} pairs; {@code touch} prints the changed
 * paths, one per line.
 */
public final class DataGenerator {
  private static final int SHARDS = 3;
  private static final int TABLES = 16;
  private static final int CLASSES = 64;
  private static final int FILES_PER_FOLDER = 1000;

  private DataGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      usage();
    }
    Args a = new Args(args);
    long seed = a.num("--seed", 42);
    switch (args[0]) {
      case "mixed" -> mixed(Path.of(a.str("--out")), a.num("--bytes", -1), seed);
      case "change" -> change(Path.of(a.str("--dir")), a.dbl("--percent"), (int) a.num("--step", -1), seed);
      case "tiny" -> tiny(Path.of(a.str("--out")), (int) a.num("--files", -1), seed);
      case "touch" -> touch(Path.of(a.str("--dir")), (int) a.num("--files", -1), (int) a.num("--step", -1), seed);
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: DataGenerator mixed|change|tiny|touch ... (see the class comment)");
    System.exit(2);
  }

  // ---- the mixed set ----------------------------------------------------------------------------

  static void mixed(Path out, long bytes, long seed) throws IOException {
    if (bytes <= 0) {
      throw new IllegalArgumentException("--bytes N required");
    }
    Files.createDirectories(out);
    long imageBudget = bytes * 40 / 100;
    long tableBytes = bytes * 20 / 100 / TABLES;
    long shardBytes = bytes * 40 / 100 / SHARDS;
    SplittableRandom r = new SplittableRandom(seed);
    long written = 0;
    int images = 0;
    for (long left = imageBudget; left > 0; images++) {
      int size = 16384 + r.nextInt(240 * 1024);
      Path p = out.resolve(String.format("images/cls-%03d/img-%06d.jpg", images % CLASSES, images));
      writeImage(p, size, new SplittableRandom(seed * 31 + images));
      left -= size;
      written += size;
    }
    int labels = images / 50;
    for (int i = 0; i < labels; i++) {
      Path p = out.resolve(String.format("labels/batch-%04d.json", i));
      written += writeJson(p, new SplittableRandom(seed * 37 + i), i);
    }
    for (int i = 0; i < TABLES; i++) {
      Path p = out.resolve(String.format("tables/table-%02d.csv", i));
      Files.createDirectories(p.getParent());
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
        o.write("id,timestamp,label,split,f0,f1,f2,f3,f4,f5,comment\n".getBytes(StandardCharsets.US_ASCII));
        written += csvRows(o, new SplittableRandom(seed * 41 + i), 0, tableBytes);
      }
    }
    for (int i = 0; i < SHARDS; i++) {
      Path p = out.resolve(String.format("shards/shard-%d.bin", i));
      writeShard(p, shardBytes, new SplittableRandom(seed * 43 + i));
      written += shardBytes;
    }
    System.out.printf("mixed files=%d bytes=%d images=%d labels=%d tables=%d shards=%d shard_bytes=%d%n",
        images + labels + TABLES + SHARDS, written, images, labels, TABLES, SHARDS, shardBytes);
  }

  private static void writeImage(Path p, int size, SplittableRandom r) throws IOException {
    byte[] b = new byte[size];
    fill(b, 0, size, r);
    byte[] header = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
    System.arraycopy(header, 0, b, 0, header.length);
    Files.createDirectories(p.getParent());
    Files.write(p, b);
  }

  private static int writeJson(Path p, SplittableRandom r, int batch) throws IOException {
    StringBuilder sb = new StringBuilder("{\"batch\": ").append(batch).append(", \"labels\": [\n");
    int n = 20 + r.nextInt(200);
    for (int i = 0; i < n; i++) {
      sb.append("  {\"image\": \"img-").append(String.format("%06d", batch * 50 + r.nextInt(50)))
          .append(".jpg\", \"class\": ").append(r.nextInt(CLASSES)).append(", \"score\": ")
          .append(r.nextInt(1000) / 1000.0).append(i + 1 < n ? "},\n" : "}\n");
    }
    byte[] b = sb.append("]}\n").toString().getBytes(StandardCharsets.US_ASCII);
    Files.createDirectories(p.getParent());
    Files.write(p, b);
    return b.length;
  }

  private static final String[] WORDS = {"cat", "dog", "bird", "car", "tree", "person", "boat", "plane",
      "blurry", "occluded", "night", "rain", "crowd", "close-up", "outdoor", "indoor"};

  /** Appends CSV rows numbered from {@code firstId} until at least {@code bytes}; returns bytes written. */
  private static long csvRows(OutputStream o, SplittableRandom r, long firstId, long bytes) throws IOException {
    StringBuilder sb = new StringBuilder(256);
    long n = 0;
    long ts = 1_700_000_000L + firstId * 7;
    for (long id = firstId; n < bytes; id++) {
      sb.setLength(0);
      ts += r.nextInt(15);
      sb.append(id).append(',').append(ts).append(',').append(r.nextInt(CLASSES)).append(',')
          .append(r.nextInt(10) < 8 ? "train" : "val");
      for (int f = 0; f < 6; f++) {
        int v = r.nextInt(2_000_000) - 1_000_000;
        sb.append(',').append(v / 100000).append('.').append(String.format("%05d", Math.abs(v % 100000)));
      }
      sb.append(',').append(WORDS[r.nextInt(WORDS.length)]).append(' ').append(WORDS[r.nextInt(WORDS.length)]).append('\n');
      byte[] line = sb.toString().getBytes(StandardCharsets.US_ASCII);
      o.write(line);
      n += line.length;
    }
    return n;
  }

  /** Blocks of 1 MiB, alternately random and a float32 random walk (compresses a little). */
  private static void writeShard(Path p, long size, SplittableRandom r) throws IOException {
    Files.createDirectories(p.getParent());
    byte[] block = new byte[1 << 20];
    float x = 0;
    try (OutputStream o = Files.newOutputStream(p)) {
      for (long off = 0, k = 0; off < size; off += block.length, k++) {
        int n = (int) Math.min(block.length, size - off);
        if (k % 2 == 0) {
          fill(block, 0, n, r);
        } else {
          for (int i = 0; i + 4 <= n; i += 4) {
            x += (r.nextInt(64) - 32) / 1024f;
            int bits = Float.floatToIntBits(Math.round(x * 256) / 256f);
            block[i] = (byte) bits;
            block[i + 1] = (byte) (bits >>> 8);
            block[i + 2] = (byte) (bits >>> 16);
            block[i + 3] = (byte) (bits >>> 24);
          }
        }
        o.write(block, 0, n);
      }
    }
  }

  private static void fill(byte[] b, int off, int len, SplittableRandom r) {
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long v = r.nextLong();
      for (int k = 0; k < 8; k++) {
        b[i + k] = (byte) (v >>> (8 * k));
      }
    }
    for (; i < end; i++) {
      b[i] = (byte) r.nextInt();
    }
  }

  // ---- a change step on the mixed set --------------------------------------------------------

  static void change(Path dir, double percent, int step, long seed) throws IOException {
    if (step < 1 || percent <= 0) {
      throw new IllegalArgumentException("--percent P and --step K (>= 1) required");
    }
    List<Path> files = listFiles(dir);
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    long quarter = (long) (total * percent / 100 / 4);
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + step);

    // 1. rows appended to half of the tables
    List<Path> tables = files.stream().filter(f -> f.toString().endsWith(".csv")).toList();
    long appended = 0;
    int tablesTouched = Math.max(1, tables.size() / 2);
    for (int i = 0; i < tablesTouched; i++) {
      Path t = tables.get(r.nextInt(tables.size()));
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(t, StandardOpenOption.APPEND), 1 << 16)) {
        appended += csvRows(o, r.split(), 10_000_000L * step + i * 100_000L, quarter / tablesTouched);
      }
    }

    // 2. byte ranges overwritten inside the shards, 8 sites per shard
    List<Path> shards = files.stream().filter(f -> f.toString().endsWith(".bin")).toList();
    long edited = 0;
    int sites = 0;
    for (Path s : shards) {
      long size = Files.size(s);
      try (RandomAccessFile raf = new RandomAccessFile(s.toFile(), "rw")) {
        for (int k = 0; k < 8; k++) {
          int len = (int) Math.min(size, Math.max(1, quarter / shards.size() / 8));
          long off = (long) (r.nextDouble() * (size - len));
          byte[] b = new byte[len];
          fill(b, 0, len, r);
          raf.seek(off);
          raf.write(b);
          edited += len;
          sites++;
        }
      }
    }

    // 3. new small files, 4. deleted small files
    List<Path> images = files.stream().filter(f -> f.toString().endsWith(".jpg")).toList();
    long added = 0;
    int addedFiles = 0;
    while (added < quarter) {
      int size = 16384 + r.nextInt(240 * 1024);
      Path p = dir.resolve(String.format("images/cls-%03d/new-s%02d-%05d.jpg", r.nextInt(CLASSES), step, addedFiles));
      writeImage(p, size, r.split());
      added += size;
      addedFiles++;
    }
    long deleted = 0;
    int deletedFiles = 0;
    List<Path> candidates = new ArrayList<>(images);
    while (deleted < quarter && !candidates.isEmpty()) {
      Path p = candidates.remove(r.nextInt(candidates.size()));
      deleted += Files.size(p);
      Files.delete(p);
      deletedFiles++;
    }
    System.out.printf("change step=%d percent=%s total_before=%d appended=%d tables=%d edited=%d sites=%d "
            + "added=%d added_files=%d deleted=%d deleted_files=%d%n",
        step, percent, total, appended, tablesTouched, edited, sites, added, addedFiles, deleted, deletedFiles);
  }

  private static List<Path> listFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  // ---- the metadata-scale set -----------------------------------------------------------------

  static void tiny(Path out, int files, long seed) throws IOException {
    if (files <= 0) {
      throw new IllegalArgumentException("--files N required");
    }
    int folders = (files + FILES_PER_FOLDER - 1) / FILES_PER_FOLDER;
    long bytes = IntStream.range(0, folders).parallel().mapToLong(d -> {
      try {
        return tinyFolder(out, d, Math.min(FILES_PER_FOLDER, files - d * FILES_PER_FOLDER), seed);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).sum();
    System.out.printf("tiny files=%d folders=%d bytes=%d%n", files, folders, bytes);
  }

  private static long tinyFolder(Path out, int d, int n, long seed) throws IOException {
    Path folder = out.resolve(String.format("d%04d", d));
    Files.createDirectories(folder);
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      int index = d * FILES_PER_FOLDER + i;
      byte[] b = tinyContent(index, 0, seed);
      Files.write(folder.resolve(String.format("f%07d.txt", index)), b);
      bytes += b.length;
    }
    return bytes;
  }

  private static byte[] tinyContent(int index, int revision, long seed) {
    SplittableRandom r = new SplittableRandom(seed * 7919 + index * 131L + revision);
    int lines = 1 + r.nextInt(24);
    StringBuilder sb = new StringBuilder();
    sb.append("sample ").append(index).append(" rev ").append(revision).append('\n');
    for (int i = 0; i < lines; i++) {
      sb.append(WORDS[r.nextInt(WORDS.length)]).append(' ').append(r.nextInt(1_000_000)).append(' ')
          .append(Long.toHexString(r.nextLong())).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Rewrites {@code count} existing tiny files (distinct, chosen by the seed and step); prints their paths. */
  static void touch(Path dir, int count, int step, long seed) throws IOException {
    if (count <= 0 || step < 1) {
      throw new IllegalArgumentException("--files K and --step S required");
    }
    List<Path> folders;
    try (Stream<Path> s = Files.list(dir)) {
      folders = s.filter(Files::isDirectory).sorted().toList();
    }
    SplittableRandom r = new SplittableRandom(seed * 104_729L + step);
    Set<Path> done = new LinkedHashSet<>();
    while (done.size() < count) {
      Path folder = folders.get(r.nextInt(folders.size()));
      List<Path> fs;
      try (Stream<Path> s = Files.list(folder)) {
        fs = s.sorted().toList();
      }
      Path f = fs.get(r.nextInt(fs.size()));
      if (done.add(f)) {
        String name = f.getFileName().toString();
        int index = Integer.parseInt(name.substring(1, name.indexOf('.')));
        Files.write(f, tinyContent(index, step, seed));
      }
    }
    for (Path f : done) {
      System.out.println(dir.relativize(f));
    }
  }

  /** Minimal {@code --key value} parsing. */
  private record Args(String[] argv) {
    String str(String key) {
      for (int i = 1; i + 1 < argv.length; i++) {
        if (argv[i].equals(key)) {
          return argv[i + 1];
        }
      }
      throw new IllegalArgumentException(key + " required");
    }

    long num(String key, long dflt) {
      for (int i = 1; i + 1 < argv.length; i++) {
        if (argv[i].equals(key)) {
          return parseSize(argv[i + 1]);
        }
      }
      return dflt;
    }

    double dbl(String key) {
      return Double.parseDouble(str(key));
    }

    /** 123, 400M, 2G (binary units). */
    static long parseSize(String s) {
      char u = Character.toUpperCase(s.charAt(s.length() - 1));
      long mult = switch (u) {
        case 'K' -> 1L << 10;
        case 'M' -> 1L << 20;
        case 'G' -> 1L << 30;
        default -> 1;
      };
      return Long.parseLong(mult == 1 ? s : s.substring(0, s.length() - 1)) * mult;
    }
  }
}
