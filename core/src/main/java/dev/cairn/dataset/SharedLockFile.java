package dev.cairn.dataset;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One channel of this process on a file whose bytes threads lock with locks of the operating
 * system, open while any of them uses it. Locks of {@code fcntl(2)} belong to the process, and
 * closing any descriptor of the file releases all of them: a thread that opened a channel of its
 * own, locked another byte and closed it would release the locks every other thread holds there.
 */
final class SharedLockFile {
  private static final Map<Path, SharedLockFile> OPEN = new HashMap<>();

  private final Path file;
  private final FileChannel channel;
  /** How many threads use it; guarded by the class. */
  private int users;

  private SharedLockFile(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** The channel on {@code file} (created if missing), for one more user, who {@linkplain #release releases} it once. */
  static SharedLockFile open(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    synchronized (SharedLockFile.class) {
      SharedLockFile f = OPEN.get(key);
      if (f == null) {
        f = new SharedLockFile(key, FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        OPEN.put(key, f);
      }
      f.users++;
      return f;
    }
  }

  /** How many files this process has open so (for tests). */
  static synchronized int openFiles() {
    return OPEN.size();
  }

  FileChannel channel() {
    return channel;
  }

  /** Ends one user's use; the last one's closes the channel, which releases any lock still held through it. */
  void release() throws IOException {
    synchronized (SharedLockFile.class) {
      if (--users == 0) {
        OPEN.remove(file);
        channel.close();
      }
    }
  }
}
