package dev.cairn.cli;

import dev.cairn.dataset.Progress;
import dev.cairn.manifest.DatasetPaths;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second. Off a terminal (a log, a
 * CI job), a command that runs long says how far its phase is on a line of its own, at most every
 * {@link #LOG_EVERY_MILLIS} while its work advances. Warnings always print.
 */
final class TerminalProgress implements Progress {
  /** How often a long phase is logged off a terminal: a short command prints nothing more. */
  static final long LOG_EVERY_MILLIS = 30_000;

  private final PrintWriter err;
  private final boolean draw;
  /** Off a terminal, how often a phase logs a line (0: never). */
  private final long logEvery;
  private final AtomicLong done = new AtomicLong();
  private volatile long total = -1;
  private volatile String task = "";
  private volatile long lastDraw;
  private volatile boolean drawn;
  private volatile long lastLog;
  /** Milliseconds, for the log's intervals (a test's own clock). */
  private final LongSupplier clock;

  private TerminalProgress(PrintWriter err, boolean draw) {
    this(err, draw, 0, System::currentTimeMillis);
  }

  TerminalProgress(PrintWriter err, boolean draw, long logEvery, LongSupplier clock) {
    this.err = err;
    this.draw = draw;
    this.logEvery = logEvery;
    this.clock = clock;
    this.lastLog = clock.getAsLong(); // bytes counted before a phase starts are not a phase that ran long
  }

  /** Whether stderr ends on a terminal, when the JVM's own console does not tell (the daemon's commands). */
  private static final ThreadLocal<Boolean> ASSUMED_TERMINAL = new ThreadLocal<>();

  /** Sets (or with null, forgets) what {@link #forTerminal} assumes on this thread. */
  static void assumeTerminal(Boolean terminal) {
    if (terminal == null) {
      ASSUMED_TERMINAL.remove();
    } else {
      ASSUMED_TERMINAL.set(terminal);
    }
  }

  static Progress forTerminal(PrintWriter err) {
    Boolean assumed = ASSUMED_TERMINAL.get();
    boolean terminal = assumed != null ? assumed : System.console() != null;
    boolean wanted = System.getenv("CAIRN_NO_PROGRESS") == null;
    return new TerminalProgress(err, terminal && wanted, !terminal && wanted ? LOG_EVERY_MILLIS : 0, System::currentTimeMillis);
  }

  static Progress quiet(PrintWriter err) {
    return new TerminalProgress(err, false);
  }

  @Override
  public void start(String task, long totalBytes) {
    this.task = task;
    this.total = totalBytes;
    done.set(0);
    // The interval runs on across phases: a command of several phases, each shorter than it, is
    // not silent for longer than it either.
    redraw(true);
  }

  @Override
  public void advance(long bytes) {
    done.addAndGet(bytes);
    redraw(false);
    log();
  }

  /** Off a terminal: a line saying how far the phase is, once {@link #logEvery} passed since the last (or the start). */
  private void log() {
    if (logEvery <= 0 || task.isEmpty() || clock.getAsLong() - lastLog < logEvery) {
      return;
    }
    synchronized (this) {
      long now = clock.getAsLong();
      if (now - lastLog < logEvery) {
        return;
      }
      lastLog = now;
      long d = done.get();
      long t = total;
      err.println("cairn: " + task + ": " + Format.bytes(d) + (t > 0 ? " of " + Format.bytes(t) + " (" + Math.min(100, d * 100 / t) + "%)" : ""));
      err.flush();
    }
  }

  @Override
  public synchronized void finish() {
    task = ""; // a late advance is of no phase
    clearBar();
  }

  private synchronized void clearBar() {
    if (draw && drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  @Override
  public synchronized void warn(String message) {
    if (draw) {
      // Whichever progress drew the bar on this line (a command may use several, one a step), the
      // warning starts on a clean line.
      drawn = true;
    }
    clearBar();
    err.println("cairn: warning: " + DatasetPaths.printable(message));
    err.flush();
  }

  /** From now on, an interruption says that the result stands, not that the command is to be run again. */
  @Override
  public void committed(String result) {
    Main.onInterruptSuggest("but " + result + ": there is nothing to run again");
  }

  private void redraw(boolean force) {
    if (!draw) {
      return;
    }
    long now = System.currentTimeMillis();
    if (!force && now - lastDraw < 100) {
      return;
    }
    synchronized (this) {
      lastDraw = now;
      long d = done.get();
      StringBuilder sb = new StringBuilder("\r\033[K").append(task);
      if (total > 0) {
        int width = 30;
        int filled = (int) Math.min(width, d * width / total);
        sb.append(" [").append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ")
            .append(Format.bytes(d)).append(" / ").append(Format.bytes(total));
      }
      err.print(sb);
      err.flush();
      drawn = true;
    }
  }
}
