package dev.cairn.storage.hadoop;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.azure.NativeAzureFileSystem;
import org.apache.hadoop.fs.azure.SelfRenewingLease;

/**
 * {@link CommitStyle#LEASE}, for WASB. Its {@code create(path, false)} is a check followed by an
 * unconditional write, and while a file is being written WASB leaves an empty placeholder blob at
 * its name; so files are written under {@code .tmp/} and renamed (a server-side copy) onto the name,
 * and creators of names serialize on an exclusive blob lease of {@code .tmp/create.lock}, held while
 * they check for the name and rename. The lease renews itself every 40 s and lapses 60 s after a
 * holder dies, so a crashed writer delays others by at most a minute.
 */
final class LeaseCommitter extends Committer {
  /** The blob whose lease creators of names hold, in the temporary folder. */
  static final String LOCK_NAME = "create.lock";

  private final NativeAzureFileSystem wasb;
  private final Path lock;

  LeaseCommitter(FileSystem fs, Path tmpDir) {
    super(fs, tmpDir);
    this.wasb = (NativeAzureFileSystem) fs;
    this.lock = new Path(tmpDir, LOCK_NAME);
  }

  @Override
  void publish(Path target, Content content) throws IOException {
    publishByRename(target, content);
  }

  @Override
  boolean createIfAbsent(Path target, Content content) throws IOException {
    if (fs.exists(target)) {
      return false;
    }
    return viaTemp(content, tmp -> {
      ensureParent(target);
      SelfRenewingLease lease = acquire();
      Throwable failure = null;
      try {
        if (fs.exists(target)) {
          return false;
        }
        if (!fs.rename(tmp, target)) {
          throw new IOException("rename of a temporary file to " + target.getName() + " failed");
        }
        return true;
      } catch (IOException | RuntimeException e) {
        failure = e;
        throw e;
      } finally {
        release(lease, failure);
      }
    });
  }

  private SelfRenewingLease acquire() throws IOException {
    if (!fs.exists(lock)) {
      try {
        fs.create(lock, false).close();
      } catch (IOException e) {
        // Another writer created it (or holds a lease on it) meanwhile.
        if (!fs.exists(lock)) {
          throw e;
        }
      }
    }
    return wasb.acquireLease(lock);
  }

  private static void release(SelfRenewingLease lease, Throwable failure) throws IOException {
    try {
      lease.free();
    } catch (Exception e) {
      IOException io = new IOException("Cannot release the create lease", e);
      if (failure != null) {
        failure.addSuppressed(io);
      } else {
        throw io;
      }
    }
  }
}
