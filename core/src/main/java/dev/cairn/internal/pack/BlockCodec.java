package dev.cairn.internal.pack;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.internal.io.Bytes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Turns raw block bytes into stored block bytes and back. Holds zstd contexts, which are costly to
 * create, so each thread keeps one codec ({@link #local}). Not thread-safe.
 */
public final class BlockCodec implements AutoCloseable {
  /** Compression must save at least this fraction of the bytes to be kept. */
  private static final double MIN_SAVING = 1.0 / 32;
  /** Blocks at least this long are probed before the whole block is compressed. */
  static final int PROBE_MIN_LENGTH = 64 * 1024;
  /** The probe compresses this many evenly spread slices of the block... */
  private static final int PROBE_SLICES = 4;
  /** ...of this many bytes each. */
  private static final int PROBE_SLICE = 4096;

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
      if (len >= PROBE_MIN_LENGTH && !probeSaves(raw, off, len)) {
        return block(PackFormat.CODEC_STORED, raw, off, len, len);
      }
      int n = compressor.compressByteArray(scratch, 0, bound, raw, off, len);
      if (n < len - (long) (len * MIN_SAVING)) {
        return block(PackFormat.CODEC_ZSTD, scratch, 0, n, len);
      }
    }
    return block(PackFormat.CODEC_STORED, raw, off, len, len);
  }

  /**
   * Whether compressing the block looks worth it: compresses a few slices spread over it (about
   * 6% of a 256 KiB block) and asks for the same saving as from the whole block. Random bytes
   * (images, compressed or encrypted files), the bulk of many datasets, then cost a probe
   * instead of a full zstd pass.
   */
  private boolean probeSaves(byte[] raw, int off, int len) {
    int sampleLen = PROBE_SLICES * PROBE_SLICE;
    byte[] sample = new byte[sampleLen];
    long step = (len - PROBE_SLICE) / (PROBE_SLICES - 1);
    for (int i = 0; i < PROBE_SLICES; i++) {
      System.arraycopy(raw, off + (int) (i * step), sample, i * PROBE_SLICE, PROBE_SLICE);
    }
    int n = compressor.compressByteArray(scratch, 0, scratch.length, sample, 0, sampleLen);
    return n < sampleLen - (long) (sampleLen * MIN_SAVING);
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
    return crc(block, block, PackFormat.BLOCK_HEADER_SIZE, block.length - PackFormat.BLOCK_HEADER_SIZE);
  }

  private static long crc(byte[] header, byte[] stored, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(header, 0, 9);
    crc.update(stored, off, len);
    return crc.getValue();
  }

  /**
   * Checks a complete block (header included) as stored, without decoding it: its lengths, codec
   * and checksum. For copying blocks unchanged into another pack.
   *
   * @throws BlockException naming what is wrong; the caller adds the file and object
   */
  public static void check(byte[] block) throws BlockException {
    if (block.length < PackFormat.BLOCK_HEADER_SIZE) {
      throw new BlockException("block shorter than its header");
    }
    int len = block.length - PackFormat.BLOCK_HEADER_SIZE;
    checkLengths(block, len);
    if (crc(block, block, PackFormat.BLOCK_HEADER_SIZE, len) != Bytes.u32(block, 9)) {
      throw new BlockException("block checksum mismatch");
    }
    checkCodec(block);
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
    return decode(block, block, PackFormat.BLOCK_HEADER_SIZE, block.length - PackFormat.BLOCK_HEADER_SIZE);
  }

  /**
   * Checks and decodes a block read as its header and its stored bytes. A stored block's raw
   * bytes are {@code stored} itself, not a copy.
   */
  public byte[] decode(byte[] header, byte[] stored) throws BlockException {
    if (header.length != PackFormat.BLOCK_HEADER_SIZE) {
      throw new BlockException("block shorter than its header");
    }
    return decode(header, stored, 0, stored.length);
  }

  /**
   * Checks and decodes a block held whole in {@code block} (from its position to its limit), for
   * readers that stream through reusable direct buffers. Returns the raw bytes, from position to
   * limit: a view of {@code block} itself for a stored block, else {@code out} (cleared, filled,
   * flipped), which must have room for them ({@link #rawLength}).
   */
  public ByteBuffer decode(ByteBuffer block, ByteBuffer out) throws BlockException {
    int len = block.remaining() - PackFormat.BLOCK_HEADER_SIZE;
    if (len < 0) {
      throw new BlockException("block shorter than its header");
    }
    byte[] header = new byte[PackFormat.BLOCK_HEADER_SIZE];
    block.get(block.position(), header);
    checkLengths(header, len);
    ByteBuffer stored = block.slice(block.position() + PackFormat.BLOCK_HEADER_SIZE, len);
    CRC32C crc = new CRC32C();
    crc.update(header, 0, 9);
    crc.update(stored.duplicate());
    if (crc.getValue() != Bytes.u32(header, 9)) {
      throw new BlockException("block checksum mismatch");
    }
    if (checkCodec(header) == PackFormat.CODEC_STORED) {
      return stored;
    }
    int raw = (int) Bytes.u32(header, 5);
    if (!stored.isDirect() || !out.isDirect() || out.capacity() < raw) {
      throw new IllegalArgumentException("decode needs direct buffers with room for " + raw + " bytes");
    }
    long frame = Zstd.findDirectByteBufferFrameCompressedSize(stored, 0, len);
    if (Zstd.isError(frame) || frame != len || len < 4 || stored.getInt(0) != ZSTD_FRAME_MAGIC) {
      throw new BlockException("block is not exactly one zstd frame", true);
    }
    try {
      int n = decompressor.decompressDirectByteBuffer(out.clear(), 0, raw, stored, 0, len);
      if (n != raw) {
        throw new BlockException("block decompressed to " + n + " bytes, expected " + raw, true);
      }
    } catch (ZstdException e) {
      throw new BlockException("zstd: " + e.getMessage(), true);
    }
    return out.clear().limit(raw);
  }

  /**
   * The first four bytes of a zstd frame that holds data, as a big-endian int (28 B5 2F FD): a
   * skippable frame (magic 0x184D2A5?) is one frame too, but holds none, and no writer makes one.
   */
  private static final int ZSTD_FRAME_MAGIC = 0x28B52FFD;

  /** The raw length a block's header records (the header is the first bytes of {@code block}). */
  public static int rawLength(ByteBuffer block) {
    return (int) Math.min(Integer.MAX_VALUE, block.getInt(block.position() + 5) & 0xFFFFFFFFL);
  }

  /** Checks the lengths a block header records against the block's {@code len} stored bytes. */
  private static void checkLengths(byte[] header, int len) throws BlockException {
    long stored = Bytes.u32(header, 1);
    long raw = Bytes.u32(header, 5);
    if (stored != len) {
      throw new BlockException("block length " + stored + " does not match index (" + len + ")");
    }
    if (raw > Integer.MAX_VALUE - 16) {
      throw new BlockException("block too large: " + raw);
    }
  }

  /** Checks a block's codec and, for a stored block, that its raw and stored lengths agree. */
  private static int checkCodec(byte[] header) throws BlockException {
    int codec = header[0] & 0xFF;
    if (codec == PackFormat.CODEC_STORED && Bytes.u32(header, 5) != Bytes.u32(header, 1)) {
      throw new BlockException("stored block with raw length " + Bytes.u32(header, 5) + " != " + Bytes.u32(header, 1));
    }
    if (codec != PackFormat.CODEC_STORED && codec != PackFormat.CODEC_ZSTD) {
      throw new BlockException("unknown block codec " + codec);
    }
    return codec;
  }

  private byte[] decode(byte[] header, byte[] buf, int off, int len) throws BlockException {
    checkLengths(header, len);
    if (crc(header, buf, off, len) != Bytes.u32(header, 9)) {
      throw new BlockException("block checksum mismatch");
    }
    if (checkCodec(header) == PackFormat.CODEC_STORED) {
      return off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len);
    }
    byte[] out = new byte[(int) Bytes.u32(header, 5)];
    long frame = Zstd.findFrameCompressedSize(buf, off, len);
    if (Zstd.isError(frame) || frame != len || len < 4 || ByteBuffer.wrap(buf, off, 4).getInt() != ZSTD_FRAME_MAGIC) {
      throw new BlockException("block is not exactly one zstd frame", true);
    }
    try {
      int n = decompressor.decompressByteArray(out, 0, out.length, buf, off, len);
      if (n != out.length) {
        throw new BlockException("block decompressed to " + n + " bytes, expected " + out.length, true);
      }
    } catch (ZstdException e) {
      throw new BlockException("zstd: " + e.getMessage(), true);
    }
    return out;
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
    public CorruptObjectException.Reason reason() {
      return compression ? CorruptObjectException.Reason.BAD_COMPRESSION
          : CorruptObjectException.Reason.CHECKSUM_MISMATCH;
    }
  }
}
