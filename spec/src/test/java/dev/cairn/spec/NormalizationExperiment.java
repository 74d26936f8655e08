package dev.cairn.spec;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.chunk.FastCdcChunker;
import dev.cairn.chunk.SplitMix;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Reproduces the measurement behind the default normalization level (spec/chunking.md): how many
 * chunks a 100-byte overwrite in 1 MiB of random data changes, per normalization level. Seeded, so
 * every run prints the same table. Not a test; run it by hand:
 *
 * <pre>
 *   java -cp spec/target/test-classes:core/target/classes:$(cat /tmp/cp.txt) dev.cairn.spec.NormalizationExperiment
 * </pre>
 */
public final class NormalizationExperiment {
  static final int TRIALS = 300;
  static final int SIZE = 1 << 20;
  static final int EDIT = 100;

  private NormalizationExperiment() {}

  public static void main(String[] args) {
    System.out.println("avg     level  max  mean   histogram of changed chunks (0..7+)");
    for (int avg : new int[] {2048, 8192}) {
      for (int level = 0; level <= 3; level++) {
        FastCdcChunker chunker = new FastCdcChunker(new ChunkerParams(avg / 4, avg, avg * 4, level));
        int max = 0;
        long sum = 0;
        int[] hist = new int[8];
        for (int t = 0; t < TRIALS; t++) {
          byte[] data = Inputs.splitmix64(t, SIZE);
          byte[] edited = data.clone();
          int at = (int) Long.remainderUnsigned(SplitMix.mix(~t), SIZE - EDIT);
          System.arraycopy(Inputs.splitmix64(-1 - t, EDIT), 0, edited, at, EDIT);
          Set<ObjectId> before = chunkIds(chunker, data);
          int changed = 0;
          for (ObjectId id : chunkIds(chunker, edited)) {
            if (!before.contains(id)) {
              changed++;
            }
          }
          max = Math.max(max, changed);
          sum += changed;
          hist[Math.min(7, changed)]++;
        }
        System.out.printf(Locale.ROOT, "%-7d %-6d %-4d %-6.3f %s%n", avg, level, max, (double) sum / TRIALS,
            Arrays.toString(hist));
      }
    }
  }

  private static Set<ObjectId> chunkIds(FastCdcChunker chunker, byte[] data) {
    Set<ObjectId> out = new HashSet<>();
    int off = 0;
    while (off < data.length) {
      int n = chunker.cut(data, off, data.length - off);
      out.add(HashAlgorithm.SHA256.hash(data, off, n));
      off += n;
    }
    return out;
  }
}
