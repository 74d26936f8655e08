package dev.cairn.cli;

import dev.cairn.dataset.Progress;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/** A progress that says each step on its own lines, when it starts and when it ends ({@code --verbose}). */
final class StepLog implements Progress {
  private final PrintWriter err;
  private final AtomicLong done = new AtomicLong();
  private String task;
  private long startNanos;

  StepLog(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void start(String task, long totalBytes) {
    finish(); // a step left open ends where the next begins
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
      err.printf("cairn: %s: done in %s%s%n", task, Format.duration(millis), bytes > 0 ? ", " + Format.bytes(bytes) : "");
      err.flush();
      task = null;
    }
  }

  @Override
  public synchronized void warn(String message) {
    err.println("cairn: warning: " + message);
    err.flush();
  }

  /** From now on, an interruption says that the result stands, not that the command is to be run again. */
  @Override
  public void committed(String result) {
    Main.onInterruptSuggest("but " + result + ": there is nothing to run again");
  }
}
