package dev.cairn.internal.index;

import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Txn;

/**
 * Sorted runs of {@code objects} records that wait, each in one LMDB value, to be merged into the
 * {@code objects} B-tree in bulk: a log-structured level between the pending packs and the tree.
 *
 * <p>Ids are random, so every record put into the large B-tree copies its own leaf page and the
 * pages above it (about 8 KiB of writes per object). A run is written as a few contiguous overflow
 * pages instead, about 57 bytes a record. Runs merge with each other so that they stay few (each
 * run holds more than twice the records of the next newer one), and all of them go into the tree
 * once they hold more than an eighth of it: by then most of the tree's leaves take several records
 * each, so a record costs a few hundred bytes of writes wherever it goes.
 *
 * <p>A run also lists the packs its records name, by name and number: they enter the {@code packs}
 * table (random names, so one leaf page each) only with the run's records, in bulk.
 *
 * <p>The table {@code object-runs} maps uint32(run number), newer runs numbered higher, to
 * uint32(pack count), the packs as {@code name[32] uint32(number)} sorted by name, then records of
 * {@code id[32]} followed by the 25-byte {@code objects} value, sorted by id, each id once. Readers
 * search the runs in place, in LMDB's memory map: the buffers of a {@link Run} from {@link #in} are
 * valid while its transaction is open. See spec/repository.md.
 */
final class ObjectRuns {
  static final int RECORD_SIZE = ObjectId.LENGTH + ObjectIndex.VALUE_SIZE;
  /** A pack in a run's list: its name as 32 raw bytes, then uint32(number). */
  static final int PACK_SIZE = 32 + 4;
  /** Runs merge into {@code objects} once they hold more than this many records, or an eighth of it. */
  static final long MIN_TREE_MERGE = 4096;

  private final Dbi<ByteBuffer> dbi;
  private final long minTreeMerge;

  ObjectRuns(Dbi<ByteBuffer> dbi, long minTreeMerge) {
    this.dbi = dbi;
    this.minTreeMerge = minTreeMerge;
  }

  /** One run: its list of packs and its records, each a buffer whose limit is its length. */
  record Run(ByteBuffer packs, ByteBuffer records) {
    /** The run stored as {@code value}. */
    static Run of(ByteBuffer value) {
      ByteBuffer v = value.duplicate().order(ByteOrder.BIG_ENDIAN);
      int packsEnd = 4 + v.getInt(0) * PACK_SIZE;
      return new Run(v.slice(4, packsEnd - 4), v.slice(packsEnd, v.limit() - packsEnd));
    }

    /** The number of the pack {@code rawName} (32 bytes) in this run's list, or -1. */
    int packNumber(byte[] rawName) {
      int lo = 0;
      int hi = packs.limit() / PACK_SIZE;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        int c = Arrays.compareUnsigned(name(mid * PACK_SIZE), rawName);
        if (c == 0) {
          return packs.getInt(mid * PACK_SIZE + 32);
        } else if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return -1;
    }

    /** The raw name of the pack listed at {@code offset}. */
    byte[] name(int offset) {
      byte[] raw = new byte[32];
      packs.get(offset, raw);
      return raw;
    }
  }

  /** The runs as of {@code txn}, newest first, read in place in LMDB's map: valid while it is open. */
  List<Run> in(Txn<ByteBuffer> txn) {
    List<Run> out = new ArrayList<>(4);
    try (Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
      for (boolean ok = c.last(); ok; ok = c.prev()) {
        out.add(Run.of(c.val()));
      }
    }
    return out;
  }

  /** Offset of the record of the id {@code key} ({@link #key}) in a run's {@code records}, or -1. */
  static int find(ByteBuffer run, long[] key) {
    int at = lowerBound(run, key);
    return at < run.limit() && compare(run, at, key) == 0 ? at : -1;
  }

  /** Offset of the first record in {@code run} whose id is not below {@code id} (the limit if none). */
  static int lowerBound(ByteBuffer run, ObjectId id) {
    return lowerBound(run, key(id));
  }

  private static int lowerBound(ByteBuffer run, long[] key) {
    int lo = 0;
    int hi = run.limit() / RECORD_SIZE;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(run, mid * RECORD_SIZE, key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo * RECORD_SIZE;
  }

  /** The id as four big-endian words, the order of its bytes: what {@link #find} looks for. */
  static long[] key(ObjectId id) {
    ByteBuffer b = ByteBuffer.wrap(id.toBytes());
    return new long[] {b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24)};
  }

