package dev.cairn.internal.concurrent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs tasks on an executor with at most {@code window} of them submitted and unfinished, so that
 * a producer of a million tasks (one per file of a version) holds a handful at a time instead of a
 * million futures. After a task fails, the tasks not yet started are skipped, the next
 * {@link #submit} throws the failure, and so does {@link #finish}.
 */
public final class TaskWindow {
  /** A task that may throw an {@link IOException}. */
  @FunctionalInterface
  public interface Task {
    void run() throws IOException;
  }

  private final Executor executor;
  private final int window;
  private final Semaphore free;
  private final String what;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /**
   * @param window how many tasks may be submitted and unfinished at once
   * @param what what the tasks do, for the message of an interruption
   */
  public TaskWindow(Executor executor, int window, String what) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1: " + window);
    }
    this.executor = executor;
    this.window = window;
    this.free = new Semaphore(window);
    this.what = what;
  }

  /** Submits {@code task}, waiting while the window is full; throws an earlier task's failure. */
  public void submit(Task task) throws IOException {
    rethrowFailure();
    acquire(1);
    try {
      executor.execute(() -> {
        try {
          if (failure.get() == null) {
            task.run();
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          free.release();
        }
      });
    } catch (RejectedExecutionException e) {
      free.release();
      throw e;
    }
  }

  /** Waits until every submitted task has finished; throws the first failure, as it was thrown. */
  public void finish() throws IOException {
    acquire(window);
    free.release(window);
    rethrowFailure();
  }

  private void acquire(int permits) throws InterruptedIOException {
    try {
      free.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while " + what);
    }
  }

  private void rethrowFailure() throws IOException {
    Throwable t = failure.get();
    if (t != null) {
      throw Workers.rethrow(t);
    }
  }
}
