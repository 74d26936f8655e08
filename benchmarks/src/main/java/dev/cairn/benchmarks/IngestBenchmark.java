package dev.cairn.benchmarks;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.store.FileContent;
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
 * End-to-end ingest of one large file: {@code insertFile} (the calling thread reads, cuts and
 * hashes the whole file while the database's worker threads hash, compress and append each
 * chunk) then {@code flush} (fsync, rename, LMDB). The stream comes from memory, so this is the
 * store's speed, not the source disk's. Each operation gets a fresh repository with the default
 * config (zstd 1, 1 MiB average chunks unless {@code avgSize} says otherwise), created and
 * deleted outside the timed part.
 * {@code :mb} is MB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class IngestBenchmark {
  /** {@code random} is 256 MiB of random bytes, {@code text} 64 MiB of CSV-like text. */
  @Param({"random", "text"})
  public String data;

  @Param({"SHA256", "BLAKE3"})
  public HashAlgorithm objectFormat;

  /** Average chunk size (min = avg/4, max = avg*4); override with {@code -p avgSize=...}. */
  @Param({"1048576"})
  public int avgSize;

  private byte[] payload;
  private Path dir;
  private Repository repo;

  @Setup(Level.Trial)
  public void data() {
    payload = BenchData.of(data, data.equals("random") ? 256 << 20 : 64 << 20);
  }

  @Setup(Level.Invocation)
  public void open() throws IOException {
    dir = BenchData.newTempDir("cairn-ingest-");
    repo = Repository.create(dir.resolve("repo"), RepositoryConfig.DEFAULT.withObjectFormat(objectFormat)
        .withChunker(ChunkerParams.ofAverage(avgSize)));
  }

  @TearDown(Level.Invocation)
  public void close() throws IOException {
    repo.close();
    BenchData.deleteRecursively(dir);
  }

  @Benchmark
  public FileContent insertFile(Throughput t) throws IOException {
    try (ObjectInserter ins = repo.objects().newInserter()) {
      FileContent c = ins.insertFile(new ByteArrayInputStream(payload));
      ins.flush();
      t.add(payload.length);
      return c;
    }
  }
}
