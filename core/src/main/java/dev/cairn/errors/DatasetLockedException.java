package dev.cairn.errors;

/** Another process is changing the same dataset version; try again when it is done. */
public class DatasetLockedException extends CairnException {
  public DatasetLockedException(String message) {
    super(message);
  }
}
