package dev.cairn.cli;

import java.io.PrintWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Prints what the library logs to {@code dev.cairn} at WARNING or above (where it warns without a
 * progress to warn through: an index set aside, say) as the command's own warnings, for as long
 * as a command runs: {@code cairn: warning: ...} on its error stream, not the JDK's two-line format.
 */
final class LoggedWarnings extends Handler implements AutoCloseable {
  private static final Logger LIBRARY = Logger.getLogger("dev.cairn");

  private final PrintWriter err;
  private final boolean usedParents;

  private LoggedWarnings(PrintWriter err) {
    this.err = err;
    this.usedParents = LIBRARY.getUseParentHandlers();
    setLevel(Level.WARNING);
  }

  /** Sends the library's warnings to {@code err} until closed. */
  static LoggedWarnings to(PrintWriter err) {
    LoggedWarnings h = new LoggedWarnings(err);
    LIBRARY.addHandler(h);
    LIBRARY.setUseParentHandlers(false);
    return h;
  }

  @Override
  public void publish(LogRecord r) {
    if (isLoggable(r)) {
      err.println("cairn: warning: " + r.getMessage());
      err.flush();
    }
  }

  @Override
  public void flush() {
    err.flush();
  }

  @Override
  public void close() {
    LIBRARY.removeHandler(this);
    LIBRARY.setUseParentHandlers(usedParents);
  }
}
