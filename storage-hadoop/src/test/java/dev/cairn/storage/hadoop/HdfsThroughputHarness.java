package dev.cairn.storage.hadoop;

import dev.cairn.RepositoryConfig;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.testing.TestRepos;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side-by-side throughput on a MiniDFSCluster: Cairn's push and get of a dataset against Hadoop's
 * own {@link FileUtil#copy} of the same files, in both directions; prints MB/s and the ratio.
 * Not part of the normal run:
 * {@code mvn -B -q -o -pl storage-hadoop -am test -Dtest=HdfsThroughputHarness -Dcairn.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}, output in
 * {@code storage-hadoop/target/surefire-reports/dev.cairn.storage.hadoop.HdfsThroughputHarness-output.txt}.
 */
@EnabledIfSystemProperty(named = "cairn.bench", matches = "true")
class HdfsThroughputHarness {
  private static final int FILES = Integer.getInteger("cairn.bench.files", 32);
  private static final int FILE_BYTES = Integer.getInteger("cairn.bench.fileMiB", 4) << 20;
  private static final int ROUNDS = Integer.getInteger("cairn.bench.rounds", 3);
  /** Hadoop's io.file.buffer.size for both sides (Hadoop's default is 4096). */
  private static final int BUFFER = Integer.getInteger("cairn.bench.bufferBytes", 4096);

  @TempDir Path tmp;

  @Test
  void pushAndGetAgainstFileUtilCopy() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    for (int i = 0; i < FILES; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(i, FILE_BYTES));
    }
    double mib = (double) FILES * FILE_BYTES / (1 << 20);
    try (MiniHdfs hdfs = MiniHdfs.start("bench")) {
      Configuration conf = new Configuration();
      conf.setInt("io.file.buffer.size", BUFFER);
      Map<String, String> storageConf = Map.of("io.file.buffer.size", String.valueOf(BUFFER));
      List<Double> push = new ArrayList<>();
      List<Double> get = new ArrayList<>();
      List<Double> copyUp = new ArrayList<>();
      List<Double> copyDown = new ArrayList<>();
      try (FileSystem dfs = FileSystem.newInstance(URI.create(hdfs.uri()), conf);
          FileSystem local = FileSystem.getLocal(conf).getRawFileSystem()) {
        for (int round = 0; round < ROUNDS; round++) {
          // Hadoop's copy, up and down.
          org.apache.hadoop.fs.Path up = new org.apache.hadoop.fs.Path(hdfs.uri() + "/copy-" + round);
          long t0 = System.nanoTime();
          FileUtil.copy(local, new org.apache.hadoop.fs.Path(src.toUri()), dfs, up, false, conf);
          copyUp.add(seconds(t0));
          Path down = tmp.resolve("down-" + round);
          t0 = System.nanoTime();
          FileUtil.copy(dfs, up, local, new org.apache.hadoop.fs.Path(down.toUri()), false, conf);
          copyDown.add(seconds(t0));

          // Cairn: the dataset is closed locally first (chunking and packing are not timed).
          String location = hdfs.uri() + "/cairn-" + round;
          try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a-" + round), RepositoryConfig.DEFAULT)) {
            a.setStorageConf(storageConf);
            Dataset ds = Dataset.create(a, CreateOptions.of("bench", "data").build());
            ds.syncFolder(src);
            ds = ds.close();
            t0 = System.nanoTime();
            ds.upload(location, null, Progress.NONE);
            push.add(seconds(t0));
            try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b-" + round), RepositoryConfig.DEFAULT)) {
              b.setStorageConf(storageConf);
              t0 = System.nanoTime();
              b.fetch(ds.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy();
              get.add(seconds(t0));
            }
          }
        }
      }
      System.out.printf(Locale.ROOT, "HDFS (MiniDFSCluster, 1 DataNode), %d files x %d MiB = %.0f MiB of random bytes, "
          + "io.file.buffer.size %d, best of %d%n", FILES, FILE_BYTES >> 20, mib, BUFFER, ROUNDS);
      report("push (upload)", mib, Collections.min(push), "FileUtil.copy local->hdfs", Collections.min(copyUp));
      report("get (fetch + local copy)", mib, Collections.min(get), "FileUtil.copy hdfs->local", Collections.min(copyDown));
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void report(String what, double mib, double cairn, String baselineName, double baseline) {
    System.out.printf(Locale.ROOT, "%-26s %7.1f MiB/s   %-27s %7.1f MiB/s   ratio cairn/hadoop %.2f%n", what, mib / cairn,
        baselineName, mib / baseline, baseline / cairn);
  }

}
