package dev.cairn.cli;

import dev.cairn.dataset.Progress;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress that says each step on its own lines, when it starts and when it ends ({@code
 * --verbose}). A step's end is said once it is known to have succeeded: when the next step starts,
 * a warning is said, or the command ends well ({@link #commandEnded}); a step ended by a failure is
 * said to have stopped (the core ends a step on a failure too, and cannot say which it was).
 */
final class StepLog implements Progress {
  private final PrintWriter err;
  private final AtomicLong done = new AtomicLong();
  private String task;
  private long startNanos;
  /** The last step that ended, until it is known how: its name, and its time and bytes. */
  private String endedTask;
  private String endedFigures;

  StepLog(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void start(String task, long totalBytes) {
    finish(); // a step left open ends where the next begins
    sayEnded("done in");
    this.task = task;
    this.startNanos = System.nanoTime();
    done.set(0);
    err.println("cairn: " + task + (totalBytes > 0 ? " (" + Format.bytes(totalBytes) + ")" : "") + " ...");
    err.flush();
  }

  @Override
  public void advance(long bytes) {
    done.addAndGet(bytes);
  }

  @Override
  public synchronized void finish() {
    if (task != null) {
      long millis = (System.nanoTime() - startNanos) / 1_000_000;
      long bytes = done.get();
      endedTask = task;
      endedFigures = Format.duration(millis) + (bytes > 0 ? ", " + Format.bytes(bytes) : "");
      task = null;
    }
  }

  /** How a command ended, for its last step. */
  enum End {
    /** Well: the step is done. */
    DONE("done in"),
    /** With an answer that is not success (verify's problems, diff's differences): the step ran to its end. */
    ENDED("ended after"),
    /** By a failure, which stopped the step. */
    STOPPED("stopped after");

    private final String words;

    End(String words) {
      this.words = words;
    }
  }

  /** The command ended, as {@code how} says: its last step is said to have ended so. */
  synchronized void commandEnded(End how) {
    finish();
    sayEnded(how.words);
  }

  private void sayEnded(String how) {
    if (endedTask != null) {
      err.println("cairn: " + endedTask + ": " + how + " " + endedFigures);
      err.flush();
      endedTask = null;
    }
  }

  @Override
  public synchronized void warn(String message) {
    sayEnded("done in"); // a warning comes after a step that went on, not one that failed
    err.println("cairn: warning: " + message);
    err.flush();
  }

  /** From now on, an interruption says that the result stands, not that the command is to be run again. */
  @Override
  public void committed(String result) {
    Main.onInterruptSuggest("but " + result + ": there is nothing to run again");
  }
}
