package dev.cairn.errors;

/**
 * Input that Cairn refuses: a path that escapes the dataset, a file that changed while it was read,
 * a name with forbidden characters, a missing source folder. Nothing was changed.
 */
public class InvalidInputException extends CairnException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A refusal whose advice differs by interface: see {@link Remedy}. */
  public InvalidInputException(String before, Remedy remedy, String after) {
    super(before, remedy, after);
  }
}
