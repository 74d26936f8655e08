package dev.cairn.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockCodecTest {
  private final BlockCodec codec = new BlockCodec();

  @Test
  void randomBytesAreStoredWithoutCompressingTheWholeBlock() throws Exception {
    byte[] raw = new byte[256 * 1024];
    new Random(1).nextBytes(raw);
    byte[] block = codec.encode(raw, 0, raw.length, 3);
    assertThat(block[0]).isEqualTo((byte) PackFormat.CODEC_STORED);
    assertThat(codec.decode(block)).isEqualTo(raw);
  }

  @Test
  void compressibleBlocksAreCompressed() throws Exception {
    byte[] raw = new byte[256 * 1024];
    Random r = new Random(2);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) ('a' + r.nextInt(8)); // text-like: 3 bits of entropy per byte
    }
    byte[] block = codec.encode(raw, 0, raw.length, 3);
    assertThat(block[0]).isEqualTo((byte) PackFormat.CODEC_ZSTD);
    assertThat(block.length).isLessThan(raw.length / 2);
    assertThat(codec.decode(block)).isEqualTo(raw);
  }

  @Test
  void aBlockWithCompressibleStretchesIsCompressedWhenTheProbeSeesThem() throws Exception {
    // Alternating 16 KiB of zeros and 16 KiB of random bytes, at an offset inside the array.
    byte[] raw = new byte[8 + 256 * 1024];
    Random r = new Random(3);
    for (int s = 0; s < 16; s += 2) {
      byte[] noise = new byte[16 * 1024];
      r.nextBytes(noise);
      System.arraycopy(noise, 0, raw, 8 + (s + 1) * 16 * 1024, noise.length);
    }
    byte[] block = codec.encode(raw, 8, raw.length - 8, 3);
    assertThat(block[0]).isEqualTo((byte) PackFormat.CODEC_ZSTD);
    assertThat(codec.decode(block)).isEqualTo(Arrays.copyOfRange(raw, 8, raw.length));
  }

  @Test
  void smallBlocksAreNotProbed() throws Exception {
    byte[] raw = new byte[BlockCodec.PROBE_MIN_LENGTH - 1];
    Arrays.fill(raw, (byte) 7);
    assertThat(codec.encode(raw, 0, raw.length, 3)[0]).isEqualTo((byte) PackFormat.CODEC_ZSTD);
    assertThat(codec.encode(raw, 0, raw.length, 0)[0]).isEqualTo((byte) PackFormat.CODEC_STORED);
  }

  @Test
  void aSkippableFrameIsNoBlockOfData() throws Exception {
    // A skippable zstd frame (magic 50 2A 4D 18, length 4, four bytes) is one frame that
    // decompresses to nothing: with a raw length of 0, only its magic tells it from a block.
    byte[] skippable = {0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 1, 2, 3, 4};
    byte[] block = new byte[PackFormat.BLOCK_HEADER_SIZE + skippable.length];
    block[0] = (byte) PackFormat.CODEC_ZSTD;
    dev.cairn.internal.io.Bytes.putU32(block, 1, skippable.length);
    dev.cairn.internal.io.Bytes.putU32(block, 5, 0);
    System.arraycopy(skippable, 0, block, PackFormat.BLOCK_HEADER_SIZE, skippable.length);
    dev.cairn.internal.io.Bytes.putU32(block, 9, BlockCodec.crc(block));
    BlockCodec.check(block); // lengths, codec and checksum: as written
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decode(block))
        .isInstanceOf(BlockCodec.BlockException.class).hasMessage("block is not exactly one zstd frame")
        .extracting(e -> ((BlockCodec.BlockException) e).reason()).isEqualTo(dev.cairn.errors.CorruptObjectException.Reason.BAD_COMPRESSION);
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(block.length).put(block).flip();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decode(direct, java.nio.ByteBuffer.allocateDirect(16)))
        .isInstanceOf(BlockCodec.BlockException.class).hasMessage("block is not exactly one zstd frame");
  }

  @Test
  void checkAcceptsAStoredBlockAsItIsAndRefusesADamagedOne() throws Exception {
    byte[] raw = dev.cairn.testing.TestRepos.text(7, 100_000);
    byte[] block = BlockCodec.local().encode(raw, 0, raw.length, 3);
    BlockCodec.check(block);

    for (int at : new int[] {0, 3, 7, 10, block.length / 2, block.length - 1}) {
      byte[] damaged = block.clone();
      damaged[at] ^= 0x10;
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlockCodec.check(damaged))
          .as("byte %d flipped", at)
          .isInstanceOf(BlockCodec.BlockException.class);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlockCodec.check(Arrays.copyOf(block, 12)))
        .isInstanceOf(BlockCodec.BlockException.class);
  }
}
