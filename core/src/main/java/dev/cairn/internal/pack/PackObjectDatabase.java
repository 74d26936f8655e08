package dev.cairn.internal.pack;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.Lazy;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.index.ObjectIndex;
import dev.cairn.internal.index.ObjectLocation;
import dev.cairn.store.ObjectDatabase;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The local object store: pack files in one directory, found through the LMDB {@link ObjectIndex}.
 * Thread-safe; several processes may use one store at once.
 */
public final class PackObjectDatabase implements ObjectDatabase {
  private final Path packDir;
  private final Path tmpDir;
  private final Lazy<ObjectIndex> index;
  private final HashAlgorithm algorithm;
  private final ChunkerParams chunkerParams;
  private final PackSettings settings;
  private final Map<String, PackFile> open = new ConcurrentHashMap<>();
  /** When each open pack was last asked for ({@link System#nanoTime}), to close those another process deleted. */
  private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
  private volatile ExecutorService workers;

  /** {@code index} opens the object index; it is called when the index is first needed. */
  public PackObjectDatabase(Path packDir, Path tmpDir, Lazy.Opener<ObjectIndex> index, HashAlgorithm algorithm,
      ChunkerParams chunkerParams, PackSettings settings) {
    this.packDir = packDir;
    this.tmpDir = tmpDir;
    this.index = new Lazy<>(index);
    this.algorithm = algorithm;
    this.chunkerParams = chunkerParams;
    this.settings = settings;
  }

  @Override
  public HashAlgorithm algorithm() {
    return algorithm;
  }

  @Override
  public ChunkerParams chunkerParams() {
    return chunkerParams;
  }

  public PackSettings settings() {
    return settings;
  }

  /** The object index, opened on first use. */
  public ObjectIndex index() throws IOException {
    return index.get();
  }

  public Path packDirectory() {
    return packDir;
  }

  Path tmpDirectory() {
    return tmpDir;
  }

  @Override
  public ObjectInserter newInserter() {
    return counted(() -> new PackInserter(this));
  }

  @Override
  public ObjectReader newReader() {
    return counted(() -> new PackReader(this));
  }

  /** A new reader or inserter, counted as in use until it is closed. */
  private <T> T counted(Supplier<T> make) {
    enter();
    try {
      return make.get();
    } catch (RuntimeException | Error e) {
      leave();
      throw e;
    }
  }

  /** Readers and inserters not closed yet; {@link #close} waits for them (up to {@link #CLOSE_WAIT_MILLIS}). */
  private int users;
  private boolean closing;
  private final Object usersLock = new Object();

  /** How long {@link #close} waits for readers and inserters still in use on other threads. */
  static final long CLOSE_WAIT_MILLIS = 10_000;

  private void enter() {
    synchronized (usersLock) {
      if (closing) {
        throw new IllegalStateException("Cannot read or write objects in " + packDir.getParent() + ": the repository was closed");
      }
      users++;
    }
  }

  /** A reader or inserter is closed. */
  void leave() {
    synchronized (usersLock) {
      users--;
      usersLock.notifyAll();
    }
  }

