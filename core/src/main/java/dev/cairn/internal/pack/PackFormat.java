package dev.cairn.internal.pack;

import dev.cairn.id.ObjectId;

/**
 * Byte layout of a pack file (spec/pack.md):
 * <pre>
 *   header   'CRNP' uint8(version=1) uint8(objectFormat) uint16(0)
 *   block*   uint8(codec) uint32(storedLength) uint32(rawLength) uint32(crc32c) stored[storedLength]
 *   index    'CRNI' uint32(count) count * entry
 *   entry    id[32] uint8(type) uint64(blockOffset) uint32(blockLength) uint32(offsetInBlock) uint32(length)
 *   trailer  uint64(indexOffset) uint32(indexCrc32c) uint32(packCrc32c) 'CRNE'
 * </pre>
 * All integers are big-endian. A block's crc32c covers its first nine header bytes and its stored
 * bytes. {@code indexCrc32c} covers the index section; {@code packCrc32c} covers every byte before
 * it. Entries are sorted by id, unsigned, without duplicates.
 */
public final class PackFormat {
  private PackFormat() {}

  public static final String MAGIC = "CRNP";
  public static final String INDEX_MAGIC = "CRNI";
  public static final String END_MAGIC = "CRNE";
  public static final int VERSION = 1;

  public static final int HEADER_SIZE = 8;
  public static final int BLOCK_HEADER_SIZE = 13;
  public static final int INDEX_HEADER_SIZE = 8;
  /** The longest index section a reader takes (it is read whole into one array): a damaged trailer may claim more. */
  public static final long MAX_INDEX_LENGTH = Integer.MAX_VALUE - 8;
  public static final int ENTRY_SIZE = 32 + 1 + 8 + 4 + 4 + 4;
  public static final int TRAILER_SIZE = 8 + 4 + 4 + 4;

  /** Where the fields of an index entry start, from the entry's first byte (its id). */
  public static final int ENTRY_TYPE = 32;
  public static final int ENTRY_BLOCK_OFFSET = 33;
  public static final int ENTRY_BLOCK_LENGTH = 41;
  public static final int ENTRY_OFFSET_IN_BLOCK = 45;
  public static final int ENTRY_LENGTH = 49;

  /** Where entry {@code i} starts in an index section. */
  public static int entryOffset(int i) {
    return INDEX_HEADER_SIZE + i * ENTRY_SIZE;
  }

  /**
   * Whether an index entry's numbers are within the rules (pack.md, "Reading and validation"): its
   * block starts after the header, is at least a block header long, fits in 31 bits and ends by
   * {@code dataEnd} (the index's offset); its object's offset and length fit in 31 bits. Unsigned
   * values as read; no sum overflows.
   */
  public static boolean entryInBounds(long blockOffset, long blockLength, long offsetInBlock, long length, long dataEnd) {
    return blockOffset >= HEADER_SIZE && blockLength >= BLOCK_HEADER_SIZE && blockLength <= Integer.MAX_VALUE
        && blockOffset <= dataEnd - blockLength && length <= Integer.MAX_VALUE && offsetInBlock + length <= Integer.MAX_VALUE;
  }

  /** Block codec: bytes stored as they are. */
  public static final int CODEC_STORED = 0;
  /** Block codec: one zstd frame. */
  public static final int CODEC_ZSTD = 1;

  /** File name prefix and suffix of published packs. */
  public static final String FILE_PREFIX = "pack-";
  public static final String FILE_SUFFIX = ".pack";

  /** The file name of the pack with the given name (hex). */
  public static String fileName(String name) {
    return FILE_PREFIX + name + FILE_SUFFIX;
  }

  /** The pack name in a file name, or null if it is not a pack file name. */
  public static String nameOf(String fileName) {
    if (!fileName.startsWith(FILE_PREFIX) || !fileName.endsWith(FILE_SUFFIX)) {
      return null;
    }
    String name = fileName.substring(FILE_PREFIX.length(), fileName.length() - FILE_SUFFIX.length());
    return isName(name) ? name : null;
  }

  /**
   * Whether {@code name} is a pack name as writers make it: 64 lower-case hex digits. A file named
   * with upper-case digits is not a pack (its name could not equal the hash of its index as written).
   */
  public static boolean isName(String name) {
    return ObjectId.isId(name) && name.chars().noneMatch(c -> c >= 'A' && c <= 'F');
  }
}
