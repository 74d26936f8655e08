package dev.cairn.dataset;

import dev.cairn.internal.concurrent.Workers;

/**
 * Caps the threads that the operations started on this thread use at once: the files read and
 * hashed at a time by an add or a sync, the packs uploaded at a time, the reads from a remote and
 * the files written at a time by a get. The counterpart of clearml's {@code max_workers}. Without
 * a cap, each uses up to one thread per core (uploads and remote reads: four).
 *
 * <pre>{@code
 * try (MaxWorkers cap = MaxWorkers.of(1)) {
 *   draft.addFiles(AddOptions.of(folder)); // one thread reads, hashes and stores every file
 * }
 * }</pre>
 *
 * <p>The cap holds on the calling thread (and the threads it starts) until {@link #close}, which
 * puts back the cap that was set before.
 */
public final class MaxWorkers implements AutoCloseable {
  private final Integer before;
  private boolean closed;

  private MaxWorkers(Integer before) {
    this.before = before;
  }

  /**
   * Caps this thread's operations to {@code threads} at once.
   *
   * @throws IllegalArgumentException if {@code threads} is below 1
   */
  public static MaxWorkers of(int threads) {
    return new MaxWorkers(Workers.cap(threads));
  }

  /** Puts back the cap set before this one (none, if there was none). */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Workers.cap(before);
    }
  }
}
