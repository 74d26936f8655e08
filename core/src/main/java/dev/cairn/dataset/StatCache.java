package dev.cairn.dataset;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.IndexEnvironment;
import dev.cairn.internal.index.Lmdb;
import dev.cairn.internal.io.Bytes;
import dev.cairn.store.FileContent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * Remembers, per file on disk, the attributes it had when it was last hashed and what it hashed
 * to, so that adding or syncing an unchanged folder reads no file (like Git's index and restic's
 * parent snapshot). Derived data in LMDB ({@code stat-cache-2}, spec/datasets.md); losing it only
 * costs a rehash.
 *
 * <p>Keys are the hash of the file's folder followed by its name, so the files of one folder are
 * neighbours in the B-tree and a folder read in order reads the index in order: a sync of a
 * million files touches each index page once instead of once per file.
 *
 * <p>A file whose modification time is within {@link #RACY_MILLIS} of the moment it began to be read
 * (or later) is not remembered: it could change again within the file system's time granularity
 * without its attributes showing it. Thread-safe.
 */
final class StatCache {
  static final long RACY_MILLIS = 2_000;
  /** Name of the LMDB database. */
  static final String DATABASE = "stat-cache-2";
  /** The database of the first format (keyed by the hash of the whole path), dropped when seen. */
  private static final String OLD_DATABASE = "stat-cache";
  /** Bytes of a folder's hash at the start of each key. */
  private static final int FOLDER_HASH_BYTES = 16;
  // A value (spec/datasets.md, "stat-cache-2"): uint64(size) uint64(mtimeNanos) uint64(ctimeNanos) uint64(inode)
  // uint64(device) uint8(flags) id[32](digest), then id[32](file object) when CHUNKED.
  private static final int SIZE = 0;
  private static final int MTIME = 8;
  private static final int CTIME = 16;
  private static final int INODE = 24;
  private static final int DEVICE = 32;
  private static final int FLAGS = 40;
  private static final int DIGEST = 41;
  /** Bytes of a value up to its digest's end: a value without a file object. */
  private static final int VALUE_FIXED = DIGEST + ObjectId.LENGTH;
  /** Flag: the content is a file object, whose id follows the digest (else it is the digest). */
  private static final int CHUNKED = 1;
  /** Keys a lookup steps over before it searches from the root instead. */
  private static final int MAX_STEPS = 8;

  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> dbi;

  StatCache(IndexEnvironment environment) {
    this.env = environment.env();
    dropOldFormat();
    this.dbi = environment.dbi(DATABASE);
  }

  private void dropOldFormat() {
    byte[] old = OLD_DATABASE.getBytes(StandardCharsets.US_ASCII);
    if (env.getDbiNames().stream().anyMatch(n -> Arrays.equals(n, old))) {
      Dbi<ByteBuffer> dropped = env.openDbi(OLD_DATABASE);
      try (Txn<ByteBuffer> txn = env.txnWrite()) {
        dropped.drop(txn, true);
        txn.commit();
      }
    }
  }

  /** Keys of files in path order: the folder's hash is computed once per folder. */
  private static final class Keys {
    private Path folder;
    private byte[] folderHash;

    byte[] of(SourceFile f) {
      Path abs = f.file().toAbsolutePath();
      Path parent = abs.getParent();
      if (!parent.equals(folder)) {
        folder = parent;
        folderHash = HashAlgorithm.SHA256.hash(parent.toString().getBytes(StandardCharsets.UTF_8)).toBytes();
      }
      byte[] name = abs.getFileName().toString().getBytes(StandardCharsets.UTF_8);
      byte[] key = Arrays.copyOf(folderHash, FOLDER_HASH_BYTES + name.length);
      System.arraycopy(name, 0, key, FOLDER_HASH_BYTES, name.length);
      return key;
    }
  }

  /** The content {@code f} had when last hashed, if its attributes have not changed since; else null. */
  public FileContent lookup(SourceFile f) {
    return lookupAll(List.of(f)).get(0);
  }

  /**
   * {@link #lookup} for many files, in one read transaction; nulls where a file must be read.
   * Files given in path order are read with one cursor moving forward: the next file of a folder
   * is usually the next key, a step instead of a search from the root.
   */
  public List<FileContent> lookupAll(List<SourceFile> files) {
    List<FileContent> out = new ArrayList<>(files.size());
    Keys keys = new Keys();
    try (Txn<ByteBuffer> txn = env.txnRead(); Cursor<ByteBuffer> c = dbi.openCursor(txn)) {
      byte[] at = null; // the key under the cursor; null before the first search and past the last key
      for (SourceFile f : files) {
        byte[] key = keys.of(f);
        int cmp = 1;
        boolean settled = false;
        if (at != null && Arrays.compareUnsigned(at, key) < 0) {
          // Step forward. Landing on a greater key (or past the last) means the key is absent:
          // none lies between.
          for (int steps = 0; steps < MAX_STEPS && !settled; steps++) {
            at = c.next() ? Lmdb.key(c) : null;
            cmp = at == null ? 1 : Arrays.compareUnsigned(at, key);
            settled = cmp >= 0;
          }
        }
        if (!settled) {
          at = Lmdb.seek(c, key) ? Lmdb.key(c) : null;
          cmp = at == null ? 1 : Arrays.compareUnsigned(at, key);
        }
        out.add(cmp == 0 ? match(f, Lmdb.value(c)) : null);
      }
    }
    return out;
  }

  /**
   * The remembered content if every attribute matches. The key holds the folder's hash, not its
   * path; should two folders' hashes ever collide, the device, inode and change time (set by the
   * kernel on every write and rename) still tell the files apart.
   */
  private static FileContent match(SourceFile f, byte[] v) {
    if (v == null || v.length < VALUE_FIXED) {
      return null;
    }
    long size = Bytes.u64(v, SIZE);
    if (size != f.size() || Bytes.u64(v, MTIME) != f.mtimeNanos() || Bytes.u64(v, CTIME) != f.ctimeNanos()
        || Bytes.u64(v, INODE) != f.inode() || Bytes.u64(v, DEVICE) != f.device()) {
      return null;
    }
    ObjectId digest = ObjectId.fromBytes(v, DIGEST);
    boolean chunked = (v[FLAGS] & CHUNKED) != 0;
    if (chunked && v.length < VALUE_FIXED + ObjectId.LENGTH) {
      return null;
    }
    return new FileContent(size, digest, chunked ? ObjectId.fromBytes(v, VALUE_FIXED) : digest);
  }

  /**
   * Remembers what the files hashed to, in one transaction.
   *
   * @param readFrom when the first of them began to be read: one whose modification (or change)
   *     time is not {@link #RACY_MILLIS} older than that may have changed again after it was read
   *     within the same tick of a coarse clock (one second on many file systems), its attributes
   *     the same; it is not remembered. (The time of this call would not do: it comes after the
   *     whole batch, long after an early file was read.)
   */
  public void remember(List<Hashed> files, long readFrom) {
    Keys keys = new Keys();
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      for (Hashed h : files) {
        SourceFile f = h.file();
        if (readFrom - f.mtimeNanos() / 1_000_000 < RACY_MILLIS || readFrom - f.ctimeNanos() / 1_000_000 < RACY_MILLIS) {
          Lmdb.delete(dbi, txn, keys.of(f));
          continue;
        }
        boolean chunked = h.content().chunked();
        byte[] v = new byte[VALUE_FIXED + (chunked ? ObjectId.LENGTH : 0)];
        Bytes.putU64(v, SIZE, f.size());
        Bytes.putU64(v, MTIME, f.mtimeNanos());
        Bytes.putU64(v, CTIME, f.ctimeNanos());
        Bytes.putU64(v, INODE, f.inode());
        Bytes.putU64(v, DEVICE, f.device());
        v[FLAGS] = (byte) (chunked ? CHUNKED : 0);
        h.content().digest().copyTo(v, DIGEST);
        if (chunked) {
          h.content().content().copyTo(v, VALUE_FIXED);
        }
        Lmdb.put(dbi, txn, keys.of(f), v);
      }
      txn.commit();
    }
  }

  /** A file and what it hashed to. */
  public record Hashed(SourceFile file, FileContent content) {}
}
