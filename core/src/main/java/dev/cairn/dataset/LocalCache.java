package dev.cairn.dataset;

import dev.cairn.Repository;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.concurrent.TaskWindow;
import dev.cairn.internal.concurrent.Workers;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.fs.WriteGuard;
import dev.cairn.internal.fs.Writeback;
import dev.cairn.internal.io.Text;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Read-only local copies of versions (spec/datasets.md, "Local cache"):
 * <pre>
 *   cache/files/&lt;ab&gt;/&lt;digest&gt;[.x]   one read-only file per distinct content (".x": executable)
 *   cache/versions/&lt;id&gt;[&lt;selection&gt;]/   a version's folder: hard links into cache/files
 *   cache/stamps/&lt;id&gt;[&lt;selection&gt;]     what that folder held when built ({@link FolderStamp})
 * </pre>
 * A folder is built under {@code tmp/} and renamed into place when complete, so it exists only
 * whole; a second get of the same version returns it after one walk of stats that finds it as
 * it was built (else it is built again). Content shared by several versions
 * is stored once. With {@code cache.maxSize} set in the config, the least recently used folders
 * are evicted, then the files no folder links to any more.
 */
final class LocalCache {
  /** Config key of the cache size limit (bytes, or with a K/M/G/T suffix). */
  public static final String MAX_SIZE_KEY = "cache.maxSize";
  /**
   * Config key: folders used more recently than this many milliseconds are never evicted, since
   * another process may be reading them (default 60000).
   */
  public static final String EVICTION_GRACE_KEY = "cache.evictionGraceMillis";

  private final Repository repo;
  private final Path files;
  private final Path versions;
  /** What each version folder held when built ({@link FolderStamp}), by folder name. */
  private final Path stamps;
  private final long maxSizeBytes;
  private final long graceMillis;
  private final Supplier<Map<String, String>> storageConf;

  LocalCache(Repository repo, Supplier<Map<String, String>> storageConf) throws IOException {
    this.repo = repo;
    this.storageConf = storageConf;
    Path cache = repo.directory().resolve("cache");
    this.files = cache.resolve("files");
    this.versions = cache.resolve("versions");
    this.stamps = cache.resolve("stamps");
    Files.createDirectories(files);
    Files.createDirectories(versions);
    Files.createDirectories(stamps);
    String max = repo.config().get(MAX_SIZE_KEY, "0");
    try {
      this.maxSizeBytes = parseSize(max);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("Cannot read config: " + MAX_SIZE_KEY + " = " + max
          + " is not a size (bytes, or a number with K, M, G or T)");
    }
    this.graceMillis = repo.config().getNonNegative(EVICTION_GRACE_KEY, 60_000);
  }

