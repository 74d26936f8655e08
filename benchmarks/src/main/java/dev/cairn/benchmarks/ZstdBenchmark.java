package dev.cairn.benchmarks;

import dev.cairn.internal.pack.BlockCodec;
import java.util.Locale;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pack block encoding through {@link BlockCodec} (zstd-jni with a reused context, plus the crc32c
 * and header every block carries) on 1 MiB blocks, the default block and average chunk size,
 * taken in turn from 32 MiB of random or CSV-like text. {@code encode} includes zstd's attempt on
 * incompressible input, which then falls back to a stored block; {@code decode} checks the crc and
 * decompresses. One operation is one block; {@code :mb} is raw MB/s. The compression ratio (raw /
 * stored block bytes) is printed once per trial as a line starting with {@code RATIO}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class ZstdBenchmark {
  static final int SIZE = 32 << 20;
  static final int BLOCK = 1 << 20;

  @Param({"1", "3", "6"})
  public int level;

  @Param({"random", "text"})
  public String data;

  private byte[] input;
  private byte[][] encoded;
  private BlockCodec codec;
  private int next;

  @Setup
  public void setup() throws BlockCodec.BlockException {
    input = BenchData.of(data, SIZE);
    codec = new BlockCodec();
    encoded = new byte[SIZE / BLOCK][];
    long stored = 0;
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = codec.encode(input, i * BLOCK, BLOCK, level);
      stored += encoded[i].length;
      if (codec.decode(encoded[i]).length != BLOCK) {
        throw new IllegalStateException("round trip failed");
      }
    }
    System.out.printf(Locale.ROOT, "%nRATIO data=%s level=%d raw=%d stored=%d ratio=%.3f%n",
        data, level, (long) SIZE, stored, (double) SIZE / stored);
  }

  @TearDown
  public void close() {
    codec.close();
  }

  @Benchmark
  public byte[] encode(Throughput t) {
    int i = next;
    next = (i + 1) % encoded.length;
    t.add(BLOCK);
    return codec.encode(input, i * BLOCK, BLOCK, level);
  }

  @Benchmark
  public byte[] decode(Throughput t) throws BlockCodec.BlockException {
    int i = next;
    next = (i + 1) % encoded.length;
    t.add(BLOCK);
    return codec.decode(encoded[i]);
  }
}
