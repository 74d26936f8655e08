package dev.cairn.dataset;

import dev.cairn.Repository;
import dev.cairn.errors.DatasetLockedException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.io.Text;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import dev.cairn.transport.RemoteLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Writable copies and symbolic links to cached copies. */
final class LocalCopies {
  private static final Remedy WITH_OVERWRITE = new Remedy("with overwrite = true", "with --overwrite");

  private LocalCopies() {}

  static Path mutableCopy(DatasetRepository repo, ObjectId root, Path target, boolean overwrite, Selection selection,
      Progress progress) throws IOException {
    return mutableCopies(repo, Map.of("", root), target, overwrite, selection, progress);
  }

  /**
   * Copies several versions into {@code target} as one copy, each into the folder its key names
   * (a lock file's aliases; the key "" is the target itself): they stand all at once, or none
   * does, as one version's copy does.
   */
  static Path mutableCopies(DatasetRepository repo, Map<String, ObjectId> roots, Path target, boolean overwrite, Selection selection,
      Progress progress) throws IOException {
    target = named(target);
    requireApartFromRepository(repo, realPathOfMaybeMissing(target), target, "copy into");
    removeDeadCopies(target);
    requireUsableTarget(repo, target, overwrite);
    requireRoom(repo, roots, selection, target);
    writeWhole(repo, roots, selection, target, overwrite, progress);
    return target;
  }

