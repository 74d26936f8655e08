package dev.cairn.internal.fs;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary folders a process deletes if it is stopped (Ctrl-C) while they exist: a push's staging
 * packs, a version being written out. Without it they would wait for a {@code gc} after the grace
 * period. A registration is closed (forgotten) once the folder is deleted or published.
 */
public final class ExitCleanup {
  private static final Set<Path> FOLDERS = ConcurrentHashMap.newKeySet();
  /** Set when the process began to exit with folders to delete: errors that follow are its echo. */
  private static volatile boolean exiting;

  /** Whether the hook that deletes the folders is installed (on the first registration, not when the class loads). */
  private static boolean hooked;

  private static synchronized void hook() {
    if (hooked) {
      return;
    }
    hooked = true;
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (FOLDERS.isEmpty()) {
          return; // a normal exit: every registration was closed
        }
        exiting = true;
        FOLDERS.forEach(Trees::deleteQuietly);
        // Threads that were writing into a folder run on while the hooks do, and may have made a
        // file or folder again: a second pass a moment later takes those too.
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        FOLDERS.forEach(Trees::deleteQuietly);
      }, "cairn-exit-cleanup"));
    } catch (IllegalStateException shuttingDown) {
      exiting = true; // too late for a hook: the process is exiting already
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
