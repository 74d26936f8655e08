package dev.cairn.errors;

/**
 * A storage location that names no remote Cairn can reach, whatever is there: a malformed URI, or
 * a scheme no provider supports. Unlike a remote that cannot be read right now, retrying or
 * falling back to a local copy does not make it right.
 */
public class BadStorageLocationException extends InvalidInputException {
  public BadStorageLocationException(String message) {
    super(message);
  }
}
