package dev.cairn.internal.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * One LMDB environment per directory and process, shared by reference count: LMDB forbids opening
 * the same environment twice in one process, while several processes may open it at once (LMDB's
 * lock file serializes their writers). Named databases are opened once and cached.
 */
public final class IndexEnvironment implements AutoCloseable {
  private static final Map<Path, IndexEnvironment> OPEN = new HashMap<>();

  private final Path dir;
  private final Env<ByteBuffer> env;
  private final Map<String, Dbi<ByteBuffer>> dbis = new ConcurrentHashMap<>();
  private int references;

  private IndexEnvironment(Path dir, Env<ByteBuffer> env) {
    this.dir = dir;
    this.env = env;
  }

  /**
   * Opens (or shares) the environment in {@code dir}, creating it if needed. The caller closes it.
   *
   * @param mapSizeBytes the largest size the database may grow to (address space, not disk)
   */
  public static IndexEnvironment open(Path dir, long mapSizeBytes) throws IOException {
    NioAccess.require();
    // Keyed by its real path: LMDB allows one environment a file in a process, however it is named.
    Path key = Files.createDirectories(dir.toAbsolutePath().normalize()).toRealPath();
    synchronized (OPEN) {
      IndexEnvironment shared = OPEN.get(key);
      if (shared == null) {
        LmdbFileCheck.check(key.resolve("data.mdb"));
        try {
          Env<ByteBuffer> env = Env.create()
              .setMapSize(mapSizeBytes)
              .setMaxDbs(16)
              .setMaxReaders(256)
              .open(key.toFile(), EnvFlags.MDB_NOTLS);
          env.readerCheck();
          // The main database, which names the tables, read in a read transaction (no writer waited
          // for): damage there is found now and the index rebuilt, not met by every later command.
          try (Txn<ByteBuffer> txn = env.txnRead()) {
            env.openDbi(txn, "objects".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null, false);
          } catch (org.lmdbjava.LmdbNativeException.PageCorruptedException | org.lmdbjava.LmdbNativeException.PageNotFoundException damaged) {
            env.close();
            throw damaged;
          } catch (RuntimeException notYetThere) {
            // a new index has no table yet; anything else, its first use says
          }
          shared = new IndexEnvironment(key, env);
        } catch (LmdbException e) {
          throw openFailure(e, key, mapSizeBytes);
        }
        OPEN.put(key, shared);
      }
      shared.references++;
      return shared;
    }
  }

  /**
   * What a failure to open the environment says: damage ({@link DamagedIndexException}) only for
   * LMDB's own signs of it; an error of the system (no address space for the map, no permission, a
   * full disk) is not, and leaves the index as it is.
   */
  private static IOException openFailure(LmdbException e, Path dir, long mapSizeBytes) {
    String what = "Cannot open index " + dir + ": ";
    if (e instanceof Env.FileInvalidException || e instanceof Env.VersionMismatchException
        || e instanceof org.lmdbjava.LmdbNativeException.PageCorruptedException
        || e instanceof org.lmdbjava.LmdbNativeException.PageNotFoundException) {
      return new DamagedIndexException(what + e.getMessage(), e);
    }
    if (String.valueOf(e.getMessage()).contains("ENOMEM")) {
      return new IOException(what + "no address space to map its " + mapSizeBytes + " bytes (index.mapSize): raise the"
          + " process's limit (ulimit -v) or lower index.mapSize in the repository's config", e);
    }
    return new IOException(what + e.getMessage(), e);
  }

  /**
   * Starts loading LMDB's native library on a daemon thread. Loading it (jnr-ffi generates its
   * bindings) takes about 0.2 s of a command line's start; a CLI calls this first thing so the
   * work overlaps with parsing arguments. Harmless if the library is never used.
   */
  public static void preloadInBackground() {
    Thread t = new Thread(() -> {
      try {
        Class.forName("org.lmdbjava.Library", true, IndexEnvironment.class.getClassLoader());
      } catch (Throwable ignored) {
        // The first real use reports it.
      }
    }, "cairn-lmdb-preload");
    t.setDaemon(true);
    t.start();
  }

  /** The LMDB environment. */
  public Env<ByteBuffer> env() {
    return env;
  }

  public Path directory() {
    return dir;
  }

  /** The named database, created if absent. */
  public Dbi<ByteBuffer> dbi(String name) {
    return dbis.computeIfAbsent(name, n -> env.openDbi(n, DbiFlags.MDB_CREATE));
  }

  @Override
  public void close() {
    synchronized (OPEN) {
      if (--references == 0) {
        OPEN.remove(dir);
        env.close();
      }
    }
  }
}
