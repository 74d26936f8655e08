package dev.cairn.storage.hadoop;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.AWSServiceIOException;
import org.apache.hadoop.fs.s3a.RemoteFileChangedException;

/**
 * {@link CommitStyle#CONDITIONAL_PUT}: one upload to the final name. Object stores make an object
 * visible only when its upload completes, so readers never see a part; the store refuses the
 * upload if the name exists. On S3A that is {@code createFile(path).overwrite(false)
 * .must("fs.option.create.conditional.overwrite", true)}: {@code If-None-Match: *} on the PUT (or
 * on completing a multipart upload), answered 412 when the key exists; elsewhere (GCS) a plain
 * {@code create(path, false)}, whose store checks at completion.
 */
final class ConditionalPutCommitter extends Committer {
  private final boolean s3aConditional;

  ConditionalPutCommitter(FileSystem fs, Path tmpDir) {
    super(fs, tmpDir);
    this.s3aConditional = hasConditionalCapability(fs, tmpDir);
  }

  private static boolean hasConditionalCapability(FileSystem fs, Path p) {
    try {
      return fs.hasPathCapability(p, CommitStyle.CONDITIONAL_CREATE_CAPABILITY);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  void publish(Path target, Content content) throws IOException {
    // A concurrent publisher of the same name wrote the same bytes: losing the race is success.
    put(target, content);
  }

  @Override
  boolean createIfAbsent(Path target, Content content) throws IOException {
    return put(target, content);
  }

  private boolean put(Path target, Content content) throws IOException {
    FSDataOutputStream out;
    try {
      out = s3aConditional
          ? (FSDataOutputStream) fs.createFile(target).overwrite(false).must(CommitStyle.CONDITIONAL_CREATE_CAPABILITY, true).build()
          : fs.create(target, false);
    } catch (IOException e) {
      if (isTaken(e)) {
        return false;
      }
      throw e;
    }
    try {
      try {
        content.writeTo(out);
      } catch (IOException | RuntimeException e) {
        abort(out, e);
        throw e;
      }
      out.close();
      return true;
    } catch (IOException e) {
      if (isTaken(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Drops an upload that failed part way, so that nothing appears. A stream that cannot abort
   * (the GCS connector's) is left unclosed: its close would complete the upload with the bytes it
   * had, an object cut short under its final name. The store discards an upload never completed.
   */
  private static void abort(FSDataOutputStream out, Exception cause) {
    if (!out.hasCapability("fs.capability.outputstream.abortable")) {
      return;
    }
    try {
      out.abort();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Whether the store refused the upload because the name exists (HTTP 412, or a Hadoop "exists"). */
  static boolean isTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileAlreadyExistsException || t instanceof java.nio.file.FileAlreadyExistsException) {
        return true;
      }
      if (t instanceof RemoteFileChangedException) {
        return true;
      }
      if (t instanceof AWSServiceIOException s && s.statusCode() == 412) {
        return true;
      }
      if (t instanceof software.amazon.awssdk.awscore.exception.AwsServiceException s && s.statusCode() == 412) {
        return true;
      }
    }
    return false;
  }
}
