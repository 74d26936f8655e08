package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackWriter;
import dev.cairn.object.ObjectType;
import dev.cairn.storage.local.LocalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote's index against packs written by the real pack writer into a folder remote. */
class RemoteIndexTest {
  @TempDir Path tmp;

  @Test
  void findsEveryObjectOfEveryPackAndTheObjectsOfEachBlock() throws IOException {
    Random random = new Random(42);
    Map<ObjectId, PackEntry> written = new HashMap<>();
    Map<ObjectId, String> packOf = new HashMap<>();
    List<ObjectId> shared = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      List<PackEntry> entries = new ArrayList<>();
      // each pack: blocks of 1 to 5 objects, and some ids that an earlier pack holds too
      PackInfo info = writePack(random, 40 + k * 30, k > 0 ? shared : List.of(), entries);
      for (PackEntry e : info.entries()) {
        if (written.putIfAbsent(e.id(), e) == null) {
          packOf.put(e.id(), info.name());
        }
        if (shared.size() < 10) {
          shared.add(e.id());
        }
      }
    }
    RemoteIndex index;
    try (LocalStorage storage = new LocalStorage(tmp.resolve("remote"))) {
      index = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache"));
      // loaded again from the cached sections: the same answers
      RemoteIndex again = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache"));
      assertThat(again.size()).isEqualTo(index.size());
    }
    assertThat(index.size()).isEqualTo(written.size());
    for (PackEntry e : written.values()) {
      assertThat(index.has(e.id())).isTrue();
      RemoteIndex.Location at = index.locate(e.id());
      if (!shared.contains(e.id())) {
        assertThat(at.pack()).isEqualTo(packOf.get(e.id()));
        assertThat(at.entry()).isEqualTo(e);
      }
      assertThat(index.block(at.pack(), at.entry().blockOffset())).contains(at.entry())
          .allSatisfy(o -> assertThat(o.blockOffset()).isEqualTo(at.entry().blockOffset()));
    }
    // every object of every pack, block by block, exactly once
    for (Map.Entry<String, List<PackEntry>> p : index.packs().entrySet()) {
      List<PackEntry> byBlocks = new ArrayList<>();
      p.getValue().stream().map(PackEntry::blockOffset).distinct().forEach(o -> byBlocks.addAll(index.block(p.getKey(), o)));
      assertThat(byBlocks).containsExactlyInAnyOrderElementsOf(p.getValue());
    }
    for (int i = 0; i < 200; i++) {
      ObjectId absent = randomId(random);
      assertThat(index.has(absent)).isFalse();
      assertThat(index.locate(absent)).isNull();
    }
    assertThat(index.block("no-such-pack", 0)).isEmpty();
    // a pack uploaded after the load counts, without its objects counted twice
    ObjectId fresh = randomId(random);
    PackEntry again = written.values().iterator().next();
    index.addUploaded("uploaded", List.of(new PackEntry(fresh, ObjectType.CHUNK, 16, 100, 0, 100), again));
    assertThat(index.has(fresh)).isTrue();
    assertThat(index.locate(fresh).pack()).isEqualTo("uploaded");
    assertThat(index.locate(again.id()).pack()).isNotEqualTo("uploaded");
    assertThat(index.size()).isEqualTo(written.size() + 1);
  }

  @Test
  void anEmptyRemoteHoldsNothing() throws IOException {
    Files.createDirectories(tmp.resolve("empty"));
    try (LocalStorage storage = new LocalStorage(tmp.resolve("empty"))) {
      RemoteIndex index = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache"));
      assertThat(index.size()).isZero();
      assertThat(index.has(randomId(new Random(1)))).isFalse();
      assertThat(index.packs()).isEmpty();
    }
  }

  @Test
  void aCachedSectionOutOfOrderIsReadAgainFromThePack() throws IOException {
    Random random = new Random(3);
    PackInfo info = writePack(random, 20, List.of(), new ArrayList<>());
    try (LocalStorage storage = new LocalStorage(tmp.resolve("remote"))) {
      RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache"));
      Path cached = tmp.resolve("cache").resolve(info.name() + ".idx");
      byte[] section = Files.readAllBytes(cached);
      int first = dev.cairn.internal.pack.PackFormat.INDEX_HEADER_SIZE;
      int size = dev.cairn.internal.pack.PackFormat.ENTRY_SIZE;
      byte[] a = Arrays.copyOfRange(section, first, first + size);
      System.arraycopy(section, first + size, section, first, size); // swap the first two entries
      System.arraycopy(a, 0, section, first + size, size);
      Files.write(cached, section);
      RemoteIndex index = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache"));
      assertThat(index.damaged()).as("the cached copy was damaged, not the pack: read again from it").isEmpty();
      assertThat(info.entries()).allSatisfy(e -> assertThat(index.has(e.id())).isTrue());
      assertThat(Files.readAllBytes(cached)).isNotEqualTo(section);
      // The pack itself out of order: damaged, its objects absent.
      Path pack = tmp.resolve("remote").resolve(RemoteLayout.pack(info.name()));
      byte[] bytes = Files.readAllBytes(pack);
      long at = dev.cairn.internal.io.Bytes.u64(bytes, bytes.length - dev.cairn.internal.pack.PackFormat.TRAILER_SIZE);
      System.arraycopy(section, 0, bytes, (int) at, section.length); // the swapped section, its checksum now wrong
      Files.write(pack, bytes);
      RemoteIndex fresh = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("fresh-cache"));
      assertThat(fresh.damaged()).containsOnlyKeys(info.name());
      assertThat(fresh.has(info.entries().get(0).id())).as("the damaged pack's objects count as absent").isFalse();
    }
  }

  @Test
  void aPackWhoseNameIsNotItsIndexsHashIsDamaged() throws IOException {
    PackInfo info = writePack(new Random(5), 20, List.of(), new ArrayList<>());
    String other = "0".repeat(64);
    Files.move(tmp.resolve("remote").resolve(RemoteLayout.pack(info.name())), tmp.resolve("remote").resolve(RemoteLayout.pack(other)));
    try (LocalStorage storage = new LocalStorage(tmp.resolve("remote"))) {
      RemoteIndex index = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache"));
      assertThat(index.damaged()).containsOnlyKeys(other);
      assertThat(index.damaged().get(other)).contains("pack name does not match its index");
      assertThat(index.has(info.entries().get(0).id())).isFalse();
    }
  }

  @Test
  void aPackCutShortAfterItsSectionWasCachedIsLeftOutAndTheOthersStay() throws IOException {
    Random random = new Random(4);
    PackInfo cut = writePack(random, 20, List.of(), new ArrayList<>());
    PackInfo whole = writePack(random, 20, List.of(), new ArrayList<>());
    try (LocalStorage storage = new LocalStorage(tmp.resolve("remote"))) {
      assertThat(RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache")).damaged()).isEmpty();
      Path file = tmp.resolve("remote").resolve(RemoteLayout.pack(cut.name()));
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
      for (String cache : List.of("cache", "fresh-cache")) { // from the cached section, and read anew
        RemoteIndex index = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve(cache));
        assertThat(index.damaged()).containsOnlyKeys(cut.name());
        assertThat(index.has(cut.entries().get(0).id())).isFalse();
        assertThat(whole.entries()).allSatisfy(e -> assertThat(index.has(e.id())).isTrue());
        assertThat(index.damageNote("file:/r")).contains(cut.name()).contains("fsck --storage file:/r");
      }
    }
  }

  @Test
  void aPackDamagedOnlyInItsEndMagicKeepsItsMapWhichItsChecksumVouchesFor() throws IOException {
    // fsck reads the pack whole and finds it; a repair salvages its objects by this map.
    Random random = new Random(5);
    PackInfo info = writePack(random, 20, List.of(), new ArrayList<>());
    Path file = tmp.resolve("remote").resolve(RemoteLayout.pack(info.name()));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x20; // 'CRNE' becomes 'CRNe'
    Files.write(file, bytes);
    try (LocalStorage storage = new LocalStorage(tmp.resolve("remote"))) {
      RemoteIndex index = RemoteIndex.load(storage, HashAlgorithm.SHA256, tmp.resolve("cache"));
      assertThat(index.damaged()).isEmpty();
      assertThat(info.entries()).allSatisfy(e -> assertThat(index.has(e.id())).isTrue());
    }
  }

  /** Writes a pack of about {@code objects} random chunks (and {@code alsoIds}) into the remote folder. */
  private PackInfo writePack(Random random, int objects, List<ObjectId> alsoIds, List<PackEntry> out) throws IOException {
    Path packs = tmp.resolve("remote").resolve("packs");
    Path work = tmp.resolve("work");
    Files.createDirectories(packs);
    Files.createDirectories(work);
    List<ObjectId> ids = new ArrayList<>(alsoIds);
    while (ids.size() < objects + alsoIds.size()) {
      ids.add(randomId(random));
    }
    try (PackWriter w = new PackWriter(HashAlgorithm.SHA256, packs, work)) {
      int i = 0;
      while (i < ids.size()) {
        int n = Math.min(ids.size() - i, 1 + random.nextInt(5));
        List<PackWriter.Member> members = new ArrayList<>();
        for (int j = 0; j < n; j++) {
          members.add(new PackWriter.Member(ids.get(i + j), ObjectType.CHUNK, j * 10, 10));
        }
        byte[] block = new byte[PackFormat.BLOCK_HEADER_SIZE + n * 10 + random.nextInt(7)]; // a block header long at least, as pack.md asks
        random.nextBytes(block);
        w.appendBlock(block, members);
        i += n;
      }
      PackInfo info = w.finish();
      out.addAll(info.entries());
      return info;
    }
  }

  private static ObjectId randomId(Random random) {
    byte[] b = new byte[ObjectId.LENGTH];
    random.nextBytes(b);
    return ObjectId.fromBytes(b);
  }
}
