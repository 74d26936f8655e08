package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.internal.fs.FileStat;
import dev.cairn.internal.fs.IoErrors;
import dev.cairn.manifest.DatasetPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Finds the files to add from a folder or a single file (spec/datasets.md, "Adding files"):
 * <ul>
 *   <li>a folder adds its contents, relative to it, under the dataset folder; a file adds itself
 *       under its name;
 *   <li>symbolic links are followed, inside the folder being added or outside it (a loop of
 *       links to folders is refused, as a refused name is); a link that leads nowhere is skipped with a warning, and
 *       one that leads into the repository is refused, unless it is not a folder and the
 *       wildcards leave it out;
 *   <li>fifos, sockets and devices are skipped with a warning, and so are the hidden folders a
 *       {@code get --copy} works in ({@code .cairn-copy-*}, {@code .cairn-trash-*}, ...), which one
 *       that was killed leaves behind;
 *   <li>files and folders that an exclude pattern matches ({@link #excluding}) are left out
 *       unseen: a folder so matched is not walked, and nothing in it is refused or warned of;
 *   <li>the repository's own folder, when it lies inside the folder being added, is skipped with a
 *       warning (as Git skips {@code .git}): its files change while they are read, and each
 *       version would hold the one before;
 *   <li>names that cannot be dataset paths (backslash, control characters, over 255 bytes), names
 *       that are not valid UTF-8, and names that collide once Unicode-normalized (NFC) are
 *       refused;
 *   <li>a source that is the repository, or inside it, is refused (but for the cached copies of
 *       versions that {@code get} returns).
 * </ul>
 */
final class FolderScanner {
  private final Progress progress;
  private final Path skipped;

  /** A scanner that takes everything it finds. */
  public FolderScanner(Progress progress) {
    this(progress, null);
  }

  /**
   * A scanner that leaves out the folder {@code repository} (the repository being written), when
   * a scan comes across it.
   */
  public FolderScanner(Progress progress, Path repository) {
    this(progress, repository, (Removals) null);
  }

  private FolderScanner(Progress progress, Path repository, Removals removals) {
    this.progress = Progress.orNone(progress);
    this.skipped = repository == null ? null : realOrNull(repository);
    this.removals = removals;
  }

  /** What a sync would remove from its version for a path of the folder it cannot read. */
  @FunctionalInterface
  public interface Removals {
    /** Whether the version holds a file the sync selects at {@code datasetPath} or under it. */
    boolean any(String datasetPath) throws IOException;
  }

  /**
   * A scanner for a sync, which refuses a link that leads nowhere (or into a loop) instead of
   * passing it over when the version holds what the sync would then remove: a sync removes what
   * the folder does not hold, and a share that is not mounted would empty it. A link in place of
   * nothing the version holds is passed over, with a warning, as add passes it.
   */
  public static FolderScanner forSync(Progress progress, Path repository, Removals removals) {
    return new FolderScanner(progress, repository, Objects.requireNonNull(removals));
  }

  /** A sync's (null for an add). */
  private final Removals removals;

  /** Whether a refused name is passed over with a warning rather than refusing the scan. */
  private boolean skipRefused;

  /**
   * Passes over, each with a warning, the files and folders whose names a scan refuses (in a folder
   * it walks; a source named itself is still refused), instead of failing the scan.
   */
  public FolderScanner skippingRefused(boolean skip) {
    this.skipRefused = skip;
    return this;
  }

  /** The files and folders a scan leaves out, by their paths relative to the folder scanned. */
  private List<Glob> excludes = List.of();

  /**
   * Leaves out each file or folder whose path relative to the folder scanned, or whose name,
   * matches one of {@code patterns} ({@link Glob#filter}: a folder that matches is not walked at
   * all), as restic's and rsync's {@code --exclude} do (the name in composed Unicode form, NFC, as
   * the patterns should be); a file named itself as a source is left out
   * when its name matches. Nothing is said of what is left out: it is never looked at.
   */
  public FolderScanner excluding(List<Glob> patterns) {
    this.excludes = List.copyOf(patterns);
    return this;
  }

  /** How many files and folders the scans so far left out by an exclude pattern. */
  private long excludedCount;

  /** How many files and folders the scans so far left out by an exclude pattern (a folder counts once). */
  public long excludedCount() {
    return excludedCount;
  }

  private boolean excluded(String rel) {
    if (excluded(excludes, rel)) {
      excludedCount++;
      return true;
    }
    return false;
  }

  /**
   * Whether one of {@code patterns} matches {@code path} (relative to the folder scanned, or a
   * name), compared in composed Unicode form so that a name in either form matches.
   */
  static boolean excluded(List<Glob> patterns, String path) {
    if (patterns.isEmpty()) {
      return false;
    }
    String composed = DatasetPaths.nfc(path);
    for (Glob g : patterns) {
      if (g.matches(composed)) {
        return true;
      }
    }
    return false;
  }

  private static Path realOrNull(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Scans {@code source}.
   *
   * @param datasetFolder folder inside the dataset to put the files under ("" for the root)
   * @param recursive whether to descend into subfolders
   * @param wildcards keep only files whose relative path or name matches one of these (none: all)
   * @return the files, in dataset path order ({@link DatasetPaths#compare})
   * @throws InvalidInputException for a missing source or a refused name or link
   */
  public List<SourceFile> scan(Path source, String datasetFolder, boolean recursive, List<Glob> wildcards) throws IOException {
    List<SourceFile> out = new ArrayList<>();
    scan(source, datasetFolder, recursive, wildcards, out::add);
    return out;
  }

  /** Receives the files of a scan, one at a time. */
  @FunctionalInterface
  public interface Sink {
    void accept(SourceFile f) throws IOException;
  }

  /**
   * What is wrong with a symbolic link that leads to nothing, or round a loop of links ({@code source}
   * exists only as a name).
   */
  static String brokenLink(Path source) {
    try {
      source.toRealPath();
      return "it cannot be read";
    } catch (java.nio.file.FileSystemException e) {
      String reason = String.valueOf(e.getReason());
      if (reason.contains("levels of symbolic links")) {
        return "a loop of symbolic links";
      }
      try {
        return "a symbolic link to nothing (it leads to " + DatasetPaths.printable(Files.readSymbolicLink(source).toString()) + ")";
      } catch (IOException | UnsupportedOperationException notALink) {
        return "a symbolic link to nothing on its way";
      }
    } catch (IOException e) {
      return IoErrors.reason(e);
    }
  }

  /**
   * Scans {@code source}, handing each file to {@code sink} in dataset path order
   * ({@link DatasetPaths#compare}), so that a caller can merge the files with a manifest as they
   * come, holding one folder's entries at a time.
   */
  public void scan(Path source, String datasetFolder, boolean recursive, List<Glob> wildcards, Sink sink) throws IOException {
    if (!datasetFolder.isEmpty()) {
      String problem = datasetFolder.indexOf(UNDECODABLE) >= 0 ? "it holds U+FFFD (bytes that were not valid UTF-8)"
          : DatasetPaths.problem(datasetFolder);
      if (problem != null) {
        throw new InvalidInputException("Cannot use dataset folder '" + DatasetPaths.printable(datasetFolder) + "': " + problem
            + "; give a folder inside the dataset, from its top (a/b)");
      }
    }
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException("Cannot add " + DatasetPaths.printable(source.toString()) + ": "
          + (source.toString().indexOf(UNDECODABLE) >= 0 ? "no such file or folder (its name is not valid UTF-8 as given)" : "no such file or folder"));
    }
    if (!Files.exists(source)) { // there as a name, leading nowhere
      throw new InvalidInputException("Cannot add " + DatasetPaths.printable(source.toString()) + ": " + brokenLink(source));
    }
    Path real = source.toRealPath();
    // Inside the repository, only the cached read-only copies of versions hold still.
    if (skipped != null && real.startsWith(skipped) && !real.startsWith(skipped.resolve("cache").resolve("versions"))) {
      throw new InvalidInputException("Cannot add " + source + ": it is " + (real.equals(skipped) ? "" : "inside ")
          + "the repository " + skipped + ", which changes as it is written");
    }
    checkName(source.getFileName() == null ? "" : source.getFileName().toString(), source);
    if (Files.isDirectory(real)) {
      List<String> refused = new ArrayList<>();
      walk(source, real, recursive, wildcards, datasetFolder, sink, refused);
      if (!refused.isEmpty() && skipRefused) {
        refused.forEach(r -> progress.warn(r.replaceFirst("^Cannot add ", "passed over ")));
      } else if (!refused.isEmpty()) {
        // Every refused name at once, not one a run: one alone as the error; several each as a
        // warning, in the order met, and the error counts them.
        if (refused.size() == 1) {
          throw new InvalidInputException(refused.get(0));
        }
        refused.forEach(r -> progress.warn(r.replaceFirst("^Cannot add ", "refused ")));
        throw new InvalidInputException("Cannot add " + DatasetPaths.printable(source.toString()) + ": " + refused.size()
            + " names in it refused, each warned of above (the first: " + refused.get(0).replaceFirst("^Cannot add ", "")
            + "); nothing was added (rename them, move them out of the folder, or"
            + " pass them over with ", new Remedy("AddOptions.skipRefused", "--skip-refused"), ")");
      }
    } else {
      String name = source.getFileName().toString();
      String rel = datasetFolder.isEmpty() ? name : datasetFolder + "/" + name;
      if (excluded(name)) {
        return;
      }
      if (wildcards.isEmpty() || wildcards.stream().anyMatch(g -> g.matches(name))) {
        SourceFile f = describe(source, rel);
        if (f == null) {
          // Named alone, as git add refuses it: inside a folder, such a file is skipped with a warning.
          throw new InvalidInputException("Cannot add " + DatasetPaths.printable(source.toString())
              + ": not a regular file (a fifo, socket or device)");
        }
        sink.accept(f);
      }
    }
  }

  /** An entry of a folder, links followed. */
  private record Child(Path path, String name, Path real, FileStat attributes) {
    /** Its place among its siblings: a folder sorts as its name plus '/', like the paths inside it. */
    String sortKey() {
      return attributes.directory() ? name + "/" : name;
    }
  }

  /** A folder being walked: its entries, sorted, and how far the walk has gone through them. */
  private static final class Frame {
    final Path realDir;
    final String rel;
    final List<Child> children;
    /** The NFC forms of the names taken so far, for {@link #checkNormalization}. */
    final Map<String, String> normalized = new HashMap<>();
    int next;

    Frame(Path realDir, String rel, List<Child> children) {
      this.realDir = realDir;
      this.rel = rel;
      this.children = children;
    }
  }

  /**
   * Walks a folder tree, depth first in dataset path order. The folders being walked are held in a
   * stack of their own, not the thread's: a tree may nest as deep as a dataset path allows (two
   * thousand levels of one-letter names). A name refused ({@link #checkName}, {@link #checkPath}, a
   * normalization twin) goes into {@code refused} and its file or folder is passed over, so that one
   * scan names them all.
   */
  private void walk(Path source, Path realSource, boolean recursive, List<Glob> wildcards, String datasetFolder,
      Sink sink, List<String> refused) throws IOException {
    Set<Path> visiting = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(open(source, realSource, "", wildcards, datasetFolder, visiting));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      if (f.next == f.children.size()) {
        visiting.remove(f.realDir);
        stack.pop();
        continue;
      }
      Child c = f.children.get(f.next++);
      String childRel = f.rel.isEmpty() ? c.name() : f.rel + "/" + c.name();
      FileStat a = c.attributes();
      if (a.directory()) {
        Path realChild = c.real() != null ? c.real() : f.realDir.resolve(c.name());
        if (realChild.equals(skipped)) {
          progress.warn("skipped " + c.path() + ": the repository itself");
        } else if (recursive && !refusesHere(refused, datasetPath(datasetFolder, childRel), () -> {
          checkName(c.name(), c.path()); // only a name that is used: a folder descended into, a file kept
          checkNormalization(f.normalized, c.name(), datasetFolder, childRel);
          checkRoomBelow(datasetPath(datasetFolder, childRel), c.path());
          checkReadableOnDisk(c.path());
          if (visiting.contains(realChild)) { // reached again through a link: the walk would not end
            throw new InvalidInputException("Cannot add " + c.path() + ": symbolic links form a loop");
          }
        })) {
          Frame sub = open(c.path(), realChild, childRel, wildcards, datasetFolder, visiting);
          if (sub != null) {
            stack.push(sub);
          }
        }
      } else if (a.regularFile()) {
        if (leftOut(wildcards, childRel)) {
          continue;
        }
        String datasetPath = datasetFolder.isEmpty() ? childRel : datasetFolder + "/" + childRel;
        if (!refusesHere(refused, datasetPath, () -> {
          checkName(c.name(), c.path());
          checkPath(datasetPath, c.path());
          checkNormalization(f.normalized, c.name(), datasetFolder, childRel);
        })) {
          sink.accept(sourceFile(a, datasetPath, c.path()));
        }
      } else {
        progress.warn("skipped " + c.path() + ": not a regular file (fifo, socket or device)");
      }
    }
  }

  /**
   * Lists one folder for the walk: its entries with their attributes, links followed, in dataset
   * path order. Null for a subfolder deleted since its parent was listed (passed over with a
   * warning); the folder named itself is required.
   */
  private Frame open(Path dir, Path realDir, String rel, List<Glob> wildcards, String datasetFolder, Set<Path> visiting) throws IOException {
    visiting.add(realDir); // a loop is refused before it is entered
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(paths::add);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("Cannot add " + dir + ": permission denied");
    } catch (NoSuchFileException deleted) {
      if (!rel.isEmpty()) {
        progress.warn("skipped " + dir + ": deleted while the folder was read");
        visiting.remove(realDir);
        return null;
      }
      throw deleted;
    }
    if (!excludes.isEmpty()) {
      // Before anything is asked of them: an excluded folder may be unreadable, a link broken.
      paths.removeIf(child -> excluded(rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName()));
    }
    paths.removeIf(child -> {
      if (!SetAside.isCopyEntry(child.getFileName().toString())) {
        return false;
      }
      // A get --copy's hidden work (its new folder, or what it set aside), left behind if it was
      // killed: never the user's data, and possibly half written.
      progress.warn("skipped " + child + ": the work of a get --copy (one that was stopped leaves it; the next get --copy into "
          + child.getParent() + " removes it)");
      return true;
    });
    paths.sort(null);
    List<FileStat> attributes = statAll(paths);
    List<Child> children = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      Path child = paths.get(i);
      FileStat a = attributes.get(i);
      if (a == null) {
        // As tar says "file removed before we read it": the folder is taken as it is now.
        if (!leftOut(wildcards, rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName())) {
          progress.warn("skipped " + child + ": deleted while the folder was read");
        }
        continue;
      }
      Path realChild = null;
      if (a.symbolicLink()) {
        String childRel = rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
        try {
          realChild = child.toRealPath();
        } catch (NoSuchFileException e) {
          if (removals != null && removals.any(datasetPath(datasetFolder, childRel))) {
            throw new InvalidInputException("Cannot sync " + child + ": symbolic link leads nowhere, and the sync would remove its file"
                + " from the version (mount what it leads to, or delete the link)");
          }
          if (!leftOut(wildcards, childRel)) {
            // As a fifo is: nothing to read (clearml-data passes such links over too).
            progress.warn("skipped " + child + ": symbolic link leads nowhere");
          }
          continue;
        } catch (FileSystemException e) {
          if (e instanceof AccessDeniedException || e.getReason() == null
              || !e.getReason().contains("Too many levels of symbolic links")) {
            throw e; // unreadable, not absent: never passed over (a sync would drop the file)
          }
          if (removals != null && removals.any(datasetPath(datasetFolder, childRel))) {
            throw new InvalidInputException("Cannot sync " + child + ": symbolic links form a loop, and the sync would remove its"
                + " file from the version (delete the link, or make it lead to a file)");
          }
          if (!leftOut(wildcards, childRel)) {
            progress.warn("skipped " + child + ": symbolic links form a loop");
          }
          continue;
        }
        if (skipped != null && realChild.startsWith(skipped) && !realChild.equals(skipped) // itself: skipped below
            && !realChild.startsWith(skipped.resolve("cache").resolve("versions"))) {
          if (!Files.isDirectory(realChild) && leftOut(wildcards, childRel)) {
            continue;
          }
          throw new InvalidInputException("Cannot add " + child + ": symbolic link leads into the repository " + skipped
              + ", which changes as it is written");
        }
        // Inside the folder or outside it (a folder of links into a shared store, say), its
        // target is what is added, as cp -L, tar -h and clearml-data take it.
        a = statIfThere(realChild);
        if (a == null) { // deleted since the link was resolved: as if before the listing
          progress.warn("skipped " + child + ": deleted while the folder was read");
          continue;
        }
      }
      children.add(new Child(child, child.getFileName().toString(), realChild, a));
    }
    children.sort((x, y) -> DatasetPaths.compare(x.sortKey(), y.sortKey()));
    Frame frame = new Frame(realDir, rel, children);
    if (removals != null) {
      keepTwinsTheVersionHolds(frame, datasetFolder);
    }
    return frame;
  }

  /**
   * Of two names of a folder that differ only by Unicode normalization, a sync keeps the one its
   * version holds, whichever sorts first: the other is the one refused (and passed over with
   * --skip-refused), not the version's file replaced by its twin.
   */
  private void keepTwinsTheVersionHolds(Frame frame, String datasetFolder) throws IOException {
    Map<String, List<String>> byForm = new HashMap<>();
    for (Child c : frame.children) {
      if (!c.name().chars().allMatch(ch -> ch < 0x80)) {
        byForm.computeIfAbsent(DatasetPaths.nfc(c.name()), k -> new ArrayList<>()).add(c.name());
      }
    }
    for (Map.Entry<String, List<String>> twins : byForm.entrySet()) {
      if (twins.getValue().size() < 2) {
        continue;
      }
      for (String name : twins.getValue()) {
        if (removals.any(datasetPath(datasetFolder, frame.rel.isEmpty() ? name : frame.rel + "/" + name))) {
          frame.normalized.put(twins.getKey(), name);
          break;
        }
      }
    }
  }

  /** Checks of a name, which refuse it by throwing. */
  @FunctionalInterface
  private interface NameChecks {
    void run() throws InvalidInputException;
  }

  /** Runs {@code checks}; a refusal is added to {@code refused} (and true returned), so that the scan goes on. */
  private static boolean refuses(List<String> refused, NameChecks checks) {
    try {
      checks.run();
      return false;
    } catch (InvalidInputException e) {
      refused.add(e.getMessage());
      return true;
    }
  }

  /**
   * As {@link #refuses}; but in a sync whose version holds something at {@code datasetPath} (the
   * twin by normalization of a name on disk, a loop of links where a folder was), a refusal stops
   * the scan at once, whatever the options: passing it over would remove what the version holds.
   */
  private boolean refusesHere(List<String> refused, String datasetPath, NameChecks checks) throws IOException {
    if (!refuses(refused, checks)) {
      return false;
    }
    if (removals != null && removals.any(datasetPath)) {
      throw new InvalidInputException(refused.remove(refused.size() - 1) + ", and the sync would remove what the version holds at '"
          + DatasetPaths.printable(datasetPath) + "'");
    }
    return true;
  }

  private static String datasetPath(String datasetFolder, String rel) {
    return datasetFolder.isEmpty() ? rel : datasetFolder + "/" + rel;
  }

  /** Whether the wildcards, if any, leave out a file at {@code rel}. */
  private static boolean leftOut(List<Glob> wildcards, String rel) {
    return !wildcards.isEmpty() && wildcards.stream().noneMatch(g -> g.matches(rel));
  }

  /**
   * Refuses a name that differs from a sibling's only by Unicode normalization. Two paths collide
   * once normalized (NFC) exactly when, at their first differing level, the two names do; so
   * checking siblings covers every path without holding them all.
   */
  private static void checkNormalization(Map<String, String> siblings, String name, String datasetFolder, String childRel)
      throws InvalidInputException {
    String nfc = DatasetPaths.nfc(name);
    String other = siblings.putIfAbsent(nfc, name);
    if (other != null && !other.equals(name)) {
      String parent = childRel.substring(0, childRel.length() - name.length());
      String prefix = datasetFolder.isEmpty() ? parent : datasetFolder + "/" + parent;
      throw new InvalidInputException("Cannot add " + DatasetPaths.quotedWithForm(prefix + name) + ": its name differs from "
          + DatasetPaths.quotedWithForm(prefix + other) + " only by Unicode normalization, and the two would collide on many systems");
    }
  }

  /** Folders with at least this many entries are read by every core at once. */
  private static final int PARALLEL_STAT_MIN = 512;

  /**
   * The attributes of every entry of a folder, not following links. The {@code stat} calls are
   * most of a sync of many unchanged files (about 2 us each, in the kernel), so a large folder's
   * entries are read by all cores at once. Null for an entry deleted since the folder was listed.
   */
  private static List<FileStat> statAll(List<Path> children) throws IOException {
    FileStat[] out = new FileStat[children.size()];
    if (out.length < PARALLEL_STAT_MIN) {
      for (int i = 0; i < out.length; i++) {
        out[i] = statIfThere(children.get(i));
      }
    } else {
      try {
        IntStream.range(0, out.length).parallel().forEach(i -> {
          try {
            out[i] = statIfThere(children.get(i));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return Arrays.asList(out);
  }

  private static FileStat statIfThere(Path child) throws IOException {
    try {
      return FileStat.of(child, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException deleted) {
      return null;
    }
  }

  /** What the JVM puts for bytes of a file name that are not valid UTF-8. */
  private static final char UNDECODABLE = '\uFFFD';

  /**
   * Refuses a name that is not valid UTF-8: the JVM reads its bad bytes as U+FFFD, and stored so,
   * it would come back under another name (and two such names would look the same).
   */
  private static void checkName(String name, Path where) throws InvalidInputException {
    if (name.indexOf(UNDECODABLE) >= 0) {
      String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
      throw new InvalidInputException("Cannot add " + DatasetPaths.printable(where.toString()) + ": "
          + (charset.equalsIgnoreCase("UTF-8")
              ? "its name is not valid UTF-8 (or holds U+FFFD); rename it to add it"
              : "this JVM reads file names as " + charset + ", not UTF-8; run it with LC_ALL=C.UTF-8"));
    }
  }

  /** The longest path the system takes in a call, in bytes (Linux's PATH_MAX, less its NUL). */
  private static final int MAX_SYSTEM_PATH_BYTES = 4095;

  /**
   * Refuses a folder whose path on disk leaves no room for its entries' within what the system
   * takes in a call: its files cannot be read by their paths.
   */
  private static void checkReadableOnDisk(Path dir) throws InvalidInputException {
    if (dir.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2 > MAX_SYSTEM_PATH_BYTES) {
      throw new InvalidInputException("Cannot add " + DatasetPaths.printable(dir.toString()) + ": its path on disk is too long for the"
          + " system to read its files (4096 bytes at most); sync or add the tree from a folder nearer to it (a relative --folder or"
          + " --files from inside it)");
    }
  }

  /**
   * Refuses, once, a folder below which no file can have a dataset path (its own path leaves no
   * room for "/" and a name): walking it would only refuse each of its files, or find no end.
   */
  private static void checkRoomBelow(String folderPath, Path where) throws InvalidInputException {
    if (folderPath.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2 > DatasetPaths.MAX_PATH_BYTES) {
      throw new InvalidInputException("Cannot add " + DatasetPaths.printable(where.toString()) + ": a folder whose path leaves no room for"
          + " its files (a dataset path holds at most " + DatasetPaths.MAX_PATH_BYTES + " bytes); move it up, or out of the folder");
    }
  }

  private static void checkPath(String datasetPath, Path where) throws InvalidInputException {
    String problem = DatasetPaths.problem(datasetPath);
    if (problem != null) {
      // Said of a name on disk, which the user can rename: the path rules' advice is for paths typed.
      String what = problem.startsWith("name ") ? "a " + problem
          : problem.startsWith("backslash") ? "a backslash in its name"
          : problem.equals("invalid Unicode") ? "invalid Unicode in its name"
          : problem.endsWith(" character") ? "a " + problem + " in its name" : null;
      throw new InvalidInputException("Cannot add " + DatasetPaths.printable(where.toString()) + ": " + (what == null ? problem
          : what + ", which a dataset path cannot hold; rename it, or move it out of the folder"));
    }
  }

  /** Reads a file's change-detection attributes (following links); null if it is not a regular file. */
  static SourceFile describe(Path file, String datasetPath) throws IOException {
    FileStat a = FileStat.of(file);
    return a.regularFile() ? sourceFile(a, datasetPath, file) : null;
  }

  private static SourceFile sourceFile(FileStat a, String datasetPath, Path file) {
    return new SourceFile(datasetPath, file, a.size(), a.mtimeNanos(), a.ctimeNanos(), a.inode(), a.device(), a.executable());
  }


}
