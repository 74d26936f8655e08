package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantees every {@link RemoteStorage} gives; one subclass per implementation (local folder,
 * memory, HDFS, S3, Azure, ...).
 */
public abstract class AbstractRemoteStorageContractTest {
  @TempDir protected Path tmp;
  protected RemoteStorage storage;

  /** A fresh, empty storage for one test. */
  protected abstract RemoteStorage newStorage() throws Exception;

  @BeforeEach
  void open() throws Exception {
    storage = newStorage();
  }

  @AfterEach
  void close() throws Exception {
    if (storage != null) {
      storage.close();
    }
  }

  private Path localFile(String name, byte[] data) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, data);
    return p;
  }

  @Test
  void publishedFilesReadBackWholeAndByRange() throws Exception {
    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    storage.publish("packs/pack-a.pack", localFile("a", data));
    assertThat(storage.size("packs/pack-a.pack")).isEqualTo(data.length);
    try (InputStream in = storage.open("packs/pack-a.pack")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(storage.read("packs/pack-a.pack", 1000, 5000)).isEqualTo(Arrays.copyOfRange(data, 1000, 6000));
    assertThat(storage.read("packs/pack-a.pack", data.length - 7, 7)).isEqualTo(Arrays.copyOfRange(data, data.length - 7, data.length));
    // Publishing the same name again is a no-op.
    storage.publish("packs/pack-a.pack", localFile("b", new byte[] {1}));
    assertThat(storage.size("packs/pack-a.pack")).isEqualTo(data.length);
  }

  @Test
  void listShowsFilesByPrefixInOrder() throws Exception {
    storage.publish("packs/pack-2.pack", localFile("x", new byte[] {1, 2}));
    storage.publish("packs/pack-1.pack", localFile("y", new byte[] {3}));
    storage.createIfAbsent("versions/abc/0000000001.json", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(storage.list("packs/")).extracting(RemoteFile::name).containsExactly("packs/pack-1.pack", "packs/pack-2.pack");
    assertThat(storage.list("packs/")).extracting(RemoteFile::size).containsExactly(1L, 2L);
    assertThat(storage.list("versions/abc/")).extracting(RemoteFile::name).containsExactly("versions/abc/0000000001.json");
    assertThat(storage.list("nothing/")).isEmpty();
  }

  @Test
  void missingFilesAreReportedNotInvented() throws Exception {
    assertThat(storage.size("packs/none.pack")).isEqualTo(-1);
    assertThatThrownBy(() -> storage.read("packs/none.pack", 0, 1)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> storage.open("packs/none.pack").close()).isInstanceOf(IOException.class);
    storage.delete("packs/none.pack");
  }

  @Test
  void readingPastTheEndFails() throws Exception {
    storage.publish("f", localFile("f", new byte[10]));
    assertThatThrownBy(() -> storage.read("f", 5, 10)).isInstanceOf(IOException.class);
  }

  @Test
  void createIfAbsentLetsExactlyOneOfManyWin() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      byte[] data = ("writer " + i).getBytes(StandardCharsets.UTF_8);
      results.add(pool.submit(() -> {
        start.await();
        return storage.createIfAbsent("versions/v/0000000001.json", data);
      }));
    }
    start.countDown();
    int winners = 0;
    for (Future<Boolean> f : results) {
      winners += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(winners).isEqualTo(1);
    String content = new String(storage.read("versions/v/0000000001.json", 0, (int) storage.size("versions/v/0000000001.json")), StandardCharsets.UTF_8);
    assertThat(content).matches("writer [0-7]");
    assertThat(storage.createIfAbsent("versions/v/0000000001.json", new byte[] {1})).isFalse();
  }

  @Test
  void deleteRemovesFiles() throws Exception {
    storage.createIfAbsent("names/k/1.0.0", "id".getBytes(StandardCharsets.UTF_8));
    storage.delete("names/k/1.0.0");
    assertThat(storage.size("names/k/1.0.0")).isEqualTo(-1);
    assertThat(storage.createIfAbsent("names/k/1.0.0", "id2".getBytes(StandardCharsets.UTF_8))).isTrue();
  }

  /**
   * Locks come and go while other processes list them: a listing shows the files that stayed and
   * may or may not show the ones created or deleted meanwhile, but it never fails.
   */
  @Test
  void listingWhileFilesComeAndGoNeverFails() throws Exception {
    storage.createIfAbsent("locks/push-stays", "1".getBytes(StandardCharsets.UTF_8));
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    CountDownLatch churning = new CountDownLatch(1);
    Future<Integer> churn = pool.submit(() -> {
      int n = 0;
      do {
        String name = "locks/push-" + n++;
        storage.createIfAbsent(name, "x".getBytes(StandardCharsets.UTF_8));
        storage.delete(name);
        churning.countDown();
      } while (!done.get());
      return n;
    });
    try {
      // The listings start once the churn has: on a loaded machine the listings of a fast store
      // could otherwise all finish before the other thread first ran.
      assertThat(churning.await(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < listRounds(); i++) {
        assertThat(storage.list("locks/push-")).extracting(RemoteFile::name).contains("locks/push-stays");
      }
    } finally {
      done.set(true);
      pool.shutdown();
    }
    assertThat(churn.get()).isPositive();
  }

  /** How many listings {@link #listingWhileFilesComeAndGoNeverFails} makes; remote stores list slowly. */
  protected int listRounds() {
    return 3000;
  }
}
