package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The storage contract on WASB against Azurite, and the evidence for {@link CommitStyle#LEASE}:
 * WASB's own {@code create(path, overwrite=false)} lets several racing writers all succeed.
 */
class AzureStorageContractTest extends AbstractHadoopStorageContractTest {
  private static AzuriteServer azure;

  @BeforeAll
  static void startAzurite() throws Exception {
    azure = AzuriteServer.start(Path.of(System.getProperty("cairn.test.basedir", "target"), "azurite-storage"));
  }

  @AfterAll
  static void stopAzurite() throws Exception {
    if (azure != null) {
      azure.close();
    }
  }

  @Override
  protected Map<String, String> conf() {
    return azure.conf();
  }

  @Override
  protected String newRoot() {
    return AzuriteServer.root(unique("remote"));
  }

  @Override
  protected CommitStyle expectedStyle() {
    return CommitStyle.LEASE;
  }

  @Test
  void plainWasbCreateWithoutOverwriteIsNotAtomic() throws Exception {
    int writers = 6;
    String root = newRoot();
    List<FileSystem> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    int contested = 0;
    try {
      for (int i = 0; i < writers; i++) {
        clients.add(FileSystem.newInstance(URI.create(root), HadoopConf.build(conf())));
      }
      for (int round = 0; round < 5; round++) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root + "/race-" + round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (FileSystem fs : clients) {
          results.add(pool.submit(() -> {
            start.await();
            try (var out = fs.create(p, false)) {
              out.write("x".getBytes(StandardCharsets.UTF_8));
              return true;
            } catch (IOException e) {
              return false;
            }
          }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
          winners += f.get() ? 1 : 0;
        }
        contested += winners > 1 ? 1 : 0;
      }
    } finally {
      pool.shutdownNow();
      for (FileSystem fs : clients) {
        fs.close();
      }
    }
    assertThat(contested).as("rounds in which several writers 'created' the same file").isPositive();
  }
}
