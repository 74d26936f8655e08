package dev.cairn.internal.concurrent;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks of this process's threads, one per key, each kept only while a thread holds it or waits
 * for it: a long-running process (a daemon, a web server) would otherwise keep one for every key
 * it ever locked. A thread {@linkplain #enter enters} a key's entry, locks it, and ends with
 * {@link Entry#release} (or {@link Entry#leave} if it never got the lock).
 *
 * @param <K> the key
 */
public final class LockTable<K> {
  private final ConcurrentMap<K, Entry<K>> entries = new ConcurrentHashMap<>();

  /** The entry of {@code key}, made if there is none, counted as used by one more thread. */
  public Entry<K> enter(K key) {
    return entries.compute(key, (k, e) -> {
      Entry<K> out = e == null ? new Entry<>(this, k) : e;
      out.users++;
      return out;
    });
  }

  /** How many keys have an entry. */
  public int size() {
    return entries.size();
  }

  /** The lock of one key, which tells its owner. */
  public static final class Entry<K> extends ReentrantLock {
    private final LockTable<K> table;
    private final K key;
    /** The threads that hold it, wait for it or are about to: changed only inside the table's compute for its key. */
    private int users;

    private Entry(LockTable<K> table, K key) {
      this.table = table;
      this.key = key;
    }

    /** The thread that holds it, or null. */
    public Thread owner() {
      return getOwner();
    }

    /** Gives up this thread's use of the entry without unlocking it; the entry goes with its last user. */
    public void leave() {
      table.entries.computeIfPresent(key, (k, e) -> e != this || --e.users > 0 ? e : null);
    }

    /** Unlocks, then leaves. */
    public void release() {
      unlock();
      leave();
    }
  }
}
