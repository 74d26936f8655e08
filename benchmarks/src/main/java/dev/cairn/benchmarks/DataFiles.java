package dev.cairn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the benchmarks' inputs to files, for the native references ({@code openssl},
 * {@code b3sum}, {@code zstd}) to read the very bytes the JMH benchmarks use:
 * {@code random-256MiB.bin}, {@code text-64MiB.csv} (IngestBenchmark) and
 * {@code random-32MiB.bin}, {@code text-32MiB.csv} (ChunkerBenchmark, ZstdBenchmark).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.cairn.benchmarks.DataFiles DIR</pre>
 */
public final class DataFiles {
  private DataFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DataFiles DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    Files.write(dir.resolve("random-256MiB.bin"), BenchData.of("random", 256 << 20));
    Files.write(dir.resolve("random-32MiB.bin"), BenchData.of("random", 32 << 20));
    Files.write(dir.resolve("text-64MiB.csv"), BenchData.of("text", 64 << 20));
    Files.write(dir.resolve("text-32MiB.csv"), BenchData.of("text", 32 << 20));
    System.out.println("wrote " + dir.toAbsolutePath());
  }
}
