package dev.cairn.dataset;

import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.Trees;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
  private final Path files;
  private final Path versions;

  public CacheCheck(DatasetRepository repo) {
    this.repo = repo;
    Path cache = repo.repository().directory().resolve("cache");
    this.files = cache.resolve("files");
    this.versions = cache.resolve("versions");
  }

  /** Hashes every content file and walks every version folder; returns what is damaged. */
  public List<Damage> run() throws IOException {
    List<Damage> damage = new ArrayList<>();
    Set<Object> intact = new HashSet<>();
    Set<String> intactNames = new HashSet<>();
    if (Files.isDirectory(files)) {
      for (Trees.FileEntry f : Trees.regularFiles(files)) {
        String name = f.path().getFileName().toString();
        String expected = name.endsWith(".x") ? name.substring(0, name.length() - 2) : name;
        ObjectId actual;
        try (InputStream in = Files.newInputStream(f.path())) {
          actual = Verifier.digest(repo, in);
        }
        if (actual.hex().equals(expected)) {
          intact.add(key(f.path()));
          intactNames.add(expected);
        } else {
          damage.add(new Damage(f.path(), "cached content changed: it hashes to " + actual.abbreviate(16)));
        }
      }
    }
    if (Files.isDirectory(versions)) {
      try (Stream<Path> s = Files.list(versions)) {
        for (Path folder : s.sorted().toList()) {
          String problem = folderProblem(folder, intact, intactNames);
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

  /** What is wrong with a version folder, or null. */
  private String folderProblem(Path folder, Set<Object> intact, Set<String> intactNames) throws IOException {
    if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
      return "not a folder";
    }
    Set<String> paths = new HashSet<>();
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : s.toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) {
          continue;
        }
        String rel = folder.relativize(p).toString().replace('\\', '/');
        paths.add(rel);
        if (!a.isRegularFile() || !intact.contains(a.fileKey()) && !copyOfIntact(p, intactNames)) {
          wrong.add(rel);
        }
      }
    }
    if (!wrong.isEmpty()) {
      wrong.sort(null);
      return wrong.size() + " file(s) changed or added since it was built, first '" + wrong.get(0) + "'";
    }
    String name = folder.getFileName().toString();
    if (!Catalog.isFullId(name) || !repo.catalog().exists(name)) {
      return null; // a part or a filter (checked file by file above), or a version that is gone
    }
    ObjectId root;
    try {
      root = repo.catalog().read(name).root();
    } catch (dev.cairn.errors.CairnException unreadable) {
      return null; // fsck reports the record
    }
    if (root == null || !repo.repository().objects().has(root)) {
      return null;
    }
    long missing = 0;
    String first = null;
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      for (FileEntry e : new Manifest(new NodeLoader(reader), root)) {
        if (!paths.contains(e.path())) {
          missing++;
          first = first == null ? e.path() : first;
        }
      }
    }
    return missing == 0 ? null : missing + " file(s) of the version missing, first '" + first + "'";
  }

  /** A file copied rather than linked (a file system without hard links) holding intact content. */
  private boolean copyOfIntact(Path p, Set<String> intactNames) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return intactNames.contains(Verifier.digest(repo, in).hex());
    }
  }

  private static Object key(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
  }
}
