package dev.cairn.errors;

/** No dataset version matches the given id, prefix or name. */
public class DatasetNotFoundException extends CairnException {
  public DatasetNotFoundException(String message) {
    super(message);
  }
}
