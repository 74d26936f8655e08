package dev.cairn;

import dev.cairn.errors.RepositoryNotFoundException;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.index.IndexEnvironment;
import dev.cairn.internal.index.ObjectIndex;
import dev.cairn.internal.pack.PackObjectDatabase;
import dev.cairn.store.ObjectDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
  private final IndexEnvironment indexEnvironment;
  private final PackObjectDatabase objects;

  private Repository(Path dir, RepositoryConfig config, IndexEnvironment env) {
    this.dir = dir;
    this.config = config;
    this.indexEnvironment = env;
    this.objects = new PackObjectDatabase(
        dir.resolve("packs"), dir.resolve("tmp"), new ObjectIndex(env), config.objectFormat(), config.chunker(), config.pack());
  }

  /**
   * Creates a repository in {@code dir} (which may exist but must not hold a repository) and opens
   * it. If another process creates it at the same moment, one config wins and both open it.
   */
  public static Repository create(Path dir, RepositoryConfig config) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    for (String sub : new String[] {"packs", "index", "refs", "tmp"}) {
      Files.createDirectories(d.resolve(sub));
    }
    if (!AtomicFiles.createIfAbsent(d.resolve(CONFIG), config.format().getBytes(StandardCharsets.UTF_8), d.resolve("tmp"))) {
      throw new IOException("Cannot create repository: one already exists at " + d);
    }
    return open(d);
  }

  /**
   * Opens an existing repository.
   *
   * @throws RepositoryNotFoundException if {@code dir} holds none
   */
  public static Repository open(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    Path configFile = d.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new RepositoryNotFoundException(d);
    }
    RepositoryConfig config = RepositoryConfig.parse(Files.readString(configFile, StandardCharsets.UTF_8));
    for (String sub : new String[] {"packs", "index", "refs", "tmp"}) {
      Files.createDirectories(d.resolve(sub));
    }
    IndexEnvironment env;
    boolean rebuilt = false;
    try {
      env = IndexEnvironment.open(d.resolve("index"), config.indexMapSizeBytes());
    } catch (IOException damaged) {
      // The index is derived data: set a damaged one aside and rebuild it from the packs.
      Path aside = d.resolve("index.damaged-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid());
      try {
        java.nio.file.Files.move(d.resolve("index"), aside);
      } catch (java.nio.file.NoSuchFileException | java.nio.file.FileAlreadyExistsException otherProcessDidIt) {
        // set aside by another process at the same moment
      }
      env = IndexEnvironment.open(d.resolve("index"), config.indexMapSizeBytes());
      rebuilt = true;
    }
    Repository repo = new Repository(d, config, env);
    if (rebuilt) {
      repo.rebuildIndex();
    }
    return repo;
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

  /** The shared LMDB environment, for other derived tables. */
  public IndexEnvironment indexEnvironment() {
    return indexEnvironment;
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
  public java.util.List<Path> rebuildIndex() throws IOException {
    return objects.rebuildIndex();
  }

  @Override
  public void close() throws IOException {
    try {
      objects.close();
    } finally {
      indexEnvironment.close();
    }
  }
}
