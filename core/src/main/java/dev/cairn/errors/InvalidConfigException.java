package dev.cairn.errors;

/** A repository config holds a value Cairn cannot use. */
public class InvalidConfigException extends CairnException {
  public InvalidConfigException(String message) {
    super(message);
  }
}
