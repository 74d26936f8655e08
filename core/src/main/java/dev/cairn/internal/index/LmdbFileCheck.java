package dev.cairn.internal.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks an LMDB data file before it is memory-mapped: LMDB trusts its file, and a truncated one
 * crashes the process (SIGBUS) instead of failing. Reads the two meta pages (LMDB 0.9 layout:
 * page header 16 bytes, then {@code mm_magic}, {@code mm_version}, {@code mm_address},
 * {@code mm_mapsize}, two {@code MDB_db} of 48 bytes, {@code mm_last_pg}, {@code mm_txnid}), takes
 * the newer valid one, and requires the file to reach its last page.
 */
final class LmdbFileCheck {
  private static final int MAGIC = 0xBEEFC0DE;
  private static final int PAGE_HEADER = 16;
  private static final int LAST_PAGE_OFFSET = PAGE_HEADER + 4 + 4 + 8 + 8 + 48 + 48;

  private LmdbFileCheck() {}

  /**
   * @throws DamagedIndexException naming the file if it cannot be a whole LMDB environment
   */
  static void check(Path dataFile) throws IOException {
    if (!Files.exists(dataFile)) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      long bestTxn = -1;
      long bestLastPage = -1;
      int pageSize = -1;
      for (int page = 0; page < 2; page++) {
        int ps = page == 0 ? 0 : pageSize;
        if (page == 1 && ps <= 0) {
          break;
        }
        ByteBuffer b = ByteBuffer.allocate(LAST_PAGE_OFFSET + 16).order(ByteOrder.nativeOrder());
        if (ch.read(b, (long) page * ps) < b.capacity()) {
          break;
        }
        b.flip();
        if (b.getInt(PAGE_HEADER) != MAGIC) {
          continue;
        }
        if (page == 0) {
          // The main database's pad field holds the page size in the first meta page.
          pageSize = b.getInt(PAGE_HEADER + 4 + 4 + 8 + 8);
        }
        long lastPage = b.getLong(LAST_PAGE_OFFSET);
        long txn = b.getLong(LAST_PAGE_OFFSET + 8);
        if (txn > bestTxn) {
          bestTxn = txn;
          bestLastPage = lastPage;
        }
      }
      if (bestTxn < 0 || pageSize < 512 || Integer.bitCount(pageSize) != 1) {
        // No valid meta page yet: a file another process is creating right now, or garbage that
        // LMDB itself refuses to open. Either way, not a reason to set the index aside here.
        return;
      }
      // LMDB grows the file before it commits a meta page that needs the growth, so the size read
      // after the meta pages is never too small for them, even while another process writes.
      long size = ch.size();
      if (size < (bestLastPage + 1) * pageSize) {
        throw new DamagedIndexException("Cannot open index: " + dataFile + " is truncated (" + size + " bytes, needs "
            + (bestLastPage + 1) * pageSize + ")", null);
      }
    }
  }
}
