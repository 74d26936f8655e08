package dev.cairn.dataset;

import dev.cairn.dataset.Dataset.Planned;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One add to a draft, planned: files and folders, an archive's files and external files (links),
 * all of them or, when any source fails, none ({@link Dataset#add}).
 *
 * <p>The files of a single folder (the usual {@code cairn add --files data/}) are scanned in path
 * order and stored and put into the manifest {@value #ONE_PASS} files at a time, so that memory
 * does not grow with the folder: an add of a million files holds one batch. Other adds (several
 * sources, archives, links) first gather every file, to refuse one path from two sources before
 * anything is stored.
 */
final class FileAdd {
  /**
   * Files stored and put at a time when a folder streams through: one batch, and one progress
   * phase, for all but the largest folders (about 45 MB of heap for the batch's files and entries).
   */
  static final int ONE_PASS = 1 << 16;

  /** Files per batch of a streaming add: {@link #ONE_PASS}, fewer in tests that stream small folders. */
  static int batchFiles = ONE_PASS;

  private final DatasetRepository repo;
  private final AddOptions files;
  private final Path archive;
  private final LinkOptions links;
  private final List<Glob> linkGlobs;
  private final String datasetFolder;
  private final Progress progress;

  private FileAdd(DatasetRepository repo, AddOptions files, Path archive, LinkOptions links, List<Glob> linkGlobs, String datasetFolder,
      Progress progress) {
    this.repo = repo;
    this.files = files;
    this.archive = archive;
    this.links = links;
    this.linkGlobs = linkGlobs;
    this.datasetFolder = datasetFolder;
    this.progress = progress;
  }

  /**
   * An add of {@code files} (or null), {@code archive} (or null) and {@code links}, the last two
   * under {@code datasetFolder}.
   *
   * @throws InvalidInputException when there is nothing to add or a wildcard is malformed
   */
  static FileAdd of(DatasetRepository repo, AddOptions files, Path archive, LinkOptions links, String datasetFolder, Progress progress)
      throws InvalidInputException {
    java.util.Objects.requireNonNull(links, "links must not be null: give LinkOptions.NONE");
    if (files != null && files.sources().isEmpty()) {
      throw new InvalidInputException("Cannot add: no file or folder given (AddOptions.of(paths))");
    }
    if (files == null && archive == null && links.uris().isEmpty()) {
      throw new InvalidInputException("Cannot add: give files, an archive or links");
    }
    return new FileAdd(repo, files, archive, links, wildcards(links.wildcards()), AddOptions.normalizeFolder(datasetFolder), progress);
  }

  /** The add as the version's log records it: the sources and options, in the command line's words. */
  List<String> arguments() {
    List<String> args = new ArrayList<>();
    if (files != null) {
      files.sources().forEach(p -> args.add(p.toAbsolutePath().normalize().toString())); // the log is read from anywhere
      files.wildcards().forEach(w -> args.add("--wildcard=" + w));
      if (!files.datasetFolder().isEmpty()) {
        args.add("--dataset-folder=" + files.datasetFolder());
      }
      if (!files.recursive()) {
        args.add("--non-recursive");
      }
      if (files.skipRefused()) {
        args.add("--skip-refused");
      }
      files.excludes().forEach(e -> args.add("--exclude=" + e));
    }
    if (archive != null) {
      args.addAll(List.of("--archive", archive.toString()));
    }
    links.uris().forEach(u -> args.add("--links=" + u));
    if (files == null) { // with files, their options say these
      links.wildcards().forEach(w -> args.add("--wildcard=" + w));
      if (!links.uris().isEmpty() && !links.recursive()) {
        args.add("--non-recursive");
      }
      if (!datasetFolder.isEmpty()) {
        args.add("--dataset-folder=" + datasetFolder);
      }
    }
    return args;
  }

  /**
   * Whether the add is one folder or file, streamed through in batches: nothing else can claim
   * its paths, and one scan gives each path once.
   */
  private boolean streams() {
    return files != null && archive == null && links.uris().isEmpty() && files.sources().size() == 1
        && SourcePattern.of(files.sources().get(0)) == null;
  }

  /**
   * Scans what is to be added where the add cannot stream, before the draft is locked: a bad
   * source is refused before any waiting. A streaming add scans as it goes, in {@link #plan}.
   */
  List<SourceFile> gather() throws IOException {
    return files == null || streams() ? List.of() : scan();
  }

  /**
   * Stores the files and plans their puts into the draft's manifest {@code m}; {@code gathered} is
   * what {@link #gather} returned.
   */
  Planned plan(Manifest m, ObjectInserter ins, ManifestEditor editor, List<SourceFile> gathered) throws IOException {
    if (streams()) {
      return stream(m, ins, editor);
    }
    List<FileEntry> entries = new ArrayList<>();
    // Which input each path comes from: two inputs for one path (a file and an archive's entry,
    // two links) are refused as two files are, not one silently dropped.
    Map<String, Claim> from = new HashMap<>();
    if (archive != null || !links.uris().isEmpty()) { // files alone were checked by scan()
      for (SourceFile f : gathered) {
        from.put(DatasetPaths.nfc(f.datasetPath()), new Claim(f.datasetPath(), f.file().toString()));
      }
    }
    long read = 0;
    if (!gathered.isEmpty()) {
      FileIngester.Result r = new FileIngester(repo.statCache(), progress, files.rehash()).ingest(gathered, ins, m);
      entries.addAll(r.entries());
      read += r.filesRead();
    }
    if (archive != null) {
      List<FileEntry> extracted = ArchiveIo.read(archive, datasetFolder, ins, progress);
      for (FileEntry e : extracted) {
        claim(from, e.path(), "archive " + archive);
        entries.add(e);
      }
      read += extracted.size(); // each entry's data was read from the archive
    }
    if (!links.uris().isEmpty()) {
      read += addLinks(from, entries);
    }
    List<Edit> edits = DraftChanges.puts(m, DraftChanges.sortUnique(entries));
    return links.uris().isEmpty() ? new Planned(edits, read) : new Planned(edits, null, read, 0, Dataset.EXTERNAL_FILES_TAG);
  }

  private long addLinks(Map<String, Claim> from, List<FileEntry> entries) throws IOException {
    long linked = 0;
    try (ExternalFiles external = new ExternalFiles(repo.storageConf(), repo.repository().objects().algorithm())) {
      for (String u : new LinkedHashSet<>(links.uris())) { // a link named twice is added once
        List<FileEntry> scanned = external.scan(u, datasetFolder, linkGlobs, links.recursive(), progress);
        for (FileEntry e : scanned) {
          claim(from, e.path(), "link " + e.uri());
        }
        entries.addAll(scanned);
        linked += scanned.size();
      }
    }
    if (linked == 0 && !linkGlobs.isEmpty()) {
      throw new InvalidInputException("Cannot add: no linked file matches ", wildcardAdvice(links.wildcards()), "; nothing was added");
    }
    return linked;
  }

  /**
   * The add of one folder or file: its files come from the scan in path order and are stored and
   * put {@value #ONE_PASS} at a time, each batch's puts applied to the tree at once. A refusal met
   * late in the scan (a name refused, no file matching) leaves the draft as it was, as any failed
   * add does; what was stored until then is left for gc.
   */
  private Planned stream(Manifest m, ObjectInserter ins, ManifestEditor editor) throws IOException {
    FolderScanner scanner = scanner();
    FileIngester ingester = new FileIngester(repo.statCache(), progress, files.rehash());
    ManifestEditor.Session session = editor.begin(m.root());
    List<SourceFile> batch = new ArrayList<>();
    long[] counts = new long[3]; // files found, files read, puts
    FolderScanner.Sink put = f -> {
      if (f != null) {
        batch.add(f);
        counts[0]++;
      }
      if (batch.isEmpty() || (f != null && batch.size() < batchFiles)) {
        return;
      }
      FileIngester.Result r = ingester.ingest(batch, ins, m);
      counts[1] += r.filesRead();
      for (Edit e : DraftChanges.puts(m, DraftChanges.sortUnique(r.entries()))) {
        session.add(e);
        counts[2]++;
      }
      batch.clear();
    };
    scanner.scan(files.sources().get(0), files.datasetFolder(), files.recursive(), wildcards(files.wildcards()), put);
    requireSomeFile(counts[0] == 0, scanner);
    put.accept(null);
    return counts[2] == 0 ? new Planned(List.of(), counts[1]) : new Planned(List.of(), session.finish(), counts[1]);
  }

  /** The files the add names, checked: a wildcard must match, and a path comes from one file. */
  private List<SourceFile> scan() throws IOException {
    List<Glob> globs = wildcards(files.wildcards());
    List<SourceFile> found = new ArrayList<>();
    FolderScanner scanner = scanner();
    for (Path p : files.sources()) {
      SourcePattern pattern = SourcePattern.of(p);
      found.addAll(pattern == null ? scanner.scan(p, files.datasetFolder(), files.recursive(), globs)
          : pattern.scan(scanner, files.datasetFolder(), files.recursive(), globs));
    }
    requireSomeFile(found.isEmpty(), scanner);
    requireOneFilePerPath(found);
    return found;
  }

  private FolderScanner scanner() throws InvalidInputException {
    return new FolderScanner(progress, repo.repository().directory()).skippingRefused(files.skipRefused())
        .excluding(excludes(files.excludes()));
  }

  /** Refuses an add that found nothing because its wildcards match nothing or its excludes left out all. */
  private void requireSomeFile(boolean none, FolderScanner scanner) throws InvalidInputException {
    if (none && !files.wildcards().isEmpty()) {
      throw new InvalidInputException("Cannot add: no file of " + sourcesText(files.sources()) + " matches ", wildcardAdvice(files.wildcards()),
          "; nothing was added" + Glob.reachHint(files.wildcards()));
    }
    if (none && scanner.excludedCount() > 0) {
      // As git add refuses paths that are all ignored: an add that leaves out all it was given is a mistake.
      throw new InvalidInputException("Cannot add: every file of " + sourcesText(files.sources()) + " is excluded by --exclude "
          + quoted(files.excludes()) + "; nothing was added");
    }
  }

  /**
   * Exclude patterns a person gave, compiled ({@link Glob#parseFilter}: a folder that matches, all
   * it holds), in composed Unicode form (NFC): they are matched against paths so composed
   * ({@link FolderScanner#excluding}), so that a name typed in either form matches a name on disk
   * in either, as {@code list --filter} matches.
   */
  static List<Glob> excludes(List<String> patterns) throws InvalidInputException {
    List<Glob> out = new ArrayList<>(patterns.size());
    for (String p : patterns) {
      out.add(Glob.parseFilter("exclude pattern", DatasetPaths.nfc(p)));
    }
    return out;
  }

  /** Wildcards a person gave, compiled. */
  private static List<Glob> wildcards(List<String> patterns) throws InvalidInputException {
    List<Glob> out = new ArrayList<>(patterns.size());
    for (String w : patterns) {
      out.add(Glob.parse("wildcard", w));
    }
    return out;
  }

  /** "the wildcard 'x'" or "any of the wildcards 'x' 'y'"; on the command line "--wildcard 'x' 'y'". */
  private static Remedy wildcardAdvice(List<String> patterns) {
    return new Remedy((patterns.size() == 1 ? "the wildcard " : "any of the wildcards ") + quoted(patterns), "--wildcard " + quoted(patterns));
  }

  /** Patterns as a message shows them: each quoted, printable, space-separated. */
  private static String quoted(List<String> patterns) {
    return String.join(" ", patterns.stream().map(w -> "'" + DatasetPaths.printable(w) + "'").toList());
  }

  private static String sourcesText(List<Path> sources) {
    return sources.size() == 1 ? DatasetPaths.printable(sources.get(0).toString()) : sources.size() + " sources";
  }

  /** A dataset path as one source of an add gave it. */
  private record Claim(String path, String source) {}

  /**
   * Records that {@code path} comes from {@code source}, refusing a second source for it or for a
   * twin of it (the same name in another Unicode form).
   */
  private static void claim(Map<String, Claim> from, String path, String source) throws InvalidInputException {
    Claim other = from.putIfAbsent(DatasetPaths.nfc(path), new Claim(path, source));
    if (other != null && !other.source().equals(source)) {
      throw twoSources(path, other.path(), other.source(), source);
    }
  }

  /**
   * Refuses two different files for one path of the dataset (as from {@code --files a b} where
   * both folders hold {@code x}): one would silently replace the other. The same file named twice
   * is added once.
   */
  private static void requireOneFilePerPath(List<SourceFile> found) throws InvalidInputException {
    Map<String, SourceFile> byPath = new HashMap<>(found.size() * 2);
    for (SourceFile f : found) {
      SourceFile other = byPath.putIfAbsent(DatasetPaths.nfc(f.datasetPath()), f);
      if (other == null || other.file().equals(f.file()) || (f.inode() != 0 && other.inode() == f.inode() && other.device() == f.device())) {
        continue;
      }
      throw twoSources(f.datasetPath(), other.datasetPath(), other.file().toString(), f.file().toString());
    }
  }

  private static InvalidInputException twoSources(String path, String otherPath, String otherSource, String source) {
    String twin = path.equals(otherPath) ? "" : " (the names differ only by Unicode normalization, and would collide on many systems)";
    return new InvalidInputException("Cannot add '" + DatasetPaths.printable(path) + "' from both " + otherSource
        + " and " + source + twin + ": add them under different ", new Remedy("dataset folders (AddOptions.datasetFolder)", "--dataset-folder"),
        ", or in two adds to replace one by the other");
  }
}
