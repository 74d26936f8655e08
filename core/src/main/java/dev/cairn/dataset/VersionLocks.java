package dev.cairn.dataset;

import dev.cairn.errors.DatasetLockedException;
import dev.cairn.internal.concurrent.LockTable;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.proc.ProcessIdentity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The locks of a repository's versions (spec/datasets.md, "Locks"): {@code refs/locks/<id>.lock},
 * created only if absent and holding its holder's line ({@code <pid>@<host> <token> <identity>}),
 * with a lease file its holder renews. A process takes a version's lock to change it; one left by a
 * process that has ended is broken by the next taker. The threads of one process take a lock in
 * turn in front of its file. Thread-safe and safe across processes.
 */
public final class VersionLocks {
  /** The config key of the longest wait for another process to release a version (spec/repository.md). */
  public static final String LOCK_WAIT_KEY = "lock.waitMillis";

  /** That wait when the key is not set. */
  static final long LOCK_WAIT_MILLIS = 30_000;

  private final Path locks;
  private final Path tmp;
  private final long lockWaitMillis;

  /** The locks in {@code locks}; {@code tmp} holds their temporary files and the breakers' guard. */
  VersionLocks(Path locks, Path tmp, long lockWaitMillis) throws IOException {
    this.locks = Files.createDirectories(locks);
    this.tmp = tmp;
    this.lockWaitMillis = lockWaitMillis;
  }

  /** An exclusive hold on one version; release by closing. */
  public final class Lock implements AutoCloseable {
    private final Path file;
    private final String token;
    private final LockTable.Entry<Path> inProcess;
    private boolean released;

    private Lock(Path file, String token, LockTable.Entry<Path> inProcess) {
      this.file = file;
      this.token = token;
      this.inProcess = inProcess;
      HELD.put(file, token);
      Renewer.ensureStarted();
    }

    /**
     * Releases the lock; a second call does nothing.
     *
     * @throws IllegalStateException on a thread other than the one that took it (which still holds it)
     */
    @Override
    public void close() throws IOException {
      if (released) {
        return;
      }
      if (!inProcess.isHeldByCurrentThread()) {
        throw new IllegalStateException("Cannot release the lock " + file + " from a thread that did not take it");
      }
      released = true;
      HELD.remove(file, token);
      try {
        if (Files.readString(file, StandardCharsets.UTF_8).equals(token)) {
          Files.deleteIfExists(leaseOf(file)); // before the lock: a lease never outlives it for long
          Files.delete(file);
        }
      } catch (NoSuchFileException e) {
        // broken by someone who thought we were dead; nothing to release
      } finally {
        inProcess.release();
      }
    }
  }

  /**
   * A lock of a fresh id, no version's, that tells a garbage collection to keep what this process
   * writes from now on (gc keeps every pack written since the oldest live lock) until it is
   * released: for work that stores objects before the version that will name them exists (a sync
   * compared with its parent before its draft is made).
   */
  public Lock holdWrites() throws IOException {
    return lock(Catalog.newId());
  }

  /**
   * The threads of this process take a version's lock in turn, in front of its file (which orders
   * processes, and which every thread of one process would hold alike): a thread waits for another
   * of this process for as long as it works, not {@link #LOCK_WAIT_MILLIS}. Keyed by the lock
   * file, so that two repositories opened on one folder share them.
   */
  private static final LockTable<Path> IN_PROCESS = new LockTable<>();

  /** How many locks this process's threads hold or wait for, in every repository (for tests). */
  static int inProcessLocks() {
    return IN_PROCESS.size();
  }

  /** The entry of lock {@code file}, entered ({@link LockTable#enter}): the caller leaves it unless a {@link Lock} takes it over. */
  private LockTable.Entry<Path> inProcess(String id, Path file) throws DatasetLockedException {
    LockTable.Entry<Path> l = IN_PROCESS.enter(file.toAbsolutePath().normalize());
    Thread operation = Workers.workingFor();
    if (l.isHeldByCurrentThread() || (operation != null && l.owner() == operation)) {
      l.leave();
      // A change of the version from within a change of it (a Progress callback, say, run here or
      // on one of the change's workers): the outer one would then write over what the inner one
      // did, or, waited for, never end.
      throw new DatasetLockedException("Cannot change dataset version " + id + " while this thread is changing it already"
          + " (from a callback of that change?); change it once that change returns");
    }
    return l;
  }

  /**
   * Takes the lock of version {@code id}, waiting for another thread of this process as long as it
   * holds it, and for another process up to {@link #LOCK_WAIT_KEY} (30 s by default). A lock left by a process
   * that no longer runs on this host is broken.
   *
   * @throws DatasetLockedException if another live process keeps it past the wait, or this thread
   *     holds it already
   */
  public Lock lock(String id) throws IOException {
    Path file = locks.resolve(id + ".lock");
    LockTable.Entry<Path> ours = inProcess(id, file);
    try {
      ours.lockInterruptibly();
    } catch (InterruptedException ie) {
      ours.leave();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for " + file);
    }
    try {
      return lockFile(id, file, ours);
    } catch (IOException | RuntimeException e) {
      ours.release();
      throw e;
    }
  }

