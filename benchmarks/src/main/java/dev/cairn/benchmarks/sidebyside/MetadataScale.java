package dev.cairn.benchmarks.sidebyside;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cairn's metadata-scale operations timed inside one process (no JVM start), through the public
 * {@code Dataset} API, on a repository that already holds the tiny-file dataset. Run it with the
 * heap capped ({@code -Xmx256m}). Prints one {@code key=value} line per operation:
 *
 * <pre>
 * MetadataScale commit  --repo R --project P --name N --scratch DIR [--count 5] [--folders 1000]
 *     one-file commits (a new revision of d####/f#######.txt in one of the first FOLDERS folders):
 *     create (parent = latest) + add one file + close; bytes written from
 *     /proc/self/io (write_bytes: what reached the page cache for disk; wchar: every write call)
 * MetadataScale compare --repo R --source ID --target ID [--count 5]
 * MetadataScale list    --repo R --id ID [--count 3]
 * </pre>
 *
 * <p>The first operation of a run includes class loading and an un-JITed code path; the harness
 * reports the first and the median of the rest.
 */
public final class MetadataScale {
  private MetadataScale() {}

  public static void main(String[] args) throws IOException {
    String cmd = args[0];
    Path repoDir = Path.of(arg(args, "--repo", null));
    int count = Integer.parseInt(arg(args, "--count", cmd.equals("list") ? "3" : "5"));
    long openStart = System.nanoTime();
    try (DatasetRepository repo = DatasetRepository.open(repoDir)) {
      System.out.printf("op=open ms=%.1f%n", (System.nanoTime() - openStart) / 1e6);
      switch (cmd) {
        case "commit" -> commit(repo, repoDir, arg(args, "--project", "bench"), arg(args, "--name", "tiny"),
            Path.of(arg(args, "--scratch", null)), count, Integer.parseInt(arg(args, "--folders", "1000")));
        case "compare" -> compare(repo, arg(args, "--source", null), arg(args, "--target", null), count);
        case "list" -> list(repo, arg(args, "--id", null), count);
        default -> throw new IllegalArgumentException("unknown command " + cmd);
      }
    }
  }

  private static void commit(DatasetRepository repo, Path repoDir, String project, String name, Path scratch, int count, int folders)
      throws IOException {
    for (int i = 0; i < count; i++) {
      // a new revision of an existing path, written outside the data folder
      int d = (7 * i + 3) % folders;
      String folder = String.format("d%04d", d);
      Path dir = Files.createDirectories(scratch.resolve("c" + i));
      Path file = dir.resolve(String.format("f%07d.txt", d * 1000 + 11 * i));
      Files.writeString(file, "one-file commit " + i + " at " + System.nanoTime() + "\n", StandardCharsets.US_ASCII);
      String parent = repo.get(project, name, null).id();
      long bytes0 = repoBytes(repoDir);
      long[] io0 = procIo();
      long t0 = System.nanoTime();
      Dataset ds = Dataset.create(repo, CreateOptions.of(project, name).parents(parent).build());
      Dataset.Change c = ds.addFiles(AddOptions.of(file).datasetFolder(folder));
      ds.close();
      long t1 = System.nanoTime();
      long[] io1 = procIo();
      long bytes1 = repoBytes(repoDir);
      System.out.printf("op=commit1 i=%d ms=%.1f write_bytes=%d wchar=%d repo_growth=%d modified=%d added=%d id=%s%n",
          i, (t1 - t0) / 1e6, io1[1] - io0[1], io1[0] - io0[0], bytes1 - bytes0,
          c.summary().modified(), c.summary().added(), ds.id());
    }
  }

  private static void compare(DatasetRepository repo, String source, String target, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      List<DiffEntry> d = repo.get(target).compare(repo.get(source));
      long t1 = System.nanoTime();
      System.out.printf("op=compare i=%d ms=%.1f entries=%d%n", i, (t1 - t0) / 1e6, d.size());
    }
  }

  private static void list(DatasetRepository repo, String id, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      long[] total = {0, 0};
      repo.get(id).forEachFile(List.of(), e -> {
        total[0]++;
        total[1] += e.size();
      });
      long t1 = System.nanoTime();
      Runtime rt = Runtime.getRuntime();
      System.out.printf("op=list i=%d ms=%.1f files=%d bytes=%d heap_used=%d heap_max=%d%n", i, (t1 - t0) / 1e6,
          total[0], total[1], rt.totalMemory() - rt.freeMemory(), rt.maxMemory());
    }
  }

  /** Bytes of the repository's files (everything but the materialized cache). */
  static long repoBytes(Path repoDir) throws IOException {
    try (Stream<Path> s = Files.walk(repoDir)) {
      return s.filter(p -> !p.startsWith(repoDir.resolve("cache")) && Files.isRegularFile(p)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  /** {wchar, write_bytes} of this process from /proc/self/io; zeros where not available. */
  static long[] procIo() {
    long[] v = new long[2];
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        String[] kv = line.split(":\\s*");
        if (kv[0].equals("wchar")) {
          v[0] = Long.parseLong(kv[1].trim());
        } else if (kv[0].equals("write_bytes")) {
          v[1] = Long.parseLong(kv[1].trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      Arrays.fill(v, 0);
    }
    return v;
  }

  private static String arg(String[] args, String key, String dflt) {
    for (int i = 1; i + 1 < args.length; i++) {
      if (args[i].equals(key)) {
        return args[i + 1];
      }
    }
    if (dflt == null) {
      throw new IllegalArgumentException(key + " required");
    }
    return dflt;
  }
}
