package dev.cairn.cli;

import dev.cairn.dataset.Progress;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Hands what the library logs to {@code dev.cairn} at WARNING or above (where it warns without a
 * progress to warn through: an index set aside, say) to the command's progress, for as long as a
 * command runs: its warnings then read as the command's own ({@code cairn: warning: ...}, a
 * progress bar cleared first), not in the JDK's two-line format.
 */
final class LoggedWarnings extends Handler implements AutoCloseable {
  private static final Logger LIBRARY = Logger.getLogger("dev.cairn");

  private final Progress progress;
  private final boolean usedParents;

  private LoggedWarnings(Progress progress) {
    this.progress = progress;
    this.usedParents = LIBRARY.getUseParentHandlers();
    setLevel(Level.WARNING);
  }

  /** Sends the library's warnings to {@code progress} until closed. */
  static LoggedWarnings to(Progress progress) {
    LoggedWarnings h = new LoggedWarnings(progress);
    LIBRARY.addHandler(h);
    LIBRARY.setUseParentHandlers(false);
    return h;
  }

  @Override
  public void publish(LogRecord r) {
    if (isLoggable(r)) {
      progress.warn(r.getMessage());
    }
  }

  @Override
  public void flush() {
    // each warning is written whole
  }

  @Override
  public void close() {
    LIBRARY.removeHandler(this);
    LIBRARY.setUseParentHandlers(usedParents);
  }
}
