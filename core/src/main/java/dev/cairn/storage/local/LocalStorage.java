package dev.cairn.storage.local;

import dev.cairn.errors.BadStorageLocationException;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.Trees;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.StorageException;
import dev.cairn.storage.StorageProvider;
import dev.cairn.storage.Storages;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A remote in a local or network folder. Files are written under {@code .tmp/}, fsynced, and
 * published by an atomic rename ({@link #publish}) or an atomic hard link that fails if the name
 * exists ({@link #createIfAbsent}), which POSIX file systems and NFS provide. A file to publish
 * that is on the same file system is linked under its name at once, not copied.
 */
public final class LocalStorage implements RemoteStorage {
  private static final String TMP = ".tmp";

  private final Path root;

  /**
   * Opens the folder {@code root}; nothing is created until something is written.
   *
   * @throws BadStorageLocationException if {@code root} is something else than a folder
   */
  public LocalStorage(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
      throw new BadStorageLocationException("Cannot use remote " + this.root + ": it is a file, not a folder");
    }
    // A file on the way there (a/file/remote) would fail each later call with "Not a directory".
    for (Path up = this.root.getParent(); up != null && !Files.isDirectory(up); up = up.getParent()) {
      if (Files.exists(up)) {
        throw new BadStorageLocationException("Cannot use remote " + this.root + ": " + up + " is a file, not a folder");
      }
    }
  }

  /** Names of temporary files that releases before 2026-12-01 wrote: {@code <prefix><uuid>.tmp}. */
  private static final Pattern OLDER_TEMP =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp$");

  /** Whether a name under {@code .tmp/} (or a path ending in one) is one Cairn writes there. */
  private static boolean isOwnTemp(String name) {
    return AtomicFiles.isTempName(name) || OLDER_TEMP.matcher(name).find();
  }

  @Override
  public String missingParent() {
    Path parent = root.getParent();
    return parent == null || Files.isDirectory(parent) ? null : parent.toString();
  }

  /** The folder of temporary files, created on first use. */
  private Path tmpDir() throws IOException {
    return Files.createDirectories(root.resolve(TMP));
  }

  /** Opens {@code file:} URIs and plain paths. */
  public static final class Provider implements StorageProvider {
    @Override
    public boolean supports(URI uri) {
      return uri.getScheme() == null || uri.getScheme().equals("file");
    }

    @Override
    public int priority() {
      return 1000;
    }

    @Override
    public RemoteStorage open(URI uri, Map<String, String> conf) throws IOException {
      return new LocalStorage(uri.getScheme() == null ? Path.of(uri.getPath()) : Path.of(uri));
    }
  }

  @Override
  public URI uri() {
    return uriOf(root);
  }

  /**
   * The {@code file:} URI of a folder, the same whether or not it exists yet: without the trailing
   * slash that {@link Path#toUri()} adds to existing folders only (the form {@link
   * Storages#parse} gives a typed URI too). A version's recorded storage would
   * otherwise change once its first push had created the folder.
   */
  public static URI uriOf(Path folder) {
    Path p = folder.toAbsolutePath().normalize();
    String u = p.toUri().toString();
    return URI.create(u.endsWith("/") && p.getNameCount() > 0 ? u.substring(0, u.length() - 1) : u);
  }

  private Path file(String name) throws StorageException {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.equals(TMP) || name.startsWith(TMP + "/")
        || Arrays.asList(name.split("/")).contains("..")) {
      throw new StorageException("Cannot use remote name '" + name + "'", false);
    }
    return root.resolve(name);
  }

  @Override
  public List<RemoteFile> list(String prefix) throws IOException {
    List<RemoteFile> out = list(prefix, Integer.MAX_VALUE);
    out.sort(Comparator.comparing(RemoteFile::name));
    return out;
  }

  @Override
  public List<RemoteFile> list(String prefix, int limit) throws IOException {
    try {
      List<RemoteFile> out = new ArrayList<>();
      if (!Files.isDirectory(root)) {
        return out;
      }
      // Walked from its real path: a root given through a symbolic link is otherwise seen as a link, empty.
      Path real = root.toRealPath();
      int slash = prefix.lastIndexOf('/');
      Path start = slash < 0 ? real : real.resolve(prefix.substring(0, slash));
      if (!Files.isDirectory(start)) {
        return out;
      }
      boolean glance = limit != Integer.MAX_VALUE; // a look at what a location holds: unreadable folders are passed over
      for (Trees.FileEntry f : Trees.regularFiles(start, p -> {
        String name = nameOf(real, p);
        // Cairn's temporary files are not listed; a glance sees someone's files in a .tmp/ folder.
        return name.startsWith(prefix) && (!name.startsWith(TMP + "/") || glance && !isOwnTemp(name));
      }, limit, glance)) {
        out.add(new RemoteFile(nameOf(real, f.path()), f.size()));
      }
      return out;
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  private static String nameOf(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  /** Walks the folders above the root, as written and as they resolve (through links). */
  @Override
  public URI enclosing(String name) throws IOException {
    Path existing = root;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    List<Path> starts = new ArrayList<>(List.of(root));
    if (existing != null) {
      starts.add(existing.toRealPath().resolve(existing.relativize(root)));
    }
    for (Path start : starts) {
      for (Path p = start.getParent(); p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve(name))) {
          return uriOf(p);
        }
      }
    }
    return null;
  }

  @Override
  public long size(String name) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file(name), BasicFileAttributes.class);
      return a.isRegularFile() ? a.size() : -1;
    } catch (NoSuchFileException e) {
      return -1;
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  @Override
  public byte[] read(String name, long offset, int length) throws IOException {
    try (FileChannel ch = FileChannel.open(file(name), StandardOpenOption.READ)) {
      byte[] out = new byte[length];
      ByteBuffer buf = ByteBuffer.wrap(out);
      while (buf.hasRemaining()) {
        if (ch.read(buf, offset + buf.position()) < 0) {
          throw new StorageException("Cannot read " + name + ": file ends before byte " + (offset + length), false);
        }
      }
      return out;
    } catch (NoSuchFileException e) {
      throw StorageException.notFound(name);
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    try {
      return Files.newInputStream(file(name));
    } catch (NoSuchFileException e) {
      throw StorageException.notFound(name);
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  @Override
  public void publish(String name, Path source) throws IOException {
    try {
      Path target = file(name);
      if (Files.exists(target)) {
        return;
      }
      Files.createDirectories(target.getParent());
      if (linked(target, source)) {
        return;
      }
      Path tmp = AtomicFiles.tempPath(tmpDir(), "");
      try {
        Files.copy(source, tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        try {
          Files.createLink(target, tmp); // create-if-absent: a rename would replace one published meanwhile
        } catch (FileAlreadyExistsException e) {
          // published by someone else meanwhile (same name, same content): its name is made durable
          // below all the same, as its publisher may have died before it synced the folder
        } catch (UnsupportedOperationException | IOException noLinks) {
          if (!Files.exists(target)) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE); // no hard links here: the check above is all there is
          }
        }
        AtomicFiles.fsyncDirectory(target.getParent());
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  /**
   * Publishes {@code source} under {@code target} by a hard link, which fails if the name exists:
   * no byte is copied when the staging file is on the same file system. The source's data were
   * fsynced by whoever wrote it ({@link RemoteStorage#publish}); the new name is made durable here.
   *
   * @return false if the file system cannot link them (another device, no hard links): copy instead
   */
  private static boolean linked(Path target, Path source) throws IOException {
    if (setGroupId(target.getParent())) {
      return false; // a copy takes the shared folder's group; a link would keep the pusher's
    }
    try {
      Files.createLink(target, source);
    } catch (FileAlreadyExistsException e) {
      // published by someone else meanwhile (same name, same content): made durable below all the same
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
    AtomicFiles.fsyncDirectory(target.getParent());
    return true;
  }

  private static boolean setGroupId(Path folder) {
    try {
      return (((Integer) Files.getAttribute(folder, "unix:mode")) & 02000) != 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public boolean createIfAbsent(String name, byte[] data) throws IOException {
    try {
      Path target = file(name);
      Files.createDirectories(target.getParent());
      return AtomicFiles.createIfAbsent(target, data, tmpDir());
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  @Override
  public int removeStaleTemporaryFiles(long olderThanMillis) throws IOException {
    try {
      Path dir = root.resolve(TMP);
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      long now = System.currentTimeMillis();
      int removed = 0;
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          // A writer of this machine that still runs keeps its file, however old; one that ended
          // (killed part way) can rename it no more, whatever its age; a name Cairn did not make is
          // someone's file, kept.
          String name = p.getFileName().toString();
          if (isOwnTemp(name) && !AtomicFiles.ownerAlive(name) && (AtomicFiles.madeByEndedProcessHere(name)
              || now - Files.getLastModifiedTime(p).toMillis() >= olderThanMillis) && Files.deleteIfExists(p)) {
            removed++;
          }
        }
      }
      return removed;
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  @Override
  public void delete(String name) throws IOException {
    try {
      Files.deleteIfExists(file(name));
    } catch (AccessDeniedException e) {
      throw denied(e);
    }
  }

  /**
   * A file or folder of the remote that this process may not read or write: said as the remote's
   * (not as a bare path), and permanent, so that it is not retried as a flaky network is.
   */
  private StorageException denied(AccessDeniedException e) {
    return new StorageException("Cannot use remote " + uri() + ": permission denied (" + e.getFile() + ")", false, e);
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "LocalStorage(" + root + ")";
  }
}
