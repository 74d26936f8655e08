package dev.cairn.internal.fs;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.internal.proc.ProcessIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The crash-safe write path: write a temporary file, fsync it, rename it into place, fsync the
 * directory. A reader sees either the old file or the whole new one, never a part.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  private static final long PID = ProcessHandle.current().pid();
  /**
   * 8 hex digits naming this process's pid table (the kernel's boot id, random at each boot of each
   * machine, and the pid namespace), or null where they cannot be told: in a temporary name, they
   * say that its pid can be looked up here.
   */
  private static final String TABLE = tableTag();
  private static final Pattern OWNER =
      Pattern.compile("p(\\d+)(?:t([0-9a-f]{8}))?-[0-9a-f]{8}-[0-9a-f]{4}-");

  private static String tableTag() {
    String table = ProcessIdentity.pidTable();
    if (table == null) {
      return null;
    }
    return HashAlgorithm.SHA256.hash(table.getBytes(StandardCharsets.US_ASCII)).hex().substring(0, 8);
  }

  /** A fresh, unused temporary path in {@code tmpDir}. */
  public static Path tempPath(Path tmpDir, String prefix) {
    return tmpDir.resolve(tempName(prefix) + ".tmp");
  }

  /**
   * A fresh name for a temporary file or folder: {@code prefix}, this process's id, a tag of its
   * pid table, and a random part ({@code <prefix>p<pid>t<tag>-<uuid>}), so that a collection can
   * leave a running process's temporary files alone, and a process of the same pid table can tell
   * that the one which made a name has ended ({@link #sweepEnded}).
   */
  public static String tempName(String prefix) {
    return prefix + "p" + PID + (TABLE == null ? "" : "t" + TABLE) + "-" + UUID.randomUUID();
  }

  /** Whether {@code name} (a file name, or a path ending in one) was made by {@link #tempName}. */
  public static boolean isTempName(String name) {
    return OWNER.matcher(name).find();
  }

  /**
   * Whether {@code name} was made by {@link #tempName} in a process of this pid table (this boot
   * of this machine, this pid namespace) that no longer runs: nothing can use it any more. (A name
   * of another host, another container, or of a release before the tag, cannot be judged so:
   * {@code gc} removes it after its grace.)
   */
  public static boolean madeByEndedProcessHere(String name) {
    Matcher m = OWNER.matcher(name);
    if (TABLE == null || !m.find() || !TABLE.equals(m.group(2))) {
      return false;
    }
    try {
      return !ProcessIdentity.runs(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Deletes what ended processes of this pid table (killed part way, say) left in {@code tmpDir}
   * ({@link #madeByEndedProcessHere}); what cannot be deleted now (another user's) stays for
   * {@code gc}. Returns how many entries went.
   */
  public static int sweepEnded(Path tmpDir) {
    int removed = 0;
    try (Stream<Path> s = Files.list(tmpDir)) {
      for (Path p : s.toList()) {
        if (madeByEndedProcessHere(p.getFileName().toString())) {
          try {
            Trees.delete(p);
            removed++;
          } catch (IOException notNow) {
            // gc removes it once past its grace
          }
        }
      }
    } catch (IOException | UncheckedIOException unreadable) {
      // no tmp folder, or not ours to list: nothing to sweep
    }
    return removed;
  }

  /** Whether {@code name} was made by {@link #tempName} in this very process. */
  public static boolean madeByThisProcess(String name) {
    Matcher m = OWNER.matcher(name);
    return m.find() && m.group(1).equals(Long.toString(PID)) && Objects.equals(m.group(2), TABLE);
  }

  /** What can be told of the process that made an entry named by {@link #tempName}. */
  public enum Owner {
    /** A process of its pid runs here, and started before the entry was last changed. */
    RUNS,
    /** No process of its pid runs here, or the one that does started after the entry was last changed (the pid was used again). */
    ENDED,
    /** Made on another host, in another container, or before this machine started: its process cannot be looked up. */
    UNKNOWN
  }

  /**
   * Slack between a process's start and an entry's time: a process that made an entry started
   * before it, but the wall clock may be stepped forward while it runs (a process start is read
   * against the boot time, which moves with the clock). Wide, because a live copy judged ended
   * would be undone under it; a pid is seldom used again within it.
   */
  private static final long START_SLACK_MILLIS = 10 * 60_000;

  /**
   * Judges the maker of {@code entry} (a path whose name {@link #tempName} made): by its pid
   * table's tag where the name has one, by its pid, and by the start of the process of that pid
   * against the entry's last change (which catches a pid used again).
   */
  public static Owner owner(Path entry) {
    Matcher m = OWNER.matcher(entry.getFileName().toString());
    if (!m.find()) {
      return Owner.UNKNOWN;
    }
    String tag = m.group(2);
    if (tag == null ? TABLE != null : !tag.equals(TABLE)) {
      // Another pid table; or no tag where this host gives one: a host without /proc (on a
      // shared folder), or an older release: its pid is not this machine's to look up.
      return Owner.UNKNOWN;
    }
    long pid;
    try {
      pid = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Owner.UNKNOWN;
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(h -> ProcessIdentity.runs(h.pid()));
    if (p.isEmpty()) {
      return Owner.ENDED;
    }
    Optional<Instant> start = p.get().info().startInstant();
    if (start.isPresent() && pid != PID) {
      try {
        long changed = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis();
        if (start.get().toEpochMilli() > changed + START_SLACK_MILLIS) {
          return Owner.ENDED;
        }
      } catch (IOException gone) {
        return Owner.ENDED; // nothing left to judge, or to keep
      }
    }
    return Owner.RUNS;
  }

  /** Whether {@code name} was made by {@link #tempName} in a process that still runs. */
  public static boolean ownerAlive(String name) {
    Matcher m = OWNER.matcher(name);
    if (!m.find()) {
      return false;
    }
    try {
      return ProcessIdentity.runs(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The file that a write replacing {@code output} should replace: {@code output} itself, or the
   * file it links to when it is a symbolic link (as a shell's {@code >} writes through a link;
   * renaming over the link would replace the link and leave the file it names as it was). Unlike
   * the shell, a link to nothing is refused rather than followed to a new file.
   *
   * @param what what the write makes, for the message ("export to")
   * @throws InvalidInputException if {@code output} is a link to nothing
   */
  public static Path replaceTarget(Path output, String what) throws IOException {
    if (!Files.isSymbolicLink(output)) {
      return output;
    }
    try {
      return output.toRealPath();
    } catch (NoSuchFileException dangling) {
      throw new InvalidInputException("Cannot " + what + " " + output + ": it is a link to "
          + Files.readSymbolicLink(output) + ", which does not exist");
    }
  }

  /**
   * Whether {@code output} is, through any symbolic link, a device, FIFO or socket
   * ({@code /dev/stdout}, {@code /dev/null}, a named pipe, {@code >(zstd)}'s {@code /dev/fd/63}):
   * what a write goes into as a shell's {@code >} writes it, even under {@code noclobber}, never a
   * file to replace by a rename (which would put a regular file in place of the device). So is an
   * existing standard stream's name ({@code /dev/stdout}, {@code /dev/fd/N},
   * {@code /proc/self/fd/N}) whatever it leads to: {@code /dev/stdout} redirected to a file is that
   * file opened by the shell, to be written, not renamed over. A regular file elsewhere under
   * {@code /dev} ({@code /dev/shm}, a memory file system) is a file as any other.
   */
  public static boolean isStreamTarget(Path output) {
    Path abs = output.toAbsolutePath().normalize();
    if (STANDARD_STREAM.matcher(abs.toString()).matches() && Files.exists(abs)) {
      return true;
    }
    try {
      return Files.readAttributes(output, BasicFileAttributes.class).isOther();
    } catch (IOException missingOrUnreadable) {
      return false;
    }
  }

  /** The names of a process's open descriptors: {@code /dev/stdout}, {@code /dev/fd/3}, {@code /proc/self/fd/1}, ... */
  private static final Pattern STANDARD_STREAM =
      Pattern.compile("/dev/(?:stdin|stdout|stderr|fd/\\d+)|/proc/(?:self|thread-self|\\d+)(?:/task/\\d+)?/fd/\\d+");

  /** Writes {@code data} to {@code target} atomically, replacing any existing file. */
  public static void write(Path target, byte[] data, Path tmpDir) throws IOException {
    Path tmp = tempPath(tmpDir, "." + target.getFileName() + "-");
    try {
      writeAndSync(tmp, data);
      move(tmp, target, true);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code data} to {@code target} only if no file is there yet.
   *
   * @return false if {@code target} already existed (it is left as it was)
   */
  public static boolean createIfAbsent(Path target, byte[] data, Path tmpDir) throws IOException {
    Path tmp = tempPath(tmpDir, "." + target.getFileName() + "-");
    try {
      writeAndSync(tmp, data);
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      fsyncDirectory(target.getParent());
      return true;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes and fsyncs a new file. */
  public static void writeAndSync(Path path, byte[] data) throws IOException {
    WriteGuard.charge(data.length);
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /** Renames {@code from} to {@code to} atomically and fsyncs the target directory. */
  public static void move(Path from, Path to, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("Cannot publish " + to + ": the file system cannot rename atomically", e);
    }
    fsyncDirectory(to.getParent());
  }

  /**
   * Makes every file written on the file system that holds {@code dir} durable, in one call
   * (Linux's {@code syncfs}, bound as {@link Writeback} binds libc): one journal commit for a folder
   * of many files, where an {@code fsync} of each would commit once per file. Where libc cannot be
   * bound, each regular file under {@code dir} is synced in turn.
   *
   * @throws IOException if the system reports that data could not be written (syncfs reports
   *     writeback errors since Linux 5.8)
   */
  public static void syncFileSystemOf(Path dir) throws IOException {
    Writeback.LibC c = Writeback.LibC.INSTANCE;
    if (c != null) {
      int fd = c.open(dir.toString(), Writeback.LibC.O_RDONLY | Writeback.LibC.O_CLOEXEC);
      if (fd < 0) {
        throw new IOException("Cannot sync the files written under " + dir + ": it cannot be opened");
      }
      try {
        if (c.syncfs(fd) != 0) {
          throw new IOException("Cannot sync the files written under " + dir + ": the system reports a write error");
        }
        return;
      } finally {
        c.close(fd);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ch.force(false);
          }
        }
      }
    }
  }

  /** Makes a directory's entries durable (a rename is not durable until its directory is synced). */
  public static void fsyncDirectory(Path dir) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException e) {
      // Some file systems refuse to open directories for sync; the rename itself stays atomic.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      return;
    }
    try (ch) {
      ch.force(true);
    } catch (IOException e) {
      // A system that cannot sync a directory, or one opened to read, says EINVAL or EBADF (which
      // PostgreSQL's fsync_fname allows for); any other failure (EIO) means the entries may not be
      // on disk, and is the caller's. (Told by the system's words, in English unless the locale
      // translates them.)
      String why = String.valueOf(e.getMessage());
      if (!why.contains("Invalid argument") && !why.contains("Bad file descriptor")) {
        throw e;
      }
    }
  }
}
