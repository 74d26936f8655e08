package dev.cairn.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts bytes processed so that JMH reports a secondary result {@code :mb} in MB/s (10^6 bytes
 * per second) next to the usual ops/s. Benchmarks call {@link #add} with the bytes of each
 * operation.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {
  /** Megabytes (10^6 bytes) processed in this iteration; JMH divides by the iteration's time. */
  public double mb;

  @Setup(Level.Iteration)
  public void reset() {
    mb = 0;
  }

  /** Records {@code bytes} processed. */
  public void add(long bytes) {
    mb += bytes / 1e6;
  }
}
