package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.Trees;
import dev.cairn.internal.io.Text;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks the local cache (spec/datasets.md, "Local cache"): that every content file still hashes
 * to its name, and that every version folder holds only links to intact content files and, for a
 * whole version, exactly its files. The cache is derived data, but {@code get} returns its folders
 * as they are: a cached file written to in place (root ignores its read-only mode) changes every
 * version that shares it. {@link #dropDamaged} deletes what is damaged; {@code get} rebuilds it.
 */
public final class CacheCheck {
  /** A damaged content file or version folder, and what is wrong with it. */
  public record Damage(Path path, String what) {}

  private final DatasetRepository repo;
  private final Progress progress;
  private final Path files;
  private final Path versions;

  public CacheCheck(DatasetRepository repo, Progress progress) {
    this.repo = repo;
    this.progress = Progress.orNone(progress);
    Path cache = repo.repository().directory().resolve("cache");
    this.files = cache.resolve("files");
    this.versions = cache.resolve("versions");
  }

  /** Hashes every content file and walks every version folder; returns what is damaged. */
  public List<Damage> run() throws IOException {
    List<Damage> damage = new ArrayList<>();
    Map<Object, String> intact = new HashMap<>(); // file key -> the digest it holds
    if (Files.isDirectory(files)) {
      List<Trees.FileEntry> all = Trees.regularFiles(files);
      progress.start("checking " + Text.count(all.size(), "cached file"), all.stream().mapToLong(Trees.FileEntry::size).sum());
      try {
        for (Trees.FileEntry f : all) {
          progress.advance(f.size());
          String name = f.path().getFileName().toString();
          String expected = name.endsWith(".x") ? name.substring(0, name.length() - 2) : name;
          ObjectId actual = digestOrNull(f.path());
          if (actual == null) {
            continue; // removed meanwhile (no folder linked it any more)
          }
          String mode = changedMode(f.path(), name.endsWith(".x"));
          if (mode != null) {
            damage.add(new Damage(f.path(), "cached file's mode changed to " + mode + " (the cache writes "
                + PosixFilePermissions.toString(name.endsWith(".x") ? FolderStamp.EXECUTABLE : FolderStamp.READ_ONLY) + ")"));
          } else if (actual.hex().equals(expected)) {
            intact.put(key(f.path()), expected);
          } else {
            damage.add(new Damage(f.path(), "cached content changed: it hashes to " + actual.abbreviate(16)));
          }
        }
      } finally {
        progress.finish();
      }
    }
    if (Files.isDirectory(versions)) {
      try (Stream<Path> s = Files.list(versions)) {
        for (Path folder : s.sorted().toList()) {
          String problem = folderProblem(folder, intact);
          if (problem != null) {
            damage.add(new Damage(folder, problem));
          }
        }
      }
    }
    return damage;
  }

  /**
   * Checks the cached folders of version {@code id} alone, hashing every file they hold against
   * the version (none is taken for intact by the content file it links): the check clearml-data's
   * verify makes of the copy get hands out, but for the folders in {@code skip} (found changed
   * already). Returns the damaged folders, none deleted.
   */
  public List<Damage> runFor(String id, java.util.Collection<Path> skip) throws IOException {
    List<Damage> damage = new ArrayList<>();
    if (Files.isDirectory(versions)) {
      try (Stream<Path> s = Files.list(versions)) {
        for (Path folder : s.filter(p -> LocalCache.isFolderOf(id, p) && !skip.contains(p)).sorted().toList()) {
          // None taken for intact; a HashMap, since a file system may give no file key (null).
          String problem = folderProblem(folder, new HashMap<>());
          if (problem != null) {
            damage.add(new Damage(folder, problem));
          }
        }
      }
    }
    return damage;
  }

  /** Deletes the damaged files and folders {@link #run} found (a get builds them again). */
  public void dropDamaged(List<Damage> damage) throws IOException {
    for (Damage d : damage) {
      Trees.delete(d.path());
    }
  }

  /**
   * What is wrong with a version folder, or null. A file linked to a content file found intact is
   * fine at once; any other (a copy, a file linked since the content files were hashed, a file
   * added or changed by hand) is hashed and compared with the version's entry for its path.
   */
  private String folderProblem(Path folder, Map<Object, String> intact) throws IOException {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return Files.exists(folder, LinkOption.NOFOLLOW_LINKS) ? "not a folder" : null;
    }
    String name = folder.getFileName().toString();
    String id = name.length() >= 32 && Catalog.isFullId(name.substring(0, 32)) ? name.substring(0, 32) : null;
    Set<String> paths = new HashSet<>();
    Map<String, Path> suspects = new TreeMap<>();
    // Where the file system keeps modes: the files with an executable's, and those with neither
    // the cache's read-only mode nor that (a chmod, through this folder or another sharing the file).
    boolean modesKept = false;
    Set<String> executableMode = new HashSet<>();
    Set<String> otherMode = new HashSet<>();
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : s.toList()) {
        BasicFileAttributes a = FolderStamp.attributes(p);
        if (a.isDirectory()) {
          continue;
        }
        String rel = folder.relativize(p).toString().replace('\\', '/');
        paths.add(rel);
        if (!a.isRegularFile() || !intact.containsKey(a.fileKey())) {
          suspects.put(rel, a.isRegularFile() ? p : null);
        }
        if (a instanceof PosixFileAttributes posix && a.isRegularFile()) {
          modesKept = true;
          if (posix.permissions().equals(FolderStamp.EXECUTABLE)) {
            executableMode.add(rel);
          } else if (!posix.permissions().equals(FolderStamp.READ_ONLY)) {
            otherMode.add(rel);
          }
        }
      }
    } catch (NoSuchFileException evicted) {
      return null; // deleted meanwhile (eviction, a delete): nothing left to be wrong
    }
    ObjectId root = id == null ? null : rootOf(id);
    List<String> wrong = new ArrayList<>();
    long missing = 0;
    String firstMissing = null;
    if (root != null) {
      try (ObjectReader reader = repo.repository().objects().newReader()) {
        for (FileEntry e : new Manifest(new NodeLoader(reader), root)) {
          if (suspects.containsKey(e.path())) {
            Path p = suspects.remove(e.path());
            if (p == null || !e.digest().equals(digestOrNull(p))) {
              wrong.add(e.path());
            }
          } else if (paths.contains(e.path()) && !linksTo(folder.resolve(e.path()), e, intact)) {
            wrong.add(e.path()); // a link to intact content, but another file's
          }
          if (modesKept && paths.contains(e.path()) && !wrong.contains(e.path())
              && (otherMode.contains(e.path()) || e.executable() != executableMode.contains(e.path()))) {
            wrong.add(e.path()); // the right bytes under another mode than the version gives the file
          }
        }
        // A whole version's folder, or a part's, must hold every file of its selection. A
        // filtered folder's name keeps only a hash of its patterns: its selection is not known.
        Selection selection = Selection.ofKey(name.substring(id.length()));
        if (selection != null) {
          long[] count = new long[1];
          String[] first = new String[1];
          selection.forEach(new Manifest(new NodeLoader(reader), root), e -> {
            if (!paths.contains(e.path())) {
              count[0]++;
              first[0] = first[0] == null ? e.path() : first[0];
            }
            return true;
          });
          missing = count[0];
          firstMissing = first[0];
        }
      } catch (MissingObjectException | CorruptObjectException damagedManifest) {
        // The version's own damage is reported by the object check; its folder cannot be judged,
        // and is kept: it may hold the last good copy of its files.
        return null;
      } catch (UncheckedIOException walking) { // the same, met by the manifest's iterator
        if (walking.getCause() instanceof MissingObjectException
            || walking.getCause() instanceof CorruptObjectException) {
          return null;
        }
        throw walking.getCause();
      }
      wrong.addAll(suspects.keySet()); // not in the version at all
    } else {
      // A lock's restore ("root-..."), or a version gone: fine if it holds content the cache has.
      for (Map.Entry<String, Path> e : suspects.entrySet()) {
        ObjectId d = e.getValue() == null ? null : digestOrNull(e.getValue());
        if (d == null || !Files.exists(files.resolve(d.hex().substring(0, 2)).resolve(d.hex()))
            && !Files.exists(files.resolve(d.hex().substring(0, 2)).resolve(d.hex() + ".x"))) {
          wrong.add(e.getKey());
        }
      }
    }
    if (!wrong.isEmpty()) {
      wrong.sort(null);
      return Text.count(wrong.size(), "file") + " changed or added since it was built, first '" + wrong.get(0) + "'";
    }
    return missing == 0 ? null : Text.count(missing, "file") + " of the version missing, first '" + firstMissing + "'";
  }

  /** Whether {@code p} is a link to the intact content file of entry {@code e}. */
  private static boolean linksTo(Path p, FileEntry e, Map<Object, String> intact) throws IOException {
    try {
      return e.digest().hex().equals(intact.get(key(p)));
    } catch (NoSuchFileException gone) {
      return true; // deleted meanwhile with its folder
    }
  }

  /** The manifest root of version {@code id}, if its record is readable and the manifest here. */
  private ObjectId rootOf(String id) throws IOException {
    if (!repo.catalog().exists(id)) {
      return null;
    }
    ObjectId root;
    try {
      root = repo.catalog().read(id).root();
    } catch (CairnException unreadable) {
      return null; // fsck reports the record
    }
    return root != null && repo.repository().objects().has(root) ? root : null;
  }

  /** The mode of a content file if it is not the one the cache gives it, else null (or where modes are not kept). */
  private static String changedMode(Path p, boolean executable) throws IOException {
    try {
      BasicFileAttributes a = FolderStamp.attributes(p);
      if (a instanceof PosixFileAttributes posix && !posix.permissions().equals(executable ? FolderStamp.EXECUTABLE : FolderStamp.READ_ONLY)) {
        return PosixFilePermissions.toString(posix.permissions());
      }
      return null;
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  private ObjectId digestOrNull(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return Verifier.digest(repo, in);
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }
}
