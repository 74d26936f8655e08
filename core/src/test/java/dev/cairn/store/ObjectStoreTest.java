package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import dev.cairn.testing.TestRepos;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ObjectStoreTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void insertedObjectsReadBackAfterFlush(HashAlgorithm algorithm) throws IOException {
    try (Repository repo = Repository.create(tmp.resolve("r"), TestRepos.SMALL.withObjectFormat(algorithm));
        ObjectInserter ins = repo.objects().newInserter();
        ObjectReader reader = repo.objects().newReader()) {
      List<ObjectId> ids = new ArrayList<>();
      List<byte[]> data = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] b = i % 2 == 0 ? TestRepos.random(i, i * 97) : TestRepos.text(i, i * 331);
        data.add(b);
        ObjectId id = ins.insert(ObjectType.CHUNK, b);
        assertThat(id).isEqualTo(algorithm.hash(b));
        ids.add(id);
      }
      assertThat(reader.has(ids.get(5))).isFalse();
      ins.flush();
      for (int i = 0; i < ids.size(); i++) {
        ObjectLoader l = reader.open(ids.get(i));
        assertThat(l.bytes()).isEqualTo(data.get(i));
        assertThat(l.type()).isEqualTo(ObjectType.CHUNK);
      }
      assertThat(repo.packs().packFiles()).hasSizeGreaterThan(1);
    }
  }

  @Test
  void duplicatesAreNotWrittenAgain() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      byte[] b = TestRepos.random(1, 50_000);
      try (ObjectInserter ins = repo.objects().newInserter()) {
        ins.insert(ObjectType.CHUNK, b);
        ins.insert(ObjectType.CHUNK, b);
        ins.flush();
        assertThat(ins.stats().objectsWritten()).isEqualTo(1);
        assertThat(ins.stats().objectsSkipped()).isEqualTo(1);
      }
      long packBytes = packBytes(repo);
      try (ObjectInserter ins = repo.objects().newInserter()) {
        ins.insert(ObjectType.CHUNK, b);
        ins.flush();
        assertThat(ins.stats().objectsWritten()).isZero();
      }
      assertThat(packBytes(repo)).isEqualTo(packBytes);
    }
  }

  static long packBytes(Repository repo) throws IOException {
    long sum = 0;
    for (Path p : repo.packs().packFiles()) {
      sum += Files.size(p);
    }
    return sum;
  }

  @Test
  void closeWithoutFlushPublishesNothing() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      ObjectId id;
      try (ObjectInserter ins = repo.objects().newInserter()) {
        id = ins.insert(ObjectType.CHUNK, TestRepos.random(3, 5000));
      }
      assertThat(repo.objects().has(id)).isFalse();
      assertThat(repo.packs().packFiles()).isEmpty();
      try (var s = Files.list(repo.tmpDirectory())) {
        assertThat(s.toList()).isEmpty();
      }
    }
  }

  @Test
  void filesStreamBackByteForByteWithTheirDigest() throws Exception {
    try (Repository repo = TestRepos.create(tmp.resolve("r"));
        ObjectInserter ins = repo.objects().newInserter();
        ObjectReader reader = repo.objects().newReader()) {
      byte[] big = TestRepos.random(9, 1_000_000);
      byte[] small = TestRepos.text(10, 800);
      FileContent fBig = ins.insertFile(new ByteArrayInputStream(big));
      FileContent fSmall = ins.insertFile(new ByteArrayInputStream(small));
      FileContent fEmpty = ins.insertFile(new ByteArrayInputStream(new byte[0]));
      ins.flush();
      assertThat(fBig.chunked()).isTrue();
      assertThat(fBig.digest()).isEqualTo(HashAlgorithm.SHA256.hash(big));
      assertThat(fSmall.chunked()).isFalse();
      assertThat(fSmall.content()).isEqualTo(HashAlgorithm.SHA256.hash(small));
      assertThat(fEmpty.size()).isZero();
      assertThat(readAll(reader, fBig)).isEqualTo(big);
      assertThat(readAll(reader, fSmall)).isEqualTo(small);
      assertThat(readAll(reader, fEmpty)).isEmpty();
    }
  }

  @Test
  void aSkipLandsOnTheRightByteWhateverChunkItFallsIn() throws Exception {
    try (Repository repo = TestRepos.create(tmp.resolve("r"));
        ObjectInserter ins = repo.objects().newInserter();
        ObjectReader reader = repo.objects().newReader()) {
      byte[] big = TestRepos.random(11, 300_000);
      FileContent c = ins.insertFile(new ByteArrayInputStream(big));
      ins.flush();
      assertThat(reader.chunksOf(c)).hasSizeGreaterThan(10);
      Random random = new Random(5);
      for (int round = 0; round < 200; round++) {
        long first = round == 0 ? 0 : random.nextInt(big.length + 10);
        long second = random.nextInt(20_000);
        try (InputStream in = reader.openContent(c)) {
          long a = in.skip(first);
          assertThat(a).isEqualTo(Math.min(first, big.length));
          int one = in.read();
          long b = in.skip(second);
          long at = a + (one < 0 ? 0 : 1);
          assertThat(b).isEqualTo(Math.min(second, big.length - at));
          byte[] rest = in.readAllBytes();
          assertThat(one).isEqualTo(a < big.length ? big[(int) a] & 0xFF : -1);
          assertThat(rest).isEqualTo(Arrays.copyOfRange(big, (int) Math.min(big.length, at + b), big.length));
        }
      }
    }
  }

  @Test
  void anEditedFileGuidedByItsPreviousChunksIsStoredAsWithout() throws Exception {
    byte[] before = TestRepos.random(21, 1_000_000);
    byte[] after = before.clone();
    System.arraycopy(TestRepos.random(22, 5_000), 0, after, 400_000, 5_000);
    try (Repository guided = TestRepos.create(tmp.resolve("guided"));
        Repository plain = TestRepos.create(tmp.resolve("plain"));
        ObjectInserter gi = guided.objects().newInserter();
        ObjectInserter pi = plain.objects().newInserter();
        ObjectReader reader = guided.objects().newReader()) {
      FileContent first = gi.insertFile(new ByteArrayInputStream(before));
      gi.flush();
      dev.cairn.object.FileObject previous =
          dev.cairn.object.FileObjectFormat.decode(reader.open(first.content()).bytes(), first.content());
      long writtenBefore = gi.stats().objectsWritten();
      FileContent edited = gi.insertFile(new ByteArrayInputStream(after), after.length, previous);
      gi.flush();
      assertThat(edited).isEqualTo(pi.insertFile(new ByteArrayInputStream(after)));
      assertThat(edited.digest()).isEqualTo(HashAlgorithm.SHA256.hash(after));
      assertThat(readAll(reader, edited)).isEqualTo(after);
      // Only the chunks around the edit and the file object are new.
      assertThat(gi.stats().objectsWritten() - writtenBefore).isBetween(2L, 6L);
    }
  }

  @Test
  void aPackPublishedAgainUnderItsNameLooksNewToGc() throws Exception {
    // gc drops a pack of dead objects from the index, waits, and deletes it unless its time moved.
    // A writer that stores those objects again meanwhile writes a pack of the very same bytes and
    // name: it must replace the file, not keep the old one, whose time would say "unused".
    byte[] data = TestRepos.random(25, 50_000);
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      try (ObjectInserter ins = repo.objects().newInserter()) {
        ins.insert(ObjectType.CHUNK, data);
        ins.flush();
      }
      Path pack = repo.packs().packFiles().get(0);
      long old = 1_000_000_000_000L;
      Files.setLastModifiedTime(pack, FileTime.fromMillis(old));
      String name = dev.cairn.internal.pack.PackFormat.nameOf(pack.getFileName().toString());
      repo.packs().index().dropPacks(Set.of(name), Map.of());
      try (ObjectInserter ins = repo.objects().newInserter()) {
        ins.insert(ObjectType.CHUNK, data);
        ins.flush();
      }
      assertThat(repo.packs().packFiles()).containsExactly(pack);
      assertThat(Files.getLastModifiedTime(pack).toMillis()).isGreaterThan(old);
    }
  }

  @Test
  void aFileOfAFewChunksIsStoredAlikeByTheCallingThreadAndByTheWorkers() throws Exception {
    // 60,000 bytes with 16 KiB chunks at most: within the size stored without the workers.
    byte[] data = TestRepos.random(24, 60_000);
    try (Repository a = TestRepos.create(tmp.resolve("a"));
        Repository b = TestRepos.create(tmp.resolve("b"));
        ObjectInserter inline = a.objects().newInserter();
        ObjectInserter workers = b.objects().newInserter();
        ObjectReader reader = a.objects().newReader()) {
      FileContent c = inline.insertFile(new ByteArrayInputStream(data), data.length);
      inline.flush();
      assertThat(c.chunked()).isTrue();
      assertThat(c).isEqualTo(workers.insertFile(new ByteArrayInputStream(data)));
      assertThat(readAll(reader, c)).isEqualTo(data);
    }
  }

  @Test
  void aGuidingChunkMissingFromTheStoreIsStored() throws Exception {
    // The previous content was stored elsewhere (as in a repository that fetched only metadata).
    byte[] data = TestRepos.random(23, 800_000);
    dev.cairn.object.FileObject previous;
    try (Repository other = TestRepos.create(tmp.resolve("other"));
        ObjectInserter ins = other.objects().newInserter();
        ObjectReader reader = other.objects().newReader()) {
      FileContent c = ins.insertFile(new ByteArrayInputStream(data));
      ins.flush();
      previous = dev.cairn.object.FileObjectFormat.decode(reader.open(c.content()).bytes(), c.content());
    }
    try (Repository repo = TestRepos.create(tmp.resolve("r"));
        ObjectInserter ins = repo.objects().newInserter();
        ObjectReader reader = repo.objects().newReader()) {
      FileContent c = ins.insertFile(new ByteArrayInputStream(data), data.length, previous);
      ins.flush();
      assertThat(c.content()).isEqualTo(HashAlgorithm.SHA256.hash(dev.cairn.object.FileObjectFormat.encode(previous)));
      assertThat(readAll(reader, c)).isEqualTo(data);
    }
  }

  @Test
  void copyContentWritesWhatOpenContentReads() throws Exception {
    try (Repository repo = TestRepos.create(tmp.resolve("r"));
        ObjectInserter ins = repo.objects().newInserter();
        ObjectReader reader = repo.objects().newReader()) {
      // Stored blocks (random), compressed blocks (text), small objects sharing blocks, and nothing.
      List<byte[]> files = List.of(TestRepos.random(1, 700_000), TestRepos.text(2, 700_000), TestRepos.text(3, 900),
          TestRepos.random(4, 300), TestRepos.text(5, 40_000), new byte[0]);
      List<FileContent> contents = new ArrayList<>();
      for (byte[] f : files) {
        contents.add(ins.insertFile(new ByteArrayInputStream(f)));
      }
      ins.flush();
      for (int round = 0; round < 2; round++) { // the second round reuses the reader's buffers
        for (int i = 0; i < files.size(); i++) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          long n = reader.copyContent(contents.get(i), Channels.newChannel(out));
          assertThat(n).isEqualTo(files.get(i).length);
          assertThat(out.toByteArray()).isEqualTo(files.get(i)).isEqualTo(readAll(reader, contents.get(i)));
        }
      }
    }
  }

  @Test
  void copyContentFailsOnEveryDamagedByte() throws Exception {
    Path dir = tmp.resolve("r");
    FileContent c;
    byte[] file = TestRepos.text(6, 30_000);
    try (Repository repo = TestRepos.create(dir); ObjectInserter ins = repo.objects().newInserter()) {
      c = ins.insertFile(new ByteArrayInputStream(file));
      ins.flush();
    }
    try (Repository repo = Repository.open(dir)) {
      Path pack = repo.packs().packFiles().get(0);
      byte[] pristine = Files.readAllBytes(pack);
      long dataEnd;
      try (dev.cairn.internal.pack.PackFile p = dev.cairn.internal.pack.PackFile.open(pack)) {
        dataEnd = p.entries().stream().mapToLong(e -> e.blockOffset() + e.blockLength()).max().orElseThrow();
      }
      for (int pos = dev.cairn.internal.pack.PackFormat.HEADER_SIZE; pos < dataEnd; pos++) {
        byte[] damaged = pristine.clone();
        damaged[pos] ^= 0x10;
        Files.write(pack, damaged);
        try (ObjectReader reader = repo.objects().newReader()) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          int at = pos;
          assertThatThrownBy(() -> reader.copyContent(c, Channels.newChannel(out)))
              .as("damaged byte %d", at)
              .isInstanceOf(dev.cairn.errors.CorruptObjectException.class);
        }
      }
      Files.write(pack, pristine);
    }
  }

  static byte[] readAll(ObjectReader reader, FileContent c) throws IOException {
    try (InputStream in = reader.openContent(c)) {
      return in.readAllBytes();
    }
  }

  @Test
  void missingObjectsRaiseTypedException() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"));
        ObjectReader reader = repo.objects().newReader()) {
      ObjectId id = HashAlgorithm.SHA256.hash(new byte[] {42});
      assertThatThrownBy(() -> reader.open(id))
          .isInstanceOf(MissingObjectException.class)
          .hasMessageContaining(id.hex());
    }
  }

  @Test
  void abbreviatedIdsResolveLikeGit() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"));
        ObjectInserter ins = repo.objects().newInserter();
        ObjectReader reader = repo.objects().newReader()) {
      List<ObjectId> ids = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ids.add(ins.insert(ObjectType.CHUNK, TestRepos.random(i, 100)));
      }
      ins.flush();
      for (ObjectId id : ids) {
        assertThat(reader.resolve(AbbreviatedObjectId.parse(id.abbreviate(8)), 2)).containsExactly(id);
      }
      assertThat(reader.resolve(AbbreviatedObjectId.parse("00000000"), 2)).isEmpty();
    }
  }

  @Test
  void severalThreadsInsertAtOnce() throws Exception {
    try (Repository repo = TestRepos.create(tmp.resolve("r"));
        ObjectInserter ins = repo.objects().newInserter();
        ObjectReader reader = repo.objects().newReader()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<FileContent>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        // Half the files repeat, so threads race to store the same chunks.
        int seed = i % 20;
        futures.add(pool.submit(() -> ins.insertFile(new ByteArrayInputStream(TestRepos.random(seed, 100_000)))));
      }
      List<FileContent> contents = new ArrayList<>();
      for (Future<FileContent> f : futures) {
        contents.add(f.get());
      }
      pool.shutdown();
      ins.flush();
      for (int i = 0; i < 40; i++) {
        assertThat(readAll(reader, contents.get(i))).isEqualTo(TestRepos.random(i % 20, 100_000));
      }
    }
  }

  @Test
  void indexIsRebuiltFromPacksAfterItIsDeleted() throws IOException {
    Path dir = tmp.resolve("r");
    List<ObjectId> ids = new ArrayList<>();
    try (Repository repo = TestRepos.create(dir); ObjectInserter ins = repo.objects().newInserter()) {
      for (int i = 0; i < 300; i++) {
        ids.add(ins.insert(ObjectType.CHUNK, TestRepos.random(i, 3000)));
      }
      ins.flush();
    }
    try (var files = Files.list(dir.resolve("index"))) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    try (Repository repo = Repository.open(dir); ObjectReader reader = repo.objects().newReader()) {
      assertThat(reader.has(ids.get(0))).isFalse();
      assertThat(repo.rebuildIndex()).isEmpty();
      for (int i = 0; i < ids.size(); i++) {
        assertThat(reader.open(ids.get(i)).bytes()).isEqualTo(TestRepos.random(i, 3000));
      }
    }
  }

  @Test
  void openingTheSameRepositoryTwiceInOneProcessShares() throws IOException {
    Path dir = tmp.resolve("r");
    try (Repository a = TestRepos.create(dir); Repository b = Repository.open(dir)) {
      ObjectId id;
      try (ObjectInserter ins = a.objects().newInserter()) {
        id = ins.insert(ObjectType.CHUNK, new byte[] {1, 2, 3});
        ins.flush();
      }
      assertThat(b.objects().has(id)).isTrue();
    }
  }

  @Test
  void aRepositoryOpenedThroughASymbolicLinkSharesItsIndexWithTheOtherOpening() throws IOException {
    Path dir = tmp.resolve("r");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), dir.getFileName());
    Repository a = TestRepos.create(dir);
    try (Repository b = Repository.open(link)) {
      assertThat(b.directory()).isEqualTo(dir.toRealPath());
      ObjectId first;
      try (ObjectInserter ins = b.objects().newInserter()) {
        first = ins.insert(ObjectType.CHUNK, new byte[] {1, 2, 3});
        ins.flush();
      }
      assertThat(a.objects().has(first)).isTrue();
      a.close(); // the other opening's index stays open: one environment, counted twice
      ObjectId second;
      try (ObjectInserter ins = b.objects().newInserter()) {
        second = ins.insert(ObjectType.CHUNK, new byte[] {4, 5, 6});
        ins.flush();
      }
      assertThat(b.objects().has(first)).isTrue();
      assertThat(b.objects().has(second)).isTrue();
    }
  }

  @Test
  void configRoundTripsAndRejectsNewerFormats() throws Exception {
    RepositoryConfig c = TestRepos.SMALL.with("cache.maxSize", "123");
    assertThat(RepositoryConfig.parse(c.format())).isEqualTo(c);
    assertThatThrownBy(() -> RepositoryConfig.parse("core.formatVersion = 9\ncore.objectFormat = sha256\n"))
        .hasMessageContaining("format version 9");
    assertThatThrownBy(() -> RepositoryConfig.parse("core.formatVersion = 1\ncore.objectFormat = md5\n"))
        .hasMessageContaining("md5");
  }
}
