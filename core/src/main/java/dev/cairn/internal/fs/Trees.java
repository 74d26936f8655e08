package dev.cairn.internal.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Walking and deleting folder trees that other processes change meanwhile: a file or folder that
 * vanishes during the walk (a released lock, a cache entry another process evicted) is skipped,
 * never an error. Links are neither followed nor reported as files.
 */
public final class Trees {
  private Trees() {}

  /** A regular file found by {@link #regularFiles}, with the size it had when visited. */
  public record FileEntry(Path path, long size) {}

  /** The regular files under {@code root}, in no particular order; none if it does not exist. */
  public static List<FileEntry> regularFiles(Path root) throws IOException {
    return regularFiles(root, p -> true, Integer.MAX_VALUE, false);
  }

  /**
   * The first {@code limit} regular files under {@code root} that {@code keep} accepts, where the
   * walk stops; with {@code glance}, folders that cannot be read are passed over (a volume's root
   * holds a {@code lost+found} only root reads).
   */
  public static List<FileEntry> regularFiles(Path root, Predicate<Path> keep, int limit, boolean glance)
      throws IOException {
    List<FileEntry> out = new ArrayList<>();
    Files.walkFileTree(root, new Walker() {
      @Override
      public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
        if (attrs.isRegularFile() && keep.test(p)) {
          out.add(new FileEntry(p, attrs.size()));
        }
        return out.size() < limit ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
        return glance && e instanceof AccessDeniedException ? FileVisitResult.CONTINUE : super.visitFileFailed(p, e);
      }
    });
    return out;
  }

  /** Deletes {@code root} and everything under it (links are deleted, not followed). */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new Walker() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!Files.isWritable(dir)) {
          try {
            makeOwnerWritable(dir); // a cached copy's read-only folder
          } catch (NoSuchFileException gone) {
            return FileVisitResult.SKIP_SUBTREE; // deleted meanwhile by another thread or process
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(p);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null && !(e instanceof NoSuchFileException)) {
          throw e;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Gives the owner write permission on {@code dir} (a read-only folder about to be deleted or moved). */
  public static void makeOwnerWritable(Path dir) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    perms.add(PosixFilePermission.OWNER_WRITE);
    Files.setPosixFilePermissions(dir, perms);
  }

  /**
   * Takes the owner's and others' write permission from {@code root} and the {@code folders}
   * under it (relative paths): the owner cannot add, rename or delete a file there by mistake. A
   * group's write permission stays, so that the members of a shared repository's group can still
   * evict and delete. {@link #delete} gives the owner write permission back as it goes.
   */
  public static void makeFoldersReadOnly(Path root, Collection<Path> folders) throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path f : folders) {
      all.add(root.resolve(f));
    }
    all.sort(Comparator.comparingInt(Path::getNameCount).reversed()); // deepest first
    all.add(root);
    for (Path dir : all) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      perms.remove(PosixFilePermission.OWNER_WRITE);
      perms.remove(PosixFilePermission.OTHERS_WRITE);
      Files.setPosixFilePermissions(dir, perms);
    }
  }

  /** The nearest path at or above {@code p} (made absolute) that exists, or null if none does. */
  public static Path nearestExisting(Path p) {
    Path up = p.toAbsolutePath().normalize();
    while (up != null && !Files.exists(up)) {
      up = up.getParent();
    }
    return up;
  }

  /** Like {@link #delete}, for cleanup paths where a failure must not hide the original error. */
  public static void deleteQuietly(Path root) {
    try {
      delete(root);
    } catch (IOException ignored) {
      // Leftovers in tmp/ are removed by gc.
    }
  }

  /** Skips what vanished since its folder was read. */
  private abstract static class Walker extends SimpleFileVisitor<Path> {
    @Override
    public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE;
      }
      throw e;
    }
  }
}
