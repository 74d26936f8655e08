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
 * {@code mm_mapsize}, two {@code MDB_db} of 48 bytes (the free and the main database: pad, flags,
 * depth, branch, leaf and overflow page counts, entries, root), {@code mm_last_pg},
 * {@code mm_txnid}), takes the newer valid one, and requires the file to hold the pages it can
 * name for sure.
 *
 * <p>Not {@code mm_last_pg}: a healthy file may end short of it. Pages a transaction allocated at
 * the end and freed again before it committed ("loose" pages) are never written, so the file stays
 * short until a later write reaches them. The pages both databases use are written, distinct and
 * within the file: its two roots must lie in it, and it must have room for their page counts.
 */
final class LmdbFileCheck {
  private static final int MAGIC = 0xBEEFC0DE;
  private static final int PAGE_HEADER = 16;
  private static final int DBS_OFFSET = PAGE_HEADER + 4 + 4 + 8 + 8;
  private static final int DB_SIZE = 48;
  /** Within an {@code MDB_db}: its branch, leaf and overflow page counts, and its root. */
  private static final int DB_PAGES = 8;
  private static final int DB_ROOT = 40;
  private static final int LAST_PAGE_OFFSET = DBS_OFFSET + 2 * DB_SIZE;
  /** The root of an empty database. */
  private static final long NO_PAGE = -1L;

  private LmdbFileCheck() {}

  /**
   * @throws DamagedIndexException naming the file if it cannot be a whole LMDB environment
   */
  static void check(Path dataFile) throws IOException {
    if (!Files.exists(dataFile)) {
      return;
    }
    try {
      checkOpen(dataFile);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      // As every other read of the repository says it: the thread was interrupted, nothing is damaged.
      java.io.InterruptedIOException stop = new java.io.InterruptedIOException("interrupted while opening the index " + dataFile);
      stop.initCause(e);
      throw stop;
    }
  }

  private static void checkOpen(Path dataFile) throws IOException {
    try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
      long bestTxn = -1;
      ByteBuffer best = null;
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
          // The free database's pad field holds the page size, in the first meta page.
          pageSize = b.getInt(PAGE_HEADER + 4 + 4 + 8 + 8);
        }
        long txn = b.getLong(LAST_PAGE_OFFSET + 8);
        if (txn > bestTxn) {
          bestTxn = txn;
          best = b;
        }
      }
      if (best == null || pageSize < 512 || Integer.bitCount(pageSize) != 1) {
        // No valid meta page yet: a file another process is creating right now, or garbage that
        // LMDB itself refuses to open. Either way, not a reason to set the index aside here.
        return;
      }
      // The file only grows, and LMDB writes a transaction's pages before the meta page that
      // names them: read after the meta page, the size is never too small for it, even while
      // another process writes.
      long pages = ch.size() / pageSize;
      long used = 2; // the meta pages
      for (int db = 0; db < 2; db++) {
        int at = DBS_OFFSET + db * DB_SIZE;
        long root = best.getLong(at + DB_ROOT);
        if (root != NO_PAGE && (root < 2 || root >= pages)) {
          throw truncated(dataFile, ch.size(), "its " + (db == 0 ? "free" : "main") + " database's root is page " + root);
        }
        for (int count = 0; count < 3; count++) {
          used += best.getLong(at + DB_PAGES + 8 * count);
        }
      }
      if (used > pages) {
        throw truncated(dataFile, ch.size(), "its databases use " + used + " pages of " + pageSize + " bytes");
      }
    }
  }

  private static DamagedIndexException truncated(Path dataFile, long size, String why) {
    return new DamagedIndexException("Cannot open index: " + dataFile + " is truncated (" + size + " bytes, but " + why + ")", null);
  }
}
