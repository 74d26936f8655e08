package dev.cairn.internal.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Words for what went wrong in a file-system call, for messages that name the file themselves. */
public final class IoErrors {
  private IoErrors() {}

  /** Whether {@code e} is the system's refusal to write to a file system mounted read-only (EROFS). */
  public static boolean isReadOnlyFileSystem(FileSystemException e) {
    return "Read-only file system".equals(e.getReason());
  }

  /**
   * Why {@code e} happened, without the file it names: "permission denied", or the system's own
   * words ("Operation not permitted", "Input/output error"); the message when there are none.
   */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "folder not empty";
    }
    if (e instanceof NotDirectoryException) {
      return "not a folder";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
