package dev.cairn.storage.hadoop;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@link CommitStyle#RENAME}: temporary file, then {@link FileSystem#rename}, which on HDFS is one
 * NameNode operation that returns false (and changes nothing) when the destination file exists.
 */
final class RenameCommitter extends Committer {
  RenameCommitter(FileSystem fs, Path tmpDir) {
    super(fs, tmpDir);
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
      if (fs.rename(tmp, target)) {
        return true;
      }
      if (fs.exists(target)) {
        return false;
      }
      throw new IOException("rename of a temporary file to " + target.getName() + " failed");
    });
  }
}
