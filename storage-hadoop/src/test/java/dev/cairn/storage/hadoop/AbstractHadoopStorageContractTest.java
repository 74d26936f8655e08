package dev.cairn.storage.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.storage.AbstractRemoteStorageContractTest;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import dev.cairn.storage.Storages;
import dev.cairn.storage.wrap.RetryingStorage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * The storage contract plus what the Hadoop backends add: the expected commit style per store,
 * races between separate clients (processes have one each), typed errors, hidden temporary files.
 * One subclass per store.
 */
abstract class AbstractHadoopStorageContractTest extends AbstractRemoteStorageContractTest {
  protected URI lastRoot;

  /** A root URI for a fresh remote. */
  protected abstract String newRoot() throws Exception;

  /** Hadoop settings for the store (endpoint, credentials, implementation classes). */
  protected Map<String, String> conf() {
    return Map.of();
  }

  protected abstract CommitStyle expectedStyle();

  @Override
  protected int listRounds() {
    return 100; // each listing is a round trip to the store's server
  }

  @Override
  protected RemoteStorage newStorage() throws Exception {
    lastRoot = URI.create(newRoot());
    return HadoopStorage.open(lastRoot, conf());
  }

  private HadoopStorage hadoop() {
    return (HadoopStorage) storage;
  }

  @Test
  void usesTheCommitStyleOfItsStore() {
    assertThat(hadoop().commitStyle()).isEqualTo(expectedStyle());
  }

  @Test
  void theProviderOpensItWithRetries() throws Exception {
    try (RemoteStorage s = Storages.open(lastRoot, conf())) {
      assertThat(s).isInstanceOf(RetryingStorage.class);
      assertThat(((RetryingStorage) s).inner()).isInstanceOf(HadoopStorage.class);
    }
  }

  @Test
  void separateClientsRacingForOneNameHaveOneWinner() throws Exception {
    int writers = 6;
    List<HadoopStorage> clients = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      clients.add(HadoopStorage.open(lastRoot, conf()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int round = 0; round < 3; round++) {
        String name = "names/k/" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
          HadoopStorage c = clients.get(i);
          byte[] data = ("client " + i).getBytes(StandardCharsets.UTF_8);
          results.add(pool.submit(() -> {
            start.await();
            return c.createIfAbsent(name, data);
          }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
          winners += f.get() ? 1 : 0;
        }
        assertThat(winners).as("winners of round " + round).isEqualTo(1);
        assertThat(new String(storage.read(name, 0, (int) storage.size(name)), StandardCharsets.UTF_8)).matches("client [0-5]");
      }
    } finally {
      pool.shutdownNow();
      for (HadoopStorage c : clients) {
        c.close();
      }
    }
  }

  /**
   * A publish whose source fails part way leaves nothing under the name: on an object store whose
   * stream cannot abort an upload, the upload is left unfinished, never completed by a close with
   * what it had (a pack cut short under its final name).
   */
  @Test
  void aPublishWhoseSourceFailsPartWayLeavesNothing() throws Exception {
    assertThatThrownBy(() -> hadoop().publish("packs/pack-failed.pack", out -> {
      out.write(new byte[100_000]);
      throw new IOException("the source failed");
    })).hasMessageContaining("the source failed");
    assertThat(storage.list("packs/")).noneMatch(f -> f.name().equals("packs/pack-failed.pack"));
    assertThat(storage.size("packs/pack-failed.pack")).isEqualTo(-1);
  }

  @Test
  void missingFilesArePermanentFailures() {
    assertThatThrownBy(() -> storage.read("packs/missing.pack", 0, 4))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse());
    assertThatThrownBy(() -> storage.open("packs/missing.pack"))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse());
    assertThatThrownBy(() -> storage.read("../escape", 0, 1))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isFalse());
  }

  @Test
  void temporaryFilesNeverShowAndObjectStoresWriteNone() throws Exception {
    java.nio.file.Path src = Files.write(tmp.resolve("p"), new byte[5000]);
    storage.publish("packs/pack-t.pack", src);
    storage.createIfAbsent("versions/t/0000000001.json", "{}".getBytes(StandardCharsets.UTF_8));
    storage.createIfAbsent("versions/t/0000000001.json", "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(storage.list("")).extracting(RemoteFile::name)
        .containsExactly("packs/pack-t.pack", "versions/t/0000000001.json");
    var fs = hadoop().fileSystem();
    Path tmpDir = new Path(fs.makeQualified(new Path(lastRoot)), ".tmp");
    if (expectedStyle() == CommitStyle.CONDITIONAL_PUT) {
      assertThat(fs.exists(tmpDir)).as("object stores get no temporary objects").isFalse();
    } else if (fs.exists(tmpDir)) {
      assertThat(fs.listFiles(tmpDir, true).hasNext() && !onlyLock(fs, tmpDir)).as("temporary files are cleaned up").isFalse();
    }
  }

  @Test
  void aFileCairnDidNotNameUnderTmpIsKeptAndSeenByAGlance() throws Exception {
    storage.createIfAbsent("x", new byte[] {1});
    var fs = hadoop().fileSystem();
    Path notes = new Path(new Path(fs.makeQualified(new Path(lastRoot)), ".tmp"), "notes.txt");
    try (var out = fs.create(notes, true)) {
      out.write(new byte[10]);
    }
    storage.removeStaleTemporaryFiles(0); // Cairn's own (Azure's lease blob, say) may go
    assertThat(fs.exists(notes)).isTrue();
    assertThat(storage.list("")).extracting(RemoteFile::name).containsExactly("x");
    assertThat(storage.list("", 64)).extracting(RemoteFile::name).containsExactlyInAnyOrder("x", ".tmp/notes.txt");
    assertThat(Committer.isTempName(UUID.randomUUID() + ".tmp")).isTrue();
  }

  private static boolean onlyLock(org.apache.hadoop.fs.FileSystem fs, Path tmpDir) throws IOException {
    var it = fs.listFiles(tmpDir, true);
    while (it.hasNext()) {
      if (!it.next().getPath().getName().equals("create.lock")) {
        return false;
      }
    }
    return true;
  }

  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
