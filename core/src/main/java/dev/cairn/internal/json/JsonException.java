package dev.cairn.internal.json;

/** Text that is not the JSON expected. */
public final class JsonException extends Exception {
  public JsonException(String message) {
    super(message);
  }
}
