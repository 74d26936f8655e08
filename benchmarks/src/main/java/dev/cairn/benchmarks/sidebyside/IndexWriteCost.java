package dev.cairn.benchmarks.sidebyside;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.IndexEnvironment;
import dev.cairn.internal.index.ObjectIndex;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the LMDB object index writes for a long series of one-file commits, merges into the object
 * table included, which a run of a few thousand real commits does not reach. Works on a copy of a
 * repository's {@code index/} folder (it registers packs that do not exist; throw the copy away).
 * Each commit registers, in one transaction, packs of the sizes {@code --packs} gives: by default
 * a pack of 1 entry and a pack of 6, as a one-file commit through the {@code Dataset} API does (its
 * draft's edit and its close).
 *
 * <pre>
 * IndexWriteCost --index COPY_OF_INDEX_DIR [--commits 40000] [--every 1000] [--packs 1,6]
 * </pre>
 *
 * <p>Prints one line per {@code --every} commits (write-call bytes from /proc/self/io, mean and
 * max over the block) and a summary: median, mean and the share of commits under 64 KiB.
 */
public final class IndexWriteCost {
  private IndexWriteCost() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(arg(args, "--index", null));
    int commits = Integer.parseInt(arg(args, "--commits", "40000"));
    int every = Integer.parseInt(arg(args, "--every", "1000"));
    int[] sizes = Arrays.stream(arg(args, "--packs", "1,6").split(",")).mapToInt(Integer::parseInt).toArray();
    Map<String, List<PackEntry>> packs = new HashMap<>();
    long[] wchar = new long[commits];
    double[] ms = new double[commits];
    try (IndexEnvironment env = IndexEnvironment.open(dir, 64L << 30)) {
      ObjectIndex index = new ObjectIndex(env, packs::get);
      long next = 0;
      for (int c = 0; c < commits; c++) {
        Map<String, List<PackEntry>> batch = new LinkedHashMap<>();
        for (int size : sizes) {
          List<PackEntry> entries = new ArrayList<>();
          for (int i = 0; i < size; i++) {
            entries.add(new PackEntry(id("object " + next++), ObjectType.CHUNK, 0, 4096, 0, 100));
          }
          String name = id("pack " + c + " " + size).hex();
          packs.put(name, entries);
          batch.put(name, entries);
        }
        long w0 = MetadataScale.procIo()[0];
        long t0 = System.nanoTime();
        index.registerAll(batch);
        ms[c] = (System.nanoTime() - t0) / 1e6;
        wchar[c] = MetadataScale.procIo()[0] - w0;
        if ((c + 1) % every == 0) {
          long[] block = Arrays.copyOfRange(wchar, c + 1 - every, c + 1);
          System.out.printf("op=index_block commits=%d wchar_mean=%.0f wchar_max=%d ms_mean=%.2f%n", c + 1,
              Arrays.stream(block).average().orElse(0), Arrays.stream(block).max().orElse(0),
              Arrays.stream(Arrays.copyOfRange(ms, c + 1 - every, c + 1)).average().orElse(0));
        }
      }
    }
    long[] sorted = wchar.clone();
    Arrays.sort(sorted);
    System.out.printf("op=index_summary commits=%d wchar_median=%d wchar_mean=%.0f wchar_max=%d under_64k=%.4f ms_mean=%.2f%n",
        commits, sorted[commits / 2], Arrays.stream(wchar).average().orElse(0), sorted[commits - 1],
        Arrays.stream(wchar).filter(w -> w < 65536).count() / (double) commits, Arrays.stream(ms).average().orElse(0));
  }

  private static ObjectId id(String s) {
    return HashAlgorithm.SHA256.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return fallback;
  }
}
