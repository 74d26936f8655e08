package dev.cairn;

import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.ReadOnlyRepositoryException;
import dev.cairn.errors.Remedy;
import dev.cairn.errors.RepositoryNotFoundException;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.index.DamagedIndexException;
import dev.cairn.internal.index.IndexEnvironment;
import dev.cairn.internal.index.NioAccess;
import dev.cairn.internal.index.ObjectIndex;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackObjectDatabase;
import dev.cairn.store.ObjectDatabase;
import dev.cairn.transport.RemoteLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A local Cairn repository: a directory laid out like a Git repository (spec/repository.md).
 * <pre>
 *   config    settings, written once at creation (see {@link RepositoryConfig})
 *   packs/    immutable pack files, the only primary object data
 *   index/    LMDB lookup tables, derived from the packs and rebuildable
 *   refs/     references to versions
 *   tmp/      files being written; never read
 * </pre>
 * Thread-safe. Several processes may open one repository at once.
 */
public final class Repository implements AutoCloseable {
  /** The config file's name. */
  public static final String CONFIG = "config";

  private final Path dir;
  private final RepositoryConfig config;
  private final PackObjectDatabase objects;
  /** Opened on first use (see {@link #indexEnvironment()}). */
  private volatile IndexEnvironment indexEnvironment;
  /** The identity (device and inode) of the index's data file this process opened, or null. */
  private volatile Object indexFileKey;
  private boolean closed;

  private Repository(Path dir, RepositoryConfig config) {
    this.dir = dir;
    this.config = config;
    this.objects = new PackObjectDatabase(dir.resolve("packs"), dir.resolve("tmp"), () -> new ObjectIndex(indexEnvironment(), this::packEntries),
        config.objectFormat(), config.chunker(), config.pack());
  }

  /**
   * Creates a repository in {@code dir} (which may exist but must not hold a repository) and opens
   * it. If another process creates it at the same moment, one config wins and both open it.
   */
  public static Repository create(Path dir, RepositoryConfig config) throws IOException {
    NioAccess.require(); // before anything is made
    Path d = dir.toAbsolutePath().normalize();
    requireNotARemote(d);
    Path outer = d.getParent() == null ? null : enclosingRepository(d.getParent());
    if (outer != null) {
      throw new InvalidInputException("Cannot make a repository at " + d + ": it lies inside the repository " + outer
          + ", whose gc would delete it; give a folder outside it");
    }
    requireNoForeignFiles(d);
    requireNoDataWithoutConfig(d);
    for (String sub : new String[] {"packs", "index", "refs", "tmp"}) {
      Files.createDirectories(d.resolve(sub));
    }
    if (!AtomicFiles.createIfAbsent(d.resolve(CONFIG), config.format().getBytes(StandardCharsets.UTF_8), d.resolve("tmp"))) {
      throw new IOException("Cannot create repository: one already exists at " + d);
    }
    return open(d);
  }

  /** What a repository's folder holds (spec/repository.md); anything else is someone else's. */
  private static final Set<String> OWN_NAMES = Set.of(CONFIG, "packs", "index", "refs", "tmp", "cache", "runs",
      "remotes", "lost-found");

  /**
   * Refuses to make a repository of a folder that holds other files: a mistyped {@code --repo}
   * must not scatter a repository among a user's files.
   */
  private static void requireNoForeignFiles(Path d) throws IOException {
    if (Files.exists(d) && !Files.isDirectory(d)) {
      throw new InvalidInputException("Cannot use " + d + " as a repository: it is a file, not a folder");
    }
    if (!Files.isDirectory(d)) {
      return;
    }
    try (Stream<Path> s = Files.list(d)) {
      Path foreign = s.filter(p -> !OWN_NAMES.contains(p.getFileName().toString())).findFirst().orElse(null);
      if (foreign != null) {
        throw new InvalidInputException("Cannot use " + d + " as a repository: it holds no repository but other files ("
            + foreign.getFileName() + "); give a new or empty folder, or the folder of an existing repository");
      }
    }
  }

  /**
   * The repository {@code p} lies in ({@code p} itself or the nearest folder above it that holds
   * one), links resolved as far as {@code p} exists; null if none. A repository's gc deletes
   * what it does not know under its folder, so nothing else may live there.
   */
  public static Path enclosingRepository(Path p) {
    for (Path a = realOrAsIs(p); a != null; a = a.getParent()) {
      if (looksLikeRepository(a)) {
        return a;
      }
    }
    return null;
  }

