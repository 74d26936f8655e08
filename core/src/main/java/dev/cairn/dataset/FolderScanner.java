package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.DatasetPaths;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds the files to add from a folder or a single file (spec/datasets.md, "Adding files"):
 * <ul>
 *   <li>a folder adds its contents, relative to it, under the dataset folder; a file adds itself
 *       under its name;
 *   <li>symbolic links are followed when they resolve inside the folder being added; a link that
 *       leads outside it, or nowhere, is refused with an error naming it;
 *   <li>fifos, sockets and devices are skipped with a warning;
 *   <li>names that cannot be dataset paths (backslash, control characters, over 255 bytes) and
 *       names that collide once Unicode-normalized (NFC) are refused.
 * </ul>
 */
public final class FolderScanner {
  private final Progress progress;

  public FolderScanner(Progress progress) {
    this.progress = progress;
  }

  /**
   * Scans {@code source}.
   *
   * @param datasetFolder folder inside the dataset to put the files under ("" for the root)
   * @param recursive whether to descend into subfolders
   * @param wildcards keep only files whose relative path or name matches one of these (none: all)
   * @throws InvalidInputException for a missing source or a refused name or link
   */
  public List<SourceFile> scan(Path source, String datasetFolder, boolean recursive, List<Glob> wildcards) throws IOException {
    if (!datasetFolder.isEmpty()) {
      checkPath(datasetFolder, source);
    }
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException("Cannot add " + source + ": no such file or folder");
    }
    List<SourceFile> out = new ArrayList<>();
    Path real = source.toRealPath();
    if (Files.isDirectory(real)) {
      walk(source, real, real, "", recursive, wildcards, datasetFolder, out, new HashSet<>());
    } else {
      String name = source.getFileName().toString();
      String rel = datasetFolder.isEmpty() ? name : datasetFolder + "/" + name;
      if (wildcards.isEmpty() || wildcards.stream().anyMatch(g -> g.matches(name))) {
        SourceFile f = describe(source, rel);
        if (f != null) {
          out.add(f);
        }
      }
    }
    checkNormalizationCollisions(out);
    return out;
  }

  private void walk(Path dir, Path realDir, Path realRoot, String rel, boolean recursive, List<Glob> wildcards,
      String datasetFolder, List<SourceFile> out, Set<Path> visiting) throws IOException {
    if (!visiting.add(realDir)) {
      throw new InvalidInputException("Cannot add " + dir + ": symbolic links form a loop");
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("Cannot add " + dir + ": permission denied");
    }
    children.sort(null);
    List<Attributes> attributes = statAll(children);
    for (int i = 0; i < children.size(); i++) {
      Path child = children.get(i);
      String name = child.getFileName().toString();
      String childRel = rel.isEmpty() ? name : rel + "/" + name;
      Attributes a = attributes.get(i);
      Path realChild = null;
      if (a.symbolicLink()) {
        try {
          realChild = child.toRealPath();
        } catch (NoSuchFileException e) {
          throw new InvalidInputException("Cannot add " + child + ": symbolic link leads nowhere");
        }
        if (!realChild.startsWith(realRoot)) {
          throw new InvalidInputException("Cannot add " + child + ": symbolic link leads outside the folder (to "
              + realChild + ")");
        }
        a = Attributes.of(realChild);
      }
      if (a.directory()) {
        if (recursive) {
          walk(child, realChild != null ? realChild : realDir.resolve(name), realRoot, childRel, true, wildcards,
              datasetFolder, out, visiting);
        }
      } else if (a.regularFile()) {
        if (!wildcards.isEmpty() && wildcards.stream().noneMatch(g -> g.matches(childRel))) {
          continue;
        }
        String datasetPath = datasetFolder.isEmpty() ? childRel : datasetFolder + "/" + childRel;
        checkPath(datasetPath, child);
        out.add(a.sourceFile(datasetPath, child));
      } else {
        progress.warn("skipped " + child + ": not a regular file (fifo, socket or device)");
      }
    }
    visiting.remove(realDir);
  }

  /** The attributes of every entry of a folder, not following links. */
  private static List<Attributes> statAll(List<Path> children) throws IOException {
    List<Attributes> out = new ArrayList<>(children.size());
    for (Path c : children) {
      out.add(Attributes.of(c, LinkOption.NOFOLLOW_LINKS));
    }
    return out;
  }

  private static void checkPath(String datasetPath, Path where) throws InvalidInputException {
    String problem = DatasetPaths.problem(datasetPath);
    if (problem != null) {
      throw new InvalidInputException("Cannot add " + DatasetPaths.printable(where.toString()) + ": " + problem);
    }
  }

  /** Reads a file's change-detection attributes (following links); null if it is not a regular file. */
  static SourceFile describe(Path file, String datasetPath) throws IOException {
    Attributes a = Attributes.of(file);
    return a.regularFile() ? a.sourceFile(datasetPath, file) : null;
  }

  /**
   * What the scan needs to know of a directory entry, read with one {@code stat} call: the kind,
   * and for a regular file its change-detection attributes.
   */
  private record Attributes(boolean directory, boolean regularFile, boolean symbolicLink, long size, long mtimeNanos,
      long ctimeNanos, long inode, long device, boolean executable) {
    private static final String UNIX = "unix:size,lastModifiedTime,ctime,ino,dev,mode,isRegularFile,isDirectory,isSymbolicLink";

    static Attributes of(Path p, LinkOption... options) throws IOException {
      try {
        Map<String, Object> a = Files.readAttributes(p, UNIX, options);
        return new Attributes((Boolean) a.get("isDirectory"), (Boolean) a.get("isRegularFile"), (Boolean) a.get("isSymbolicLink"),
            (Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")),
            (Long) a.get("ino"), (Long) a.get("dev"), ((Integer) a.get("mode") & 0100) != 0);
      } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
        BasicFileAttributes b = Files.readAttributes(p, BasicFileAttributes.class, options);
        boolean exec = false;
        if (b.isRegularFile()) {
          try {
            exec = Files.getPosixFilePermissions(p, options).contains(PosixFilePermission.OWNER_EXECUTE);
          } catch (UnsupportedOperationException u) {
            exec = false;
          }
        }
        return new Attributes(b.isDirectory(), b.isRegularFile(), b.isSymbolicLink(), b.size(), nanos(b.lastModifiedTime()),
            0, 0, 0, exec);
      }
    }

    SourceFile sourceFile(String datasetPath, Path file) {
      return new SourceFile(datasetPath, file, size, mtimeNanos, ctimeNanos, inode, device, executable);
    }
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  private static void checkNormalizationCollisions(List<SourceFile> files) throws InvalidInputException {
    Map<String, String> seen = new HashMap<>();
    for (SourceFile f : files) {
      String nfc = Normalizer.normalize(f.datasetPath(), Normalizer.Form.NFC);
      String other = seen.putIfAbsent(nfc, f.datasetPath());
      if (other != null) {
        throw new InvalidInputException("Cannot add '" + f.datasetPath() + "': its name differs from '" + other
            + "' only by Unicode normalization, and the two would collide on many systems");
      }
    }
  }
}