  private Lock lockFile(String id, Path file, LockTable.Entry<Path> ours) throws IOException {
    long now = System.currentTimeMillis();
    long deadline = lockWaitMillis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + lockWaitMillis; // a huge wait: for ever
    while (true) {
      Lock lock = tryLockFile(file, ours);
      if (lock != null) {
        return lock;
      }
      if (System.currentTimeMillis() > deadline) {
        String holder;
        try {
          holder = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException released) {
          continue;
        }
        throw new DatasetLockedException("Cannot change dataset version " + id + ": " + (holder.isEmpty()
            ? "another process is taking its lock (an empty lock, stale once " + EMPTY_LOCK_STALE_MILLIS / 1000 + " s old)"
            : isStaleLock(file, holder)
            ? "its lock, left by process " + holder.split(" ")[0] + ", which has ended, is being broken by another process (which"
                + " holds " + tmp.resolve(BREAK_LOCK_FILE) + "): try again"
            : judge(holder) == ProcessIdentity.Verdict.ELSEWHERE
            ? "process " + holder.split(" ")[0] + " of another container (or of this one before it restarted) is changing it; its lock"
                + " is taken for a dead process's once not renewed for " + LOCK_LEASE_MILLIS / 60_000 + " min"
            : "process " + holder.split(" ")[0] + " is changing it") + " (if no cairn runs there, delete " + file + ")");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for " + file);
      }
    }
  }

  /**
   * Takes the lock of version {@code id} if no live process holds it (a stale one is broken);
   * null, at once, if one does.
   */
  public Lock tryLock(String id) throws IOException {
    Path file = locks.resolve(id + ".lock");
    LockTable.Entry<Path> ours = inProcess(id, file);
    if (!ours.tryLock()) {
      ours.leave();
      return null; // another thread of this process holds it
    }
    try {
      Lock lock = tryLockFile(file, ours);
      if (lock == null) {
        ours.release();
      }
      return lock;
    } catch (IOException | RuntimeException e) {
      ours.release();
      throw e;
    }
  }

  /** The file lock, for a thread that holds {@code ours}; null at once if a live process holds it. */
  private Lock tryLockFile(Path file, LockTable.Entry<Path> ours) throws IOException {
    String token = processToken();
    while (true) {
      try {
        create(file, token);
        return new Lock(file, token, ours);
      } catch (FileAlreadyExistsException e) {
        String holder;
        try {
          holder = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (!isStaleLock(file, holder) || breakLock(file, holder) == Break.BUSY) {
          return null; // held, or another process is breaking it: the caller waits and tries again
        }
      }
    }
  }

  /**
   * When the oldest lock that a live process holds was taken (its file's modification time), or
   * {@link Long#MAX_VALUE} if none is held: a collection keeps what was written since.
   */
  public long oldestLiveLockMillis() throws IOException {
    long oldest = Long.MAX_VALUE;
    try (Stream<Path> s = Files.list(locks)) {
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList()) {
        try {
          if (!isStaleLock(f, Files.readString(f, StandardCharsets.UTF_8))) {
            oldest = Math.min(oldest, Files.getLastModifiedTime(f).toMillis());
          }
        } catch (NoSuchFileException released) {
          // released meanwhile
        }
      }
    }
    return oldest;
  }

  /**
   * Creates {@code file} holding {@code token}, or fails if it exists. The token is written to a
   * temporary file first and hard-linked into place, so that no one ever reads a lock without its
   * holder (on a file system without hard links, where it is created then filled, an empty lock
   * counts as held until {@link #EMPTY_LOCK_STALE_MILLIS} old).
   */
  private void create(Path file, String token) throws IOException {
    Path t = AtomicFiles.tempPath(tmp, "." + file.getFileName() + "-");
    Files.writeString(t, token, StandardCharsets.UTF_8);
    try {
      Files.createLink(file, t);
    } catch (FileAlreadyExistsException taken) {
      throw taken;
    } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
      // A file system without hard links: create, then write (a reader may see it empty a moment).
      Files.writeString(file, token, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } finally {
      Files.deleteIfExists(t);
    }
  }

  /**
   * Whether a lock holder line ({@code <pid>@<host> <token> <identity>}) names a process of this
   * host that is gone: it ran before this boot, or no process of that pid runs, or, in this pid
   * namespace, the one that does started at another time ({@link ProcessIdentity}; a line of an
   * older release, without the identity, is judged by its pid alone). A process of another pid
   * namespace of this boot is not judged: its lock goes by its lease ({@link #LOCK_LEASE_MILLIS}).
   */
  public static boolean isStale(String holder) {
    return judge(holder) == ProcessIdentity.Verdict.GONE;
  }

