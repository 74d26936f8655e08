package dev.cairn.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.Repository;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCopierTest {
  @TempDir Path tmp;

  /** Three objects of a block each (random bytes, stored) and 40 small ones grouped in blocks. */
  private Map<ObjectId, byte[]> fill(Repository repo) throws IOException {
    Map<ObjectId, byte[]> objects = new LinkedHashMap<>();
    try (ObjectInserter ins = repo.objects().newInserter()) {
      for (int i = 0; i < 3; i++) {
        byte[] b = TestRepos.random(i, 10_000 + i);
        objects.put(ins.insert(ObjectType.CHUNK, b), b);
      }
      for (int i = 0; i < 40; i++) {
        byte[] b = TestRepos.text(100 + i, 500 + i);
        objects.put(ins.insert(ObjectType.CHUNK, b), b);
      }
      ins.flush();
    }
    return objects;
  }

  /** Copies {@code ids} into new packs and returns the bytes copied as stored and what the packs hold. */
  private record Copy(long storedBytesCopied, Map<ObjectId, byte[]> read) {}

  private Copy copy(Repository repo, List<ObjectId> ids) throws IOException {
    return copy(repo, ids, true);
  }

  private Copy copy(Repository repo, List<ObjectId> ids, boolean copyGroups) throws IOException {
    Path out = tmp.resolve("out-" + System.nanoTime());
    Files.createDirectories(out);
    try (ObjectReader reader = repo.objects().newReader();
        PackAssembler packs = new PackAssembler(repo.objects().algorithm(), out, out, repo.config().pack())) {
      BlockCopier copier = new BlockCopier(repo.packs(), reader, packs, copyGroups);
      copier.copy(ids);
      long copied = copier.copiedBytes();
      Map<ObjectId, byte[]> read = new HashMap<>();
      for (PackInfo p : packs.finish()) {
        read.putAll(PackFileTest.readAll(p.path(), repo.objects().algorithm()));
      }
      return new Copy(copied, read);
    }
  }

  private static long blockBytes(Repository repo, List<ObjectId> ids) throws IOException {
    Map<String, Integer> blocks = new HashMap<>();
    for (ObjectId id : ids) {
      ObjectLocation loc = repo.packs().index().lookup(id);
      blocks.put(loc.packName() + "@" + loc.blockOffset(), loc.blockLength());
    }
    return blocks.values().stream().mapToLong(Integer::longValue).sum();
  }

  @Test
  void blocksWhoseEveryObjectIsWantedAreCopiedAsStored() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      Map<ObjectId, byte[]> objects = fill(repo);
      List<ObjectId> all = new ArrayList<>(objects.keySet());

      Copy c = copy(repo, all);

      assertThat(c.read()).containsExactlyInAnyOrderEntriesOf(objects);
      assertThat(c.storedBytesCopied()).isEqualTo(blockBytes(repo, all));
    }
  }

  @Test
  void theObjectsOfABlockMayComeInAnyOrder() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      Map<ObjectId, byte[]> objects = fill(repo);
      List<ObjectId> reversed = new ArrayList<>(objects.keySet());
      Collections.reverse(reversed);

      Copy c = copy(repo, reversed);

      assertThat(c.read()).containsExactlyInAnyOrderEntriesOf(objects);
      assertThat(c.storedBytesCopied()).isEqualTo(blockBytes(repo, reversed));
    }
  }

  @Test
  void withoutGroupsOnlyBlocksOfOneObjectAreCopied() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      Map<ObjectId, byte[]> objects = fill(repo);
      List<ObjectId> all = new ArrayList<>(objects.keySet());

      Copy c = copy(repo, all, false);

      assertThat(c.read()).containsExactlyInAnyOrderEntriesOf(objects);
      assertThat(c.storedBytesCopied()).isEqualTo(blockBytes(repo, all.subList(0, 3)));
    }
  }

  @Test
  void objectsOfABlockOnlyPartlyWantedAreCompressedAnew() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      Map<ObjectId, byte[]> objects = fill(repo);
      List<ObjectId> all = new ArrayList<>(objects.keySet());
      ObjectId large = all.get(0);
      List<ObjectId> someSmall = List.of(all.get(3), all.get(10));
      List<ObjectId> wanted = new ArrayList<>(someSmall);
      wanted.add(large);

      Copy c = copy(repo, wanted);

      assertThat(c.read().keySet()).containsExactlyInAnyOrderElementsOf(wanted);
      for (ObjectId id : wanted) {
        assertThat(c.read().get(id)).isEqualTo(objects.get(id));
      }
      // Only the large object's block went as stored; the small ones shared theirs with others.
      assertThat(c.storedBytesCopied()).isEqualTo(blockBytes(repo, List.of(large)));
    }
  }

  @Test
  void aDamagedBlockIsNeverCopied() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      Map<ObjectId, byte[]> objects = fill(repo);
      ObjectId large = objects.keySet().iterator().next();
      ObjectLocation loc = repo.packs().index().lookup(large);
      Path pack = repo.packs().packDirectory().resolve(PackFormat.fileName(loc.packName()));
      try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer one = ByteBuffer.allocate(1);
        long at = loc.blockOffset() + loc.blockLength() - 100;
        ch.read(one, at);
        one.put(0, (byte) (one.get(0) ^ 1)).rewind();
        ch.write(one, at);
      }

      assertThatThrownBy(() -> copy(repo, List.of(large)))
          .isInstanceOf(CorruptObjectException.class)
          .hasMessageContaining(large.hex().substring(0, 12))
          .hasMessageContaining("checksum");
    }
  }

  @Test
  void anObjectNotStoredHereIsReportedMissing() throws IOException {
    try (Repository repo = TestRepos.create(tmp.resolve("r"))) {
      fill(repo);
      ObjectId absent = repo.objects().algorithm().hash(new byte[] {1, 2, 3});

      assertThatThrownBy(() -> copy(repo, List.of(absent))).isInstanceOf(MissingObjectException.class);
    }
  }
}
