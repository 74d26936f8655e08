package dev.cairn.dataset;

import dev.cairn.dataset.Dataset.Change;
import dev.cairn.dataset.Dataset.NewVersion;
import dev.cairn.dataset.Dataset.Planned;
import dev.cairn.dataset.Dataset.Planner;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A sync: a folder on disk made the content of a draft's dataset folder ({@link Dataset#syncFolder}),
 * or of a new version, made only when the folder brings a change ({@link Dataset#syncNewVersion}).
 * The folder is scanned in path order and merged with the manifest as it comes, a batch of files
 * at a time (spec/datasets.md, "Adding files").
 */
final class FolderSync {
  private FolderSync() {}

  /** {@link Dataset#syncNewVersion(DatasetRepository, CreateOptions, SyncOptions, Progress, String, List)}. */
  static NewVersion newVersion(DatasetRepository repo, CreateOptions o, SyncOptions sync, Progress progress,
      String command, List<String> argv) throws IOException {
    Objects.requireNonNull(sync, "sync options must not be null: give SyncOptions.of(folder)");
    Objects.requireNonNull(o, "options must not be null: CreateOptions.of(project, name).build()");
    boolean parentByName = o.parents().isEmpty() && !o.projectFromParents();
    o = o.withParentsProject(repo).withLatestClosedAsParent(repo);
    // The parent taken as the dataset's latest: a rename of the dataset while the folder is read
    // takes the new version along (VersionLifecycle.create).
    boolean followRenames = parentByName && !o.parents().isEmpty();
    progress = Progress.orNone(progress);
    requireFolder(sync.folder());
    // Before the options are checked: the version string it asks for may be the unfinished one's.
    Dataset unfinished = command == null ? null : UnfinishedSync.take(repo, o, command, argv);
    if (unfinished != null) {
      unfinished = unfinished.invokedAs(command, argv);
      Change c = unfinished.syncFolder(sync, progress);
      DatasetRecord r = unfinished.record();
      Change all = new Change(r.summary(), c.filesRead(), c.storedBytes());
      if (!r.summary().isEmpty()) {
        return new NewVersion(unfinished, all, r.id());
      }
      unfinished.delete(true); // marked: the interrupted run may have closed it as far as its version object
      // The interrupted run had made its draft the current version; its last parent is now.
      if (!r.parents().isEmpty() && repo.catalog().current() == null) {
        repo.catalog().setCurrent(r.parents().get(r.parents().size() - 1));
      }
      return new NewVersion(null, all, r.id());
    }
    // What the comparisons with the parent store is named by no record until the draft is made:
    // held from now, so that a collection running meanwhile keeps it.
    try (VersionLocks.Lock writing = repo.catalog().holdWrites()) {
      return syncAgainstParent(repo, o, sync, progress, command, argv, followRenames);
    }
  }

  /** {@link #newVersion} once no unfinished draft was found to finish. */
  private static NewVersion syncAgainstParent(DatasetRepository repo, CreateOptions o, SyncOptions sync, Progress progress,
      String command, List<String> argv, boolean followRenames) throws IOException {
    DatasetRecord earlier = command == null ? null : UnfinishedSync.newestClosed(repo, o, command, argv);
    Planned againstEarlier = null;
    if (earlier != null) {
      againstEarlier = planAgainst(repo, sync, progress, earlier);
      if (againstEarlier.root().equals(earlier.root())) {
        return new NewVersion(null, new Change(ChangeSummary.EMPTY, againstEarlier.filesRead(), againstEarlier.storedBefore()), null,
            earlier.id());
      }
      if (o.parents().size() != 1 || !repo.catalog().resolve(o.parents().get(0)).equals(earlier.id())) {
        againstEarlier = null; // planned against another version than the new one's parent
      }
    }
    VersionLifecycle.checkOptions(repo, o);
    // A draft deleted again (failed, or nothing changed) leaves the current version as it was.
    String before = repo.catalog().lastUsed();
    NewVersion v;
    try {
      v = syncIntoNewDraft(repo, o, sync, progress, command, argv, againstEarlier, followRenames);
    } catch (Throwable e) {
      restoreCurrent(repo, before);
      throw e;
    }
    if (v.draft() == null) {
      restoreCurrent(repo, before);
    }
    return v;
  }

  /** Names {@code before} as the last version used again, if the one named now is gone (the draft deleted again). */
  private static void restoreCurrent(DatasetRepository repo, String before) throws IOException {
    if (repo.catalog().current() == null) {
      repo.catalog().restoreLastUsed(before);
    }
  }

  /**
   * @param planned the folder already planned against the one parent, or null
   * @param followRenames whether the parent was taken by the dataset's name ({@link VersionLifecycle#create})
   */
  private static NewVersion syncIntoNewDraft(DatasetRepository repo, CreateOptions o, SyncOptions sync, Progress progress,
      String command, List<String> argv, Planned planned, boolean followRenames) throws IOException {
    List<String> args = sync.logArguments();
    if (o.parents().size() == 1) {
      DatasetRecord parent = repo.catalog().read(repo.catalog().resolve(o.parents().get(0)));
      if (!parent.isDraft()) {
        Planned p = planned != null ? planned : planAgainst(repo, sync, progress, parent);
        if (p.root().equals(parent.root())) {
          return new NewVersion(null, new Change(ChangeSummary.EMPTY, p.filesRead(), p.storedBefore()));
        }
        Dataset ds = createLogged(repo, o, command, argv, followRenames);
        // The draft starts as its parent, so the planned tree applies as it is; a draft that does
        // not (never seen) is synced from scratch.
        return new NewVersion(ds, ds.modifyOrDelete(args, progress, (m, ins, editor) -> m.root().equals(parent.root())
            ? p : planner(repo, sync, progress).plan(m, ins, editor)));
      }
    }
    Dataset ds = createLogged(repo, o, command, argv, followRenames);
    Change c = ds.modifyOrDelete(args, progress, planner(repo, sync, progress));
    if (c.summary().isEmpty()) {
      ds.discard();
      return new NewVersion(null, c);
    }
    return new NewVersion(ds, c);
  }

  /**
   * The tree {@code folder} makes of the closed version {@code base}, its new objects stored
   * (indexed with the next close, or when the store closes); nothing is written to the catalog.
   */
  private static Planned planAgainst(DatasetRepository repo, SyncOptions sync, Progress progress, DatasetRecord base)
      throws IOException {
    try (ObjectInserter ins = repo.repository().objects().newInserter();
        ObjectReader reader = ins.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      Planned p = planner(repo, sync, progress).plan(new Manifest(loader, base.root()), ins, new ManifestEditor(loader, ins));
      ins.flushDeferringIndex();
      return new Planned(List.of(), p.root(), p.filesRead(), ins.stats().storedBytesWritten(), null);
    }
  }

  /** A new draft whose log, and that of what it runs, names {@code command} (if not null) and {@code argv}. */
  private static Dataset createLogged(DatasetRepository repo, CreateOptions o, String command, List<String> argv, boolean followRenames)
      throws IOException {
    Dataset ds = VersionLifecycle.create(repo, o, command, argv, followRenames);
    return command == null ? ds : ds.invokedAs(command, argv);
  }

  /**
   * Refuses a source that is neither a folder nor a wildcard pattern in one ({@code data/*.jpg},
   * as clearml-data's sync takes it: the dataset folder then holds the files that match).
   */
  static void requireFolder(Path folder) throws InvalidInputException {
    if (Files.isDirectory(folder)) {
      return;
    }
    if (Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.exists(folder)) {
      throw new InvalidInputException("Cannot sync " + folder + ": " + FolderScanner.brokenLink(folder));
    }
    SourcePattern pattern = SourcePattern.of(folder);
    if (pattern == null) {
      throw new InvalidInputException("Cannot sync " + folder + ": " + (Files.exists(folder) ? "not a folder" : "no such folder"));
    }
    if (!Files.isDirectory(pattern.folder())) {
      throw new InvalidInputException("Cannot sync '" + folder + "': " + pattern.folder() + " is not a folder");
    }
  }

  /**
   * Plans a sync of the folder of {@code sync} into its dataset folder. The folder is scanned in
   * path order and merged with the manifest as it comes, a batch of files at a time, each change
   * applied to the tree at once: memory holds neither the files nor the changes.
   */
  static Planner planner(DatasetRepository repo, SyncOptions sync, Progress progress) {
    Path folder = sync.folder();
    String df = sync.datasetFolder();
    SourcePattern pattern = Files.isDirectory(folder) ? null : SourcePattern.of(folder);
    Path source = pattern == null ? folder : pattern.folder();
    List<Glob> wildcards = pattern == null ? List.of() : List.of(pattern.glob());
    int prefix = df.isEmpty() ? 0 : df.length() + 1;
    Planner scanAndMerge = (m, ins, editor) -> {
      List<Glob> excludes = FileAdd.excludes(sync.excludes());
      // A path of the version the sync leaves alone: one that the pattern, if any, selects and no exclude pattern matches.
      java.util.function.Predicate<String> selected = path -> (pattern == null || pattern.glob().matches(path.substring(prefix)))
          && !FolderScanner.excluded(excludes, path.substring(prefix));
      // The dataset folder, and each folder above it, must not be a file of the dataset.
      for (String above = df; !above.isEmpty(); above = above.substring(0, Math.max(0, above.lastIndexOf('/')))) {
        if (m.lookup(above) != null) {
          throw DraftChanges.fileAndFolder(df + "/…", above);
        }
      }
      FileIngester ingester = new FileIngester(repo.statCache(), progress, false);
      DraftChanges.FolderMerge merge = new DraftChanges.FolderMerge(m, df, editor.begin(m.root()),
          path -> FolderScanner.excluded(excludes, path.substring(prefix)));
      List<SourceFile> batch = new ArrayList<>();
      long[] filesRead = {0};
      long[] matched = {0};
      FolderScanner.Sink flush = f -> {
        if (f != null && pattern != null && !pattern.glob().matches(f.datasetPath().substring(prefix))) {
          return; // a file of the pattern's folder that the pattern does not select
        }
        if (f != null) {
          batch.add(f);
          matched[0]++;
        }
        if (f == null || batch.size() >= SYNC_BATCH) {
          List<FileEntry> current = merge.current(batch.stream().map(SourceFile::datasetPath).toList());
          FileIngester.Result r = ingester.ingest(batch, ins, current);
          for (FileEntry e : r.entries()) {
            merge.accept(e);
          }
          filesRead[0] += r.filesRead();
          batch.clear();
        }
      };
      FolderScanner.Removals removals = path -> {
        // The version's file at path, or its first one under path/ that the pattern selects.
        FileEntry at = m.lookup(path);
        if (at != null && selected.test(path)) {
          return true;
        }
        for (Iterator<FileEntry> it = m.iterator(path + "/"); it.hasNext(); ) {
          FileEntry e = it.next();
          if (!e.path().startsWith(path + "/")) {
            return false;
          }
          if (selected.test(e.path())) {
            return true;
          }
        }
        return false;
      };
      FolderScanner.forSync(progress, repo.repository().directory(), removals).skippingRefused(sync.skipRefused())
          .excluding(excludes).scan(source, df, true, wildcards, flush);
      if (pattern != null && matched[0] == 0) {
        // Most likely a mistyped pattern: syncing to nothing would remove every file.
        throw new InvalidInputException("Cannot sync '" + folder + "': no file matches (to empty the dataset folder, sync an empty folder)");
      }
      flush.accept(null);
      ObjectId synced = merge.finish();
      requireNoFileAboveKept(new Manifest(m.loader(), synced), merge.keptPaths(), sync);
      return new Planned(List.of(), synced, filesRead[0]);
    };
    return (m, ins, editor) -> {
      try {
        return scanAndMerge.plan(m, ins, editor);
      } catch (InvalidInputException e) {
        throw asSyncRefusal(e);
      }
    };
  }

  /**
   * A refusal of the scanner or the ingester, which an add shares and which say "Cannot add ...",
   * worded for the sync that met it ("Cannot sync ...").
   */
  private static InvalidInputException asSyncRefusal(InvalidInputException e) {
    String m = e.getMessage();
    if (e.getClass() != InvalidInputException.class || m == null || !m.startsWith("Cannot add")) {
      return e;
    }
    // Both wordings, the API's and the command line's, reworded alike.
    String cli = e.commandLineMessage();
    InvalidInputException reworded = new InvalidInputException("", new Remedy("Cannot sync" + m.substring("Cannot add".length()),
        cli.startsWith("Cannot add") ? "Cannot sync" + cli.substring("Cannot add".length()) : cli), "");
    reworded.initCause(e.getCause());
    reworded.setStackTrace(e.getStackTrace());
    return reworded;
  }

  /**
   * Refuses a sync that would leave a kept file (one an exclude pattern left alone) inside what is
   * now a file: the folder on disk became a file (`a/b/c` kept, `a` a file now). A version never
   * holds a path as both; rsync refuses such a folder as "cannot delete non-empty directory".
   */
  private static void requireNoFileAboveKept(Manifest after, List<String> kept, SyncOptions sync) throws IOException {
    String last = null;
    for (String k : kept) {
      for (int s = k.indexOf('/'); s > 0; s = k.indexOf('/', s + 1)) {
        String folder = k.substring(0, s);
        if (!folder.equals(last) && after.lookup(folder) != null) {
          FileEntry keptEntry = after.lookup(k);
          boolean link = keptEntry != null && keptEntry.kind() == EntryKind.LINK;
          throw new InvalidInputException("Cannot sync " + DatasetPaths.printable(sync.folder().toString()) + ": '"
              + DatasetPaths.printable(folder) + "' is a file there now, and the version holds '" + DatasetPaths.printable(k)
              + "' under it, which the sync keeps (" + (link ? "an external link" : "a path an exclude pattern matches")
              + "); remove it from the version first (", new Remedy("Dataset.removeFiles(\"" + DatasetPaths.printable(folder) + "\")",
                  "cairn remove --files '" + DatasetPaths.printable(folder) + "'"), ")" + (link ? "" : ", or sync without that exclude pattern"));
        }
      }
      last = k.lastIndexOf('/') > 0 ? k.substring(0, k.lastIndexOf('/')) : null;
    }
  }

  /** Files a sync hashes and merges at a time. */
  private static final int SYNC_BATCH = 4096;

}
