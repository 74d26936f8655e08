package dev.cairn.internal.concurrent;

import java.io.IOException;

/**
 * A value opened on first use, once, by whichever thread asks first; the others wait for it. A
 * failed open is not remembered: the next call tries again. Thread-safe.
 */
public final class Lazy<T> {
  /** Opens the value; may fail with an I/O error. */
  @FunctionalInterface
  public interface Opener<T> {
    T open() throws IOException;
  }

  private final Opener<T> opener;
  private volatile T value;

  public Lazy(Opener<T> opener) {
    this.opener = opener;
  }

  /** The value if it was opened, else null (without opening it). */
  public T getIfOpened() {
    return value;
  }

  /** The value, opened now if it was not yet. */
  public T get() throws IOException {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = opener.open();
          value = v;
        }
      }
    }
    return v;
  }
}
