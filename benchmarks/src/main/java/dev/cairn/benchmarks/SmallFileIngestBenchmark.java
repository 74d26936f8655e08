package dev.cairn.benchmarks;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.store.ObjectInserter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
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
 * Many small files: 1,000 files of 12 KiB (random, new in every operation) through
 * {@code insertFile} one after another, then one {@code flush}. Every file is below the minimum
 * chunk size of every {@code avgSize} tried, so each is one chunk and the stored result is the
 * same; only the chunker parameters differ. {@code :mb} is MB/s of file bytes; ops/s x 1,000 is
 * files per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class SmallFileIngestBenchmark {
  static final int FILES = 1000;
  static final int FILE_BYTES = 12 << 10;

  @Param({"65536", "1048576", "4194304"})
  public int avgSize;

  private byte[] payload;
  private Path dir;
  private Repository repo;
  private long counter;

  @Setup(Level.Trial)
  public void data() {
    payload = BenchData.random(BenchData.RANDOM_SEED, FILES * FILE_BYTES);
  }

  @Setup(Level.Iteration)
  public void open() throws IOException {
    dir = BenchData.newTempDir("cairn-small-");
    repo = Repository.create(dir.resolve("repo"), RepositoryConfig.DEFAULT.withChunker(ChunkerParams.ofAverage(avgSize)));
  }

  @TearDown(Level.Iteration)
  public void close() throws IOException {
    repo.close();
    BenchData.deleteRecursively(dir);
  }

  @Benchmark
  public long insertFiles(Throughput t) throws IOException {
    long op = ++counter;
    try (ObjectInserter ins = repo.objects().newInserter()) {
      for (int f = 0; f < FILES; f++) {
        int off = f * FILE_BYTES;
        for (int b = 0; b < 8; b++) {
          payload[off + b] = (byte) (op >>> (8 * b));
        }
        ins.insertFile(new ByteArrayInputStream(payload, off, FILE_BYTES));
      }
      ins.flush();
      t.add((long) FILES * FILE_BYTES);
      return ins.stats().objectsWritten();
    }
  }
}
