package dev.cairn.errors;

/**
 * Another process or thread holds what this one needs: it is changing the same dataset version, or
 * copying into the same folder. Try again when it is done.
 */
public class DatasetLockedException extends CairnException {
  public DatasetLockedException(String message) {
    super(message);
  }
}
