package dev.cairn.errors;

/** The operation needs another state: changing a closed version, publishing a draft, ... */
public class DatasetStateException extends CairnException {
  public DatasetStateException(String message) {
    super(message);
  }

  /** A refusal whose advice differs by interface: see {@link Remedy}. */
  public DatasetStateException(String before, Remedy remedy, String after) {
    super(before, remedy, after);
  }
}
