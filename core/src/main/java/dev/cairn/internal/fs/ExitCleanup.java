package dev.cairn.internal.fs;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Temporary folders a process deletes if it is stopped (Ctrl-C) while they exist: a push's staging
 * packs, a version being written out. Without it they would wait for a {@code gc} after the grace
 * period. A registration is closed (forgotten) once the folder is deleted or published.
 *
 * <p>Publishing a folder's contents may take several renames (a copy moved into the folder it
 * replaces): deleting the folder while they run would publish part of it. Such a publication runs
 * as a {@link Step}, which the exit waits for; the step sees {@link #exiting} between its renames
 * and undoes them.
 */
public final class ExitCleanup {
  private static final Set<Path> FOLDERS = ConcurrentHashMap.newKeySet();
  /** Set when the process began to exit with folders to delete: errors that follow are its echo. */
  private static volatile boolean exiting;

  /** Whether the hook that deletes the folders is installed (on the first registration, not when the class loads). */
  private static boolean hooked;
  /** Held shared by each running {@link Step}; the exit takes it exclusively before it deletes anything. */
  private static final ReentrantReadWriteLock STEPS = new ReentrantReadWriteLock();
  /** How long the exit waits for running steps to end or undo themselves. */
  private static final long STEP_WAIT_SECONDS = 30;

  private static synchronized void hook() {
    if (hooked) {
      return;
    }
    hooked = true;
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::cleanUpNow, "cairn-exit-cleanup"));
    } catch (IllegalStateException shuttingDown) {
      exiting = true; // too late for a hook: the process is exiting already
    }
  }

  /**
   * Does what the exit does (a process that stops by {@link Runtime#halt}, such as a daemon whose
   * client went away, calls it first): marks the process as exiting, waits for the running steps,
   * then deletes the registered folders. Steps still running after the wait keep every folder: what
   * they leave is for the next run's recovery and {@code gc}.
   */
  public static void cleanUpNow() {
    if (FOLDERS.isEmpty()) {
      return; // a normal exit: every registration was closed
    }
    exiting = true;
    boolean settled;
    try {
      settled = STEPS.writeLock().tryLock(STEP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      settled = false;
    }
    if (!settled) {
      return;
    }
    try {
      FOLDERS.forEach(Trees::deleteQuietly);
      // Threads that were writing into a folder run on while the hooks do, and may have made a
      // file or folder again: a second pass a moment later takes those too.
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      FOLDERS.forEach(Trees::deleteQuietly);
    } finally {
      STEPS.writeLock().unlock(); // a step asked for from now on is refused: exiting is set
    }
  }

  /**
   * Starts a step that the exit waits for (see the class comment).
   *
   * @throws InterruptedIOException if the process is exiting already: the step must not start
   */
  public static Step step(String what) throws InterruptedIOException {
    STEPS.readLock().lock();
    if (exiting) {
      STEPS.readLock().unlock();
      throw new InterruptedIOException("exiting: not " + what);
    }
    return new Step(what);
  }

  /** A publication the exit waits for; closed by the thread that started it. */
  public static final class Step implements AutoCloseable {
    private final String what;

    private Step(String what) {
      this.what = what;
    }

    /** Throws if the process is exiting: the step is to undo what it did, and end. */
    public void stopIfExiting() throws InterruptedIOException {
      if (exiting) {
        throw new InterruptedIOException("exiting: stopped " + what);
      }
    }

    @Override
    public void close() {
      STEPS.readLock().unlock();
    }
  }

  /**
   * Whether the process is exiting (Ctrl-C) and deleting its temporary folders: a command that
   * fails now fails because they went, and its error is not news.
   */
  public static boolean exiting() {
    return exiting;
  }

  private ExitCleanup() {}

  /** A folder deleted at exit until the registration is closed. */
  public static final class Registration implements AutoCloseable {
    private final Path folder;

    private Registration(Path folder) {
      this.folder = folder;
    }

    @Override
    public void close() {
      FOLDERS.remove(folder);
    }
  }

  /** Deletes {@code folder} if the process exits before the registration is closed. */
  public static Registration register(Path folder) {
    hook();
    FOLDERS.add(folder);
    return new Registration(folder);
  }
}
