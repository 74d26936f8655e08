package dev.cairn.errors;

import java.io.IOException;

/**
 * Base of Cairn's checked storage errors. Messages read {@code Cannot <action>: <reason> (<what>)}
 * and are fit to show a user as one line.
 */
public class CairnException extends IOException {
  /** The message as the command line says it, or null when it says it as the API does. */
  private final String commandLine;

  public CairnException(String message) {
    super(message);
    this.commandLine = null;
  }

  public CairnException(String message, Throwable cause) {
    super(message, cause);
    this.commandLine = null;
  }

  /** A message whose advice {@code remedy} differs by interface: {@code before}, the advice, {@code after}. */
  public CairnException(String before, Remedy remedy, String after) {
    super(before + remedy.api() + after);
    this.commandLine = before + remedy.cli() + after;
  }

  /** The message with its advice in the command line's words (its flags); the same as {@link #getMessage()} when it has none. */
  public String commandLineMessage() {
    return commandLine == null ? getMessage() : commandLine;
  }
}
