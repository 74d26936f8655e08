package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.internal.fs.Trees;
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
 * reservation or pack. They are removed folder by folder, each removal refused by the file system
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
    for (String held : List.of("refs", "packs")) {
      if (holdsAFile(dir.resolve(held))) {
        return false; // looked at both before either is touched: a repository is never left half removed
      }
    }
    for (String held : List.of("refs", "packs")) {
      if (!removeFolders(dir.resolve(held))) {
        return false;
      }
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

  /** Whether anything but folders is under {@code root}. */
  private static boolean holdsAFile(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.anyMatch(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException gone) {
      return false;
    }
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
