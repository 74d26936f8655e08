package dev.cairn.dataset;

import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.ExitCleanup;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.internal.fs.Trees;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a copy with {@code --overwrite} moved out of the folder it replaces, kept in a hidden
 * folder inside it until the copy is in place (spec/datasets.md, "--copy"):
 * {@code .cairn-old-<token>} while the copy may still fail, renamed to
 * {@code .cairn-trash-<token>} once every new entry is in (the commit), then deleted. The token is
 * the one of the copy's own hidden folder and list ({@code .cairn-copy-<token>[.moving]}), so that
 * the recovery of a killed copy ({@link #recover}) knows whether it got that far.
 */
final class SetAside {
  static final String OLD = ".cairn-old-";
  static final String TRASH = ".cairn-trash-";
  /** What is left of a set-aside that could not all go back: a visible name, for the user to see. */
  static final String REPLACED = "cairn-replaced-";

  private final Path folder;
  private final String token;
  private final Path dir;
  /** The modes of read-only folders made writable to be moved, by name, put back with them. */
  private final Map<Path, Set<PosixFilePermission>> modes = new HashMap<>();

  private SetAside(Path folder, String token) {
    this.folder = folder;
    this.token = token;
    this.dir = folder.resolve(OLD + token);
  }

  /**
   * Moves every entry of {@code folder} into {@code .cairn-old-<token>} inside it, but the hidden
   * folders and lists of copies (this one's, or a concurrent copy's). An entry that cannot be moved
   * (a folder of another user's, an immutable one) puts back those moved before it, as does an
   * exit ({@code step} sees it) before the last is moved.
   *
   * @throws IOException naming the entry, once the others are back
   */
  static SetAside of(Path folder, String token, ExitCleanup.Step step) throws IOException {
    SetAside aside = new SetAside(folder, token);
    Files.createDirectory(aside.dir);
    List<Path> entries;
    try (Stream<Path> s = Files.list(folder)) {
      // Nor what an interrupted copy could not put back: the user has not seen it yet.
      entries = s.filter(p -> !isCopyEntry(p.getFileName().toString()) && !isLeftOver(p.getFileName().toString())).toList();
    }
    for (Path p : entries) {
      try {
        step.stopIfExiting();
        aside.move(p);
      } catch (InterruptedIOException e) {
        aside.putBack();
        throw e;
      } catch (IOException e) {
        String left = aside.putBack();
        throw new IOException("Cannot replace what " + folder + " holds: " + p.getFileName() + " cannot be moved (" + IoErrors.reason(e)
            + "); " + (left == null ? "the folder is left as it was" : left), e);
      }
    }
    return aside;
  }

  /** Whether a name is that of what an interrupted copy could not put back ({@code cairn-replaced-<token>}). */
  static boolean isLeftOver(String name) {
    return name.startsWith(REPLACED) && AtomicFiles.isTempName(name);
  }

  /** Whether a name is one a copy gives its hidden folders and lists (made by this or another process). */
  static boolean isCopyEntry(String name) {
    return name.startsWith(".") && AtomicFiles.isTempName(name)
        && (name.contains(".cairn-copy-") || name.startsWith(OLD) || name.startsWith(TRASH));
  }

  /**
   * Moves {@code p} into the set-aside. Moving a folder to another parent writes its {@code ..}
   * entry: a read-only folder of the owner's is made writable first, and given its mode back if it
   * goes back.
   */
  private void move(Path p) throws IOException {
    Path to = dir.resolve(p.getFileName());
    try {
      Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AccessDeniedException e) {
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      Trees.makeOwnerWritable(p);
      try {
        Files.move(p, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException again) {
        Files.setPosixFilePermissions(p, mode);
        throw again;
      }
      modes.put(p.getFileName(), mode);
    }
  }

  /**
   * Moves every entry back into the folder, each tried (an entry whose name was taken since stays),
   * then deletes the set-aside.
   *
   * @return null when all went back; else what became of the rest (the set-aside, renamed
   *     {@code cairn-replaced-<token>} so that the user sees it), to be said
   */
  String putBack() {
    return putBack(folder, dir, token, modes);
  }

  private static String putBack(Path folder, Path dir, String token, Map<Path, Set<PosixFilePermission>> modes) {
    boolean all = true;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Path back = folder.resolve(p.getFileName());
        try {
          if (Files.exists(back, LinkOption.NOFOLLOW_LINKS)) {
            all = false; // a rename would replace it silently
            continue;
          }
          Files.move(p, back, StandardCopyOption.ATOMIC_MOVE);
          Set<PosixFilePermission> mode = modes.get(p.getFileName());
          if (mode != null) {
            Files.setPosixFilePermissions(back, mode);
          }
        } catch (IOException e) {
          all = false;
        }
      }
      if (all) {
        Files.delete(dir);
        return null;
      }
      Path visible = folder.resolve(REPLACED + token);
      Files.move(dir, visible, StandardCopyOption.ATOMIC_MOVE);
      return "what could not be put back is in " + visible;
    } catch (IOException e) {
      return "what could not be put back is in " + dir + " (" + IoErrors.reason(e) + ")";
    }
  }

  /**
   * The copy is in place: the set-aside becomes trash, synced with the folder (from here a
   * recovery keeps the new entries). The trash is deleted by {@link #deleteTrash}, once the list
   * of moved entries is gone.
   */
  void commit() throws IOException {
    Files.move(dir, folder.resolve(TRASH + token), StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(folder);
  }

  /** Deletes the committed set-aside; a part that cannot be deleted is named, and stays in the trash folder. */
  void deleteTrash(Path target) throws IOException {
    Path trash = folder.resolve(TRASH + token);
    try {
      Trees.delete(trash);
    } catch (IOException e) {
      throw new IOException("Copied into " + target + ", but part of what it held before could not be deleted (" + IoErrors.reason(e)
          + "); it is left in " + trash, e);
    }
  }

  /** Whether the copy of {@code token} got as far as its commit (its set-aside is trash). */
  static boolean committed(Path folder, String token) {
    return Files.exists(folder.resolve(TRASH + token), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * After the lists of dead copies are dealt with: puts back what a dead copy set aside and never
   * committed, and deletes what it committed. A dead copy's set-aside that cannot all go back is
   * left visible as {@code cairn-replaced-<token>}.
   */
  static void recover(Path folder) throws IOException {
    List<Path> dead;
    try (Stream<Path> s = Files.list(folder)) {
      dead = s.filter(p -> {
        String n = p.getFileName().toString();
        return (n.startsWith(OLD) || n.startsWith(TRASH)) && AtomicFiles.isTempName(n) && LocalCopies.owner(p) == AtomicFiles.Owner.ENDED;
      }).toList();
    }
    for (Path p : dead) {
      String n = p.getFileName().toString();
      if (n.startsWith(TRASH)) {
        try {
          Trees.delete(p);
        } catch (IOException e) {
          throw new IOException("Cannot copy into " + folder + ": " + p + ", what an earlier copy replaced, cannot be deleted ("
              + IoErrors.reason(e) + "); delete it, then run again", e);
        }
      } else {
        putBack(folder, p, n.substring(OLD.length()), Map.of());
      }
    }
  }
}
