package dev.cairn.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import dev.cairn.transport.RemoteLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackFileTest {
  @TempDir Path tmp;

  @Test
  void aTrailerClaimingAnIndexOfOverTwoGigabytesIsMalformedNotAnOverflow() throws IOException {
    long length = (3L << 30) + 7;
    while ((length - PackFormat.TRAILER_SIZE - 8 - PackFormat.INDEX_HEADER_SIZE) % PackFormat.ENTRY_SIZE != 0) {
      length++; // an index length that a count of entries could have
    }
    Path pack = tmp.resolve("sparse.pack");
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
      ch.write(ByteBuffer.wrap(new byte[] {'C', 'R', 'N', 'P', 1, 1, 0, 0}), 0);
      ByteBuffer trailer = ByteBuffer.allocate(PackFormat.TRAILER_SIZE).putLong(8).putInt(0).putInt(0).put("CRNE".getBytes());
      ch.write(trailer.flip(), length - PackFormat.TRAILER_SIZE);
    }
    assertThatThrownBy(() -> PackFile.open(pack).close()).isInstanceOf(CorruptObjectException.class)
        .satisfies(e -> assertThat(((CorruptObjectException) e).reason()).isEqualTo(CorruptObjectException.Reason.MALFORMED));
  }

  @Test
  void aPackFileNameIsSixtyFourLowerCaseHexDigits() {
    String name = "0123456789abcdef".repeat(4);
    assertThat(PackFormat.nameOf("pack-" + name + ".pack")).isEqualTo(name);
    assertThat(RemoteLayout.packName("packs/pack-" + name + ".pack")).isEqualTo(name);
    String upper = name.toUpperCase(Locale.ROOT);
    assertThat(PackFormat.nameOf("pack-" + upper + ".pack")).as("not a name a writer makes").isNull();
    assertThat(RemoteLayout.packName("packs/pack-" + upper + ".pack")).isNull();
    assertThat(PackFormat.nameOf("pack-" + name.substring(1) + ".pack")).isNull();
  }

  /** A writer interrupted while it writes the header leaves no temporary file: no one holds it to close. */
  @Test
  void aWriterInterruptedAtItsStartLeavesNoTemporaryFile() throws Exception {
    Path packs = Files.createDirectories(tmp.resolve("packs"));
    Path tmpDir = Files.createDirectories(tmp.resolve("tmp"));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> new PackWriter(dev.cairn.id.HashAlgorithm.SHA256, packs, tmpDir))
          .isInstanceOf(ClosedByInterruptException.class);
    } finally {
      Thread.interrupted();
    }
    try (var files = Files.list(tmpDir)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  /** Writes a pack of the given objects, grouping those under 256 bytes into shared blocks. */
  static PackInfo writePack(Path dir, HashAlgorithm algorithm, Map<ObjectId, byte[]> objects) throws IOException {
    Files.createDirectories(dir);
    try (PackWriter w = new PackWriter(algorithm, dir, dir)) {
      List<PackWriter.Member> group = new ArrayList<>();
      ByteArrayOutputStream groupBytes = new ByteArrayOutputStream();
      for (Map.Entry<ObjectId, byte[]> e : objects.entrySet()) {
        byte[] b = e.getValue();
        if (b.length < 256) {
          group.add(new PackWriter.Member(e.getKey(), ObjectType.CHUNK, groupBytes.size(), b.length));
          groupBytes.write(b);
        } else {
          w.appendBlock(BlockCodec.local().encode(b, 0, b.length, 3), List.of(new PackWriter.Member(e.getKey(), ObjectType.CHUNK, 0, b.length)));
        }
      }
      if (!group.isEmpty()) {
        byte[] raw = groupBytes.toByteArray();
        w.appendBlock(BlockCodec.local().encode(raw, 0, raw.length, 3), group);
      }
      return w.finish();
    }
  }

  /** Reads every object of a pack, verifying hashes; throws on any damage. */
  static Map<ObjectId, byte[]> readAll(Path pack, HashAlgorithm algorithm) throws IOException {
    Map<ObjectId, byte[]> out = new LinkedHashMap<>();
    try (PackFile p = PackFile.open(pack)) {
      for (PackEntry e : p.entries()) {
        byte[] raw;
        try {
          raw = BlockCodec.local().decode(p.readBlock(e.blockOffset(), e.blockLength()));
        } catch (BlockCodec.BlockException ex) {
          throw new CorruptObjectException(e.id(), CorruptObjectException.Reason.CHECKSUM_MISMATCH, pack.toString(), ex.getMessage());
        }
        if (e.offsetInBlock() + e.length() > raw.length) {
          throw new CorruptObjectException(e.id(), CorruptObjectException.Reason.MALFORMED, pack.toString(), "past block");
        }
        ObjectId actual = algorithm.hash(raw, e.offsetInBlock(), e.length());
        if (!actual.equals(e.id())) {
          throw new CorruptObjectException(e.id(), CorruptObjectException.Reason.HASH_MISMATCH, pack.toString(), null);
        }
        out.put(e.id(), Arrays.copyOfRange(raw, e.offsetInBlock(), e.offsetInBlock() + e.length()));
      }
      p.verifyChecksum();
    }
    return out;
  }

  static Map<ObjectId, byte[]> objects(long seed, int count, HashAlgorithm algorithm) {
    Random r = new Random(seed);
    Map<ObjectId, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int len = r.nextInt(4) == 0 ? 1 + r.nextInt(3000) : 1 + r.nextInt(200);
      byte[] b = new byte[len];
      if (r.nextBoolean()) {
        r.nextBytes(b);
      } else {
        Arrays.fill(b, (byte) ('a' + r.nextInt(3)));
      }
      m.put(algorithm.hash(b), b);
    }
    return m;
  }

  @Property(tries = 40)
  void packRoundTripsAnyObjectSet(@ForAll long seed, @ForAll @IntRange(min = 1, max = 120) int count) throws IOException {
    for (HashAlgorithm a : HashAlgorithm.values()) {
      Map<ObjectId, byte[]> objects = objects(seed, count, a);
      // jqwik properties do not get JUnit's @TempDir.
      Path dir = Files.createTempDirectory("cairn-pack-test");
      try {
        checkRoundTrip(dir, a, objects);
      } finally {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
      }
    }
  }

  private static void checkRoundTrip(Path dir, HashAlgorithm a, Map<ObjectId, byte[]> objects) throws IOException {
    {
      PackInfo info = writePack(dir, a, objects);
      assertThat(info.path().getFileName().toString()).isEqualTo("pack-" + info.name() + ".pack");
      Map<ObjectId, byte[]> back = readAll(info.path(), a);
      assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(objects.keySet());
      back.forEach((id, b) -> assertThat(b).isEqualTo(objects.get(id)));
      try (PackFile p = PackFile.open(info.path())) {
        assertThat(a.hash(p.indexSection()).hex()).isEqualTo(info.name());
        assertThat(p.algorithm()).isEqualTo(a);
      }
    }
  }

  @Test
  void everySingleByteCorruptionIsDetected() throws IOException {
    Map<ObjectId, byte[]> objects = objects(5, 12, HashAlgorithm.SHA256);
    PackInfo info = writePack(tmp.resolve("good"), HashAlgorithm.SHA256, objects);
    byte[] pristine = Files.readAllBytes(info.path());
    Path bad = tmp.resolve("bad.pack");
    Random r = new Random(1);
    for (int pos = 0; pos < pristine.length; pos++) {
      byte[] damaged = pristine.clone();
      damaged[pos] ^= (byte) (1 << r.nextInt(8));
      Files.write(bad, damaged);
      try {
        readAll(bad, HashAlgorithm.SHA256);
        fail("flipping a bit of byte " + pos + " of " + pristine.length + " went unnoticed");
      } catch (CorruptObjectException | UnsupportedFormatVersionException expected) {
        assertThat(expected.getMessage()).contains("bad.pack");
      }
    }
  }

  @Test
  void truncatedPacksAreRejectedWhenOpened() throws IOException {
    PackInfo info = writePack(tmp.resolve("good"), HashAlgorithm.SHA256, objects(6, 20, HashAlgorithm.SHA256));
    byte[] pristine = Files.readAllBytes(info.path());
    Path bad = tmp.resolve("short.pack");
    for (int len : new int[] {0, 7, 8, 40, pristine.length / 2, pristine.length - 1}) {
      Files.write(bad, Arrays.copyOf(pristine, len));
      assertThatThrownBy(() -> PackFile.open(bad).close()).isInstanceOf(CorruptObjectException.class);
    }
  }

  @Test
  void anEntryWhoseBlockEndOverflowsIsMalformedEvenUnderAValidChecksum() throws IOException {
    PackInfo info = writePack(tmp.resolve("good"), HashAlgorithm.SHA256, objects(8, 3, HashAlgorithm.SHA256));
    byte[] b = Files.readAllBytes(info.path());
    int indexOffset = (int) ByteBuffer.wrap(b, b.length - PackFormat.TRAILER_SIZE, 8).getLong();
    // The first entry's block starts just short of 2^63: its end, as a sum, wraps to a negative number.
    ByteBuffer.wrap(b, indexOffset + PackFormat.entryOffset(0) + PackFormat.ENTRY_BLOCK_OFFSET, 8).putLong(Long.MAX_VALUE - 4);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(b, indexOffset, b.length - PackFormat.TRAILER_SIZE - indexOffset);
    ByteBuffer.wrap(b, b.length - PackFormat.TRAILER_SIZE + 8, 4).putInt((int) crc.getValue()); // a writer's mistake, vouched for
    Path bad = tmp.resolve("wraps.pack");
    Files.write(bad, b);
    try (PackFile p = PackFile.open(bad)) {
      assertThatThrownBy(p::entries).isInstanceOf(CorruptObjectException.class)
          .satisfies(e -> assertThat(((CorruptObjectException) e).reason()).isEqualTo(CorruptObjectException.Reason.MALFORMED));
    }
    assertThat(PackFormat.entryInBounds(Long.MAX_VALUE - 4, 100, 0, 10, 1_000)).isFalse();
    assertThat(PackFormat.entryInBounds(8, 100, 0, 10, 108)).isTrue();
    assertThat(PackFormat.entryInBounds(8, 100, 0, 10, 107)).isFalse();
  }

  @Test
  void unknownVersionIsATypedError() throws IOException {
    PackInfo info = writePack(tmp.resolve("good"), HashAlgorithm.SHA256, objects(7, 3, HashAlgorithm.SHA256));
    byte[] b = Files.readAllBytes(info.path());
    b[4] = 9;
    Path bad = tmp.resolve("v9.pack");
    Files.write(bad, b);
    assertThatThrownBy(() -> PackFile.open(bad)).isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContaining("version 9");
  }
}
