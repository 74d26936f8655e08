package dev.cairn.dataset;

/**
 * Receives progress of long operations. Implementations must be thread-safe: workers report from
 * several threads. The library never prints (without one, warnings go to the platform logger,
 * {@link #LOGGED}); the command line draws a bar from these calls.
 */
public interface Progress {
  /** Does nothing: warnings too are dropped. */
  Progress NONE = new Progress() {};

  /**
   * Shows no progress, and hands warnings to the platform logger {@code dev.cairn}
   * ({@link System#getLogger}, at {@code WARNING}): what the methods without a progress use, so that
   * a file skipped by an add is never skipped silently.
   */
  Progress LOGGED = new Progress() {
    @Override
    public void warn(String message) {
      System.getLogger("dev.cairn").log(System.Logger.Level.WARNING, message);
    }
  };

  /**
   * {@code p}, or {@link #LOGGED} for null: every method that takes a progress takes null as none,
   * its warnings logged.
   */
  static Progress orNone(Progress p) {
    return p == null ? LOGGED : p;
  }

  /** A phase starts: {@code totalBytes} of work (or -1 if unknown), described by {@code task}. */
  default void start(String task, long totalBytes) {}

  /** {@code bytes} more of the current phase are done. */
  default void advance(long bytes) {}

  /**
   * The current phase is over, done or failed: every {@link #start} gets its {@code finish}, also
   * when the operation throws (from a callback too).
   */
  default void finish() {}

  /** Something skipped that the user should hear about (a special file, a broken link). */
  default void warn(String message) {}

  /**
   * What the operation set out to do now stands ({@code result}, e.g. "the copy in DIR is
   * complete"): what follows is cleanup, which an interruption may cut short without undoing it.
   */
  default void committed(String result) {}
}
