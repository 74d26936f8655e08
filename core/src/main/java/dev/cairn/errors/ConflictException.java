package dev.cairn.errors;

/** Parents disagree about a path and the caller asked to fail on conflicts. */
public class ConflictException extends CairnException {
  public ConflictException(String message) {
    super(message);
  }
}
