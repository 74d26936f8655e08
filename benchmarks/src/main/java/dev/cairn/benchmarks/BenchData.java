package dev.cairn.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded benchmark data: incompressible random bytes and CSV-like text that compresses about as
 * well as real tabular exports. The same seed always gives the same bytes, so JMH runs, the
 * chunk-size sweep and the native references ({@link DataFiles}) all see identical input.
 */
public final class BenchData {
  /** Seed of the random inputs. */
  public static final long RANDOM_SEED = 0x5EED_0001L;
  /** Seed of the text inputs. */
  public static final long TEXT_SEED = 0x5EED_0002L;

  private static final String[] METRICS = {
    "temperature", "humidity", "pressure", "wind_speed", "wind_dir", "rainfall", "solar", "pm25"};
  private static final String[] QUALITY = {"ok", "ok", "ok", "ok", "suspect", "missing", "ok", "estimated"};
  private static final String[] WORDS = {
    "sensor", "drift", "calibrated", "after", "maintenance", "storm", "front", "passing", "clear",
    "sky", "light", "rain", "heavy", "fog", "morning", "evening", "gust", "north", "south", "east",
    "west", "reading", "delayed", "battery", "low", "replaced", "cable", "noise", "spike", "filtered",
    "manual", "check", "ok", "field", "team", "visit", "snow", "ice", "melt", "flood", "warning",
    "station", "offline", "restored", "power", "outage", "valley", "ridge", "coast", "urban", "rural",
    "forest", "lake", "river", "bridge", "airport", "harbor", "school", "farm", "mine", "plant",
    "tower", "roof", "ground"};

  private BenchData() {}

  /** {@code size} random bytes from {@code seed}. */
  public static byte[] random(long seed, int size) {
    byte[] b = new byte[size];
    fillRandom(new SplittableRandom(seed), b, 0, size);
    return b;
  }

  /** Fills {@code len} bytes of {@code b} from {@code off} with random bytes. */
  public static void fillRandom(SplittableRandom r, byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    for (; i + 8 <= end; i += 8) {
      long v = r.nextLong();
      b[i] = (byte) v;
      b[i + 1] = (byte) (v >>> 8);
      b[i + 2] = (byte) (v >>> 16);
      b[i + 3] = (byte) (v >>> 24);
      b[i + 4] = (byte) (v >>> 32);
      b[i + 5] = (byte) (v >>> 40);
      b[i + 6] = (byte) (v >>> 48);
      b[i + 7] = (byte) (v >>> 56);
    }
    for (; i < end; i++) {
      b[i] = (byte) r.nextInt(256);
    }
  }

  /** Exactly {@code size} bytes of CSV-like text (a header, then rows; the last row is cut). */
  public static byte[] text(long seed, int size) {
    SplittableRandom r = new SplittableRandom(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 256);
    writeBytes(out, csvHeader());
    long row = 0;
    StringBuilder sb = new StringBuilder(64 << 10);
    while (out.size() < size) {
      sb.setLength(0);
      for (int i = 0; i < 512; i++) {
        csvRow(r, row++, sb);
      }
      writeBytes(out, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] all = out.toByteArray();
    return all.length == size ? all : Arrays.copyOf(all, size);
  }

  /** The header line of the CSV files. */
  public static byte[] csvHeader() {
    return "id,timestamp,station,metric,value,quality,note\n".getBytes(StandardCharsets.UTF_8);
  }

  /** {@code rows} CSV rows numbered from {@code firstRow}. */
  public static byte[] csvRows(SplittableRandom r, long firstRow, int rows) {
    StringBuilder sb = new StringBuilder(rows * 72);
    for (int i = 0; i < rows; i++) {
      csvRow(r, firstRow + i, sb);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Appends one row: {@code id,timestamp,station,metric,value,quality,note}. */
  static void csvRow(SplittableRandom r, long row, StringBuilder sb) {
    long t = 1_704_067_200L + row * 7 + r.nextInt(7); // from 2024-01-01, every ~7 s
    sb.append(row).append(',');
    sb.append(LocalDateTime.ofEpochSecond(t, 0, ZoneOffset.UTC)).append("Z,");
    sb.append("st").append(r.nextInt(400)).append(',');
    sb.append(METRICS[r.nextInt(METRICS.length)]).append(',');
    int v = r.nextInt(2_000_000) - 1_000_000;
    if (v < 0) {
      sb.append('-');
      v = -v;
    }
    sb.append(v / 1000).append('.');
    int frac = v % 1000;
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    sb.append(frac).append(',');
    sb.append(QUALITY[r.nextInt(QUALITY.length)]).append(',');
    int words = r.nextInt(5);
    if (words > 0) {
      sb.append('"');
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          sb.append(' ');
        }
        sb.append(WORDS[r.nextInt(WORDS.length)]);
      }
      sb.append('"');
    }
    sb.append('\n');
  }

  private static void writeBytes(ByteArrayOutputStream out, byte[] b) {
    out.write(b, 0, b.length);
  }

  /** "random" or "text" data of {@code size} bytes, with the standard seeds. */
  public static byte[] of(String kind, int size) {
    switch (kind) {
      case "random":
        return random(RANDOM_SEED, size);
      case "text":
        return text(TEXT_SEED, size);
      default:
        throw new IllegalArgumentException("unknown data kind " + kind + " (random or text)");
    }
  }

  /**
   * A new directory for a temporary repository: under {@code -Dcairn.bench.dir} if set, else the
   * JVM's temporary directory. Keep it on a real disk (not tmpfs), since fsync is part of what the
   * pack benchmarks measure.
   */
  public static Path newTempDir(String prefix) {
    try {
      String base = System.getProperty("cairn.bench.dir");
      if (base != null) {
        Path b = Path.of(base);
        Files.createDirectories(b);
        return Files.createTempDirectory(b, prefix);
      }
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory tree; a missing one is fine. */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Total size of the regular files under {@code dir}. */
  public static long treeSize(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }
}
