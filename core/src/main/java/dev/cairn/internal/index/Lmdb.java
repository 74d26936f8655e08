package dev.cairn.internal.index;

import java.nio.ByteBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

/**
 * Byte-array access to LMDB through direct buffers that stay reachable for the whole native call.
 * (lmdbjava's byte-array proxy hands LMDB memory that the garbage collector may free during the
 * call, which crashed writers under load; these buffers are per thread and never freed.) Values
 * returned are copies, valid after the transaction ends.
 */
public final class Lmdb {
  private static final int KEY_CAPACITY = 512;
  private static final ThreadLocal<ByteBuffer> KEY = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(KEY_CAPACITY));
  private static final ThreadLocal<ByteBuffer> VALUE = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 12));

  private Lmdb() {}

  /** The calling thread's key buffer, holding {@code key}. */
  static ByteBuffer key(byte[] key) {
    if (key.length == 0 || key.length > KEY_CAPACITY - 1) {
      throw new IllegalArgumentException("LMDB keys hold 1 to 511 bytes, not " + key.length);
    }
    ByteBuffer b = KEY.get();
    b.clear();
    b.put(key).flip();
    return b;
  }

  private static ByteBuffer value(byte[] value) {
    ByteBuffer b = VALUE.get();
    if (b.capacity() < value.length) {
      // The next power of two, for fewer reallocations; past 1 GiB (where it would overflow) the length itself.
      int capacity = value.length > (1 << 30) ? value.length : Integer.highestOneBit(value.length - 1) << 1;
      b = ByteBuffer.allocateDirect(Math.max(capacity, value.length));
      VALUE.set(b);
    }
    b.clear();
    b.put(value).flip();
    return b;
  }

  /** A copy of the remaining bytes of {@code b}. */
  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** The value at {@code key}, copied, or null. */
  public static byte[] get(Dbi<ByteBuffer> dbi, Txn<ByteBuffer> txn, byte[] key) {
    ByteBuffer v = dbi.get(txn, key(key));
    return v == null ? null : bytes(v);
  }

  /** Stores {@code value} at {@code key}; false if {@code MDB_NOOVERWRITE} found the key taken. */
  public static boolean put(Dbi<ByteBuffer> dbi, Txn<ByteBuffer> txn, byte[] key, byte[] value, PutFlags... flags) {
    return dbi.put(txn, key(key), value(value), flags);
  }

  /** Deletes {@code key}; false if it was absent. */
  public static boolean delete(Dbi<ByteBuffer> dbi, Txn<ByteBuffer> txn, byte[] key) {
    return dbi.delete(txn, key(key));
  }

  /** Positions {@code c} at the first key at or after {@code key}. */
  public static boolean seek(Cursor<ByteBuffer> c, byte[] key) {
    return c.get(key(key), GetOp.MDB_SET_RANGE);
  }

  /** The cursor's current key, copied. */
  public static byte[] key(Cursor<ByteBuffer> c) {
    return bytes(c.key());
  }

  /** The cursor's current value, copied. */
  public static byte[] value(Cursor<ByteBuffer> c) {
    return bytes(c.val());
  }
}
