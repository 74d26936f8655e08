package dev.cairn.benchmarks;

import dev.cairn.chunk.ChunkReader;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.chunk.FastCdcChunker;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FastCDC boundary finding on 32 MiB of random bytes at several average chunk sizes (min = avg/4,
 * max = avg*4, normalization 1). {@code cut} scans a buffer in place, the chunker alone;
 * {@code chunkReader} goes through {@link ChunkReader} as {@code insertFile} does, adding the
 * stream reads and one copy per chunk. One operation cuts the whole buffer; {@code :mb} is MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class ChunkerBenchmark {
  static final int SIZE = 32 << 20;

  @Param({"65536", "262144", "1048576", "4194304"})
  public int avgSize;

  private byte[] data;
  private FastCdcChunker chunker;

  @Setup
  public void setup() {
    data = BenchData.random(BenchData.RANDOM_SEED, SIZE);
    chunker = new FastCdcChunker(ChunkerParams.ofAverage(avgSize));
  }

  @Benchmark
  public int cut(Throughput t) {
    int chunks = 0;
    int off = 0;
    while (off < data.length) {
      off += chunker.cut(data, off, data.length - off);
      chunks++;
    }
    t.add(data.length);
    return chunks;
  }

  @Benchmark
  public int chunkReader(Throughput t) throws IOException {
    ChunkReader reader = new ChunkReader(chunker, new ByteArrayInputStream(data));
    int chunks = 0;
    while (reader.next() != null) {
      chunks++;
    }
    t.add(data.length);
    return chunks;
  }
}