  /** What a holder's line says of its process, seen from here: another host's, or one that cannot be read, runs. */
  static ProcessIdentity.Verdict judge(String holder) {
    String[] words = holder.split(" ");
    String who = words[0];
    int at = who.indexOf('@');
    if (at < 0 || !who.substring(at + 1).equals(hostName())) {
      // Empty (a writer died between create and write) or another host's lock.
      return holder.isEmpty() ? ProcessIdentity.Verdict.GONE : ProcessIdentity.Verdict.RUNS;
    }
    try {
      long pid = Long.parseLong(who.substring(0, at));
      return ProcessIdentity.of(pid, words.length > 2 ? words[2] : null);
    } catch (NumberFormatException e) {
      return ProcessIdentity.Verdict.GONE;
    }
  }

  /**
   * Breaks the locks that processes of this host left when they ended (killed): a lock of a
   * version whose record was never written is taken by no one again, and would stay for good.
   * Returns the names of the lock files that went; a lock that cannot be read or removed (another
   * user's) is left alone.
   */
  public List<String> breakStaleLocks() {
    List<String> broken = new ArrayList<>();
    try (Stream<Path> s = Files.list(locks)) {
      for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList()) {
        try {
          String holder = Files.readString(f, StandardCharsets.UTF_8);
          if (isStaleLock(f, holder) && breakLock(f, holder) == Break.REMOVED) {
            broken.add(f.getFileName().toString());
          }
        } catch (IOException | UncheckedIOException notNow) {
          // released meanwhile, or not ours to break: the next taker judges it
        }
      }
    } catch (IOException | UncheckedIOException unreadable) {
      // no locks folder, or not ours to list
    }
    return broken;
  }

  /**
   * Removes a stale lock unless someone replaced it meanwhile. Breakers take turns under a guard,
   * a lock of the operating system on the whole of {@code tmp/lock-break.lock} (in front of a lock
   * of this process's threads): under it, the lock still holding the stale line can only be that
   * one (its holder is dead, and no one takes a lock that exists), so reading then deleting it is
   * safe. Without the guard, two breakers of one stale lock could each remove it, the second
   * removing the fresh lock a third process had just taken. The system releases the guard of a
   * breaker that dies, and never that of one that is only slow.
   *
   * @return what it did (another process, or thread, may be breaking it now)
   */
  private Break breakLock(Path file, String staleHolder) throws IOException {
    Path guardFile = Files.createDirectories(tmp).resolve(BREAK_LOCK_FILE).toAbsolutePath().normalize();
    // One channel on the file at a time in this process: closing one releases every lock the process has on the file.
    LockTable.Entry<Path> ours = BREAKERS.enter(guardFile);
    if (!ours.tryLock()) {
      ours.leave();
      return Break.BUSY;
    }
    try (FileChannel ch = FileChannel.open(guardFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock guard;
      try {
        guard = ch.tryLock();
      } catch (OverlappingFileLockException inThisProcess) {
        guard = null; // held through a channel this class did not open
      }
      if (guard == null) {
        return Break.BUSY;
      }
      String now;
      try {
        now = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException gone) {
        return Break.GONE;
      }
      // Judged again under the guard: an empty lock may be a new one, created and not yet filled,
      // and a lock judged by its lease may have been renewed since.
      if (now.equals(staleHolder) && isStaleLock(file, now)) {
        Files.deleteIfExists(leaseOf(file));
        Files.deleteIfExists(file); // lost in a crash, it is found stale and broken again
        return Break.REMOVED;
      }
      return Break.GONE;
    } finally {
      ours.release();
    }
  }

  /** The file in {@code tmp/} whose lock of the operating system breakers of stale locks take in turn: not a leftover, though it stays. */
  static final String BREAK_LOCK_FILE = "lock-break.lock";

  /** The breakers of this process, one at a time for each repository's {@link #BREAK_LOCK_FILE}. */
  private static final LockTable<Path> BREAKERS = new LockTable<>();

  /** What {@link #breakLock} did. */
  private enum Break {
    /** Another process is breaking it: try again later. */
    BUSY,
    /** It was released, or taken again, meanwhile: try to take it now. */
    GONE,
    /** The stale lock was deleted. */
    REMOVED
  }

  /**
   * An empty lock is one being written on a file system without hard links (created, then
   * filled) or one whose writer died in between: it is stale once older than this.
   */
  static final long EMPTY_LOCK_STALE_MILLIS = 10_000;

  /**
   * Whether the lock {@code file}, holding {@code holder}, was left by a process that is gone: by
   * its holder's line, or, for a process of another pid namespace of this boot (another container,
   * or this one before a restart), whose pid says nothing here, by its lease: its holder renews it
   * ({@link #renewHeldLocks}), so one whose lock and lease file are both older than
   * {@link #LOCK_LEASE_MILLIS} is a dead process's.
   */
  private static boolean isStaleLock(Path file, String holder) throws IOException {
    if (!holder.isEmpty()) {
      ProcessIdentity.Verdict v = judge(holder);
      return v == ProcessIdentity.Verdict.GONE || v == ProcessIdentity.Verdict.ELSEWHERE && olderThan(file, LOCK_LEASE_MILLIS)
          && (!Files.exists(leaseOf(file)) || olderThan(leaseOf(file), LOCK_LEASE_MILLIS));
    }
    return olderThan(file, EMPTY_LOCK_STALE_MILLIS);
  }

  /**
   * The lease of lock {@code file}: {@code refs/locks/<id>.lease}, whose modification time its
   * holder sets to now once a {@link #LOCK_RENEW_MILLIS}. The lock file itself keeps the time it
   * was taken, from which a garbage collection keeps what its holder writes.
   */
  static Path leaseOf(Path file) {
    String name = file.getFileName().toString();
    return file.resolveSibling(name.substring(0, name.length() - ".lock".length()) + LEASE_SUFFIX);
  }

  /** The name's end of a lock's lease file ({@link #leaseOf}). */
  public static final String LEASE_SUFFIX = ".lease";

  private static boolean olderThan(Path file, long millis) throws IOException {
    try {
      return System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis() > millis;
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  /**
   * How long a lock of another pid namespace of this boot stays held without being renewed. Its
   * holder renews it every {@link #LOCK_RENEW_MILLIS}; the clock compared is this machine's.
   */
  static final long LOCK_LEASE_MILLIS = 10 * 60_000;

  /** How often a process renews the locks it holds (sets their lease files' modification time to now). */
  static final long LOCK_RENEW_MILLIS = 60_000;

  /** The locks this process holds, by file, with the line each holds: renewed while held. */
  private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

  /** Renews the locks this process holds, once a {@link #LOCK_RENEW_MILLIS}, from a thread of its own started with the first. */
  private static final class Renewer {
    static final ScheduledExecutorService THREAD = start();

    private static ScheduledExecutorService start() {
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-lock-renewal");
        t.setDaemon(true);
        return t;
      });
      s.scheduleWithFixedDelay(VersionLocks::renewHeldLocks, LOCK_RENEW_MILLIS, LOCK_RENEW_MILLIS, TimeUnit.MILLISECONDS);
      return s;
    }

    /** Starts the thread, once. */
    static void ensureStarted() {
      if (THREAD == null) {
        throw new IllegalStateException("lock renewal did not start");
      }
    }
  }

  /**
   * Sets the modification time of the lease of each lock this process holds to now (made if
   * missing), if the lock still holds its line (a lock broken meanwhile is another's now, and left
   * alone). The time is this machine's clock, as the lease is judged by: never a file server's.
   */
  static void renewHeldLocks() {
    HELD.forEach((file, line) -> {
      try {
        if (Files.readString(file, StandardCharsets.UTF_8).equals(line)) {
          Path lease = leaseOf(file);
          try {
            Files.createFile(lease);
          } catch (FileAlreadyExistsException renewed) {
            // set below
          }
          Files.setLastModifiedTime(lease, FileTime.fromMillis(System.currentTimeMillis()));
        }
      } catch (IOException | RuntimeException notNow) {
        // released meanwhile, or a file system that keeps no times: the next round tries again
      }
    });
  }

  /** {@code <pid>@<host> <token> <identity>}: this process, as a lock's holder names it; see {@link #isStale}. */
  public static String processToken() {
    return processName() + " " + Catalog.newId() + " " + ProcessIdentity.current();
  }

  /** {@code <pid>@<host>}: this process, the first word of its tokens. */
  static String processName() {
    return ProcessHandle.current().pid() + "@" + hostName();
  }

  /** This host's name, as locks record it; looked up once (a lookup may ask DNS; locks are taken at every change). */
  public static String hostName() {
    return HostName.NAME;
  }

  private static final class HostName {
    static final String NAME = lookUp();
  }

  /**
   * $HOSTNAME, else the kernel's host name (Linux: {@code /proc/sys/kernel/hostname}, which needs
   * no name lookup), else the JDK's, else {@code localhost}. The name a lookup cannot resolve is
   * still the host's: falling back to {@code localhost} would give machines that share a
   * repository one name, and each would judge the other's locks as its own.
   */
  private static String lookUp() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
      if (!h.isEmpty() && h.indexOf(' ') < 0) {
        return h;
      }
    } catch (IOException | RuntimeException noProc) {
      // not Linux: the JDK's
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
