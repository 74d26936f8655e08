package dev.cairn.errors;

/** Parents disagree about a path and the caller asked to fail on conflicts. */
public class ConflictException extends CairnException {
  public ConflictException(String message) {
    super(message);
  }

  /** A refusal whose advice differs by interface: see {@link Remedy}. */
  public ConflictException(String before, Remedy remedy, String after) {
    super(before, remedy, after);
  }
}
