package dev.cairn.transport;

import dev.cairn.dataset.VersionLocks;
import dev.cairn.errors.CairnException;
import dev.cairn.internal.proc.ProcessIdentity;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps pushes and garbage collection of one remote apart, without any server: each takes a lock
 * by creating a file {@code locks/push-<uuid>} or {@code locks/gc-<uuid>} (create-if-absent), then
 * lists the other kind; whoever finds the other steps back. Since both create before they look, at
 * least one of two racers sees the other. Pushes may run together; a collection runs alone. A held
 * lock is renewed every {@link #renewMillis} (a new file is created, then the old one deleted, so
 * that one is always there); a lock not renewed for {@link #STALE_MILLIS} was left by a process
 * that died and is ignored, and so is one whose process this host can tell has ended (same host
 * name, boot and pid namespace). A holder that could not renew its lock for that long may have
 * been passed over: before it publishes (a record) or deletes (packs), it checks
 * ({@link Held#requireHeld}).
 *
 * <p>A collection also creates {@link #SWEEPING} before it deletes its first pack and removes it
 * after its last. A collection that dies between the two may have deleted objects that dead objects
 * still on the remote name; a push that trusted those would publish a record whose data is
 * incomplete. So while the file is there, pushes refuse and ask for a collection, which finishes
 * the job.
 */
final class RemoteLocks {
  static final String PREFIX = "locks/";
  static final long STALE_MILLIS = 3_600_000;
  /** How often a held lock is renewed; tests shorten it. */
  static volatile long renewMillis = 600_000;
  /** How long after its last renewal a holder stops trusting its lock: a renewal short of staleness. */
  static final long TRUSTED_MILLIS = STALE_MILLIS - 600_000;
  private static final String NO_LONGER_RUNS = "which no longer runs it";
  /** What to do about a lock that cannot be read, which never goes stale by itself. */
  private static final String UNREADABLE_ADVICE = "it never goes stale by itself: delete it if nothing runs";
  /** Present while a collection deletes packs, and after one that died doing so. */
  static final String SWEEPING = PREFIX + "sweeping";
  /**
   * Present while the remote lacks objects its versions need (left by {@code fsck --storage
   * --repair}, which removed a damaged pack, or found objects gone): pushes then look up every
   * object instead of trusting a node for what it names.
   */
  static final String INCOMPLETE = PREFIX + "incomplete";

  private RemoteLocks() {}

  /** Locks this process holds, released by a shutdown hook if it is stopped (Ctrl-C) while holding them. */
  private static final Set<Held> HELD = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Held h : HELD) {
        try {
          h.close();
        } catch (IOException | RuntimeException e) {
          // the lock goes stale after an hour
        }
      }
    }, "cairn-remote-locks"));
  }

  /**
   * Renews the held locks: one daemon thread, so that it never keeps a process alive, and only
   * while a lock is held (a released lock's renewal leaves the queue), so that a process that
   * embeds the library keeps no thread of it once its uploads and collections are done.
   */
  private static final java.util.concurrent.ScheduledThreadPoolExecutor RENEWER = renewer();

  private static java.util.concurrent.ScheduledThreadPoolExecutor renewer() {
    var e = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, RENEWAL_THREAD);
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    e.setKeepAliveTime(1, java.util.concurrent.TimeUnit.SECONDS);
    e.allowCoreThreadTimeOut(true);
    return e;
  }

  /** The name of the renewing thread. */
  static final String RENEWAL_THREAD = "cairn-remote-lock-renewal";

  /** A held lock, renewed while held; closing deletes it. */
  static final class Held implements AutoCloseable {
    private final RemoteStorage storage;
    private final String kind;
    private final long taken;
    private String name;
    /** This process's clock when the lock's current file was created. */
    private long renewed;
    private boolean closed;
    /**
     * Why the lock may no longer keep others away, for good once set: its file was deleted by
     * another process ({@code cairn unlock --remove-all}), or it went unrenewed so long that others
     * may have passed it over as a dead process's. A renewal then brings nothing back: whatever
     * others did meanwhile is not known.
     */
    private String lost;
    private final java.util.concurrent.ScheduledFuture<?> renewal;

    Held(RemoteStorage storage, String kind, String name, long taken) {
      this.storage = storage;
      this.kind = kind;
      this.name = name;
      this.taken = taken;
      this.renewed = taken;
      HELD.add(this);
      long every = renewMillis;
      this.renewal = RENEWER.scheduleWithFixedDelay(this::renew, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The lock's file now. */
    synchronized String name() {
      return name;
    }

    /**
     * Replaces the lock's file by a new one that says it was renewed now: created first, then the
     * old one deleted, so that a collection or an upload looking meanwhile finds one of them. A
     * failure leaves the old one, to be tried again at the next turn.
     */
    private synchronized void renew() {
      if (closed || lost != null) {
        return;
      }
      try {
        long now = System.currentTimeMillis();
        if (now - renewed >= TRUSTED_MILLIS) {
          lost = "its lock " + name + " could not be renewed for " + (now - renewed) / 60_000 + " min, and may have been taken for a"
              + " dead process's";
          return;
        }
        String fresh = createFile(storage, kind, now, taken);
        // Created before the old one is looked at: a deletion by another process (unlock) is seen
        // here, or it takes the fresh one too, which requireHeld then misses.
        if (storage.size(name) < 0) {
          lost = "its lock " + name + " was deleted meanwhile (cairn unlock --remove-all?)";
          storage.delete(fresh);
          return;
        }
        String old = name;
        name = fresh;
        renewed = now;
        storage.delete(old);
      } catch (IOException | RuntimeException notNow) {
        // the remote could not be reached: the next turn tries again, and requireHeld tells the holder
      }
    }

    /**
     * Fails if the lock may no longer keep others away: not renewed for so long that it may look
     * stale to them, or its file gone (deleted by hand, say). Called before an upload publishes its
     * record and before a collection deletes: what the other side did meanwhile is not known.
     */
    synchronized void requireHeld(String action) throws IOException {
      long since = System.currentTimeMillis() - renewed;
      String why = lost != null ? lost : since >= TRUSTED_MILLIS ? "its lock " + name + " could not be renewed for " + since / 60_000
          + " min, and may have been taken for a dead process's" : storage.size(name) < 0 ? "its lock " + name + " was deleted meanwhile"
          : null;
      if (why != null) {
        lost = why; // for good: a renewal later brings nothing back
        throw new CairnException("Cannot " + action + " on " + storage.uri() + ": " + why + "; nothing was " + (kind.equals("push-")
            ? "published, run the upload again" : "deleted, run the collection again"));
      }
    }

    @Override
    public void close() throws IOException {
      String last;
      synchronized (this) {
        closed = true;
        last = name;
      }
      renewal.cancel(false);
      HELD.remove(this);
      storage.delete(last);
    }
  }

  /** Takes a push lock, waiting up to {@code waitMillis} for a running collection to finish. */
  static Held push(RemoteStorage storage, long waitMillis) throws IOException {
    return push(storage, waitMillis, message -> { });
  }

  /** As {@link #push(RemoteStorage, long)}, telling {@code waiting} once when it starts waiting, and for whom. */
  static Held push(RemoteStorage storage, long waitMillis, Consumer<String> waiting) throws IOException {
    long deadline = System.currentTimeMillis() + waitMillis;
    boolean told = false;
    while (true) {
      Held h = create(storage, "push-");
      String collection = activeLock(storage, "gc-", null);
      if (collection != null && (collection.contains(NO_LONGER_RUNS) || collection.endsWith(UNREADABLE_ADVICE))) {
        h.close(); // no use waiting an hour for a process that is gone
        throw new CairnException("Cannot upload to " + storage.uri() + ": " + collection);
      }
      if (collection == null) {
        // Unless the remote is marked incomplete: then a push looks up every object, trusting no
        // node for what it names, which is what a stopped collection made unsafe.
        if (storage.size(SWEEPING) >= 0 && storage.size(INCOMPLETE) < 0) {
          h.close();
          throw new CairnException("Cannot upload to " + storage.uri() + ": packs there were deleted by a collection that stopped part"
              + " way, or by a repair; run cairn gc --storage " + storage.uri() + " to finish, then upload again");
        }
        removeEndedHere(storage);
        return h;
      }
      h.close();
      if (System.currentTimeMillis() > deadline) {
        throw new CairnException("Cannot upload to " + storage.uri() + ": a collection or repair is running there (" + collection + ")"
            + (collection.endsWith(UNREADABLE_ADVICE) ? "" : "; try again later"));
      }
      if (!told) {
        waiting.accept("waiting for a collection or repair of " + storage.uri() + " to end (up to "
            + (waitMillis >= 60_000 ? waitMillis / 60_000 + " min" : waitMillis / 1000 + " s") + "): " + collection);
        told = true;
      }
      sleep(1000);
    }
  }

  /** Takes the collection lock, or fails at once if a push or another collection is running. */
  static Held gc(RemoteStorage storage) throws IOException {
    Held h = create(storage, "gc-");
    String other = activeLock(storage, "push-", null);
    if (other == null) {
      other = activeLock(storage, "gc-", h.name());
    }
    if (other != null) {
      h.close();
      throw new CairnException("Cannot collect " + storage.uri() + ": " + other + (other.endsWith(UNREADABLE_ADVICE) ? ""
          : "; try again later (a lock left by a process that died goes stale after an hour; if nothing runs,"
          + " cairn unlock --storage " + storage.uri() + " --remove-all deletes it)"));
    }
    return h;
  }

  /**
   * Marks the start of a collection's deletions (kept if one is marked already), once its lock
   * {@code held} is known to keep uploads away still.
   */
  static void beginSweep(Held held, RemoteStorage storage) throws IOException {
    held.requireHeld("delete packs");
    String body = System.currentTimeMillis() + " " + ProcessHandle.current().pid() + "\n";
    storage.createIfAbsent(SWEEPING, body.getBytes(StandardCharsets.US_ASCII));
  }

  /** Marks a collection's deletions done. */
  static void endSweep(RemoteStorage storage) throws IOException {
    storage.delete(SWEEPING);
  }

  private static Held create(RemoteStorage storage, String kind) throws IOException {
    long now = System.currentTimeMillis();
    return new Held(storage, kind, createFile(storage, kind, now, now), now);
  }

  /** Creates a lock file renewed at {@code now}, first taken at {@code taken}; returns its name. */
  private static String createFile(RemoteStorage storage, String kind, long now, long taken) throws IOException {
    String name = PREFIX + kind + UUID.randomUUID();
    String body = now + " " + ProcessHandle.current().pid() + " " + VersionLocks.hostName()
        + " " + ProcessIdentity.current() + " " + taken + "\n";
    if (!storage.createIfAbsent(name, body.getBytes(StandardCharsets.US_ASCII))) {
      throw new IOException("Cannot take lock " + name + " on " + storage.uri() + ": name taken");
    }
    return name;
  }

  /**
   * Every live upload and collection lock, described as a refusal names them, for a check to
   * report: one left by a process that died blocks collections until it goes stale (an hour).
   */
  static List<String> describeActive(RemoteStorage storage) throws IOException {
    List<String> out = new ArrayList<>();
    for (String kind : new String[] {"push-", "gc-"}) {
      for (RemoteFile f : storage.list(PREFIX + kind)) {
        String d = describe(storage, f, kind, System.currentTimeMillis());
        if (d != null) {
          out.add(d);
        }
      }
    }
    return out;
  }

  /**
   * The upload and collection locks of processes this host can tell have ended (same host name,
   * boot and pid namespace): what a kill -9 left, passed over by everyone; a collection removes
   * them ({@link RemoteGarbageCollector}). With {@code stale}, instead, those taken over
   * {@link #STALE_MILLIS} ago whose process cannot be judged so: passed over too, though the
   * process may still run (a long upload elsewhere), so they are only reported.
   */
  static List<String> leftBehind(RemoteStorage storage, boolean stale) throws IOException {
    List<String> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (String kind : new String[] {"push-", "gc-"}) {
      for (RemoteFile f : storage.list(PREFIX + kind)) {
        try {
          String[] body = new String(storage.read(f.name(), 0, (int) f.size()), StandardCharsets.US_ASCII).trim().split(" ");
          boolean ended = endedHere(body);
          if (stale ? !ended && now - Long.parseLong(body[0]) >= STALE_MILLIS : ended) {
            out.add(f.name());
          }
        } catch (IOException | RuntimeException goneOrUnreadable) {
          // released meanwhile, or not a lock this release wrote: left alone
        }
      }
    }
    return out;
  }

  /**
   * Deletes upload and collection locks, as restic's {@code unlock}: those no running process can
   * hold (this host's ended processes', and those not renewed for {@link #STALE_MILLIS}), and with
   * {@code all} every one. A process still running whose lock goes fails cleanly before it
   * publishes a record or deletes a pack ({@link Held#requireHeld}). Returns each lock deleted,
   * described.
   */
  static Remote.Unlocked remove(RemoteStorage storage, boolean all) throws IOException {
    List<String> out = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    Set<String> ended = new java.util.HashSet<>(leftBehind(storage, false));
    Set<String> stale = new java.util.HashSet<>(leftBehind(storage, true));
    long now = System.currentTimeMillis();
    for (String kind : new String[] {"push-", "gc-"}) {
      for (RemoteFile f : storage.list(PREFIX + kind)) {
        String held = ended.contains(f.name()) || stale.contains(f.name()) ? null : describe(storage, f, kind, now);
        String why = ended.contains(f.name()) ? "its process, of this host, ended" : stale.contains(f.name())
            ? "not renewed for over an hour" : all ? held : null;
        if (why != null) {
          storage.delete(f.name());
          out.add(f.name() + " (" + why + ")");
        } else if (held != null) {
          kept.add(held); // held by a process that may run (on another host, or renewed within the hour)
        } // else released meanwhile
      }
    }
    return new Remote.Unlocked(out, kept);
  }

  /**
   * Deletes the locks this host's ended processes left (a kill -9 of an upload): passed over here
   * already, they would keep another host's collection waiting for their hour.
   */
  private static void removeEndedHere(RemoteStorage storage) {
    try {
      for (String lock : leftBehind(storage, false)) {
        storage.delete(lock);
      }
    } catch (IOException | RuntimeException notNow) {
      // the next upload, or collection, removes them
    }
  }

  /**
   * The first live lock of {@code kind} other than {@code self}, described ("an upload holds
   * locks/push-…, taken 3 min ago by pid 123"), or null if there is none.
   */
  private static String activeLock(RemoteStorage storage, String kind, String self) throws IOException {
    long now = System.currentTimeMillis();
    for (RemoteFile f : storage.list(PREFIX + kind)) {
      String d = f.name().equals(self) ? null : describe(storage, f, kind, now);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  /** A lock of {@code kind}, described, or null if it is stale or released; one that cannot be read counts as held. */
  private static String describe(RemoteStorage storage, RemoteFile f, String kind, long now) {
    try {
      String[] body = new String(storage.read(f.name(), 0, (int) f.size()), StandardCharsets.US_ASCII).trim().split(" ");
      long renewed = Long.parseLong(body[0]);
      long taken = body.length > 4 ? Long.parseLong(body[4]) : renewed;
      if (now - renewed < STALE_MILLIS && !endedHere(body)) {
        return (kind.equals("push-") ? "an upload" : "a collection or repair (gc or fsck --repair)") + " holds " + f.name() + ", taken "
            + Math.max(0, (now - taken) / 60_000) + " min ago" + (body.length > 1 ? " by pid " + body[1] : "") + holder(body);
      }
    } catch (IOException | RuntimeException unreadable) {
      try {
        if (storage.size(f.name()) < 0) {
          return null; // released meanwhile
        }
      } catch (IOException | RuntimeException alsoUnreadable) {
        // as unreadable as its content: counted as held
      }
      // Taken for released, it would let a collection run beside the upload that holds it.
      if (unreadable instanceof IOException) {
        return "a lock that cannot be read now, " + f.name() + " (" + unreadable.getMessage() + "), may be held";
      }
      return "a lock that cannot be read, " + f.name() + " (it does not hold a lock's line), may be held; " + UNREADABLE_ADVICE;
    }
    return null;
  }

  /**
   * Whether the lock's process is known to have ended: it recorded this host's name and this very
   * pid table (same boot, same pid namespace), where its pid now runs no process, or another one.
   * Such a lock (a command killed with kill -9) is passed over at once, not after an hour.
   */
  private static boolean endedHere(String[] body) {
    String table = ProcessIdentity.pidTable();
    return body.length > 3 && table != null && body[2].equals(VersionLocks.hostName())
        && body[3].startsWith(table + ".") && ProcessIdentity.of(Long.parseLong(body[1]), body[3]) == ProcessIdentity.Verdict.GONE;
  }

  /**
   * Where the lock's process ran, as far as this host can tell: with the same host name, whether
   * it still runs ({@link ProcessIdentity}). A lock is never broken on that evidence; the user, told
   * that its process is gone, may delete it.
   */
  private static String holder(String[] body) {
    if (body.length < 3) {
      return ""; // written by a release before 2026-12: no host
    }
    if (!body[2].equals(VersionLocks.hostName())) {
      return " on " + body[2];
    }
    String identity = body.length > 3 ? body[3] : null;
    return switch (ProcessIdentity.of(Long.parseLong(body[1]), identity)) {
      case RUNS -> " on this host, where it still runs";
      case ELSEWHERE -> " on this host, in another container (or in this one before it restarted)";
      case GONE -> " on this host, " + NO_LONGER_RUNS + " (delete the lock if no other machine or container shares this host name)";
    };
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a lock");
    }
  }
}
