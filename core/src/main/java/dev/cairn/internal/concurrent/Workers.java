package dev.cairn.internal.concurrent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Thread pools of daemon workers, and waiting for their results with I/O errors passed through. */
public final class Workers {
  private Workers() {}

  /**
   * A fixed pool of {@code threads} daemon threads named {@code name}, working for the thread that
   * makes it ({@link #workingFor}).
   */
  public static ExecutorService pool(String name, int threads) {
    Thread operation = workingFor() != null ? workingFor() : Thread.currentThread();
    return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(() -> {
        WORKING_FOR.set(operation);
        r.run();
      }, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** The thread whose operation a pool thread works for. */
  private static final ThreadLocal<Thread> WORKING_FOR = new ThreadLocal<>();

  /**
   * The thread whose operation this one works for, if it is a worker of {@link #pool}: what a
   * callback run here does is done from within that operation (a lock it holds is held here too).
   */
  public static Thread workingFor() {
    return WORKING_FOR.get();
  }

  /**
   * The most threads an operation started on this thread may use at once, or null for no cap. It
   * is inherited by the threads this thread starts, so that the pools of an operation's workers see
   * it too.
   */
  private static final InheritableThreadLocal<Integer> CAP = new InheritableThreadLocal<>();

  /**
   * Waits up to {@code seconds} for a pool that was shut down to end its tasks; an interruption
   * ends the wait and is kept.
   */
  public static void awaitQuietly(ExecutorService pool, long seconds) {
    try {
      pool.awaitTermination(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Up to {@code max} threads, at most one per core and at most the cap. */
  public static int perCore(int max) {
    return upTo(Math.min(max, Runtime.getRuntime().availableProcessors()));
  }

  /** Up to {@code max} threads, and at most the cap. */
  public static int upTo(int max) {
    Integer cap = CAP.get();
    return Math.max(1, cap == null ? max : Math.min(max, cap));
  }

  /** Whether operations on this thread are capped to one thread: no work may be handed to another. */
  public static boolean single() {
    Integer cap = CAP.get();
    return cap != null && cap == 1;
  }

  /** Sets this thread's cap (null: none) and returns the one it replaces. */
  public static Integer cap(Integer threads) {
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("the number of workers must be at least 1: " + threads);
    }
    Integer before = CAP.get();
    if (threads == null) {
      CAP.remove();
    } else {
      CAP.set(threads);
    }
    return before;
  }

  /**
   * Waits for every future, in order, and returns their results. If one fails, the others are
   * cancelled and its exception is rethrown as it was thrown (an {@link IOException} stays one).
   *
   * @param what what the workers were doing, for the message of an interruption
   */
  public static <T> List<T> getAll(List<Future<T>> futures, String what) throws IOException {
    List<T> out = new ArrayList<>(futures.size());
    getEach(futures, what, (i, result) -> out.add(result));
    return out;
  }

  /** What is done with each result of {@link #getEach}, in order. */
  @FunctionalInterface
  public interface Each<T> {
    void accept(int index, T result) throws IOException;
  }

  /**
   * Waits for every future, in order, handing each result to {@code each} as soon as it and those
   * before it are there, so that what succeeded before a failure is used. If a future or
   * {@code each} fails, the others are cancelled and the failure is rethrown as it was thrown.
   *
   * @param what what the workers were doing, for the message of an interruption
   */
  public static <T> void getEach(List<Future<T>> futures, String what, Each<T> each) throws IOException {
    getEach(futures, what, each, true);
  }

  /**
   * As {@link #getAll}, but the others are cancelled without interrupting those running: for
   * workers that write to a channel they share, which an interrupt would close under all of them
   * (a pack being written, whose failed write could then not be undone).
   */
  public static <T> List<T> getAllUninterrupted(List<Future<T>> futures, String what) throws IOException {
    List<T> out = new ArrayList<>(futures.size());
    getEach(futures, what, (i, result) -> out.add(result), false);
    return out;
  }

  private static <T> void getEach(List<Future<T>> futures, String what, Each<T> each, boolean interrupt) throws IOException {
    try {
      for (int i = 0; i < futures.size(); i++) {
        each.accept(i, futures.get(i).get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(interrupt));
      throw new InterruptedIOException("interrupted while " + what);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(interrupt));
      throw rethrow(e.getCause());
    } catch (IOException | RuntimeException e) {
      futures.forEach(f -> f.cancel(interrupt));
      throw e;
    }
  }

  /**
   * Throws a worker's failure as it was thrown: an {@link IOException}, unchecked exception or
   * error as itself (a channel closed by an interruption as an {@link InterruptedIOException}),
   * anything else wrapped in an {@code IOException}. Declared to return one so
   * that callers can write {@code throw rethrow(t)}.
   */
  public static IOException rethrow(Throwable t) throws IOException {
    if (t instanceof ClosedByInterruptException closed) {
      // A worker's channel closed by its interruption (the operation was cancelled): said as one.
      InterruptedIOException interrupted = new InterruptedIOException("interrupted");
      interrupted.initCause(closed);
      throw interrupted;
    }
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    throw new IOException(t);
  }
}
