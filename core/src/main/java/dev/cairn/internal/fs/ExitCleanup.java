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

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> FOLDERS.forEach(Trees::deleteQuietly), "cairn-exit-cleanup"));
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
    FOLDERS.add(folder);
    return new Registration(folder);
  }
}
