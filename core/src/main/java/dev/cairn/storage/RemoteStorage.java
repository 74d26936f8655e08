package dev.cairn.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam between Cairn and a remote: a flat namespace of immutable files under one root URI, in
 * the spirit of Iceberg's {@code FileIO} and restic's backends. Names are relative,
 * {@code /}-separated ({@code packs/pack-<hex>.pack}).
 *
 * <p>Guarantees every implementation gives (checked by the shared contract test suite):
 * <ul>
 *   <li>{@link #publish} makes a file visible whole or not at all: a reader never sees a part;
 *   <li>{@link #createIfAbsent} is atomic: of several concurrent creators of one name exactly one
 *       succeeds, and the others get {@code false}, never a mix of contents;
 *   <li>{@link #list} shows every file published or created before it began.
 * </ul>
 * Errors are {@link StorageException}s that say whether a retry may help. Implementations are
 * thread-safe.
 */
public interface RemoteStorage extends AutoCloseable {
  /** The root this storage was opened on. */
  URI uri();

  /** Files whose names start with {@code prefix}, in name order. */
  List<RemoteFile> list(String prefix) throws IOException;

  /**
   * At most {@code limit} files whose names start with {@code prefix}, in no set order: a glance
   * at what a location holds, where a store may stop listing early.
   */
  default List<RemoteFile> list(String prefix, int limit) throws IOException {
    List<RemoteFile> all = list(prefix);
    return all.size() <= limit ? all : all.subList(0, limit);
  }

  /** The file's size, or -1 if it does not exist. */
  long size(String name) throws IOException;

  /**
   * Reads {@code length} bytes at {@code offset}.
   *
   * @throws StorageException if the file is missing or shorter than asked
   */
  byte[] read(String name, long offset, int length) throws IOException;

  /** Streams a whole file. */
  InputStream open(String name) throws IOException;

  /**
   * Publishes a local file under {@code name}, whole or not at all. Content-addressed names make
   * this idempotent: if {@code name} exists it is left alone. The caller has fsynced
   * {@code source} and does not change it afterwards (it may delete it): a storage on the same
   * file system may link it rather than copy it.
   */
  void publish(String name, Path source) throws IOException;

  /**
   * Creates {@code name} with {@code data} only if no file has that name.
   *
   * @return false if the name was taken (nothing is written then)
   */
  boolean createIfAbsent(String name, byte[] data) throws IOException;

  /** Deletes a file; absent files are ignored. */
  void delete(String name) throws IOException;

  /**
   * Deletes the temporary files that writers which died left (a copy cut short before its rename),
   * those older than {@code olderThanMillis}, and returns how many. Stores whose writes leave no
   * such file (object stores: one upload) keep this default.
   */
  default int removeStaleTemporaryFiles(long olderThanMillis) throws IOException {
    return 0;
  }

  /**
   * The nearest location above this one (its parent folder, then the parent's, up to the top of
   * the file system or bucket) that holds a file {@code name}, or null if none does. Stores that
   * cannot look above their location keep this default, null.
   */
  default URI enclosing(String name) throws IOException {
    return null;
  }

  /**
   * The folder above this location that does not exist, where a file system has folders that a
   * new remote must not make on its own (a share not mounted, a mistyped path): the location's
   * parent, if missing; else null. Stores whose folders are names (object stores, HDFS) keep
   * this default, null.
   */
  default String missingParent() {
    return null;
  }

  @Override
  void close() throws IOException;
}
