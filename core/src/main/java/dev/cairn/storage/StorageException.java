package dev.cairn.storage;

import dev.cairn.errors.CairnException;

/**
 * A remote operation failed. {@link #isTransient()} tells whether retrying may help (timeouts,
 * throttling, connection resets) or not (missing file, denied access, bad configuration).
 */
public class StorageException extends CairnException {
  private final boolean transientFailure;

  public StorageException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public StorageException(String message, boolean transientFailure) {
    this(message, transientFailure, null);
  }

  public boolean isTransient() {
    return transientFailure;
  }

  /**
   * Whether {@code e} says that this process may not read or write a file of the remote (a file
   * of a shared folder another user made private, say), as opposed to a remote that failed.
   */
  public static boolean isAccessDenied(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.file.AccessDeniedException) {
        return true;
      }
    }
    return false;
  }

  /** A missing file: permanent. */
  public static StorageException notFound(String name) {
    return new StorageException("Cannot read " + name + ": no such file on the remote", false);
  }
}
