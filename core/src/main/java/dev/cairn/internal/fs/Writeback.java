package dev.cairn.internal.fs;

import dev.cairn.internal.concurrent.TaskWindow;
import dev.cairn.internal.concurrent.Workers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;

/**
 * Starts the kernel's writeback of files as soon as they are written, from a background thread,
 * without waiting for it to end. Without it, a machine with memory to spare keeps every byte of a
 * large copy in its page cache until its own writeback starts, typically after the command has
 * ended (at the default {@code vm.dirty_background_ratio} of 10%, a 2 GiB copy on a 24 GiB machine
 * starts none): the disk idles while the CPU decodes, then works alone.
 *
 * <p>It calls Linux's {@code sync_file_range(SYNC_FILE_RANGE_WRITE)}, as RocksDB's
 * {@code bytes_per_sync} does. Unlike {@code fsync}, that neither waits for the disk, nor commits
 * the file system's journal, nor flushes the device's cache; nor does it promise durability. It is
 * a hint: on other systems, or when the call fails, nothing happens and the kernel writes the
 * bytes in its own time. Files under {@link #MIN_SIZE} bytes are left to the kernel (they carry
 * few bytes, and each would cost a system call or three).
 */
public final class Writeback implements AutoCloseable {
  /** Files smaller than this are not hinted. */
  public static final long MIN_SIZE = 64 * 1024;

  private final ExecutorService pool;
  private final TaskWindow window;

  /** One background thread; at most {@code window} files wait for their hint. */
  public Writeback(int window) {
    this.pool = Workers.pool("cairn-writeback", 1);
    this.window = new TaskWindow(pool, window, "starting writeback");
  }

  /** Whether the hint does anything here (Linux, with its C library reachable). */
  public static boolean available() {
    return LibC.INSTANCE != null;
  }

  /**
   * Starts the writeback of {@code file}, whose {@code size} bytes are written, in the background
   * (where the hint is not {@link #available()}, the background thread finds that and does
   * nothing); does nothing at all if {@code size} is less than {@link #MIN_SIZE}. Waits while
   * {@code window} files wait already.
   */
  public void submit(Path file, long size) throws IOException {
    if (size >= MIN_SIZE) {
      window.submit(() -> start(file)); // binds libc on the background thread, not the caller's
    }
  }

  /** Waits until the hints submitted were given (not until the disk has the bytes). */
  public void finish() throws IOException {
    window.finish();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /**
   * Asks the kernel to start writing {@code file}'s dirty pages now. Returns whether it accepted;
   * false where the hint is not available or the file cannot be opened.
   */
  public static boolean start(Path file) {
    LibC c = LibC.INSTANCE;
    if (c == null) {
      return false;
    }
    int fd = c.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      return false; // gone or unreadable: there is nothing to hint about
    }
    try {
      return c.sync_file_range(fd, 0, 0, LibC.SYNC_FILE_RANGE_WRITE) == 0;
    } finally {
      c.close(fd);
    }
  }

  /** The libc functions used, bound by jnr-ffi (which lmdbjava brings) on first use. */
  public interface LibC {
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    /** Start writing the range's dirty pages; do not wait. */
    int SYNC_FILE_RANGE_WRITE = 2;
    /** The bound library on Linux, else null. */
    LibC INSTANCE = load();

    int open(String path, int flags);

    int sync_file_range(int fd, long offset, long nbytes, int flags);

    int syncfs(int fd);

    int close(int fd);

    private static LibC load() {
      try {
        if (Platform.getNativePlatform().getOS() != Platform.OS.LINUX) {
          return null;
        }
        return LibraryLoader.create(LibC.class).load("c");
      } catch (Throwable unavailable) {
        return null; // no native access here: the kernel writes in its own time
      }
    }
  }
}
