package dev.cairn.errors;

/** The operation needs another state: changing a closed version, publishing a draft, ... */
public class DatasetStateException extends CairnException {
  public DatasetStateException(String message) {
    super(message);
  }
}
