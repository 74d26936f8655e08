package dev.cairn.benchmarks;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.Hasher;
import dev.cairn.id.ObjectId;
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
 * Object-id hashing: SHA-256 through the JDK (SHA-NI intrinsics where the CPU has them) against
 * BLAKE3 through Bouncy Castle (pure Java, one thread), on a chunk-sized and a page-sized input.
 * One operation hashes one input and builds its {@link ObjectId}; {@code :mb} is MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class HashBenchmark {
  @Param({"SHA256", "BLAKE3"})
  public HashAlgorithm algorithm;

  @Param({"1048576", "4096"})
  public int sizeBytes;

  private byte[] data;
  private Hasher hasher;

  @Setup
  public void setup() {
    data = BenchData.random(BenchData.RANDOM_SEED, sizeBytes);
    hasher = algorithm.newHasher();
  }

  @Benchmark
  public ObjectId hash(Throughput t) {
    hasher.update(data, 0, data.length);
    t.add(data.length);
    return hasher.digest();
  }
}
