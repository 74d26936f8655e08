package dev.cairn.dataset;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.IndexEnvironment;
import dev.cairn.internal.io.Bytes;
import dev.cairn.store.FileContent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * Remembers, per file on disk, the attributes it had when it was last hashed and what it hashed
 * to, so that adding or syncing an unchanged folder reads no file (like Git's index and restic's
 * parent snapshot). Derived data in LMDB ({@code stat-cache}); losing it only costs a rehash.
 *
 * <p>A file whose modification time is within {@link #RACY_MILLIS} of the moment it was hashed is
 * not remembered: it could change again within the file system's time granularity without its
 * attributes showing it.
 */
public final class StatCache {
  static final long RACY_MILLIS = 2_000;
  private static final int VALUE_FIXED = 8 * 6 + 1 + 32 + 32;

  private final Env<java.nio.ByteBuffer> env;
  private final Dbi<java.nio.ByteBuffer> dbi;

  StatCache(IndexEnvironment environment) {
    this.env = environment.env();
    this.dbi = environment.dbi("stat-cache");
  }

  private static byte[] key(SourceFile f) {
    return HashAlgorithm.SHA256.hash(f.file().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8)).toBytes();
  }

  /** The content {@code f} had when last hashed, if its attributes have not changed since; else null. */
  public FileContent lookup(SourceFile f) {
    return lookupAll(List.of(f)).get(0);
  }

  /** {@link #lookup} for many files, in one read transaction; nulls where a file must be read. */
  public List<FileContent> lookupAll(List<SourceFile> files) {
    List<FileContent> out = new java.util.ArrayList<>(files.size());
    try (Txn<java.nio.ByteBuffer> txn = env.txnRead()) {
      for (SourceFile f : files) {
        out.add(match(f, dev.cairn.internal.index.Lmdb.get(dbi, txn, key(f))));
      }
    }
    return out;
  }

  private static FileContent match(SourceFile f, byte[] v) {
    if (v == null || v.length < VALUE_FIXED) {
      return null;
    }
    long size = Bytes.u64(v, 0);
    long mtime = Bytes.u64(v, 8);
    long ctime = Bytes.u64(v, 16);
    long inode = Bytes.u64(v, 24);
    long device = Bytes.u64(v, 32);
    if (size != f.size() || mtime != f.mtimeNanos() || ctime != f.ctimeNanos() || inode != f.inode() || device != f.device()) {
      return null;
    }
    byte[] path = f.file().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
    if (!Arrays.equals(path, 0, path.length, v, VALUE_FIXED, v.length)) {
      return null;
    }
    return new FileContent(size, ObjectId.fromBytes(v, 49), ObjectId.fromBytes(v, 81));
  }

  /** Remembers what the files hashed to, in one transaction. */
  public void remember(List<Hashed> files) {
    long now = System.currentTimeMillis();
    try (Txn<java.nio.ByteBuffer> txn = env.txnWrite()) {
      for (Hashed h : files) {
        SourceFile f = h.file();
        if (now - f.mtimeNanos() / 1_000_000 < RACY_MILLIS || now - f.ctimeNanos() / 1_000_000 < RACY_MILLIS) {
          dev.cairn.internal.index.Lmdb.delete(dbi, txn, key(f));
          continue;
        }
        byte[] path = f.file().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        byte[] v = new byte[VALUE_FIXED + path.length];
        Bytes.putU64(v, 0, f.size());
        Bytes.putU64(v, 8, f.mtimeNanos());
        Bytes.putU64(v, 16, f.ctimeNanos());
        Bytes.putU64(v, 24, f.inode());
        Bytes.putU64(v, 32, f.device());
        Bytes.putU64(v, 40, now);
        v[48] = 1;
        h.content().digest().copyTo(v, 49);
        h.content().content().copyTo(v, 81);
        System.arraycopy(path, 0, v, VALUE_FIXED, path.length);
        dev.cairn.internal.index.Lmdb.put(dbi, txn, key(f), v);
      }
      txn.commit();
    }
  }

  /** A file and what it hashed to. */
  public record Hashed(SourceFile file, FileContent content) {}
}