  /**
   * Refuses new readers and inserters, then waits for those in use to be closed: closing the
   * index under a thread that reads it would fail that thread in LMDB's terms, or worse.
   */
  private void awaitUsers() {
    synchronized (usersLock) {
      closing = true;
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
      try {
        for (long left; users > 0 && (left = deadline - System.nanoTime()) > 0; ) {
          TimeUnit.NANOSECONDS.timedWait(usersLock, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // closed now, whatever runs
      }
    }
  }

  @Override
  public boolean has(ObjectId id) throws IOException {
    return index().contains(id);
  }

  /** From the index (an object published but not yet indexed here is looked for once): reads no pack. */
  @Override
  public long sizeOf(ObjectId id) throws IOException {
    ObjectLocation loc = index().lookup(id);
    if (loc == null && refresh()) {
      loc = index().lookup(id);
    }
    return loc == null ? -1 : loc.length();
  }

  /** From the index; when some are not there, looked for once more after packs published since are indexed. */
  @Override
  public boolean[] hasEach(List<ObjectId> ids) throws IOException {
    if (ids.isEmpty()) {
      return new boolean[0];
    }
    boolean[] held = index().containsEach(ids);
    for (boolean h : held) {
      if (!h) {
        return refresh() ? index().containsEach(ids) : held;
      }
    }
    return held;
  }

  /** Set once {@link #close} stopped waiting: the work still running meets a closed store. */
  private volatile boolean shutDown;

  /** Whether {@link #close} stopped waiting for the work still running (its queued tasks dropped). */
  boolean isShutDown() {
    return shutDown;
  }

  /**
   * Says {@code failure} for what it is when the store was closed under the work that met it
   * (workers interrupted, a task refused): the operation was cut by the close. Else returns.
   */
  void requireNotClosedUnder(Exception failure) {
    if (shutDown) {
      throw new IllegalStateException("Cannot finish the operation: the repository " + packDir.getParent()
          + " was closed while it ran (what it wrote is left as a crash would leave it)", failure);
    }
  }

  /** Threads that hash and compress chunks while the inserting thread reads and cuts. */
  ExecutorService workers() {
    ExecutorService w = workers;
    if (w == null) {
      synchronized (this) {
        w = workers;
        if (w == null) {
          w = Workers.pool("cairn-insert", Runtime.getRuntime().availableProcessors());
          workers = w;
        }
      }
    }
    return w;
  }

  /** The open pack of this name, opened (and checked) on first use. */
  PackFile pack(String name) throws IOException {
    PackFile p = open.get(name);
    lastUsed.put(name, System.nanoTime());
    if (p == null) {
      p = openPack(name);
      releaseLeastUsed(p); // outside the lock that opens packs: closing a handle may wait for a read
    }
    return p;
  }

  /** The open pack of this name, opened (and checked) if no thread did yet. */
  private PackFile openPack(String name) throws IOException {
    synchronized (open) {
      PackFile p = open.get(name);
      if (p == null) {
        try {
          p = PackFile.open(packDir.resolve(PackFormat.fileName(name)));
        } catch (NoSuchFileException e) {
          throw new MissingPackException(packDir.resolve(PackFormat.fileName(name)));
        }
        if (p.algorithm() != algorithm) {
          p.close();
          throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, p.path().toString(),
              "pack uses object format " + p.algorithm().configName() + ", repository uses " + algorithm.configName());
        }
        PackFile opened = p;
        p.onReopen(() -> releaseLeastUsed(opened));
        open.put(name, p);
        closeDeletedPacks();
      }
      return p;
    }
  }

  /**
   * How many packs hold a file handle at once, at most (as JGit's {@code core.packedGitOpenFiles},
   * 128): a process that reads many versions made one at a time, each of a few packs, would
   * otherwise keep a handle to every pack it ever read until the process ran out of them.
   * Tests lower it.
   */
  static volatile int maxPackHandles = 128;

  private final Object releasing = new Object();

  /**
   * Closes the handles of the least recently read packs beyond {@link #maxPackHandles} (their
   * next read opens them again). Run when a pack's file is opened, {@code keep}, which is never
   * released then: its read is under way.
   */
  private void releaseLeastUsed(PackFile keep) {
    synchronized (releasing) {
      // Each with when it was last asked for, read once: other threads update the times meanwhile.
      record Holder(PackFile pack, long used) {}
      List<Holder> idle = new ArrayList<>();
      int holding = 0;
      for (Map.Entry<String, PackFile> e : open.entrySet()) {
        PackFile p = e.getValue();
        if (p == keep || !p.holdsHandle()) {
          continue;
        }
        holding++;
        if (!p.isBeingRead()) { // one being read keeps its handle: closed under the read, it would be opened again at once
          idle.add(new Holder(p, lastUsed.getOrDefault(e.getKey(), Long.MIN_VALUE)));
        }
      }
      int excess = Math.min(idle.size(), holding + 1 - maxPackHandles);
      if (excess <= 0) {
        return;
      }
      idle.sort(Comparator.comparingLong(Holder::used));
      for (Holder h : idle.subList(0, excess)) {
        try {
          h.pack().release();
        } catch (IOException | RuntimeException ignored) {
          // a read-only handle: closing it loses nothing
        }
      }
    }
  }

  /** How many open packs hold a file handle now. */
  int packsHoldingHandles() {
    return (int) open.values().stream().filter(PackFile::holdsHandle).count();
  }

  /** How long a pack deleted by another process (its gc) stays open after it was last read (tests shorten it). */
  static volatile long deletedPackGraceNanos = 30_000_000_000L;

  /** The names of the packs open now. */
  java.util.Set<String> openPackNames() {
    return java.util.Set.copyOf(open.keySet());
  }

  /**
   * Closes the open packs that another process deleted (a gc that rewrote their objects into new
   * packs, which the index now names) and that nothing asked for lately: a long-running process
   * (a server) would otherwise keep each one open, holding its disk space and a file handle,
   * until it ran out of them. Done as a new pack is opened, which is when such gcs are met.
   */
  private void closeDeletedPacks() {
    long now = System.nanoTime();
    for (Map.Entry<String, PackFile> e : open.entrySet()) {
      Long used = lastUsed.get(e.getKey());
      if ((used == null || now - used > deletedPackGraceNanos) && !Files.exists(e.getValue().path())
          && open.remove(e.getKey(), e.getValue())) {
        lastUsed.remove(e.getKey());
        try {
          e.getValue().close();
        } catch (IOException | RuntimeException ignored) {
          // a handle to a deleted file: nothing to keep
        }
      }
    }
  }

  /**
   * A published pack's entries, or null if no pack of this name exists: how the index reads the
   * small packs that wait to be merged into it.
   */
  public List<PackEntry> packEntries(String name) throws IOException {
    if (!Files.exists(packDir.resolve(PackFormat.fileName(name)))) {
      return null;
    }
    return pack(name).entries();
  }

  /** Paths of every published pack file, sorted by name. */
  public List<Path> packFiles() throws IOException {
    try (Stream<Path> s = Files.list(packDir)) {
      return s.filter(p -> PackFormat.nameOf(p.getFileName().toString()) != null).sorted().toList();
    }
  }

  /**
   * Rebuilds the index from the packs on disk. Packs that fail to open are skipped and returned,
   * so that the caller can report them.
   */
  public List<Path> rebuildIndex() throws IOException {
    return rebuildIndex(index());
  }

  /** {@link #rebuildIndex()} into the given index (an index being opened). */
  public List<Path> rebuildIndex(ObjectIndex target) throws IOException {
    // Not while a collection deletes packs it dropped from the index: the listing would hold them.
    try (PackRemovalLock noRemoval = lockPackRemoval(() -> {})) {
      Map<String, List<PackEntry>> all = new LinkedHashMap<>();
      List<Path> bad = new ArrayList<>();
      for (Path path : packFiles()) {
        List<PackEntry> entries = checkedEntries(path);
        if (entries != null) {
          all.put(PackFormat.nameOf(path.getFileName().toString()), entries);
        } else if (Files.exists(path)) {
          bad.add(path);
        }
      }
      target.rebuild(all);
      return bad;
    }
  }

  /**
   * Holds off the removal of packs from {@code packs/} (by a collection) until closed, running
   * {@code whenWaiting} if it must wait for one; see {@link PackRemovalLock}.
   */
  public PackRemovalLock lockPackRemoval(Runnable whenWaiting) throws IOException {
    return PackRemovalLock.take(tmpDir, whenWaiting);
  }

  /**
   * The entries of the pack file at {@code path} if it opens (pack.md checks), uses this store's
   * object format and is named for the hash of its index section; else (or if it is gone) null.
   */
  private List<PackEntry> checkedEntries(Path path) throws IOException {
    try (PackFile p = PackFile.open(path)) {
      boolean valid = p.algorithm() == algorithm && algorithm.hash(p.indexSection()).hex().equals(p.name());
      return valid ? p.entries() : null;
    } catch (NoSuchFileException | CorruptObjectException | UnsupportedFormatVersionException e) {
      return null; // left out, and reported by the caller unless gone
    }
  }

  /** Refreshes a pack's modification time: gc keeps recently used packs. */
  /** Sets a pack's modification time to now; false if the pack is gone (gc is deleting it). */
  boolean freshen(String packName) {
    try {
      Files.setLastModifiedTime(packDir.resolve(PackFormat.fileName(packName)), FileTime.fromMillis(System.currentTimeMillis()));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Forgets open handles to packs that gc removed. */
  public void closePack(String name) throws IOException {
    lastUsed.remove(name);
    PackFile p = open.remove(name);
    if (p != null) {
      p.close();
    }
  }

  /**
   * Takes the packs the index names whose files are gone from {@code packs/} out of it: their
   * objects are then not here (a fetch brings them again) rather than indexed and unreadable. A
   * collection drops a pack from the index before it deletes the file, so a pack named and gone is
   * lost. One put back (by a collection that kept it) or published again meanwhile is indexed
   * again. All at once: a fetch after the first lost object is found then gets every one.
   */
  void forgetLostPacks() throws IOException {
    if (!Files.isDirectory(packDir)) {
      return; // the whole store out of reach (a mount gone): nothing is known lost
    }
    Set<String> lost = new HashSet<>();
    for (String name : index().packNames()) {
      if (!Files.exists(packDir.resolve(PackFormat.fileName(name)))) {
        lost.add(name);
      }
    }
    if (lost.isEmpty()) {
      return;
    }
    index().dropPacks(lost, Map.of());
    for (String name : lost) {
      closePack(name);
      Path file = packDir.resolve(PackFormat.fileName(name));
      List<PackEntry> entries = Files.exists(file) ? checkedEntries(file) : null;
      if (entries != null) {
        index().register(name, entries);
      }
    }
  }

  /** A writer for a pack of this store, published into it by {@link PackWriter#finish()}. */
  public PackWriter newPackWriter() throws IOException {
    return new PackWriter(algorithm, packDir, tmpDir);
  }

  /** Registers a published pack so that readers find its objects. */
  public void publish(PackInfo info) throws IOException {
    index().register(info.name(), info.entries());
  }

  /**
   * Registers a published pack for this process at once and for the others later
   * ({@link ObjectIndex#registerLater}): the edits of a draft, indexed with the draft's close.
   */
  void publishLater(PackInfo info) throws IOException {
    index().registerLater(info.name(), info.entries());
  }

  /** Writes the packs {@linkplain #publishLater registered later} to the index, if any wait. */
  void publishDeferred() throws IOException {
    index().registerDeferred();
  }

  /** The packs directory's modification time when {@link #refresh()} last listed it in full. */
  private volatile FileTime listedAt;
  /** A listing is trusted to be complete only for a directory unchanged this long before it. */
  private static final long LISTING_SETTLE_MILLIS = 2_000;

  /**
   * Registers the published packs the index does not know: packs another process registered only
   * for itself so far ({@link ObjectIndex#registerLater}) or left unregistered when it crashed.
   * Readers call this when they miss an object. A pack found this way is freshened, as a writer
   * that reuses it would, so that a concurrent gc keeps it. Cheap when the directory has not
   * changed since the last listing (one {@code stat}).
   *
   * @return whether the index may now find more than a lookup made before the call: false only
   *     when the directory is as it was at the last complete listing. True when a pack was
   *     registered, and when the listing found every pack registered already: another process
   *     may have registered one (written the packs it had registered later) between the caller's
   *     lookup and this listing, which then knows it, and only a look again finds its objects
   */
  @Override
  public boolean refresh() throws IOException {
    FileTime before = Files.getLastModifiedTime(packDir);
    if (before.equals(listedAt)) {
      return false;
    }
    ObjectIndex idx = index();
    Set<String> known = new HashSet<>(idx.packNames());
    Map<String, List<PackEntry>> found = new LinkedHashMap<>();
    for (Path path : packFiles()) {
      String name = PackFormat.nameOf(path.getFileName().toString());
      if (known.contains(name)) {
        continue;
      }
      List<PackEntry> entries = checkedEntries(path); // null: gone, or damaged (fsck reports it)
      if (entries != null && freshen(name)) { // not one gc has just taken out of packs/
        found.put(name, entries);
      }
    }
    if (!found.isEmpty()) {
      idx.registerAll(found);
    }
    if (System.currentTimeMillis() - before.toMillis() > LISTING_SETTLE_MILLIS) {
      // A pack renamed into place within the same tick as this listing may be missing from it: a
      // recent modification time is not remembered, so the next call lists again.
      listedAt = before;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    awaitUsers();
    shutDown = true;
    ExecutorService w = workers;
    if (w != null) {
      w.shutdownNow();
    }
    IOException failure = null;
    ObjectIndex opened = index.getIfOpened();
    if (opened != null) {
      try {
        opened.registerDeferred();
      } catch (RuntimeException e) {
        // Left for other processes to find (refresh()); the packs themselves are durable.
        failure = new IOException("Cannot write the index: " + e.getMessage(), e);
      }
    }
    for (PackFile p : open.values()) {
      try {
        p.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    open.clear();
    lastUsed.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
