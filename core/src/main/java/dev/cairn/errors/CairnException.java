package dev.cairn.errors;

import java.io.IOException;

/**
 * Base of Cairn's checked storage errors. Messages read {@code Cannot <action>: <reason> (<what>)}
 * and are fit to show a user as one line.
 */
public class CairnException extends IOException {
  public CairnException(String message) {
    super(message);
  }

  public CairnException(String message, Throwable cause) {
    super(message, cause);
  }
}
