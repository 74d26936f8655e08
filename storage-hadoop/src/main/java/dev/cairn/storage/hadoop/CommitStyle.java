package dev.cairn.storage.hadoop;

import dev.cairn.storage.StorageException;
import java.io.IOException;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.azure.NativeAzureFileSystem;

/**
 * How a backend makes a file appear whole ({@code publish}) and appear only once
 * ({@code createIfAbsent}); chosen per file system from its capabilities and scheme. See the
 * storage-hadoop README for the reasoning per store.
 */
public enum CommitStyle {
  /**
   * Write a temporary file, then rename it onto the name; the rename fails if the name exists.
   * Atomic where rename is a single metadata operation that refuses an existing destination: HDFS
   * (and WebHDFS, ViewFS over HDFS), ABFS on hierarchical-namespace accounts.
   */
  RENAME,
  /**
   * Write a temporary file, then hard-link it to the name ({@code link(2)} fails if the name
   * exists); local and network folders through Hadoop's raw local file system.
   */
  HARD_LINK,
  /**
   * One upload straight to the name that the store commits only if no object has it: S3A's
   * {@code If-None-Match: *} ({@code fs.option.create.conditional.overwrite}), or a create with
   * {@code overwrite=false} that the store checks when the upload completes (GCS's
   * {@code ifGenerationMatch=0}). No rename, no temporary objects.
   */
  CONDITIONAL_PUT,
  /**
   * WASB has no conditional create (its {@code create(path, false)} checks, then writes) and shows
   * an empty placeholder at the name while a file is written: creators serialize on a blob lease of
   * a lock blob, check, write a temporary blob and rename it (a server-side copy) onto the name.
   */
  LEASE;

  /** The path capability S3A declares when conditional create is enabled. */
  static final String CONDITIONAL_CREATE_CAPABILITY = Options.CreateFileOptionKeys.FS_OPTION_CREATE_CONDITIONAL_OVERWRITE;

  /**
   * The style for {@code fs} rooted at {@code root}.
   *
   * @throws StorageException (permanent) for an S3 client without conditional create
   */
  static CommitStyle of(FileSystem fs, Path root) throws IOException {
    String scheme = fs.getUri().getScheme().toLowerCase(Locale.ROOT);
    if (fs.hasPathCapability(root, CONDITIONAL_CREATE_CAPABILITY)) {
      return CONDITIONAL_PUT;
    }
    switch (scheme) {
      case "s3a":
        throw new StorageException("Cannot open " + HadoopErrors.redactUri(root.toUri())
            + ": this S3A client cannot create files only if absent (needs hadoop-aws 3.4.2 or later and "
            + HadoopConf.S3A_CONDITIONAL_CREATE + "=true), which Cairn needs for its records", false);
      case "gs":
        return CONDITIONAL_PUT;
      case "wasb":
      case "wasbs":
        if (fs instanceof NativeAzureFileSystem) {
          return LEASE;
        }
        return RENAME;
      case "file":
        return fs instanceof RawLocalFileSystem ? HARD_LINK : RENAME;
      default:
        return RENAME;
    }
  }

  /** Whether this style writes whole files through a temporary name. */
  boolean usesTemporaryFiles() {
    return this != CONDITIONAL_PUT;
  }
}
