package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gc.GarbageCollector;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.internal.index.IndexEnvironment;
import dev.cairn.store.FileContent;
import dev.cairn.testing.TestRepos;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Txn;

class StatCacheTest {
  @TempDir Path tmp;

  /** A file whose times are well in the past, so that the cache trusts it. */
  private Path aged(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    return file;
  }

  private static FileContent single(String text) {
    return new FileContent(text.length(), HashAlgorithm.SHA256.hash(text.getBytes(StandardCharsets.UTF_8)),
        HashAlgorithm.SHA256.hash(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void filesOfTheSameNameInSeveralFoldersAreRememberedApart() throws Exception {
    Path a = aged(tmp.resolve("data/a/x.txt"), "first");
    Path b = aged(tmp.resolve("data/b/x.txt"), "second!");
    Thread.sleep(StatCache.RACY_MILLIS + 100); // the change time is now; let it age too
    FileContent chunked = new FileContent(7, HashAlgorithm.SHA256.hash(new byte[] {1}), HashAlgorithm.SHA256.hash(new byte[] {2}));
    try (IndexEnvironment env = IndexEnvironment.open(tmp.resolve("index"), 1L << 30)) {
      StatCache cache = new StatCache(env);
      SourceFile fa = FolderScanner.describe(a, "a/x.txt");
      SourceFile fb = FolderScanner.describe(b, "b/x.txt");
      cache.remember(List.of(new StatCache.Hashed(fa, single("first")), new StatCache.Hashed(fb, chunked)), System.currentTimeMillis());
      assertThat(cache.lookupAll(List.of(fa, fb))).containsExactly(single("first"), chunked);

      Files.writeString(a, "FIRST");
      assertThat(cache.lookup(FolderScanner.describe(a, "a/x.txt"))).as("changed file").isNull();
      assertThat(cache.lookup(fb)).isEqualTo(chunked);
      Files.move(b, tmp.resolve("data/a/y.txt"));
      assertThat(cache.lookup(FolderScanner.describe(tmp.resolve("data/a/y.txt"), "a/y.txt"))).as("renamed file").isNull();
    }
  }

  @Test
  void aFileWrittenJustBeforeItWasReadIsNotRememberedHoweverLongTheBatchTook() throws Exception {
    Path f = tmp.resolve("data/late.txt");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "v1");
    long written = Files.getLastModifiedTime(f).toMillis();
    Thread.sleep(StatCache.RACY_MILLIS + 500); // the batch went on long after this file was read
    try (IndexEnvironment env = IndexEnvironment.open(tmp.resolve("index"), 1L << 30)) {
      StatCache cache = new StatCache(env);
      SourceFile sf = FolderScanner.describe(f, "late.txt");
      // Read a moment after it was written: on a one-second clock, a rewrite then would not show.
      cache.remember(List.of(new StatCache.Hashed(sf, single("v1"))), written + 300);
      assertThat(cache.lookup(sf)).isNull();
      cache.remember(List.of(new StatCache.Hashed(sf, single("v1"))), written + StatCache.RACY_MILLIS + 300);
      assertThat(cache.lookup(sf)).isEqualTo(single("v1"));
    }
  }

  @Test
  void lookupsInAnyOrderFindExactlyTheRememberedFiles() throws Exception {
    // Three folders of 40 files; a scattered subset is remembered, with runs of absent keys both
    // shorter and longer than the cursor's steps. Lookups in path order step the cursor; in
    // reverse, shuffled or repeated order they search; both must give the same answers.
    List<SourceFile> all = new ArrayList<>();
    Map<SourceFile, FileContent> remembered = new HashMap<>();
    List<StatCache.Hashed> hashed = new ArrayList<>();
    for (String folder : List.of("a", "b", "c")) {
      for (int i = 0; i < 40; i++) {
        aged(tmp.resolve("data/" + folder + "/f" + (100 + i)), folder + i);
      }
    }
    Thread.sleep(StatCache.RACY_MILLIS + 100);
    for (String folder : List.of("a", "b", "c")) {
      for (int i = 0; i < 40; i++) {
        String name = folder + "/f" + (100 + i);
        SourceFile f = FolderScanner.describe(tmp.resolve("data/" + name), name);
        all.add(f);
        if (i % 3 == 0 && !(i > 10 && i < 30) || i == 39 || folder.equals("b") && i % 2 == 1) {
          remembered.put(f, single(folder + i));
          hashed.add(new StatCache.Hashed(f, single(folder + i)));
        }
      }
    }
    try (IndexEnvironment env = IndexEnvironment.open(tmp.resolve("index"), 1L << 30)) {
      StatCache cache = new StatCache(env);
      cache.remember(hashed, System.currentTimeMillis());
      List<SourceFile> reversed = new ArrayList<>(all);
      Collections.reverse(reversed);
      List<SourceFile> shuffled = new ArrayList<>(all);
      Collections.shuffle(shuffled, new Random(7));
      List<SourceFile> repeated = new ArrayList<>(all);
      repeated.addAll(all.subList(20, 60));
      for (List<SourceFile> order : List.of(all, reversed, shuffled, repeated)) {
        List<FileContent> found = cache.lookupAll(order);
        for (int i = 0; i < order.size(); i++) {
          assertThat(found.get(i)).as(order.get(i).datasetPath()).isEqualTo(remembered.get(order.get(i)));
        }
      }
    }
  }

  @Test
  void theFirstFormatIsDroppedWhenOpened() throws Exception {
    byte[] oldName = "stat-cache".getBytes(StandardCharsets.US_ASCII);
    try (IndexEnvironment env = IndexEnvironment.open(tmp.resolve("index"), 1L << 30)) {
      Dbi<ByteBuffer> old = env.env().openDbi("stat-cache", DbiFlags.MDB_CREATE);
      try (Txn<ByteBuffer> txn = env.env().txnWrite()) {
        dev.cairn.internal.index.Lmdb.put(old, txn, new byte[32], new byte[150]);
        txn.commit();
      }
      assertThat(env.env().getDbiNames()).anyMatch(n -> Arrays.equals(n, oldName));
      new StatCache(env);
      assertThat(env.env().getDbiNames()).noneMatch(n -> Arrays.equals(n, oldName))
          .anyMatch(n -> new String(n, StandardCharsets.US_ASCII).equals(StatCache.DATABASE));
    }
  }

  @Test
  void aRememberedContentThatGcRemovedIsReadAgain() throws Exception {
    Path src = tmp.resolve("src");
    aged(src.resolve("keep.txt"), "kept in every version");
    aged(src.resolve("moved.txt"), "content that gc will remove");
    Thread.sleep(StatCache.RACY_MILLIS + 100);
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset first = Dataset.create(repo, CreateOptions.of("p", "d").build());
      first.syncFolder(src);
      first.close();
      first.delete(true);
      TestRepos.collect(repo, 10);

      // The stat cache still remembers both files; the draft holds neither, the store neither.
      Dataset second = Dataset.create(repo, CreateOptions.of("p", "d").build());
      Dataset.Change c = second.syncFolder(src);
      assertThat(c.filesRead()).isEqualTo(2);
      second.close();
      assertThat(second.verify(src)).isEmpty();

      // A child holds both at the same paths: nothing is read, nothing looked up is missing.
      Dataset third = Dataset.create(repo, CreateOptions.of("p", "d").parents(List.of(second.id())).build());
      assertThat(third.syncFolder(src).filesRead()).isZero();
    }
  }
}
