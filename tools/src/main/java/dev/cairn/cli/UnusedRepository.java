package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.manifest.NodeLoader;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Takes back a repository that a failed command made and left unused, so that a command refused
 * at a mistyped {@code --repo} leaves nothing there and the next one at that path is refused too.
 *
 * <p>Unused means that {@code refs/} and {@code packs/} hold folders at most: no record,
 * reservation, lock or pack; but for the marks in {@code refs/deleted/} and the packs holding the
 * empty tree alone that a draft made and deleted again by the failed command leaves (every
 * repository knows the empty tree without reading it, so those packs hold nothing to lose).
 * They are removed folder by folder, each removal refused by the file system
 * if something was put in it meanwhile (another process's first command at the same path), which
 * stops the undo there; {@code config} goes only once they are gone, so that no pack or record is
 * ever left without it. The derived parts (index, caches, temporary files) go after it: a first
 * command of another process at the same path at that moment may fail (it finds no index), never
 * lose what it stored.
 */
final class UnusedRepository {
  private static final List<String> DERIVED = List.of("index", "tmp", "runs", "cache", "remotes");

  private UnusedRepository() {}

  /**
   * Removes the repository at {@code dir} if it is unused, and {@code dir} too unless
   * {@code folderExisted}; returns whether it did.
   */
  static boolean remove(Path dir, boolean folderExisted) throws IOException {
    Path deleted = dir.resolve("refs").resolve("deleted");
    List<Path> marks = filesUnder(deleted);
    List<Path> packs = filesUnder(dir.resolve("packs"));
    if (filesUnder(dir.resolve("refs")).size() > marks.size() || !holdEmptyTreeAlone(packs)) {
      return false; // looked at both before either is touched: a repository is never left half removed
    }
    for (Path mark : marks) {
      Files.deleteIfExists(mark);
    }
    if (!removeFolders(dir.resolve("refs"))) {
      return false; // filled meanwhile (a lock taken): another process works here now
    }
    for (Path pack : packs) {
      Files.deleteIfExists(pack);
    }
    if (!removeFolders(dir.resolve("packs"))) {
      return false;
    }
    Files.deleteIfExists(dir.resolve(Repository.CONFIG));
    for (String derived : DERIVED) {
      Trees.deleteQuietly(dir.resolve(derived));
    }
    if (!folderExisted) {
      try {
        Files.deleteIfExists(dir);
      } catch (DirectoryNotEmptyException somethingElse) {
        return false;
      }
    }
    return true;
  }

  /** Everything but folders under {@code root}. */
  private static List<Path> filesUnder(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (NoSuchFileException gone) {
      return List.of();
    }
  }

  /** Whether each of {@code files} is a pack holding the empty tree and nothing else. */
  private static boolean holdEmptyTreeAlone(List<Path> files) {
    for (Path f : files) {
      if (!f.getFileName().toString().endsWith(".pack")) {
        return false;
      }
      try (PackFile pack = PackFile.open(f)) {
        if (!pack.entries().stream().allMatch(e -> NodeLoader.isEmptyTree(e.id()))) {
          return false;
        }
      } catch (IOException | RuntimeException unreadable) {
        return false;
      }
    }
    return true;
  }

  /** Removes {@code root} and the folders under it, deepest first; false at the first that holds a file. */
  private static boolean removeFolders(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException gone) {
      return true;
    }
    for (Path p : all) {
      if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      try {
        Files.delete(p);
      } catch (DirectoryNotEmptyException filled) {
        return false;
      } catch (NoSuchFileException gone) {
        // removed already
      }
    }
    return true;
  }
}
