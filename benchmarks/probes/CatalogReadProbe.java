import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * What reading a repository's catalog costs in a fresh JVM, step by step (benchmarks/RESULTS.md,
 * twentieth round). Run from the checkout, after a build, once per step:
 *
 * <pre>
 * javac -cp tools/target/cairn.jar -d /tmp/probes benchmarks/probes/CatalogReadProbe.java
 * java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
 *     -cp tools/target/cairn.jar:/tmp/probes CatalogReadProbe REPO STEP
 * </pre>
 *
 * (Compiled first: the source launcher would run javac in the JVM being measured.)
 *
 * STEP: {@code stat}, {@code read}, {@code readstring}, {@code parse} (each over every record of
 * {@code REPO/refs/datasets}), {@code lmdb} (open the index and read one key) or {@code lmdb-preloaded}
 * (the same after the CLI's background load of the native library had 300 ms).
 */
public class CatalogReadProbe {
  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    String step = args[1];
    long t0 = System.nanoTime();
    if (step.startsWith("lmdb")) {
      if (step.equals("lmdb-preloaded")) {
        dev.cairn.internal.index.IndexEnvironment.preloadInBackground();
        Thread.sleep(300);
        t0 = System.nanoTime();
      }
      try (var env = dev.cairn.internal.index.IndexEnvironment.open(repo.resolve("index"), 1L << 35)) {
        var meta = env.dbi("meta");
        try (var txn = env.env().txnRead()) {
          meta.get(txn, ByteBuffer.allocateDirect(16).put(0, "next-pack-number".getBytes(), 0, 16));
        }
      }
      System.out.printf("%s: %.1f ms%n", step, (System.nanoTime() - t0) / 1e6);
      return;
    }
    List<Path> records;
    try (var s = Files.list(repo.resolve("refs/datasets"))) {
      records = s.toList();
    }
    long listed = System.nanoTime();
    long sum = 0;
    for (Path p : records) {
      sum += switch (step) {
        case "stat" -> Files.readAttributes(p, BasicFileAttributes.class).size();
        case "read" -> Files.readAllBytes(p).length;
        case "readstring" -> Files.readString(p).length();
        case "parse" -> dev.cairn.dataset.RecordFormat.decode(Files.readString(p), p.toString()).createdMillis();
        default -> throw new IllegalArgumentException("unknown step " + step);
      };
    }
    System.out.printf("list: %.1f ms, %s of %d records: %.1f ms (%d)%n", (listed - t0) / 1e6, step, records.size(),
        (System.nanoTime() - listed) / 1e6, sum);
  }
}