  /**
   * Parses {@code 123}, {@code 10K}, {@code 5M}, {@code 2G} or {@code 1T} (binary multiples).
   *
   * @throws IllegalArgumentException for anything else: a negative size, or one past a long
   */
  public static long parseSize(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1);
    }
    if (t.endsWith("I")) {
      t = t.substring(0, t.length() - 1);
    }
    long mult = 1;
    if (!t.isEmpty() && "KMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
      mult = 1L << (10 * ("KMGT".indexOf(t.charAt(t.length() - 1)) + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t.trim());
      if (n < 0) {
        throw new IllegalArgumentException("not a size: " + s);
      }
      return Math.multiplyExact(n, mult);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a size: " + s);
    }
  }

  /**
   * Returns the read-only folder holding the selected files of the manifest {@code root}, building
   * it if needed.
   *
   * @param label the folder's name (a version id)
   */
  Path materialize(String label, ObjectId root, Selection selection, Progress progress) throws IOException {
    String key = label + selection.key();
    Path target = versions.resolve(key);
    if (Files.isDirectory(target)) {
      // Marked used before it is checked: an eviction by another process, which passes over
      // folders used in the last minute, would otherwise pick it while the check reads it.
      touch(target);
      FolderStamp stamp = FolderStamp.read(stamps, key);
      if (stamp != null && stamp.matches(target)) {
        return target;
      }
      dropChanged(target, root, selection);
    }
    Path build = repo.tmpDirectory().resolve(AtomicFiles.tempName("get-"));
    Files.createDirectories(build);
    Set<Path> folders;
    try (var atExit = ExitCleanup.register(build)) {
      folders = writeFiles(root, selection, build, true, progress);
      FolderStamp.of(build).write(stamps, key, repo.tmpDirectory());
      // A step: Ctrl-C does not delete the folder's files while it is renamed into the cache.
      try (var step = ExitCleanup.step("caching " + label)) {
        Files.move(build, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        // Another process built it first; theirs is as good as ours. (Linux refuses to rename a
        // folder onto a non-empty one with ENOTEMPTY, which Java reports as a plain
        // FileSystemException, not DirectoryNotEmptyException.)
        if (!Files.isDirectory(target)) {
          throw e;
        }
        deleteTree(build);
        // Its stamp, written before the rename, was this build's: the winner's folder stamps it.
        FolderStamp.of(target).write(stamps, key, repo.tmpDirectory());
      }
    } catch (IOException | RuntimeException e) {
      try {
        deleteTree(build);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    try {
      Trees.makeFoldersReadOnly(target, folders); // the folders it made: no walk over every file
    } catch (IOException notOurs) {
      // built by another user's process: its folders are as it left them
    }
    touch(target);
    evictIfNeeded(target);
    return target;
  }

  /**
   * Deletes a cached folder that was changed after it was built, and every content file changed
   * through it (a file written in place, which root may do despite its read-only mode, is the
   * content file itself: other folders linking it are found changed when they are next used).
   * The next build then writes the version's files from the repository again.
   */
  private void dropChanged(Path target, ObjectId root, Selection selection) throws IOException {
    // Renamed aside first, atomically: of several processes that found it changed, one handles
    // it, and none deletes a folder another has just built in its place.
    Path folder = repo.tmpDirectory().resolve(AtomicFiles.tempName("stale-"));
    try {
      Files.move(target, folder, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException takenAlready) {
      return;
    }
    try (ObjectReader reader = repo.objects().newReader()) {
      Manifest manifest = new Manifest(new NodeLoader(reader), root);
      List<IOException> failed = new ArrayList<>();
      selection.forEach(manifest, e -> {
        Path copy = folder.resolve(e.path());
        Path content = contentPath(e);
        try {
          BasicFileAttributes a = FolderStamp.attributes(copy);
          boolean changed = a.size() != e.size() || !FolderStamp.asWritten(a, e.executable());
          if (changed && Files.exists(content) && Files.isSameFile(copy, content)) {
            Files.deleteIfExists(content);
          }
        } catch (NoSuchFileException gone) {
          // deleted from the folder: its content file, if any, is as it was
        } catch (IOException ex) {
          failed.add(ex);
        }
        return true;
      });
      if (!failed.isEmpty()) {
        throw failed.get(0);
      }
    }
    deleteTree(folder);
  }

  /**
   * Writes the selected files of {@code root} into {@code dir}: as hard links to the content cache
   * when {@code linked}, else as independent, writable copies. Files are read from the manifest as
   * they are written, a few at a time: a version of a million files needs no more memory than one
   * of ten.
   *
   * <p>Linked, a file whose content the cache lacks is written in {@code dir}; once every file is
   * written, the file system is synced (when anything was written) and only then are the new files
   * linked into {@code cache/files}: a content file cut to zeros by a power failure would keep the
   * size, mode and time that mark one as written, and be handed out ever after.
   */
  Set<Path> writeFiles(ObjectId root, Selection selection, Path dir, boolean linked, Progress progress) throws IOException {
    int threads = Workers.perCore(4);
    ExecutorService pool = Workers.pool("cairn-get", threads);
    try (ObjectReader reader = repo.objects().newReader();
        ObjectReader manifestReader = repo.objects().newReader();
        ExternalFiles links = new ExternalFiles(storageConf.get(), repo.objects().algorithm());
        Writeback writeback = new Writeback(threads * 16)) {
      Manifest manifest = new Manifest(new NodeLoader(manifestReader), root);
      Selection.Totals totals = selection.totals(manifest);
      progress.start("writing " + Text.count(totals.files(), "file"), totals.bytes());
      Folders folders = new Folders();
      AtomicBoolean wroteContent = new AtomicBoolean();
      forEachRun(pool, threads, manifest, selection, e -> {
        if (ExitCleanup.exiting()) {
          // Ctrl-C: the folder being written is being deleted; making its folders again would leave them.
          throw new InterruptedIOException("exiting: not writing " + e.path());
        }
        Path dest = dir.resolve(e.path());
        folders.ensure(dest.getParent());
        if (linked) {
          if (writeLinked(reader, links, e, dest)) {
            wroteContent.set(true);
            writeback.submit(dest, e.size());
          }
        } else {
          // Created with its mode (less the umask, as git and cp do): no chmod per file.
          writeContent(reader, links, e, dest, e.executable() ? EXECUTABLE : REGULAR);
          writeback.submit(dest, e.size());
        }
        progress.advance(e.size());
      });
      writeback.finish();
      if (linked && wroteContent.get()) {
        AtomicFiles.syncFileSystemOf(dir);
        forEachRun(pool, threads, manifest, selection, e -> publishIfWritten(e, dir.resolve(e.path()), folders));
      }
      return folders.under(dir);
    } finally {
      pool.shutdownNow();
      // A failure leaves tasks running: they stop before the caller deletes the folder they write into.
      Workers.awaitQuietly(pool, 10);
      progress.finish();
    }
  }

  /**
   * Runs {@code writer} on each selected entry of {@code manifest}, on the pool's threads. A task
   * takes a run of files of one folder, so that the threads mostly create files in different
   * folders: files created in one folder at once wait for its lock, and on Linux the waiting thread
   * spins while the other allocates an inode.
   */
  private static void forEachRun(ExecutorService pool, int threads, Manifest manifest, Selection selection, EntryWriter writer)
      throws IOException {
    TaskWindow tasks = new TaskWindow(pool, threads * 16, "writing files");
    List<FileEntry> run = new ArrayList<>();
    long[] runBytes = new long[1];
    selection.forEach(manifest, e -> {
      if (!run.isEmpty() && (!sameFolder(run.get(run.size() - 1), e) || run.size() >= RUN_FILES || runBytes[0] + e.size() > RUN_BYTES)) {
        submitRun(tasks, writer, run);
        run.clear();
        runBytes[0] = 0;
      }
      run.add(e);
      runBytes[0] += e.size();
      return true;
    });
    submitRun(tasks, writer, run);
    tasks.finish();
  }

  /** Files, and their bytes, that one task of {@link #writeFiles} writes at most. */
  private static final int RUN_FILES = 4096;
  private static final long RUN_BYTES = 64L << 20;

  /** Writes one file of a version. */
  @FunctionalInterface
  private interface EntryWriter {
    void write(FileEntry e) throws IOException;
  }

  private static void submitRun(TaskWindow tasks, EntryWriter writer, List<FileEntry> run) throws IOException {
    if (run.isEmpty()) {
      return;
    }
    List<FileEntry> files = List.copyOf(run);
    tasks.submit(() -> {
      for (FileEntry e : files) {
        writer.write(e);
      }
    });
  }

  private static boolean sameFolder(FileEntry a, FileEntry b) {
    int slash = a.path().lastIndexOf('/');
    return slash == b.path().lastIndexOf('/') && a.path().regionMatches(0, b.path(), 0, Math.max(0, slash));
  }

  /**
   * Folders known to exist, so that writing a thousand files into one folder creates it once
   * (asking the file system again for each costs a failed {@code mkdir} and an exception).
   */
  private static final class Folders {
    private final ConcurrentHashMap<Path, Boolean> made = new ConcurrentHashMap<>();

    /** The folders made under {@code dir}, relative to it, each with its parents (but {@code dir}). */
    Set<Path> under(Path dir) {
      Set<Path> out = new HashSet<>();
      for (Path f : made.keySet()) {
        if (f.startsWith(dir)) {
          for (Path r = dir.relativize(f); r != null && !r.toString().isEmpty(); r = r.getParent()) {
            out.add(r);
          }
        }
      }
      return out;
    }

    void ensure(Path folder) throws IOException {
      if (made.containsKey(folder)) {
        return;
      }
      try {
        // Blocks other threads asking for the same folder until it exists.
        made.computeIfAbsent(folder, f -> {
          try {
            Files.createDirectories(f);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return Boolean.TRUE;
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** Links {@code cached} as {@code dest}, or copies it where links cannot be made. */
  private static void linkOrCopy(Path cached, Path dest) throws IOException {
    try {
      Files.createLink(dest, cached);
    } catch (NoSuchFileException removed) {
      throw removed;
    } catch (UnsupportedOperationException | IOException noLinks) {
      Files.copy(cached, dest, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** The content file of an entry: {@code cache/files/<ab>/<digest>[.x]}. */
  private Path contentPath(FileEntry e) {
    String hex = e.digest().hex();
    return files.resolve(hex.substring(0, 2)).resolve(hex + (e.executable() ? ".x" : ""));
  }

  /** Whether {@code p} is a content file of {@code e} as the cache wrote it (false if there is none). */
  private static boolean cachedAsWritten(Path p, FileEntry e) throws IOException {
    try {
      BasicFileAttributes a = FolderStamp.attributes(p);
      // As written: a write to it would have moved its time, a chmod changed its mode.
      return a.isRegularFile() && a.size() == e.size() && FolderStamp.asWritten(a, e.executable());
    } catch (NoSuchFileException absent) {
      return false;
    }
  }

  /**
   * Makes {@code dest}, in a folder being built, a link to the content file of {@code e}, or, when
   * the cache lacks it, writes the content at {@code dest} itself with the mode and time of a
   * content file (the build folder is private until it is renamed into the cache, and its files
   * are spread over the folders the threads' runs write); {@link #publishIfWritten} links it into
   * {@code cache/files} once it is on disk. Returns whether it wrote content.
   */
  private boolean writeLinked(ObjectReader reader, ExternalFiles links, FileEntry e, Path dest) throws IOException {
    Path p = contentPath(e);
    if (cachedAsWritten(p, e)) {
      try {
        linkOrCopy(p, dest);
        return false;
      } catch (NoSuchFileException removed) {
        // Another process's delete or eviction removed the content file meanwhile (it had no
        // other link yet): it is written again.
      }
    }
    writeContent(reader, links, e, dest, REGULAR);
    Files.setPosixFilePermissions(dest, e.executable() ? FolderStamp.EXECUTABLE : FolderStamp.READ_ONLY);
    // A time no write leaves behind (FolderStamp): one written to since is known by its time.
    Files.setLastModifiedTime(dest, FolderStamp.SENTINEL);
    return true;
  }

  /**
   * Links {@code dest}, if a build wrote it (its only link), into {@code cache/files} as the content
   * file of {@code e}, with create-if-absent: of two builds that wrote the same content, both then
   * link the first one's file, so that their folders are alike (and one's stamp holds for the
   * other's folder).
   */
  private void publishIfWritten(FileEntry e, Path dest, Folders folders) throws IOException {
    if (ExitCleanup.exiting()) {
      throw new InterruptedIOException("exiting: not caching " + e.path());
    }
    if (linkCount(dest) != 1) {
      return; // a link to a content file already
    }
    Path p = contentPath(e);
    folders.ensure(p.getParent());
    try {
      Files.createLink(p, dest);
    } catch (FileAlreadyExistsException written) {
      if (cachedAsWritten(p, e)) {
        // Another build wrote the same content first (or this one, for a second path of it):
        // this path links its file too. Should that file be evicted meanwhile, the path keeps its
        // own copy, as good.
        replaceWithLinkTo(p, dest);
      } else {
        publishOver(dest, p); // a changed one: replaced
      }
    } catch (UnsupportedOperationException | FileSystemException noLinks) {
      publishOver(dest, p);
    }
  }

  /** How many names {@code file} has; 1 where the file system does not say. */
  private static int linkCount(Path file) throws IOException {
    try {
      return (Integer) Files.getAttribute(file, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
      return 1;
    }
  }

  /** Replaces {@code dest} with a link to {@code p} in one rename; leaves it as it is if {@code p} went. */
  private void replaceWithLinkTo(Path p, Path dest) throws IOException {
    Path link = dest.resolveSibling(AtomicFiles.tempName(".cairn-link-"));
    try {
      Files.createLink(link, p);
      Files.move(link, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (UnsupportedOperationException | FileSystemException keepOwn) { // NoSuchFileException: p went
      Files.deleteIfExists(link);
    }
  }

  /** Makes the written {@code dest} the content file {@code p}, replacing any, in one rename. */
  private void publishOver(Path dest, Path p) throws IOException {
    Path tmp = repo.tmpDirectory().resolve(AtomicFiles.tempName("cache-"));
    try {
      try {
        Files.createLink(tmp, dest);
      } catch (UnsupportedOperationException | FileSystemException noLinks) {
        Files.copy(dest, tmp, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static final FileAttribute<Set<PosixFilePermission>> REGULAR =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
  private static final FileAttribute<Set<PosixFilePermission>> EXECUTABLE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));
  private static final Set<StandardOpenOption> CREATE_NEW =
      EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);

  private void writeContent(ObjectReader reader, ExternalFiles links, FileEntry e, Path dest,
      FileAttribute<Set<PosixFilePermission>> mode) throws IOException {
    if (e.kind() == EntryKind.LINK) {
      synchronized (links) {
        writeLink(links, e, dest);
      }
      Files.setPosixFilePermissions(dest, mode.value());
      return;
    }
    try (SeekableByteChannel out = Files.newByteChannel(dest, CREATE_NEW, mode)) {
      reader.copyContent(e.fileContent(), new GuardedChannel(out));
    }
  }

  /** Charges every write to {@link WriteGuard} (the disk-full seam). */
  private record GuardedChannel(WritableByteChannel out) implements WritableByteChannel {
    @Override
    public int write(ByteBuffer src) throws IOException {
      // In slices: the JDK copies a heap buffer through a temporary direct buffer of its size.
      ByteBuffer slice = src.slice(src.position(), Math.min(src.remaining(), 1 << 20));
      WriteGuard.charge(slice.remaining());
      int n = out.write(slice);
      src.position(src.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return out.isOpen();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Downloads a linked file, checking that it is still what was added. */
  private void writeLink(ExternalFiles links, FileEntry e, Path dest) throws IOException {
    try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      links.copyChecked(e, new FilterOutputStream(out) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          WriteGuard.charge(len);
          out.write(b, off, len);
        }
      }, "get");
    }
  }

  private static void touch(Path folder) {
    try {
      Files.setLastModifiedTime(folder, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException ignored) {
      // A folder being evicted by another process: nothing to mark.
    }
  }

  /** Removes every cached folder of a version (when the version is deleted). */
  void dropVersion(String id) throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.list(versions)) {
      folders = s.filter(x -> x.getFileName().toString().startsWith(id)).toList();
    }
    for (Path p : folders) {
      deleteTree(p);
      Files.deleteIfExists(stamps.resolve(p.getFileName().toString()));
    }
    if (!folders.isEmpty()) {
      removeOrphans();
    }
  }

  /** Whether {@code folder} of {@code versions/} is one of version {@code id}'s: its whole folder, or a part's or a filter's. */
  static boolean isFolderOf(String id, Path folder) {
    String name = folder.getFileName().toString();
    return name.equals(id) || name.startsWith(id + ".");
  }

  /**
   * The cached folders of version {@code id} (whole, parts, filtered) that were changed after they
   * were built, told as {@code get} tells them (by their stamp: sizes, times and modes); the next
   * get of each builds it again.
   */
  List<Path> changedFolders(String id) throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.list(versions)) {
      folders = s.filter(x -> isFolderOf(id, x)).sorted().toList();
    }
    List<Path> changed = new ArrayList<>();
    for (Path p : folders) {
      FolderStamp stamp = FolderStamp.read(stamps, p.getFileName().toString());
      try {
        if (stamp == null || !stamp.matches(p)) {
          changed.add(p);
        }
      } catch (NoSuchFileException evicted) {
        // deleted meanwhile: nothing to report
      }
    }
    return changed;
  }

  /** Bytes of content held by the cache. */
  long sizeBytes() throws IOException {
    long sum = 0;
    for (Trees.FileEntry f : Trees.regularFiles(files)) {
      sum += f.size();
    }
    return sum;
  }

  private void evictIfNeeded(Path keep) throws IOException {
    if (maxSizeBytes <= 0 || sizeBytes() <= maxSizeBytes) {
      return;
    }
    List<Path> folders;
    try (Stream<Path> s = Files.list(versions)) {
      folders = new ArrayList<>(s.filter(Files::isDirectory).toList());
    }
    folders.sort(Comparator.comparingLong(LocalCache::lastUsed));
    long now = System.currentTimeMillis();
    for (Path f : folders) {
      if (sizeBytes() <= maxSizeBytes) {
        break;
      }
      if (f.equals(keep) || now - lastUsed(f) < graceMillis) {
        continue;
      }
      deleteTree(f);
      Files.deleteIfExists(stamps.resolve(f.getFileName().toString()));
      removeOrphans();
    }
  }

  private static long lastUsed(Path folder) {
    try {
      return Files.getLastModifiedTime(folder).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Deletes cached contents that no folder links to. */
  private void removeOrphans() throws IOException {
    for (Trees.FileEntry f : Trees.regularFiles(files)) {
      Object links;
      try {
        links = Files.getAttribute(f.path(), "unix:nlink");
      } catch (NoSuchFileException removedByAnotherProcess) {
        continue;
      }
      if (links instanceof Integer n && n <= 1) {
        Files.deleteIfExists(f.path());
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    Trees.delete(root);
  }
}