  /**
   * Whether folder {@code dir} holds a repository's own files: its config, {@code refs/} and
   * {@code packs/} (a git repository has the first two, restic's the config).
   */
  public static boolean looksLikeRepository(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG), LinkOption.NOFOLLOW_LINKS)
        && Files.isDirectory(dir.resolve("refs"), LinkOption.NOFOLLOW_LINKS)
        && Files.isDirectory(dir.resolve("packs"), LinkOption.NOFOLLOW_LINKS);
  }

  /** {@code p} with links resolved as far as it exists (what it names may not exist yet). */
  private static Path realOrAsIs(Path p) {
    Path existing = p.toAbsolutePath().normalize();
    Path rest = existing.getFileSystem().getPath("");
    while (existing != null && !Files.exists(existing)) {
      rest = existing.getFileName().resolve(rest);
      existing = existing.getParent();
    }
    try {
      return existing == null ? p.toAbsolutePath().normalize() : existing.toRealPath().resolve(rest);
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  /** Refuses a remote's folder (spec/remote.md) given where a repository was meant. */
  private static void requireNotARemote(Path d) throws IOException {
    if (Files.isRegularFile(d.resolve(RemoteLayout.MARKER)) && !Files.isRegularFile(d.resolve(CONFIG))) {
      throw new InvalidInputException("Cannot use " + d + " as a repository: it is a Cairn remote, not a repository"
          + " (a remote is given as ", new Remedy("a storage URI", "--storage"), ")");
    }
  }

  /**
   * Refuses a folder that holds packs or records but no config: a repository whose config was lost,
   * not a new one. A config made again with the defaults could give its new objects other ids than
   * its data's (another object format, other chunker parameters). A creation interrupted before its
   * config leaves its directories empty, and is made again.
   */
  private static void requireNoDataWithoutConfig(Path d) throws IOException {
    if (Files.isRegularFile(d.resolve(CONFIG))) {
      return; // a repository (made meanwhile, perhaps, by another process)
    }
    for (String sub : new String[] {"packs", "refs"}) {
      Path p = d.resolve(sub);
      if (!Files.isDirectory(p)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(p)) {
        if (s.anyMatch(Files::isRegularFile)) {
          throw new InvalidConfigException("Cannot open the repository at " + d + ": its " + CONFIG + " file is missing, but it holds "
              + (sub.equals("refs") ? "records" : sub) + "; put the file back (its settings are in spec/repository.md, \"Config file\"): a new one might not match"
              + " its data");
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /**
   * Opens an existing repository.
   *
   * @throws RepositoryNotFoundException if {@code dir} holds none
   */
  public static Repository open(Path dir) throws IOException {
    NioAccess.require();
    Path d = dir.toAbsolutePath().normalize();
    Path configFile = d.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      requireNotARemote(d);
      requireNoDataWithoutConfig(d);
      throw new RepositoryNotFoundException(d);
    }
    RepositoryConfig config;
    String text;
    try {
      text = Files.readString(configFile, StandardCharsets.UTF_8);
    } catch (CharacterCodingException binary) {
      throw Files.isDirectory(d.resolve("packs")) ? new InvalidConfigException("Cannot read " + configFile + ": it is not text") : notCairns(d);
    }
    try {
      config = RepositoryConfig.parse(text);
    } catch (InvalidConfigException e) {
      if (!text.contains(RepositoryConfig.FORMAT_VERSION_KEY) && !Files.isDirectory(d.resolve("packs"))) {
        throw notCairns(d); // a git or restic repository has a config file too
      }
      // "Cannot read config: line 1 is not ..." names no file: the user needs to know which one.
      throw new InvalidConfigException(e.getMessage().replaceFirst("^Cannot read config:", "Cannot read " + configFile + ":"));
    }
    for (String sub : new String[] {"packs", "index", "refs", "tmp"}) {
      Files.createDirectories(d.resolve(sub));
    }
    // Its real path: one repository reached through a symbolic link (macOS's /tmp, say) is one
    // repository, whose index (LMDB allows one environment a file in a process) and in-process
    // locks are shared by every opening of it.
    return new Repository(d.toRealPath(), config);
  }

  private static InvalidConfigException notCairns(Path d) {
    return new InvalidConfigException("Cannot open " + d + " as a repository: its " + CONFIG + " file is not Cairn's (the folder of"
        + " another tool?); give a Cairn repository, or a new or empty folder");
  }

  /** Opens the repository in {@code dir}, creating it with {@code config} if there is none. */
  public static Repository openOrCreate(Path dir, RepositoryConfig config) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.isRegularFile(d.resolve(CONFIG))) {
      return open(d);
    }
    try {
      return create(d, config);
    } catch (IOException e) {
      if (Files.isRegularFile(d.resolve(CONFIG))) {
        return open(d);
      }
      throw e;
    }
  }

  public Path directory() {
    return dir;
  }

  public RepositoryConfig config() {
    return config;
  }

  /** The object store. */
  public ObjectDatabase objects() {
    return objects;
  }

  /** The pack store behind {@link #objects()}, for maintenance (fsck, rebuilding the index). */
  public PackObjectDatabase packs() {
    return objects;
  }

  /**
   * The shared LMDB environment, for the object index and other derived tables. It is opened on
   * first use, so that commands that look no object up (a cached {@code get}, {@code search},
   * {@code log}) never map it. A damaged index is set aside then and rebuilt from the packs.
   *
   * @throws IOException if the index cannot be opened even after setting it aside
   */
  public IndexEnvironment indexEnvironment() throws IOException {
    IndexEnvironment env = indexEnvironment;
    if (env != null) {
      return env;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("repository is closed");
      }
      if (indexEnvironment == null) {
        indexEnvironment = openIndex();
        indexFileKey = indexFileKey();
      }
      return indexEnvironment;
    }
  }

  private List<PackEntry> packEntries(String packName) throws IOException {
    return objects.packEntries(packName);
  }

  /** How many times an index that reads as damaged is opened again before it is set aside. */
  private static final int DAMAGED_INDEX_RETRIES = 3;

  private IndexEnvironment openIndex() throws IOException {
    try {
      return openIndexRetryingDamage();
    } catch (DamagedIndexException damaged) {
      requireWritableIndex();
      // The index is derived data: set a damaged one aside and rebuild it from the packs.
      Path aside = dir.resolve("index.damaged-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid());
      boolean setAside = false;
      try {
        Files.move(dir.resolve("index"), aside);
        setAside = true;
      } catch (NoSuchFileException | FileAlreadyExistsException otherProcessDidIt) {
        // set aside by another process at the same moment
      }
      IndexEnvironment env = IndexEnvironment.open(dir.resolve("index"), config.indexMapSizeBytes());
      try {
        objects.rebuildIndex(new ObjectIndex(env, objects::packEntries));
      } catch (IOException | RuntimeException e) {
        env.close();
        throw e;
      }
      if (setAside) {
        // Never silent: a process that had the index open goes on using the copy set aside.
        System.getLogger("dev.cairn").log(System.Logger.Level.WARNING, "the index was damaged ("
            + damaged.getMessage().replaceFirst("^Cannot open index[^:]*: ", "") + "): set aside as " + aside
            + " and rebuilt from the packs; restart any cairn serve that had it open");
      }
      return env;
    } catch (IOException notDamage) {
      requireWritableIndex();
      throw notDamage;
    }
  }

  /**
   * Opens the index; one that reads as damaged is opened again a few times, a moment apart, before
   * the damage is believed: another process may be writing it at that very moment, and an index
   * set aside while other processes have it open leaves them writing into the copy set aside.
   */
  private IndexEnvironment openIndexRetryingDamage() throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return IndexEnvironment.open(dir.resolve("index"), config.indexMapSizeBytes());
      } catch (DamagedIndexException damaged) {
        if (attempt > DAMAGED_INDEX_RETRIES) {
          throw damaged;
        }
        try {
          Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw damaged;
        }
      }
    }
  }

  private Object indexFileKey() {
    try {
      return Files.readAttributes(dir.resolve("index").resolve("data.mdb"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException gone) {
      return null;
    }
  }

  /**
   * Whether the index this process has open is no longer the repository's: another process set it
   * aside (as damaged) and built a new one. This process then reads and writes the copy set aside
   * until it opens the repository again; a long-running one (a server) should say so.
   */
  public boolean indexReplaced() {
    Object opened = indexFileKey;
    return opened != null && !opened.equals(indexFileKey());
  }

  /** A read-only index is not a damaged one: say so, and touch nothing. */
  private void requireWritableIndex() throws IOException {
    Path index = dir.resolve("index");
    if (Files.getFileStore(dir).isReadOnly()) {
      throw readOnly(); // root may write anywhere but here: no permission to blame
    }
    for (Path p : new Path[] {dir, index, index.resolve("data.mdb"), index.resolve("lock.mdb")}) {
      if (Files.exists(p) && !Files.isWritable(p)) {
        if (onReadOnlyFileSystem(p)) {
          throw readOnly(); // a read-only bind mount, which the file store's flags do not show
        }
        throw new AccessDeniedException(p.toString(), null,
            "the repository's index must be writable, even to read (LMDB records its readers there)");
      }
    }
  }

  private ReadOnlyRepositoryException readOnly() {
    return new ReadOnlyRepositoryException("Cannot open the repository " + dir + ": it is on a read-only file system, and its index"
        + " (LMDB) records its readers even to read; copy it to a writable place (cp -a) to read or check it there");
  }

  /** Whether a write to {@code p} (a file opened for writing, a folder given a new file) fails for the file system's being read-only. */
  private static boolean onReadOnlyFileSystem(Path p) {
    try {
      if (Files.isDirectory(p)) {
        Files.delete(Files.createTempFile(p, ".write-check-", ".tmp"));
      } else {
        FileChannel.open(p, StandardOpenOption.WRITE).close();
      }
      return false;
    } catch (java.nio.file.FileSystemException e) {
      return IoErrors.isReadOnlyFileSystem(e);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The directory for temporary files, on the same file system as the repository. */
  public Path tmpDirectory() {
    return dir.resolve("tmp");
  }

  /**
   * Rebuilds the LMDB index from the packs.
   *
   * @return packs that could not be read and were left out
   */
  public List<Path> rebuildIndex() throws IOException {
    return objects.rebuildIndex();
  }

  @Override
  public void close() throws IOException {
    try {
      objects.close(); // first: it waits for readers and inserters in use, which may still open the index
    } finally {
      IndexEnvironment env;
      synchronized (this) {
        closed = true;
        env = indexEnvironment;
      }
      if (env != null) {
        env.close();
      }
    }
  }
}
