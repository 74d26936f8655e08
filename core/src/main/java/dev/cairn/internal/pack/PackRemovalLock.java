package dev.cairn.internal.pack;

import dev.cairn.internal.fs.WholeFileLock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Keeps apart what takes packs out of {@code packs/} and what indexes every pack found there: a
 * collection drops packs from the index, then deletes their files (spec/guarantees.md, "Garbage
 * collection"), and an index rebuilt from a listing taken in between would name packs that are
 * gone. {@code gc} holds it from the drop to the last deletion; {@code fsck --repair} for the
 * whole repair (its rebuild, and the scans its recoveries read). A {@link WholeFileLock} on
 * {@code tmp/pack-removal.lock}: a repair that holds it takes it again around its rebuild.
 */
public final class PackRemovalLock implements AutoCloseable {
  /** The lock file's name in {@code tmp/}. */
  public static final String FILE_NAME = "pack-removal.lock";

  private final WholeFileLock lock;

  private PackRemovalLock(WholeFileLock lock) {
    this.lock = lock;
  }

  /**
   * Takes the lock of the repository whose temporary folder is {@code tmpDir}, waiting as long as
   * another holds it; {@code whenWaiting} runs once, as the wait begins, if there is one.
   */
  public static PackRemovalLock take(Path tmpDir, Runnable whenWaiting) throws IOException {
    return new PackRemovalLock(WholeFileLock.take(tmpDir.resolve(FILE_NAME), whenWaiting));
  }

  @Override
  public void close() throws IOException {
    lock.close();
  }
}
