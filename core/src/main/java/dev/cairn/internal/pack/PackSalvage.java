package dev.cairn.internal.pack;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Bytes;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The entries a damaged pack still lists, for a repair to copy its intact objects out: a pack whose
 * index fails its checksum (a flipped bit in an entry or in the trailer's checksum itself), whose
 * header is damaged, or whose trailer points at the wrong place. Entries are taken as they parse,
 * without the checks {@link PackFile#entries} makes; the caller keeps only objects whose block
 * checksum holds and whose bytes hash to their id, so a damaged entry costs at most its own object.
 */
public final class PackSalvage {
  /** How far back from the end the index's magic is looked for when the trailer does not lead to it. */
  private static final int SEARCH_WINDOW = 64 << 20;

  private PackSalvage() {}

  /** An opened damaged pack and the entries read from its index. Close the pack when done. */
  public record Found(PackFile pack, List<PackEntry> entries) {}

  /**
   * Finds the index of the pack at {@code path} and reads its entries, or returns null when no
   * index can be found (a truncated file, say, whose index was never written).
   *
   * @param algorithm the repository's object format (the pack's header may be damaged)
   */
  public static Found open(Path path, HashAlgorithm algorithm) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long len = ch.size();
      long indexOffset = locateIndex(ch, len);
      if (indexOffset < 0) {
        ch.close();
        return null;
      }
      int count = (int) ((len - PackFormat.TRAILER_SIZE - indexOffset - PackFormat.INDEX_HEADER_SIZE) / PackFormat.ENTRY_SIZE);
      byte[] index = PackFile.readFully(ch, indexOffset, PackFormat.INDEX_HEADER_SIZE + count * PackFormat.ENTRY_SIZE);
      List<PackEntry> entries = new ArrayList<>();
      Set<ObjectId> seen = new HashSet<>();
      for (int i = 0; i < count; i++) {
        PackEntry e = parse(index, i, indexOffset);
        if (e != null && seen.add(e.id())) {
          entries.add(e);
        }
      }
      return new Found(PackFile.openUnchecked(path, ch, algorithm, indexOffset, count), entries);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Where the index starts: where the trailer says, if an index fits there, else the nearest place
   * before the trailer holding the index magic and a count that fills the space to the trailer.
   * -1 if there is none.
   */
  private static long locateIndex(FileChannel ch, long len) throws IOException {
    long last = len - PackFormat.TRAILER_SIZE - PackFormat.INDEX_HEADER_SIZE; // an index of no entries
    if (last < PackFormat.HEADER_SIZE) {
      return -1;
    }
    long said = Bytes.u64(PackFile.readFully(ch, len - PackFormat.TRAILER_SIZE, 8), 0);
    if (said >= PackFormat.HEADER_SIZE && said <= last && fits(PackFile.readFully(ch, said, PackFormat.INDEX_HEADER_SIZE), 0, said, len)) {
      return said;
    }
    long from = Math.max(PackFormat.HEADER_SIZE, len - PackFormat.TRAILER_SIZE - SEARCH_WINDOW);
    byte[] tail = PackFile.readFully(ch, from, (int) (len - PackFormat.TRAILER_SIZE - from));
    for (long at = last; at >= from; at -= PackFormat.ENTRY_SIZE) {
      if (fits(tail, (int) (at - from), at, len)) {
        return at;
      }
    }
    return -1;
  }

  /** Whether {@code b[i..]}, at file offset {@code at}, starts an index whose count fills the space to the trailer. */
  private static boolean fits(byte[] b, int i, long at, long len) {
    for (int k = 0; k < 4; k++) {
      if (b[i + k] != PackFormat.INDEX_MAGIC.charAt(k)) {
        return false;
      }
    }
    long space = len - PackFormat.TRAILER_SIZE - at - PackFormat.INDEX_HEADER_SIZE;
    return space % PackFormat.ENTRY_SIZE == 0 && Bytes.u32(b, i + 4) * PackFormat.ENTRY_SIZE == space;
  }

  /** Entry {@code i}, or null if its fields cannot be right (an unknown type, a place outside the data). */
  private static PackEntry parse(byte[] index, int i, long indexOffset) {
    int p = PackFormat.entryOffset(i);
    ObjectType type = ObjectType.fromCode(index[p + PackFormat.ENTRY_TYPE] & 0xFF);
    long blockOffset = Bytes.u64(index, p + PackFormat.ENTRY_BLOCK_OFFSET);
    long blockLength = Bytes.u32(index, p + PackFormat.ENTRY_BLOCK_LENGTH);
    long offsetInBlock = Bytes.u32(index, p + PackFormat.ENTRY_OFFSET_IN_BLOCK);
    long length = Bytes.u32(index, p + PackFormat.ENTRY_LENGTH);
    if (type == null || !PackFormat.entryInBounds(blockOffset, blockLength, offsetInBlock, length, indexOffset)) {
      return null;
    }
    return new PackEntry(ObjectId.fromBytes(index, p), type, blockOffset, (int) blockLength, (int) offsetInBlock, (int) length);
  }
}
