package dev.cairn.storage.hadoop;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.HardLink;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * {@link CommitStyle#HARD_LINK}: on Hadoop's raw local file system {@code rename} replaces an
 * existing destination and {@code create(overwrite=false)} checks then opens, so neither can decide
 * a race; a hard link ({@link HardLink#createHardLink}, {@code link(2)}) fails atomically if the name
 * exists, on local disks and NFS alike.
 */
final class HardLinkCommitter extends Committer {
  private final RawLocalFileSystem local;

  HardLinkCommitter(FileSystem fs, Path tmpDir) {
    super(fs, tmpDir);
    this.local = (RawLocalFileSystem) fs;
  }

  @Override
  void publish(Path target, Content content) throws IOException {
    createIfAbsent(target, content); // a name published meanwhile (same name, same bytes) is left alone
  }

  @Override
  boolean createIfAbsent(Path target, Content content) throws IOException {
    if (fs.exists(target)) {
      return false;
    }
    return viaTemp(content, tmp -> {
      ensureParent(target);
      File file = local.pathToFile(tmp);
      File link = local.pathToFile(target);
      try {
        HardLink.createHardLink(file, link);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    });
  }
}
