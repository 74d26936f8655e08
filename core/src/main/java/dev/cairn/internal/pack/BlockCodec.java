package dev.cairn.internal.pack;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.cairn.internal.io.Bytes;
import java.util.zip.CRC32C;

/**
 * Turns raw block bytes into stored block bytes and back. Holds zstd contexts, which are costly to
 * create, so each thread keeps one codec ({@link #local}). Not thread-safe.
 */
public final class BlockCodec implements AutoCloseable {
  /** Compression must save at least this fraction of the bytes to be kept. */
  private static final double MIN_SAVING = 1.0 / 32;

  private static final ThreadLocal<BlockCodec> LOCAL = new ThreadLocal<>();

  private final ZstdCompressCtx compressor = new ZstdCompressCtx();
  private final ZstdDecompressCtx decompressor = new ZstdDecompressCtx();
  private int level = Integer.MIN_VALUE;
  private byte[] scratch = new byte[0];

  /** The calling thread's codec. */
  public static BlockCodec local() {
    BlockCodec c = LOCAL.get();
    if (c == null) {
      c = new BlockCodec();
      LOCAL.set(c);
    }
    return c;
  }

  /**
   * Encodes {@code len} raw bytes as a complete block (header included), compressing with zstd at
   * {@code level} unless that saves too little; level 0 stores without trying.
   */
  public byte[] encode(byte[] raw, int off, int len, int zstdLevel) {
    if (zstdLevel != 0) {
      if (zstdLevel != level) {
        compressor.setLevel(zstdLevel);
        level = zstdLevel;
      }
      int bound = (int) Zstd.compressBound(len);
      if (scratch.length < bound) {
        scratch = new byte[bound];
      }
      int n = compressor.compressByteArray(scratch, 0, bound, raw, off, len);
      if (n < len - (long) (len * MIN_SAVING)) {
        return block(PackFormat.CODEC_ZSTD, scratch, 0, n, len);
      }
    }
    return block(PackFormat.CODEC_STORED, raw, off, len, len);
  }

  private static byte[] block(int codec, byte[] stored, int off, int storedLen, int rawLen) {
    byte[] out = new byte[PackFormat.BLOCK_HEADER_SIZE + storedLen];
    out[0] = (byte) codec;
    Bytes.putU32(out, 1, storedLen);
    Bytes.putU32(out, 5, rawLen);
    System.arraycopy(stored, off, out, PackFormat.BLOCK_HEADER_SIZE, storedLen);
    Bytes.putU32(out, 9, crc(out));
    return out;
  }

  /** The crc32c a block header records: over header bytes 0-8 and the stored bytes. */
  static long crc(byte[] block) {
    CRC32C crc = new CRC32C();
    crc.update(block, 0, 9);
    crc.update(block, PackFormat.BLOCK_HEADER_SIZE, block.length - PackFormat.BLOCK_HEADER_SIZE);
    return crc.getValue();
  }

  /**
   * Checks and decodes a complete block (header included) into its raw bytes.
   *
   * @throws BlockException naming what is wrong; the caller adds the file and object
   */
  public byte[] decode(byte[] block) throws BlockException {
    if (block.length < PackFormat.BLOCK_HEADER_SIZE) {
      throw new BlockException("block shorter than its header");
    }
    int codec = block[0] & 0xFF;
    long stored = Bytes.u32(block, 1);
    long raw = Bytes.u32(block, 5);
    if (stored != block.length - PackFormat.BLOCK_HEADER_SIZE) {
      throw new BlockException("block length " + stored + " does not match index (" + (block.length - PackFormat.BLOCK_HEADER_SIZE) + ")");
    }
    if (crc(block) != Bytes.u32(block, 9)) {
      throw new BlockException("block checksum mismatch");
    }
    if (raw > Integer.MAX_VALUE - 16) {
      throw new BlockException("block too large: " + raw);
    }
    switch (codec) {
      case PackFormat.CODEC_STORED:
        if (raw != stored) {
          throw new BlockException("stored block with raw length " + raw + " != " + stored);
        }
        return java.util.Arrays.copyOfRange(block, PackFormat.BLOCK_HEADER_SIZE, block.length);
      case PackFormat.CODEC_ZSTD:
        byte[] out = new byte[(int) raw];
        long frame = Zstd.findFrameCompressedSize(block, PackFormat.BLOCK_HEADER_SIZE, (int) stored);
        if (Zstd.isError(frame) || frame != stored) {
          throw new BlockException("block is not exactly one zstd frame", true);
        }
        try {
          int n = decompressor.decompressByteArray(out, 0, out.length, block, PackFormat.BLOCK_HEADER_SIZE, (int) stored);
          if (n != raw) {
            throw new BlockException("block decompressed to " + n + " bytes, expected " + raw, true);
          }
        } catch (ZstdException e) {
          throw new BlockException("zstd: " + e.getMessage(), true);
        }
        return out;
      default:
        throw new BlockException("unknown block codec " + codec);
    }
  }

  @Override
  public void close() {
    compressor.close();
    decompressor.close();
  }

  /** A block that fails its checks. */
  public static final class BlockException extends Exception {
    private final boolean compression;

    public BlockException(String message) {
      this(message, false);
    }

    public BlockException(String message, boolean compression) {
      super(message);
      this.compression = compression;
    }

    /** What the failure means for a stored object. */
    public dev.cairn.errors.CorruptObjectException.Reason reason() {
      return compression ? dev.cairn.errors.CorruptObjectException.Reason.BAD_COMPRESSION
          : dev.cairn.errors.CorruptObjectException.Reason.CHECKSUM_MISMATCH;
    }
  }
}
