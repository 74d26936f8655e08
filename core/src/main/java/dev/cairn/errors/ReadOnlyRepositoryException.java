package dev.cairn.errors;

/**
 * The repository is on a read-only file system: its LMDB index cannot be opened there, even to
 * read (LMDB records its readers in the index). Not damage; nothing was changed.
 */
public class ReadOnlyRepositoryException extends CairnException {
  public ReadOnlyRepositoryException(String message) {
    super(message);
  }
}