  /**
   * Refuses a copy whose files need more room than the disk at {@code target} has free, before a
   * byte is written: a copy that runs out of room near its end has cost the time of all the rest
   * (and is then undone). Judged by the sizes of the files (folders take a little more), against
   * what the file system says is free; one that reports no size at all (some network shares) is
   * not judged.
   */
  private static void requireRoom(DatasetRepository repo, Map<String, ObjectId> roots, Selection selection, Path target)
      throws IOException {
    long needed = 0;
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      for (ObjectId root : roots.values()) {
        needed += selection.totals(new Manifest(loader, root)).bytes();
      }
    } catch (MissingObjectException notHere) {
      return; // the copy itself says what is missing
    }
    Path existing = target.toAbsolutePath().normalize(); // the disk is that of its nearest folder that exists
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null) {
      FileStore disk = Files.getFileStore(existing);
      requireRoom(target, needed, disk.getUsableSpace(), disk.getTotalSpace());
    }
  }

  /** Refuses {@code needed} bytes into {@code target} on a disk of {@code total} bytes, {@code usable} of them free. */
  static void requireRoom(Path target, long needed, long usable, long total) throws InvalidInputException {
    if (total > 0 && needed > usable) {
      throw new InvalidInputException("Cannot copy into " + target + ": its files need " + Text.bytes(needed) + ", and the disk there has "
          + Text.bytes(usable) + " free; free some room, or copy a part of the version (", new Remedy("Selection.part, Selection.filtered",
              "--part, --filter"), ")");
    }
  }

  /** Whether {@code dir} is a folder holding anything (a file or link that is no folder holds nothing: it is refused later). */
  static boolean holdsEntries(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  /**
   * Refuses a target inside the repository, one another copy is writing into, one that is not a
   * folder, and a folder that holds files unless {@code overwrite}; changes nothing.
   */
  static void requireUsableTarget(DatasetRepository repo, Path target, boolean overwrite) throws IOException {
    requireApartFromRepository(repo, realPathOfMaybeMissing(target), target, "copy into");
    requireNoOtherCopy(target, null);
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(target)) {
      // The copy takes the target's place: a link would be replaced, not what it leads to filled.
      throw new InvalidInputException("Cannot copy into " + target + ": it is a symbolic link (to " + Files.readSymbolicLink(target)
          + "); give the folder itself");
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException("Cannot copy into " + target + ": it is not a folder");
    }
    boolean empty;
    try (Stream<Path> s = Files.list(target)) {
      empty = s.findAny().isEmpty();
    }
    if (!empty && !overwrite) {
      throw new InvalidInputException("Cannot copy into " + target + ": the folder is not empty (", Remedy.OVERWRITE, " to replace its contents)");
    }
    if (!empty) {
      requireNothingLeftOver(target);
      requireNoCairnData(target, "copy into");
      Path here = currentFolderOrNull();
      Path real = target.toRealPath();
      if (here != null && here.startsWith(real) && !here.equals(real)) {
        // Its contents are replaced: the folder this process and the shell that started it stand
        // in would be deleted under them (the target itself stays, and may be the current folder).
        throw new InvalidInputException("Cannot copy into " + target + " ", WITH_OVERWRITE, ": the current folder, " + here
            + ", is inside it and would be deleted; give another folder, or run from elsewhere");
      }
    }
  }

  /** The current folder's real path; null when it was deleted (nothing can be deleted under it then). */
  private static Path currentFolderOrNull() {
    try {
      return Path.of("").toRealPath();
    } catch (IOException gone) {
      return null;
    }
  }

  /**
   * Refuses to replace a folder holding what an interrupted copy could not put back
   * ({@code cairn-replaced-<token>}, see {@link SetAside}): the user has not seen it yet.
   */
  private static void requireNothingLeftOver(Path target) throws IOException {
    try (Stream<Path> s = Files.list(target)) {
      Optional<Path> left = s.filter(p -> SetAside.isLeftOver(p.getFileName().toString())).findFirst();
      if (left.isPresent()) {
        throw new InvalidInputException("Cannot copy into " + target + " ", WITH_OVERWRITE, ": it holds " + left.get().getFileName()
            + ", what an interrupted copy could not put back; move out of it what you want to keep, then delete it");
      }
    }
  }

  /**
   * Refuses to replace a folder that is, or holds, a Cairn repository or remote (another one than
   * this repository, which is refused already): its versions would go with what it held. Each
   * folder of the tree costs a {@code stat} or two, as its deletion would.
   */
  static void requireNoCairnData(Path target, String verb) throws IOException {
    Path[] found = new Path[1];
    Files.walkFileTree(target, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        boolean remote = Files.exists(dir.resolve(RemoteLayout.MARKER), LinkOption.NOFOLLOW_LINKS);
        boolean repository = Repository.looksLikeRepository(dir); // not git's or restic's, which have a config too
        if (remote || repository) {
          found[0] = dir;
          return FileVisitResult.TERMINATE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE; // what cannot be read is refused by the move, if it comes to it
      }
    });
    if (found[0] != null) {
      boolean remote = Files.exists(found[0].resolve(RemoteLayout.MARKER), LinkOption.NOFOLLOW_LINKS);
      String what = remote ? "a Cairn remote" : "a Cairn repository";
      throw new InvalidInputException("Cannot " + verb + " " + target + " ", WITH_OVERWRITE, ": "
          + (found[0].equals(target) ? "it is " + what : "it holds " + what + " (" + found[0] + ")") + ", which would be deleted");
    }
  }

  /**
   * Writes the copy under a hidden name and gives it its place only once every file is whole: a
   * copy that fails or is interrupted while it writes leaves no file cut short where the user
   * looks, and {@code target} as it was. A missing target is built beside it and renamed into
   * place; an existing one (perhaps a mount point) gets its entries moved in from a hidden folder
   * inside it. With {@code overwrite}, what it held is first moved aside into another hidden
   * folder inside it, and deleted once the copy is in place: a copy that cannot be made (a linked
   * file gone, or read from the very folder replaced) destroys nothing, nor does an entry that
   * cannot be moved (a folder of another user's, say): what was moved aside goes back.
   */
  private static void writeWhole(DatasetRepository repo, Map<String, ObjectId> roots, Selection selection, Path target, boolean overwrite,
      Progress progress) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    boolean exists = Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS);
    Path build = exists ? abs.resolve(AtomicFiles.tempName(COPY))
        : abs.getParent().resolve(AtomicFiles.tempName(besidePrefix(abs)));
    String token = tokenOf(build.getFileName().toString());
    RUNNING.add(token);
    try {
      writeWhole(repo, roots, selection, target, overwrite, progress, abs, exists, build);
    } finally {
      RUNNING.remove(token);
    }
  }

  /**
   * The tokens of the copies this process is making (its hidden folder's name after
   * {@code .cairn-copy-}, which its set-aside, trash and list share). An entry of this process's
   * pid whose token is not here was left by a copy of this process that ended (a daemon's, or a
   * library's, whose undo failed), not by one that runs.
   */
  private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

  private static String tokenOf(String name) {
    int at = name.indexOf(COPY);
    String token = at < 0 ? name : name.substring(at + COPY.length());
    return token.endsWith(MOVING) ? token.substring(0, token.length() - MOVING.length()) : token;
  }

  /**
   * {@link AtomicFiles#owner}, but for this process's own entries, which are judged by
   * {@link #RUNNING}: a copy of this process that ended is no longer running.
   */
  static AtomicFiles.Owner owner(Path entry) {
    AtomicFiles.Owner owner = AtomicFiles.owner(entry);
    String name = entry.getFileName().toString();
    if (owner != AtomicFiles.Owner.RUNS || !AtomicFiles.madeByThisProcess(name)) {
      return owner;
    }
    for (String token : RUNNING) {
      if (name.endsWith(token) || name.endsWith(token + MOVING)) {
        return AtomicFiles.Owner.RUNS;
      }
    }
    return AtomicFiles.Owner.ENDED;
  }

  private static void writeWhole(DatasetRepository repo, Map<String, ObjectId> roots, Selection selection, Path target, boolean overwrite,
      Progress progress, Path abs, boolean exists, Path build) throws IOException {
    try {
      if (!exists) {
        Files.createDirectories(abs.getParent());
      }
      Files.createDirectory(build);
    } catch (FileSystemException e) {
      // Named as the user gave it, not by the hidden folder's name.
      String why = e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException
          ? e.getFile() + " is not a folder"
          : e instanceof NoSuchFileException ? build.getParent() + " cannot hold new folders"
          : IoErrors.reason(e) + " in " + (e.getFile() == null || e.getFile().equals(build.toString()) ? build.getParent() : e.getFile());
      throw new InvalidInputException("Cannot copy into " + target + ": " + why, e);
    }
    // Deleted on failure while still registered: on Ctrl-C, the exit deletes it too.
    try (var atExit = ExitCleanup.register(build)) {
      try {
        for (Map.Entry<String, ObjectId> part : roots.entrySet()) {
          Path into = part.getKey().isEmpty() ? build : Files.createDirectory(build.resolve(part.getKey()));
          repo.cache().writeFiles(part.getValue(), selection, into, false, progress);
        }
        if (exists) {
          // On disk before the old contents are set aside, to be deleted once the copy commits.
          AtomicFiles.syncFileSystemOf(build);
          requireStillUsable(abs, target, build, overwrite);
        }
        // From the set-aside to the commit, Ctrl-C waits for this thread, which undoes what it
        // did: the exit deleting the hidden folder while its entries are moved in would publish
        // part of the copy.
        SetAside committed = null;
        try (ExitCleanup.Step step = ExitCleanup.step("copying into " + target)) {
          if (exists) {
            committed = moveIn(abs, build, target, overwrite, step, Progress.orNone(progress));
          } else {
            publishBeside(abs, build, target);
          }
        }
        Progress.orNone(progress).committed("the copy in " + target + " is complete");
        if (committed != null) {
          committed.deleteTrash(target); // after the commit: a kill now leaves only trash, which the next copy deletes
        }
        if (exists) {
          Files.delete(build);
        }
      } catch (Throwable e) {
        try {
          Trees.delete(build);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
        throw e;
      }
    }
  }

  /** Renames the copy built beside a missing target into its place. */
  private static void publishBeside(Path abs, Path build, Path target) throws IOException {
    try {
      Files.move(build, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) { // a rename onto a folder that holds files fails (ENOTEMPTY)
        throw new InvalidInputException("Cannot copy into " + target + ": it was made by something else while this copy ran; it is left as it is", e);
      }
      throw e;
    }
  }

  /**
   * Checks again, now that the copy is written, what was checked before: another copy into the
   * folder may have started, files may have appeared in what was empty (a rename would replace
   * them without a word), or a repository, or what an interrupted copy could not put back.
   */
  private static void requireStillUsable(Path abs, Path target, Path build, boolean overwrite) throws IOException {
    requireNoOtherCopy(target, build.getFileName().toString());
    if (!entriesOtherThanCopies(abs).isEmpty()) {
      if (!overwrite) {
        throw new InvalidInputException("Cannot copy into " + target + ": files appeared in it while the copy was written; "
            + "it is left as it is (", Remedy.OVERWRITE, " to replace them)");
      }
      requireNothingLeftOver(target);
      requireNoCairnData(target, "copy into");
    }
  }

  /**
   * Moves the entries of {@code build} (a hidden folder inside the existing target) into the
   * target, with {@code overwrite} after moving aside what it held; each move is undone if one
   * fails or the process exits before the commit.
   *
   * @return what was moved aside, committed (its trash to delete), or null
   */
  private static SetAside moveIn(Path abs, Path build, Path target, boolean overwrite, ExitCleanup.Step step, Progress progress)
      throws IOException {
    String token = build.getFileName().toString().substring(COPY.length());
    SetAside old = overwrite ? SetAside.of(abs, token, step) : null;
    List<Path> moved = new ArrayList<>();
    Path journal = abs.resolve(build.getFileName() + MOVING);
    try (Stream<Path> s = Files.list(build)) {
      List<Path> entries = s.toList();
      // Named before the first is moved: a copy killed part way leaves the list, and the next
      // copy into the folder takes out what was moved (removeDeadCopies).
      writeJournal(journal, entries);
      for (Path p : entries) {
        step.stopIfExiting();
        Path to = abs.resolve(p.getFileName());
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
          throw new InvalidInputException("Cannot copy into " + target + ": " + p.getFileName() + " appeared in it while the copy was written");
        }
        Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
        moved.add(p.getFileName());
      }
      step.stopIfExiting(); // the last moment to undo; from the commit on, the copy stands
    } catch (Throwable e) {
      List<Path> stuck = new ArrayList<>();
      for (Path name : moved) { // back where they were, to be deleted with the rest
        try {
          Files.move(abs.resolve(name), build.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException again) {
          stuck.add(abs.resolve(name));
          e.addSuppressed(again);
        }
      }
      Files.deleteIfExists(journal);
      if (!stuck.isEmpty()) {
        // Listed again, those alone: once this process ends, the next copy takes them out, and no
        // entry that went back (whose name and freed inode a file of the user's may take) is named.
        writeJournal(journal, stuck);
      }
      String left = old == null ? null : old.putBack();
      if (left != null) {
        if (ExitCleanup.exiting()) {
          // An exit hushes the errors that follow it (its own line speaks): not this one, which
          // names old contents only the user can put back.
          progress.warn("the copy into " + target + " was undone, but " + left);
        }
        throw new IOException("Cannot copy into " + target + ": " + e.getMessage() + "; " + left, e);
      }
      throw e;
    }
    // The commit: the set-aside becomes trash (synced), then the list goes (synced), so that a
    // kill at any point leaves either the commit's mark beside the list, or no list.
    if (old != null) {
      old.commit();
    }
    Files.delete(journal);
    AtomicFiles.fsyncDirectory(abs);
    return old;
  }

  /** The entries of {@code folder} but the hidden folders and lists of copies into it. */
  private static List<Path> entriesOtherThanCopies(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> !SetAside.isCopyEntry(p.getFileName().toString())).toList();
    }
  }

  /**
   * Refuses a target another copy is writing into: its hidden folder or list is in the target (or
   * beside a missing one), and its process runs, or cannot be looked up (another host, another
   * container, or before a restart). The two would replace each other's entries. {@code own} is
   * this copy's hidden folder, if it has one yet.
   */
  private static void requireNoOtherCopy(Path target, String own) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    boolean inside = Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS);
    Path folder = inside ? abs : abs.getParent();
    if (folder == null || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    String beside = besidePrefix(abs);
    List<Path> others;
    try (Stream<Path> s = Files.list(folder)) {
      others = s.filter(p -> {
        String n = p.getFileName().toString();
        boolean ours = inside ? SetAside.isCopyEntry(n) : n.startsWith(beside) && AtomicFiles.isTempName(n);
        return ours && (own == null || !n.startsWith(own));
      }).toList();
    }
    for (Path p : others) {
      AtomicFiles.Owner owner = owner(p);
      if (owner == AtomicFiles.Owner.RUNS) {
        throw new DatasetLockedException("Cannot copy into " + target + ": another copy into it is running; it is left as"
            + " it is (run again once that one ended)");
      }
      if (owner == AtomicFiles.Owner.UNKNOWN) {
        String n = p.getFileName().toString();
        throw new InvalidInputException("Cannot copy into " + target + ": it holds " + p + ", left by a copy made on another host, in another"
            + " container or before a restart, which may still run; if none runs, "
            + (n.startsWith(SetAside.OLD) ? "move what it holds back into " + target + " (what that copy replaced), then delete it"
                : "delete it") + ", and run again");
      }
    }
  }

  /** The suffix of the list of entries a copy into an existing folder moves in, beside its hidden folder. */
  private static final String MOVING = ".moving";

  /** The start of the name of a copy's hidden folder inside an existing folder. */
  private static final String COPY = ".cairn-copy-";

  /** The longest part of a target's name that the hidden folder built beside it repeats, in bytes. */
  private static final int BESIDE_NAME_BYTES = 96;

  /**
   * The start of the name of the hidden folder a copy into the missing folder {@code abs} is
   * built in, beside it: {@code .<name>.cairn-copy-}. A long name is cut, and a hash of it added,
   * so that the hidden name stays within the 255 bytes a name may have.
   */
  private static String besidePrefix(Path abs) {
    String name = abs.getFileName().toString();
    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= BESIDE_NAME_BYTES) {
      return "." + name + COPY;
    }
    int end = BESIDE_NAME_BYTES;
    while ((utf8[end] & 0xC0) == 0x80) {
      end--; // not inside a character
    }
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(utf8);
    return "." + new String(utf8, 0, end, StandardCharsets.UTF_8) + "~" + String.format("%08x", crc.getValue()) + COPY;
  }

  /**
   * Writes, synced, each entry's name and identity (its file key: device and inode, which a rename
   * keeps), NUL-terminated (no name holds NUL): a recovery deletes only the very entries moved, not
   * a file of the user's that took one of their names since.
   */
  private static void writeJournal(Path journal, List<Path> entries) throws IOException {
    StringBuilder names = new StringBuilder();
    for (Path p : entries) {
      names.append(p.getFileName()).append('\0').append(identity(p)).append('\0');
    }
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(names.toString().getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    AtomicFiles.fsyncDirectory(journal.getParent()); // the list is there before the first move is
  }

  /** An entry's file key as text ("" where the file system has none: such an entry is never deleted by a recovery). */
  private static String identity(Path p) throws IOException {
    Object key = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    return key == null ? "" : key.toString();
  }

  /**
   * Deletes the hidden folders of copies into or beside {@code target} whose process died (a copy
   * stopped by Ctrl-C while its threads still wrote may leave one), so that they neither make the
   * folder look not empty nor stay forever. A copy into an existing folder killed (or stopped by
   * Ctrl-C) while it moved its entries in leaves the list of them: those already moved are deleted
   * too, which leaves the folder as that copy found it (empty, or emptied by --overwrite).
   */
  static void removeDeadCopies(Path target) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
      List<Path> journals;
      try (Stream<Path> s = Files.list(abs)) {
        journals = s.filter(p -> {
          String n = p.getFileName().toString();
          return n.startsWith(".cairn-copy-") && n.endsWith(MOVING) && owner(p) == AtomicFiles.Owner.ENDED;
        }).toList();
      }
      for (Path journal : journals) {
        String list = journal.getFileName().toString();
        if (SetAside.committed(abs, list.substring(COPY.length(), list.length() - MOVING.length()))) {
          Files.delete(journal); // killed after its commit: the new entries stay, its trash goes below
          continue;
        }
        // Its copy stopped before it was in place (the list goes once every entry is moved in):
        // what it moved in goes, if it is still the very entry it moved.
        String[] fields = Files.readString(journal, StandardCharsets.UTF_8).split("\0");
        for (int i = 0; i + 1 < fields.length; i += 2) {
          String name = fields[i];
          if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || fields[i + 1].isEmpty()) {
            continue;
          }
          Path moved = abs.resolve(name);
          try {
            if (identity(moved).equals(fields[i + 1])) {
              Trees.delete(moved);
            }
          } catch (NoSuchFileException notMovedOrGone) {
            // nothing of it to take out
          }
        }
        Files.delete(journal);
      }
      SetAside.recover(abs); // what the dead copies set aside: back, or deleted once committed
    }
    List<Path> dead = new ArrayList<>();
    for (Path dir : new Path[] {abs, abs.getParent()}) {
      if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String prefix = dir.equals(abs) ? COPY : besidePrefix(abs);
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().startsWith(prefix) && !p.getFileName().toString().endsWith(MOVING)
            && owner(p) == AtomicFiles.Owner.ENDED)
            .forEach(dead::add);
      }
    }
    for (Path p : dead) {
      Trees.delete(p);
    }
  }

  /**
   * Refuses a target ({@code t}, its real path) that is the repository, lies inside it (its cache, say) or holds it: writing
   * there, let alone emptying it first, would destroy versions.
   */
  private static void requireApartFromRepository(DatasetRepository repo, Path t, Path target, String verb) throws IOException {
    requireApartFromRepository(repo.repository().directory(), t, target, verb);
  }

  private static void requireApartFromRepository(Path repository, Path t, Path target, String verb) throws IOException {
    Path repoDir = repository.toRealPath();
    if (t.startsWith(repoDir)) {
      throw new InvalidInputException("Cannot " + verb + " " + target + ": it lies inside the repository " + repoDir);
    }
    if (repoDir.startsWith(t)) {
      throw new InvalidInputException("Cannot " + verb + " " + target + ": it holds the repository " + repoDir);
    }
  }

  /** Refuses {@code target} (resolved here) if it is, holds or lies inside the repository. */
  static void requireApartFromRepository(DatasetRepository repo, Path target, String verb) throws IOException {
    requireApartFromRepository(repo, realPathOfMaybeMissing(target), target, verb);
  }

  /** Refuses {@code target} (resolved here) if it is, holds or lies inside the repository at {@code repoDir}. */
  static void requireApartFromRepository(Path repoDir, Path target, String verb) throws IOException {
    requireApartFromRepository(repoDir, realPathOfMaybeMissing(target), target, verb);
  }

  /** {@code p}, or the current folder's absolute path for the empty path, which names it without a word to print. */
  private static Path named(Path p) {
    return p.toString().isEmpty() ? p.toAbsolutePath() : p;
  }

  /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended. */
  private static Path realPathOfMaybeMissing(Path p) throws IOException {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = Trees.nearestExisting(abs);
    if (existing == null) {
      return abs;
    }
    return existing.toRealPath().resolve(existing.relativize(abs));
  }

  /**
   * Refuses {@code link} as {@link #link} would, changing nothing: checked before the cached folder
   * is built, so that a refused link costs nothing.
   */
  static void requireLinkable(DatasetRepository repo, Path link, boolean overwrite) throws IOException {
    link = named(link);
    Path abs = link.toAbsolutePath().normalize();
    Path above = abs.getParent() == null ? null : Trees.nearestExisting(abs.getParent());
    if (above != null && !Files.isDirectory(above)) { // its folders would be made below a file
      throw new InvalidInputException("Cannot link " + link + ": " + above + " is not a folder");
    }
    // The link itself, not what an existing link points to.
    requireApartFromRepository(repo, abs.getParent() == null ? abs : realPathOfMaybeMissing(abs.getParent()).resolve(abs.getFileName()), link,
        "link");
    if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS) && Path.of("").toRealPath().startsWith(link.toRealPath())) {
      // Replaced by a link (an empty one too), the folder this process and the shell that started it stand in would be gone.
      throw new InvalidInputException("Cannot link " + link + ": it is the current folder or holds it; give a folder"
          + " outside it, or run from elsewhere");
    }
    if (Files.isSymbolicLink(link)) {
      // A link made by an earlier get is replaced; any other link only with overwrite.
      Path to = Files.readSymbolicLink(link);
      // By real paths: one made through a linked repository path (macOS's /tmp) is the repository's too.
      if (!overwrite && !(to.isAbsolute() && realPathOfMaybeMissing(to).startsWith(repo.repository().directory().toRealPath()))) {
        throw new InvalidInputException("Cannot link " + link + ": it is a link to " + to + " (", Remedy.OVERWRITE, " to replace it)");
      }
    } else if (Files.exists(link) && !isEmptyFolder(link)) {
      if (!overwrite) {
        throw new InvalidInputException("Cannot link " + link + ": it exists (", Remedy.OVERWRITE, " to replace it)");
      }
      if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
        requireNoCairnData(link, "link");
      }
    }
  }

  private static boolean isEmptyFolder(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }

  static Path link(DatasetRepository repo, Path cached, Path link, boolean overwrite) throws IOException {
    link = named(link);
    requireLinkable(repo, link, overwrite);
    if (Files.isSymbolicLink(link)) {
      Files.delete(link);
    } else if (Files.exists(link)) {
      LocalCache.deleteTree(link);
    }
    if (link.toAbsolutePath().getParent() != null) {
      Files.createDirectories(link.toAbsolutePath().getParent());
    }
    Files.createSymbolicLink(link, cached.toAbsolutePath());
    return link;
  }
}