  private static int compare(ByteBuffer run, int offset, long[] key) {
    for (int i = 0; i < key.length; i++) {
      int c = Long.compareUnsigned(run.getLong(offset + 8 * i), key[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The id of the record at {@code offset}. */
  static ObjectId id(ByteBuffer run, int offset) {
    byte[] raw = new byte[ObjectId.LENGTH];
    run.get(offset, raw);
    return ObjectId.fromBytes(raw);
  }

  /**
   * Adds a run of {@code packs} (sorted by name) and {@code records} (sorted, each id once) in the
   * write transaction {@code txn}, merging it with the newest runs while the newest holds at most
   * twice its records.
   */
  void add(Txn<ByteBuffer> txn, byte[] packs, byte[] records) {
    if (records.length == 0 && packs.length == 0) {
      return;
    }
    Taken run = new Taken(packs, records);
    int number = 1;
    try (Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
      while (c.last()) {
        Run newest = Run.of(c.val());
        if (newest.records().limit() > 2L * run.records().length) {
          number = (int) Bytes.u32(Lmdb.key(c), 0) + 1;
          break;
        }
        run = Taken.of(newest).merge(run);
        c.delete();
      }
    }
    Lmdb.put(dbi, txn, u32(number), run.value());
  }

  /** Whether the runs, holding {@code records} in all, are due to go into a tree of {@code treeEntries}. */
  boolean due(long records, long treeEntries) {
    return records > Math.max(minTreeMerge, treeEntries / 8);
  }

  /** Number of records in all runs (an id in two runs counts twice). */
  long records(Txn<ByteBuffer> txn) {
    long n = 0;
    for (Run run : in(txn)) {
      n += run.records().limit() / RECORD_SIZE;
    }
    return n;
  }

  /** Takes every run out in the write transaction {@code txn}; returns them merged into one. */
  Taken takeAll(Txn<ByteBuffer> txn) {
    Taken all = new Taken(new byte[0], new byte[0]);
    try (Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
      for (boolean ok = c.first(); ok; ok = c.next()) {
        all = all.merge(Taken.of(Run.of(c.val())));
      }
    }
    clear(txn);
    return all;
  }

  /** Empties the table in the write transaction {@code txn}. */
  void clear(Txn<ByteBuffer> txn) {
    dbi.drop(txn);
  }

  /** A run copied out of LMDB: its packs and its records, sorted. */
  record Taken(byte[] packs, byte[] records) {
    static Taken of(Run run) {
      return new Taken(Lmdb.bytes(run.packs()), Lmdb.bytes(run.records()));
    }

    /** This run merged with a newer one; for a key in both, this one's entry stays. */
    Taken merge(Taken newer) {
      return new Taken(mergeSorted(packs, newer.packs, PACK_SIZE), mergeSorted(records, newer.records, RECORD_SIZE));
    }

    /** The LMDB value storing this run. */
    byte[] value() {
      byte[] out = new byte[4 + packs.length + records.length];
      Bytes.putU32(out, 0, packs.length / PACK_SIZE);
      System.arraycopy(packs, 0, out, 4, packs.length);
      System.arraycopy(records, 0, out, 4 + packs.length, records.length);
      return out;
    }
  }

  /**
   * Merges two arrays of entries of {@code size} bytes sorted by their first 32 bytes; for a key
   * in both, the entry of {@code older} stays.
   */
  static byte[] mergeSorted(byte[] older, byte[] newer, int size) {
    byte[] out = new byte[older.length + newer.length];
    int a = 0;
    int b = 0;
    int n = 0;
    while (a < older.length || b < newer.length) {
      int c = a == older.length ? 1 : b == newer.length ? -1 : ObjectId.compareRaw(older, a, newer, b);
      if (c <= 0) {
        System.arraycopy(older, a, out, n, size);
        a += size;
        b += c == 0 ? size : 0;
      } else {
        System.arraycopy(newer, b, out, n, size);
        b += size;
      }
      n += size;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  private static byte[] u32(int v) {
    byte[] b = new byte[4];
    Bytes.putU32(b, 0, v);
    return b;
  }
}
