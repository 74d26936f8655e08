package dev.cairn.storage.hadoop;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;

/**
 * Carries out one {@link CommitStyle}: makes a file appear under its final name whole, and (for
 * {@link #createIfAbsent}) only if no file has that name. Thread-safe.
 */
abstract class Committer {
  /** Bytes to write: a local file or an array. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  protected final FileSystem fs;
  /** Where temporary files go: {@code <root>/.tmp}, which listings skip. */
  protected final Path tmpDir;

  Committer(FileSystem fs, Path tmpDir) {
    this.fs = fs;
    this.tmpDir = tmpDir;
  }

  static Committer of(CommitStyle style, FileSystem fs, Path tmpDir) {
    return switch (style) {
      case RENAME -> new RenameCommitter(fs, tmpDir);
      case HARD_LINK -> new HardLinkCommitter(fs, tmpDir);
      case CONDITIONAL_PUT -> new ConditionalPutCommitter(fs, tmpDir);
      case LEASE -> new LeaseCommitter(fs, tmpDir);
    };
  }

  /**
   * Makes {@code content} appear whole at {@code target}. If another writer publishes the same
   * name meanwhile, either copy may stay (names are content addresses).
   */
  abstract void publish(Path target, Content content) throws IOException;

  /**
   * Creates {@code target} with {@code content} only if no file has that name.
   *
   * @return false if the name was taken; nothing was written then
   */
  abstract boolean createIfAbsent(Path target, Content content) throws IOException;

  /** A fresh temporary name. */
  protected Path newTemp() {
    return new Path(tmpDir, UUID.randomUUID() + ".tmp");
  }

  private static final Pattern TEMP_NAME =
      Pattern.compile("(^|/)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp$");

  /**
   * Whether {@code name} (a file name, or a path ending in one) is one {@link #newTemp} makes, or
   * the lock of {@link LeaseCommitter}.
   */
  static boolean isTempName(String name) {
    return TEMP_NAME.matcher(name).find() || name.equals(LeaseCommitter.LOCK_NAME) || name.endsWith("/" + LeaseCommitter.LOCK_NAME);
  }

  /**
   * Writes a temporary file whole, synced to storage where the stream can. A local file system's
   * {@link FSError} (a full disk) is thrown as the I/O error it carries.
   */
  protected void writeTemp(Path tmp, Content content) throws IOException {
    try {
      FSDataOutputStream out = fs.create(tmp, true);
      try {
        content.writeTo(out);
        if (out.hasCapability(StreamCapabilities.HSYNC)) {
          out.hsync();
        }
      } catch (IOException | RuntimeException | Error e) {
        closeAfter(out, e);
        throw e;
      }
      out.close();
    } catch (FSError e) {
      throw HadoopErrors.unwrap(e);
    }
  }

  /**
   * Closes {@code out} after {@code failure}, adding its own failure to that one unless it is the
   * very same: an HDFS stream throws its last error again when closed, which a try-with-resources
   * would add to itself ("Self-suppression not permitted", in place of the error).
   */
  static void closeAfter(FSDataOutputStream out, Throwable failure) {
    try {
      out.close();
    } catch (IOException | RuntimeException | Error e) {
      if (e != failure) {
        failure.addSuppressed(e);
      }
    }
  }

  /** Deletes a temporary file; a failure is added to {@code primary} or thrown. */
  protected void deleteTemp(Path tmp, Throwable primary) throws IOException {
    try {
      fs.delete(tmp, false);
    } catch (IOException e) {
      if (primary != null) {
        if (e != primary) { // a stream's last error, thrown again
          primary.addSuppressed(e);
        }
      } else {
        throw e;
      }
    }
  }

  /**
   * {@link #publish} for stores with an atomic rename that refuses an existing name: a rename
   * that fails because the name exists means another copy of the same bytes is there.
   */
  protected void publishByRename(Path target, Content content) throws IOException {
    viaTemp(content, tmp -> {
      ensureParent(target);
      if (!fs.rename(tmp, target) && !fs.exists(target)) {
        throw new IOException("rename of a temporary file to " + target.getName() + " failed");
      }
      return true;
    });
  }

  /** Makes sure the folder that will hold {@code target} exists (a no-op on object stores). */
  protected void ensureParent(Path target) throws IOException {
    Path parent = target.getParent();
    if (parent != null && !fs.exists(parent)) {
      fs.mkdirs(parent);
    }
  }

  /**
   * Writes a temporary file, runs {@code move} to put it in place, and removes the temporary file
   * whatever happened (after a successful move it is gone already).
   */
  protected boolean viaTemp(Content content, TempMove move) throws IOException {
    Path tmp = newTemp();
    Throwable failure = null;
    try {
      writeTemp(tmp, content);
      return move.apply(tmp);
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      deleteTemp(tmp, failure);
    }
  }

  /** Moves a written temporary file into place. */
  @FunctionalInterface
  protected interface TempMove {
    boolean apply(Path tmp) throws IOException;
  }
}
