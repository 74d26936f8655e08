package dev.cairn.dataset;

import dev.cairn.errors.AmbiguousIdException;
import dev.cairn.errors.BadStorageLocationException;
import dev.cairn.errors.ConflictException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.object.Version;
import dev.cairn.storage.Storages;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.transport.Pusher;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One dataset version: Cairn's counterpart of {@code clearml.Dataset}. A handle: every call reads
 * the version's current record, so handles never go stale, and changes are written through the
 * version's lock, so two processes never interleave changes to one draft.
 *
 * <p>Typical use:
 * <pre>{@code
 * // $CAIRN_HOME, else ~/.cairn (Java does not expand "~" in a path: it would name a folder "~")
 * try (DatasetRepository repo = DatasetRepository.open(DatasetRepository.defaultDirectory())) {
 *   Dataset ds = Dataset.create(repo, CreateOptions.of("vision", "cats").parents(parentId).build());
 *   ds.addFiles(AddOptions.of(Path.of("data/")).wildcard("*.jpg"));
 *   ds.close();                       // finalize: the content is fixed from now on
 *   Path folder = ds.getLocalCopy();  // a cached, read-only folder
 * }
 * }</pre>
 */
public final class Dataset {
  private final DatasetRepository repo;
  private final String id;
  private final String command;
  private final List<String> arguments;

  Dataset(DatasetRepository repo, String id) {
    this(repo, id, null, List.of());
  }

  private Dataset(DatasetRepository repo, String id, String command, List<String> arguments) {
    this.repo = repo;
    this.id = id;
    this.command = command;
    this.arguments = List.copyOf(arguments);
  }

  /**
   * This handle, recording {@code argv} as the arguments of the commands it runs in the execution
   * log (the command line uses it; API calls log a description of the call).
   */
  public Dataset invokedAs(String commandName, List<String> argv) {
    return new Dataset(repo, id, commandName, argv);
  }

  // ---- lookup -------------------------------------------------------------------------------

  /**
   * Creates a draft version. Its content starts as the merge of its parents, three-way against
   * their common ancestor as Git merges (spec/datasets.md): a change one side made since that
   * ancestor (an add, an edit or a removal) is kept; where both changed a path differently, the
   * later parent wins and the disagreement is recorded as a {@link Conflict}. Parents without a
   * common ancestor merge as a union, the later parent winning (a conflict too) where two hold a
   * path with different content.
   *
   * @throws ConflictException if parents disagree and {@code failOnConflict} is set
   * @throws DatasetStateException if a parent is still a draft
   */
  public static Dataset create(DatasetRepository repo, CreateOptions o) throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    Objects.requireNonNull(o, "options must not be null: CreateOptions.of(project, name).build()");
    return VersionLifecycle.create(repo, o.withParentsProject(repo));
  }

  /**
   * The version with this id or unique id prefix (8+ hex digits).
   *
   * @throws InvalidInputException if {@code idOrPrefix} is not 8 to 32 hex digits
   * @throws DatasetNotFoundException if there is none
   * @throws AmbiguousIdException if the prefix names several versions
   */
  public static Dataset get(DatasetRepository repo, String idOrPrefix) throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    Objects.requireNonNull(idOrPrefix, "idOrPrefix must not be null: give a version id or a prefix of 8+ hex digits");
    return repo.get(idOrPrefix);
  }

  /**
   * The given version of a dataset, or its highest version when {@code version} is null, a draft
   * included (as clearml's {@code Dataset.get} without {@code only_completed}); a draft has no
   * read-only copy ({@link #getLocalCopy()} refuses it): to read the highest closed version, use
   * {@link #get(DatasetRepository, String, String, String, boolean)}, as {@code cairn get} does.
   *
   * @param project null for any project, if only one holds a dataset of that name
   * @throws DatasetNotFoundException if there is none
   * @throws InvalidInputException if {@code project} is null and several projects hold the name
   */
  public static Dataset get(DatasetRepository repo, String project, String name, String version) throws IOException {
    return get(repo, project, name, version, false);
  }

  /**
   * As {@link #get(DatasetRepository, String, String, String)}; with {@code onlyClosed} (clearml's
   * {@code only_completed}), only a closed version: the highest, or the one {@code version} names.
   *
   * @throws DatasetNotFoundException with {@code onlyClosed}, if that version is a
   *     draft (or, without {@code version}, the dataset has no closed version here)
   */
  public static Dataset get(DatasetRepository repo, String project, String name, String version, boolean onlyClosed)
      throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    Objects.requireNonNull(name, "name must not be null: give the dataset's name");
    return repo.get(project, name, version, onlyClosed);
  }

  /**
   * The version with this id or prefix, from {@code storage} if it is not here, or only its record
   * is (an ancestor of a version fetched): clearml's {@code Dataset.get} against its server. What
   * is fetched is the version's record and its ancestors', its version object and its manifest
   * (and its parents' merged manifest, for its change-set); its files come with
   * {@link #getLocalCopy}, which fetches what is missing from the version's remote.
   *
   * A version that is here already takes the remote's newer record, if the version was renamed,
   * tagged or published there since; a remote that cannot be read leaves the local one.
   *
   * @param storage the remote to look in, or null for this repository only
   * @throws BadStorageLocationException if {@code storage} names no remote at all
   *     (malformed, or of a scheme no provider supports), even with the version here
   * @throws InvalidConfigException if the version is not here and no Cairn remote is at {@code storage}
   *     (nothing there: a mistyped or moved location), or one of another object format (open the
   *     repository with {@link DatasetRepository#openFor}). A version that is here is returned
   *     even then, as it is when the remote cannot be read: {@link #getFrom} is warned of it.
   */
  public static Dataset get(DatasetRepository repo, String idOrPrefix, String storage) throws IOException {
    return getFrom(repo, idOrPrefix, storage, Progress.LOGGED);
  }

  /**
   * As {@link #get(DatasetRepository, String, String)}, telling {@code progress} what it fetches,
   * and warning it when the local record is kept although the remote could not be read, the
   * version was deleted there, or both records changed since they last agreed.
   */
  public static Dataset getFrom(DatasetRepository repo, String idOrPrefix, String storage, Progress progress) throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    Objects.requireNonNull(idOrPrefix, "idOrPrefix must not be null: give a version id or a prefix of 8+ hex digits");
    if (!Catalog.isIdForm(idOrPrefix.trim().toLowerCase(java.util.Locale.ROOT))) {
      // get(repo, "project", "name") reads as a lookup by name, and is this one: said before any remote is opened.
      throw new InvalidInputException("Cannot find dataset version: '" + idOrPrefix + "' is not an id or an id prefix of at least 8"
          + " hex digits (by project and name: Dataset.get(repo, project, name, version))");
    }
    Progress p = Progress.orNone(progress);
    if (storage == null) {
      return repo.get(idOrPrefix);
    }
    Dataset ds = repo.fetch(idOrPrefix, Selection.NONE, storage, null, p);
    repo.catchUpOrNote(ds.id(), storage, p::warn);
    return ds;
  }

  /**
   * The given version of a dataset on {@code storage}, or the highest version there when
   * {@code version} is null (which may be newer than any here), with its record and manifest
   * fetched as by {@link #get(DatasetRepository, String, String)}.
   */
  public static Dataset get(DatasetRepository repo, String project, String name, String version, String storage) throws IOException {
    Objects.requireNonNull(storage, "storage must not be null: use get(repo, project, name, version) for this repository only");
    return get(repo, repo.resolveRemote(storage, null, project, name, version), storage);
  }

  /**
   * The version {@code options} ask for, as clearml's {@code Dataset.get} with its keyword
   * arguments: by id, or the newest by name and tags, closed or published only; from a remote; a
   * draft created when none is found ({@code autoCreate}); a new child draft of the version found
   * ({@code writableCopy}).
   *
   * @throws DatasetNotFoundException if no version matches (without
   *     {@code autoCreate}), or the one named by id is a draft or unpublished when the options
   *     exclude it; the message says which and why
   * @throws InvalidInputException if the name is held by several projects and no
   *     project is given, or the tags hold an operator {@link TagQuery} does not read
   */
  public static Dataset get(DatasetRepository repo, GetOptions options) throws IOException {
    return get(repo, options, Progress.LOGGED);
  }

  /** As {@link #get(DatasetRepository, GetOptions)}, telling {@code progress} what it fetches from a remote. */
  public static Dataset get(DatasetRepository repo, GetOptions options, Progress progress) throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    Objects.requireNonNull(options, "options must not be null: GetOptions.of(project, name).build()");
    return VersionLookup.get(repo, options, Progress.orNone(progress));
  }

  /** The newest version the tags ask for: carrying any of them, or all after a leading {@code __$all} ({@link TagQuery}). */
  public static Dataset getByTags(DatasetRepository repo, List<String> tags) throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    return repo.getByTags(tags); // no tags (null or none) is refused there, as a command line without --tags
  }

  /**
   * Versions matching the filters (see {@link DatasetRepository#list}: the project exactly, null or
   * empty for any, where the five-argument overload takes empty for no project). Records that
   * cannot be read are left out: {@link DatasetRepository#search} names them.
   */
  public static List<DatasetRecord> list(DatasetRepository repo, String project, String name, List<String> tags) throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    return repo.list(project, name, tags);
  }

  /**
   * Versions matching the filters as clearml's {@code Dataset.list_datasets} and {@code cairn
   * search} read the project: its subprojects too ({@code P/...}) when {@code
   * recursiveProjectSearch}, the versions of no project for {@code ""} (unlike the four-argument
   * overload, where empty is any), any for null. Oldest first, drafts included (see {@link
   * DatasetRepository#list} for {@code name} and {@code tags}, and for records that cannot be read).
   */
  public static List<DatasetRecord> list(DatasetRepository repo, String project, String name, List<String> tags,
      boolean recursiveProjectSearch) throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    return repo.list(null, name, tags).stream()
        .filter(r -> DatasetRepository.inProject(r.project(), project, recursiveProjectSearch)).toList();
  }

  /**
   * A new, closed version without parents holding the merge of {@code ids} in order (later wins),
   * as clearml's {@code Dataset.squash} does: every path of every version, the later version's
   * content where two hold one path. Unlike a child of several parents ({@link #create}), which
   * merges three ways against their common ancestor, a squash does not know what one version
   * deleted or changed after another: a file one version removed comes back if an earlier one
   * holds it, and an earlier version's edit is kept only if no later one holds the path.
   */
  public static Dataset squash(DatasetRepository repo, String project, String name, List<String> ids) throws IOException {
    return squash(repo, project, name, ids, null);
  }

  /**
   * As {@link #squash(DatasetRepository, String, String, List)}, for a version to be uploaded to
   * {@code storage}: its version string is reserved there first, as {@link CreateOptions.Builder#storage}
   * does for a created version (uploading it stays the caller's step, as after {@link #close}).
   */
  public static Dataset squash(DatasetRepository repo, String project, String name, List<String> ids, String storage) throws IOException {
    return squash(repo, project, name, ids, storage, Progress.LOGGED);
  }

  /**
   * As {@link #squash(DatasetRepository, String, String, List, String)}, telling {@code progress}
   * what it fetches: a version fetched from a remote in part (or known here by its record alone)
   * is fetched whole first, since the squash has no parent to fetch from later.
   */
  public static Dataset squash(DatasetRepository repo, String project, String name, List<String> ids, String storage, Progress progress)
      throws IOException {
    Objects.requireNonNull(repo, "repo must not be null");
    Objects.requireNonNull(ids, "ids must not be null: give the versions to squash");
    if (ids.stream().anyMatch(Objects::isNull)) {
      throw new NullPointerException("ids must not contain null: give the versions to squash");
    }
    return Squash.squash(repo, project, name, ids, storage, Progress.orNone(progress));
  }

  /** The version's id: 32 lower-case hex digits, fixed at create (clearml's {@code dataset.id}). */
  public String id() {
    return id;
  }

  /** The version's id as messages show it: its first 8 hex digits ({@link DatasetRecord#shortId(String)}). */
  public String shortId() {
    return DatasetRecord.shortId(id);
  }

  /** The version's current record. */
  public DatasetRecord record() throws IOException {
    return repo.catalog().read(id);
  }

  /** The project the version belongs to ("" for none). */
  public String project() throws IOException {
    return record().project();
  }

  /** The dataset's name, which its versions share. */
  public String name() throws IOException {
    return record().name();
  }

  /** The version string, unique among the dataset's versions ({@link VersionStrings} orders them). */
  public String version() throws IOException {
    return record().version();
  }

  /** Whether the version is a draft, closed (final), or closed and published. */
  public DatasetState state() throws IOException {
    return record().state();
  }

  /** The version's tags, in the order given. */
  public List<String> tags() throws IOException {
    return record().tags();
  }

  /** The version's description ("" for none). */
  public String description() throws IOException {
    return record().description();
  }

  /** The version's metadata: free-form key-value pairs (see {@link #setMetadata}). */
  public Map<String, String> metadata() throws IOException {
    return record().metadata();
  }

  /** The repository holding the version. */
  public DatasetRepository repository() {
    return repo;
  }

  // ---- changing a draft ---------------------------------------------------------------------

  /**
   * What a change did: its counts, and {@code paths}, each path it changed (what the draft held
   * before it, under its lock, against what it holds after: another writer's change before or
   * after it is not among them).
   */
  public record Change(ChangeSummary summary, long filesRead, long storedBytes, List<DiffEntry> paths) {
    public Change {
      Objects.requireNonNull(summary, "summary");
      paths = List.copyOf(paths);
    }

    /** A change whose paths are not listed. */
    public Change(ChangeSummary summary, long filesRead, long storedBytes) {
      this(summary, filesRead, storedBytes, List.of());
    }
  }

  /**
   * Adds files and folders. Files already in the draft with the same content change nothing;
   * files whose size, times and inode match the last time they were hashed are not read. A source
   * that does not exist but holds wildcard characters ({@code data/a/*.jpg}) adds the matching
   * files of its leading folder, relative to it (see spec/datasets.md, "Adding files").
   *
   * @throws InvalidInputException for missing sources, patterns or wildcards that match no file, refused
   *     names or links, files that change while read; the draft is then left as it was
   */
  public Change addFiles(AddOptions o) throws IOException {
    return addFiles(o, Progress.LOGGED);
  }

  /** Like {@link #addFiles(AddOptions)}, reporting progress. */
  public Change addFiles(AddOptions o, Progress given) throws IOException {
    Objects.requireNonNull(o, "options must not be null: use AddOptions.of(paths)");
    return add(o, null, LinkOptions.NONE, o.datasetFolder(), given);
  }

  /**
   * Adds in one change files and folders ({@code files}, as {@link #addFiles(AddOptions)}), the
   * files of an {@code archive} (as {@link #addArchive}) and external files ({@code links}, as
   * {@link #addLinks}), the last two under {@code datasetFolder}: all of them, or, when any source
   * fails, none. Where two sources give one path, the later in that order wins.
   *
   * @param files files and folders, or null
   * @param archive an archive, or null
   * @param links external files ({@link LinkOptions#NONE} for none)
   */
  public Change add(AddOptions files, Path archive, LinkOptions links, String datasetFolder, Progress given) throws IOException {
    Progress progress = Progress.orNone(given);
    FileAdd add = FileAdd.of(repo, files, archive, links, datasetFolder, progress);
    List<SourceFile> gathered = add.gather();
    return modify("add", add.arguments(), progress, (m, ins, editor) -> add.plan(m, ins, editor, gathered));
  }

  /** The tag a draft gets when external files are added to it, as clearml's {@code add_external_files} gives. */
  public static final String EXTERNAL_FILES_TAG = "external files";

  /** clearml-style convenience: adds {@code path} (file or folder) filtered by {@code glob}. */
  public Change addFiles(Path path, String glob, String datasetPath, boolean recursive) throws IOException {
    Objects.requireNonNull(path, "path must not be null: give the file or folder to add");
    AddOptions o = new AddOptions(List.of(path), glob == null ? List.of() : List.of(glob), datasetPath, recursive, false);
    return addFiles(o);
  }

  /**
   * Removes paths matching the patterns: a pattern without wildcards is a path from the dataset's
   * top ({@code b.txt} is the file at the top, not {@code sub/b.txt}; a folder removes its files,
   * as {@code git rm}); one with wildcards is a {@link Glob}, whose name without {@code /} matches at
   * any depth ({@code *.txt}, {@code b.tx?}). {@link #listFiles(List)} reads every pattern as a
   * {@link Glob}, so list with {@code /b.txt} to see what {@code b.txt} removes.
   *
   * @throws InvalidInputException if a pattern matches nothing; nothing is removed then
   */
  public Change removeFiles(List<String> patterns, boolean recursive) throws IOException {
    if (patterns == null || patterns.stream().anyMatch(Objects::isNull)) {
      throw new NullPointerException("patterns must not be null: give dataset paths or globs");
    }
    return removeFiles(new RemoveOptions(patterns, recursive, false), Progress.LOGGED);
  }

  /**
   * Removes what {@code o} names, as {@link #removeFiles(List, boolean)}; with
   * {@link RemoveOptions#ignoreUnmatched}, a pattern that matches nothing is passed over with a
   * warning instead of refusing the removal, so that a script may remove what may not be there.
   */
  public Change removeFiles(RemoveOptions o, Progress progress) throws IOException {
    Objects.requireNonNull(o, "options must not be null: give RemoveOptions.of(patterns)");
    if (o.patterns().isEmpty()) {
      throw new InvalidInputException("Cannot remove from " + id + ": no path or pattern given"); // as addFiles refuses no source
    }
    Progress p = Progress.orNone(progress);
    List<String> args = new ArrayList<>(o.patterns());
    if (o.ignoreUnmatched()) {
      args.add("--ignore-unmatch");
    }
    return modify("remove", args, p, (m, ins, ed) -> new Planned(DraftChanges.removalsMatching(m, o.patterns(), o.recursive(),
        o.ignoreUnmatched() ? p : null), 0));
  }

  /**
   * Removes what {@code glob} names, as {@link #removeFiles(List, boolean)}: without wildcards, the
   * path from the dataset's top ({@code b.txt} is not {@code sub/b.txt}; {@code **}{@code /b.txt}
   * names each).
   */
  public Change removeFiles(String glob) throws IOException {
    Objects.requireNonNull(glob, "glob must not be null: give a dataset path or glob");
    return removeFiles(List.of(glob), true);
  }

  /**
   * Makes the draft's {@code datasetFolder} equal to {@code folder}: adds new files, replaces
   * changed ones, removes those no longer there.
   */
  public Change syncFolder(Path folder, String datasetFolder, Progress progress) throws IOException {
    Objects.requireNonNull(folder, "folder must not be null");
    return syncFolder(SyncOptions.of(folder).datasetFolder(datasetFolder), progress);
  }

  /**
   * Makes the draft's dataset folder equal to the folder of {@code o}: adds new files, replaces
   * changed ones, removes those no longer there.
   */
  public Change syncFolder(SyncOptions o, Progress progress) throws IOException {
    Objects.requireNonNull(o, "options must not be null: give SyncOptions.of(folder)");
    progress = Progress.orNone(progress);
    FolderSync.requireFolder(o.folder());
    return modify("sync", o.logArguments(), progress, FolderSync.planner(repo, o, progress));
  }

  /**
   * A sync into a new version: the new draft, or null when the folder brought no change;
   * {@code resumed}, the id of the draft an earlier run of the same command had left unfinished,
   * finished now (it is {@code draft}) or deleted because the folder brings no change; else null.
   * {@code sameAs}: when no version was made because the folder equals a closed version that an
   * earlier run of the same command made (with the same parents, or as the one parent), its id;
   * else null.
   */
  public record NewVersion(Dataset draft, Change change, String resumed, String sameAs) {
    public NewVersion(Dataset draft, Change change) {
      this(draft, change, null, null);
    }

    public NewVersion(Dataset draft, Change change, String resumed) {
      this(draft, change, resumed, null);
    }
  }

  /**
   * Creates a version and makes its {@code datasetFolder} equal to {@code folder}, or creates
   * nothing if the folder brings no change (the command line's {@code sync --project --name}).
   * Options without parents make a child of the dataset's highest closed version here, if it has
   * one (as that command does; give the project for it, not one taken from the parents). With
   * one parent, the folder is compared with that parent before anything is written: an unchanged
   * folder costs no draft, no version string and no write to the catalog. With several parents, or
   * none, the draft is created first and deleted again if nothing changed. The draft is left open;
   * the caller closes it.
   *
   * <p>A draft that the same command (same {@code command} and arguments) created with the same
   * parents in a process that has ended without closing it (interrupted, say) is finished instead
   * of being left beside a new one: the folder is synced into it and it is returned with the
   * change-set it holds now, or deleted if that is empty. And when the newest closed version
   * that the same command made with the same parents (or as the one parent) holds what the folder
   * holds, nothing is made, whatever version string the options ask for: the command was run
   * again, after it had finished or after an interruption of its upload ({@link NewVersion#sameAs}).
   *
   * @param command the command name and arguments to record in the new version's log (null: none)
   */
  public static NewVersion syncNewVersion(DatasetRepository repo, CreateOptions o, Path folder, String datasetFolder,
      Progress progress, String command, List<String> argv) throws IOException {
    Objects.requireNonNull(folder, "folder must not be null");
    return syncNewVersion(repo, o, SyncOptions.of(folder).datasetFolder(datasetFolder), progress, command, argv);
  }

  /** As {@link #syncNewVersion(DatasetRepository, CreateOptions, Path, String, Progress, String, List)}, with the sync's options. */
  public static NewVersion syncNewVersion(DatasetRepository repo, CreateOptions o, SyncOptions sync, Progress progress,
      String command, List<String> argv) throws IOException {
    return FolderSync.newVersion(repo, o, sync, progress, command, argv);
  }

  /**
   * Deletes this draft, which the running command made and takes back before any close of it ran
   * (a sync that failed, or changed nothing): as {@link #delete}, but leaving no mark that a
   * version was deleted, as if it had never been made. Not after a close was tried: its version
   * object may be in the packs, and the mark is what keeps a repair from bringing it back.
   */
  Deletion discard() throws IOException {
    Deletion d = delete(true);
    repo.catalog().forgetDeleted(id);
    return d;
  }

  /**
   * Gives up this process's ownership of a draft that {@link #syncNewVersion} made and the caller
   * keeps open on purpose, so that the same command run again takes it for a finished run's draft,
   * not an interrupted one's (it makes a version of its own). A draft another process owns is
   * left as it is.
   */
  public void disown() throws IOException {
    try (VersionLocks.Lock lock = repo.catalog().lock(id)) {
      DatasetRecord r = record();
      if (r.owner() != null && DraftOwners.isThisProcess(r.owner())) {
        repo.catalog().write(r.toBuilder().owner(null).build());
      }
    }
  }

  /** A sync of a new draft; the draft is deleted if it fails. */
  Change modifyOrDelete(List<String> args, Progress progress, Planner planner) throws IOException {
    try {
      return modify("sync", args, progress, planner);
    } catch (Throwable e) {
      try {
        discard();
      } catch (Throwable cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Makes the whole draft equal to {@code folder}. */
  public Change syncFolder(Path folder) throws IOException {
    Objects.requireNonNull(folder, "folder must not be null");
    return syncFolder(folder, "", Progress.LOGGED);
  }

  /**
   * Adds external files that stay where they are (any URI a remote reaches: {@code s3a://...},
   * {@code hdfs://...}, a path); a folder URI adds every file under it. Each file is read once to
   * record its size and digest.
   */
  public Change addLinks(List<String> uris, String datasetFolder, Progress given) throws IOException {
    return add(null, null, LinkOptions.of(uris), datasetFolder, given);
  }

  /** Adds the files of a {@code .zip}, {@code .tar}, {@code .tar.gz} or {@code .tar.zst} archive. */
  public Change addArchive(Path archive, String datasetFolder, Progress given) throws IOException {
    Objects.requireNonNull(archive, "archive must not be null: give the archive's path");
    return add(null, archive, LinkOptions.NONE, datasetFolder, given);
  }

  /**
   * Plans edits against the draft's manifest, storing new content through the inserter; a planner
   * may also apply its edits through the editor as they come and return the new root.
   */
  @FunctionalInterface
  interface Planner {
    Planned plan(Manifest current, ObjectInserter inserter, ManifestEditor editor) throws IOException;
  }

  /**
   * Edits to apply, or (when {@code root} is set) the draft's manifest with them applied;
   * {@code storedBefore} counts bytes stored for them before the draft was modified; {@code tag},
   * if not null, is a tag the draft gets with the change.
   */
  record Planned(List<Edit> edits, ObjectId root, long filesRead, long storedBefore, String tag) {
    Planned(List<Edit> edits, long filesRead) {
      this(edits, null, filesRead, 0, null);
    }

    Planned(List<Edit> edits, ObjectId root, long filesRead) {
      this(edits, root, filesRead, 0, null);
    }
  }

  private Change modify(String defaultCommand, List<String> defaultArgs, Progress progress, Planner planner) throws IOException {
    try (VersionLocks.Lock lock = repo.catalog().lock(id)) {
      DatasetRecord r = record();
      requireDraft(r, defaultCommand);
      try (ObjectInserter ins = repo.repository().objects().newInserter();
          ObjectReader reader = ins.newReader()) {
        NodeLoader loader = new NodeLoader(reader);
        ManifestEditor editor = new ManifestEditor(loader, ins);
        Planned p = planner.plan(new Manifest(loader, r.root()), ins, editor);
        ObjectId root = r.root();
        ChangeSummary changes = ChangeSummary.EMPTY;
        if (p.root() != null) {
          root = p.root();
        } else if (!p.edits().isEmpty()) {
          root = editor.apply(r.root(), p.edits());
        }
        ins.flushDeferringIndex(); // indexed with the version's close (or when the store closes)
        List<DiffEntry> edit = root.equals(r.root()) ? List.of() : new ManifestDiff(loader).diff(r.root(), root);
        for (DiffEntry d : edit) {
          changes = changes.plus(d);
        }
        long stored = ins.stats().storedBytesWritten() + p.storedBefore();
        boolean tagged = p.tag() != null && !r.tags().contains(p.tag());
        if (root.equals(r.root()) && !tagged && !"sync".equals(command != null ? command : defaultCommand)) {
          // Nothing changed (an add of what the version holds, a remove --ignore-unmatch that matched
          // nothing): the log keeps the commands that changed the version. A sync's step is logged
          // all the same: a run again finds what its first run left by its entries.
          repo.catalog().setCurrent(id);
          return new Change(changes, p.filesRead(), stored, edit);
        }
        Manifest after = new Manifest(loader, root);
        DatasetRecord.Builder b = r.toBuilder();
        if (tagged) {
          List<String> tags = new ArrayList<>(r.tags());
          tags.add(p.tag());
          b.tags(tags);
        }
        DatasetRecord updated = b
            .root(root)
            .fileCount(after.entryCount())
            .totalBytes(after.totalBytes())
            .storedBytes(r.storedBytes() + stored)
            .summary(ChangeSummary.afterEdit(r.summary(), new Manifest(loader, r.base()), edit))
            .appendLogStep(logEntry(defaultCommand, defaultArgs, changes, stored))
            .build();
        repo.catalog().write(updated);
        repo.catalog().setCurrent(id);
        return new Change(changes, p.filesRead(), stored, edit);
      }
    }
  }

  LogEntry logEntry(String defaultCommand, List<String> defaultArgs, ChangeSummary changes, long stored) {
    return logEntry(System.currentTimeMillis(), defaultCommand, defaultArgs, changes, stored);
  }

  /** {@link #logEntry(String, List, ChangeSummary, long)} timed {@code timeMillis}. */
  LogEntry logEntry(long timeMillis, String defaultCommand, List<String> defaultArgs, ChangeSummary changes, long stored) {
    return new LogEntry(timeMillis, command != null ? command : defaultCommand,
        command != null ? arguments : defaultArgs, changes, stored);
  }

  static void requireDraft(DatasetRecord r, String action) throws DatasetStateException {
    if (!r.isDraft()) {
      String what = "version " + r.id() + " (" + r.name() + " " + r.version() + ") is " + r.state().label();
      if (action.equals("close")) {
        throw new DatasetStateException("Cannot close: " + what + " already; to upload it to a remote, use ",
            new Remedy("upload", "cairn upload --id " + r.shortId()), "");
      }
      throw new DatasetStateException("Cannot " + action + ": " + what + "; create a new version with ",
          new Remedy("it as a parent (CreateOptions.of(project, name).parents(\"" + r.shortId() + "\"))", "--parents " + r.shortId()), "");
    }
  }

  // ---- life cycle ---------------------------------------------------------------------------

  /**
   * Finalizes the draft: writes its version object and fixes its content forever. (clearml's
   * {@code close}/{@code finalize}.) It uploads nothing, even for a version created with a
   * storage or whose files' data an {@link #upload} of the draft sent: the remote lists it only
   * after {@link #upload(String, Map, Progress)} next, as {@code cairn close} does, or use
   * {@link #closeAndUpload} (clearml's {@code finalize(auto_upload=True)}).
   *
   * @throws DatasetStateException if the version is closed already, or a parent is not
   */
  public Dataset close() throws IOException {
    VersionLifecycle.close(this, repo);
    return this;
  }

  /**
   * {@link #close()}, then the upload of the version to its remote, as {@code cairn close} does:
   * the one it was created with or whose draft's data was uploaded to, else the repository's
   * default ({@link DatasetRepository#defaultStorage}). A failed upload leaves the version closed
   * here ({@link #isDirty} says it waits); {@link #upload} again completes it.
   *
   * @throws InvalidInputException if the version has no remote and there is no default, before
   *     anything is closed
   */
  public Pusher.Result closeAndUpload(Progress progress) throws IOException {
    String storage = uploadTarget(null);
    close();
    return upload(storage, null, progress);
  }

  /** Where an upload given {@code storage} goes: that, else the version's remote, else the default; refused if none. */
  private String uploadTarget(String storage) throws IOException {
    String target = storage != null ? storage : record().storage() != null ? record().storage() : repo.defaultStorage();
    if (target == null) {
      throw new InvalidInputException("Cannot upload " + id + ": no remote given, and it has none (give one, or set CAIRN_STORAGE, or"
          + " remote.default in the repository's config)");
    }
    return target;
  }

  /**
   * Marks a closed version as published. Changes this repository's record: a copy on a remote takes it at the version's next {@link #upload}.
   */
  public Dataset publish() throws IOException {
    VersionLifecycle.publish(this, repo);
    return this;
  }

  /**
   * What {@link #delete} did beyond this repository: a version never uploaded that reserved its
   * version string on a remote (created with a storage) gives that string back there.
   *
   * @param id the id of the version deleted
   * @param version its version string
   * @param storage the remote asked, or null if there was none to ask
   * @param released whether the string was released there
   * @param problem why the remote could not be asked (unreachable, say), or null; the string
   *     may then stay reserved there, and the dataset's next version there skip it
   * @param stillOn the remotes the version was uploaded to, its own first, which keep it (a delete
   *     is this repository's: {@code Remote.deleteVersion} deletes it there); empty if none
   */
  public record Deletion(String id, String version, String storage, boolean released, String problem, List<String> stillOn) {
    public Deletion {
      stillOn = List.copyOf(stillOn);
    }
  }

  /**
   * Deletes this version's record (its objects go at the next gc). A version never uploaded
   * releases the version string it reserved on its remote, when the remote can be reached.
   *
   * @throws DatasetStateException if it is published, or other versions have it as a parent, and
   *     {@code force} is false; or if a draft has it as a parent, whatever {@code force}
   */
  public Deletion delete(boolean force) throws IOException {
    return VersionDeletion.delete(this, repo, force);
  }

  /**
   * Deletes every version of a dataset (clearml's {@code Dataset.delete(..., entire_dataset=True,
   * force=True)}): published ones too, and versions other datasets have as parents, as
   * {@link #delete delete(true)} does each; refused, deleting nothing, while a draft of another
   * dataset has one as a parent. Their data goes at the next gc.
   *
   * @param project the dataset's project ("" for none)
   * @param force must be true, as clearml's {@code entire_dataset} needs {@code force}: every
   *     version goes, published ones too
   * @return what each deletion did, newest version first
   * @throws DatasetNotFoundException if the dataset has no version here
   * @throws DatasetStateException if {@code force} is false (nothing is deleted)
   */
  public static List<Deletion> deleteDataset(DatasetRepository repo, String project, String name, boolean force) throws IOException {
    Objects.requireNonNull(project, "project must not be null: give \"\" for none");
    Objects.requireNonNull(name, "name must not be null: give the dataset's name");
    return List.copyOf(VersionDeletion.deleteDataset(repo, project, name, force));
  }

  /**
   * Renames every version of this dataset (same project and name). Changes this repository's
   * records: a copy on a remote takes the new name at that version's next {@link #upload} (upload
   * each uploaded version again, or the dataset stays under both names there).
   *
   * @return how many versions were renamed (0 when {@code newName} is the current name)
   */
  public int rename(String newName) throws IOException {
    Objects.requireNonNull(newName, "newName must not be null: give the dataset's new name");
    return DatasetRename.rename(repo, record(), null, newName);
  }

  /**
   * Moves every version of this dataset to another project. Changes this repository's records: a
   * copy on a remote takes the new project at that version's next {@link #upload}.
   *
   * @return how many versions were moved (0 when {@code newProject} is the current project)
   */
  public int moveToProject(String newProject) throws IOException {
    Objects.requireNonNull(newProject, "newProject must not be null: give a project name (\"\" for none)");
    return DatasetRename.rename(repo, record(), newProject, null);
  }

  /**
   * Gives the version another version string, as {@code rename} gives the dataset another name:
   * the record changes, the version object (a snapshot of the record at close) does not. For a
   * version another repository's upload beat to its string on a remote: once renumbered, it can
   * be uploaded. Refused for a version already uploaded (its remote record keeps the old string).
   *
   * @throws InvalidInputException if the string is malformed or another version of the dataset holds it
   * @throws DatasetStateException if the version was uploaded already: its remote holds it under its string for good
   */
  public void setVersion(String newVersion) throws IOException {
    Objects.requireNonNull(newVersion, "newVersion must not be null: give the new version string");
    DatasetRename.setVersion(repo, id, newVersion);
  }

  /** Sets the description ("" for none). Changes this repository's record: a copy on a remote takes it at the version's next {@link #upload}. */
  public void setDescription(String description) throws IOException {
    Objects.requireNonNull(description, "description must not be null: give \"\" for none");
    update("set-description", List.of(description), r -> r.toBuilder().description(description));
  }

  /**
   * Replaces the tags; each is checked as {@code create} checks them (not empty, no control
   * characters). Changes this repository's record: a copy on a remote takes it at the version's next {@link #upload}.
   */
  public void setTags(List<String> tags) throws IOException {
    List<String> copy = checkedTags(tags);
    update("tags", copy, r -> r.toBuilder().tags(copy));
  }

  /**
   * Adds tags (clearml's {@code add_tags}); those the version carries already stay where they
   * are. Changes this repository's record: a copy on a remote takes it at the version's next {@link #upload}.
   */
  public void addTags(List<String> tags) throws IOException {
    editTags(tags, List.of());
  }

  /**
   * Removes tags.
   *
   * @throws InvalidInputException if the version does not carry one of them; nothing is removed then
   */
  public void removeTags(List<String> tags) throws IOException {
    editTags(List.of(), tags);
  }

  /**
   * Adds and removes tags in one change of the record: all of it or, on an error, none.
   *
   * @throws InvalidInputException if a tag is refused (as by {@link #setTags}), is both added and
   *     removed, or is removed but not carried
   */
  public void editTags(List<String> add, List<String> remove) throws IOException {
    List<String> added = checkedTags(add);
    Objects.requireNonNull(remove, "tags must not be null: give an empty list for none");
    List<String> removed = List.copyOf(new LinkedHashSet<>(remove));
    for (String t : added) {
      if (removed.contains(t)) {
        throw new InvalidInputException("Cannot both add and remove tag '" + t + "'");
      }
    }
    List<String> args = new ArrayList<>(prefixed("+", added));
    args.addAll(prefixed("-", removed));
    update("tags", args, r -> {
      LinkedHashSet<String> all = new LinkedHashSet<>(r.tags());
      for (String t : removed) {
        // A tag an older release kept with spaces around it is removed by its name without them.
        if (!all.removeIf(c -> c.equals(t) || c.strip().equals(t))) {
          throw new InvalidInputException("Cannot remove tag '" + t + "': version " + id + " does not carry it ("
              + (r.tags().isEmpty() ? "it has no tags" : "its tags: " + String.join(", ", r.tags())) + ")");
        }
      }
      all.addAll(added);
      return r.toBuilder().tags(List.copyOf(all));
    });
  }

  private static List<String> checkedTags(List<String> tags) throws InvalidInputException {
    Objects.requireNonNull(tags, "tags must not be null: give an empty list for none");
    for (String t : tags) {
      if (t == null) {
        throw new InvalidInputException("Cannot use a null tag");
      }
      VersionLifecycle.checkName("tag", t, false);
    }
    return List.copyOf(new LinkedHashSet<>(tags)); // each once, in order
  }

  private static List<String> prefixed(String sign, List<String> tags) {
    return tags.stream().map(t -> sign + t).toList();
  }

  /** Sets (or, with a null value, removes) metadata keys. Changes this repository's record: a copy on a remote takes it at the version's next {@link #upload}. */
  public void setMetadata(Map<String, String> changes) throws IOException {
    Objects.requireNonNull(changes, "changes must not be null: a map of keys to values (null values remove keys)");
    for (String k : changes.keySet()) {
      if (k == null) {
        throw new InvalidInputException("Cannot use a null metadata key");
      }
      if (changes.get(k) != null) {
        VersionLifecycle.checkName("metadata key", k, false); // any key there may go, one an older release let in too
      }
    }
    List<String> args = new ArrayList<>();
    changes.forEach((k, v) -> args.add(k + "=" + (v == null ? "" : v)));
    update("metadata", args, r -> {
      Map<String, String> m = new LinkedHashMap<>(r.metadata());
      changes.forEach((k, v) -> {
        if (v == null) {
          m.remove(k);
        } else {
          m.put(k, v);
        }
      });
      Set<String> set = new HashSet<>(changes.keySet());
      set.removeIf(k -> changes.get(k) == null);
      requireNoUnicodeTwins(set, m.keySet());
      return r.toBuilder().metadata(m);
    });
  }

  /**
   * Refuses a metadata key being {@code set} that differs from another of {@code all} only in its
   * Unicode form (an "é" typed as one character and as "e" and an accent): the two would look alike
   * everywhere they are shown, as two paths that differ so would, which an add refuses too. Twins a
   * record holds already, untouched, are left as they are.
   */
  static void requireNoUnicodeTwins(Set<String> set, Set<String> all) throws InvalidInputException {
    for (String k : set) {
      String form = Normalizer.normalize(k, Normalizer.Form.NFC);
      for (String other : all) {
        if (!other.equals(k) && Normalizer.normalize(other, Normalizer.Form.NFC).equals(form)) {
          throw new InvalidInputException("Cannot set metadata key '" + DatasetPaths.printable(k) + "': it differs from key '"
              + DatasetPaths.printable(other) + "' only in its Unicode form, and the two would look alike; use one of them");
        }
      }
    }
  }

  @FunctionalInterface
  interface RecordChange {
    DatasetRecord.Builder apply(DatasetRecord r) throws IOException;
  }

  void update(String defaultCommand, List<String> args, RecordChange change) throws IOException {
    try (VersionLocks.Lock lock = repo.catalog().lock(id)) {
      DatasetRecord r = record();
      DatasetRecord changed = change.apply(r).build();
      if (changed.equals(r)) {
        return; // a tag it carries, a value a key holds: nothing to write, nor to log
      }
      repo.catalog().agreed().keepBefore(r); // for a remote that takes a teammate's change before this one reaches it
      repo.catalog().write(changed.toBuilder().appendLog(logEntry(defaultCommand, args, ChangeSummary.EMPTY, 0)).build());
    }
  }

  /**
   * Uploads this closed version, and whatever ancestors and data the remote lacks, to
   * {@code storage}; remembers it as the version's storage unless it was uploaded before (a version
   * keeps the first remote it was uploaded to as its own). Of a draft, as clearml-data's
   * {@code upload}: its files' data goes now, and the rest (its manifest, its version, its record)
   * with the upload at its close, to this remote unless the draft was made against another;
   * nothing is listed there until then ({@link Pusher#pushData}). A null {@code storage} is the
   * version's own remote, else the repository's default ({@link DatasetRepository#defaultStorage}).
   *
   * @throws InvalidInputException if {@code storage} is null and there is neither
   */
  public Pusher.Result upload(String storage, Map<String, String> conf, Progress progress) throws IOException {
    return upload(storage, conf, 0, progress);
  }

  /**
   * Uploads as {@link #upload(String, Map, Progress)} does, in packs of about
   * {@code packTargetBytes} (clearml's chunk size, in bytes here; 0: the repository's
   * {@code pack.targetSize}; {@link Long#MAX_VALUE}: as few packs as the upload can make, clearml's
   * -1).
   *
   * @throws IllegalArgumentException if {@code packTargetBytes} is neither 0 nor at least 1 MiB
   */
  public Pusher.Result upload(String storage, Map<String, String> conf, long packTargetBytes, Progress progress)
      throws IOException {
    progress = Progress.orNone(progress);
    storage = uploadTarget(storage);
    try (Remote remote = conf == null ? repo.openRemote(storage) : repo.openRemote(storage, conf)) {
      return upload(remote, packTargetBytes, progress);
    }
  }

  /** Uploads this closed version to an open remote (see {@link #upload(String, Map, Progress)}). */
  public Pusher.Result upload(Remote remote, Progress progress) throws IOException {
    return upload(remote, 0, progress);
  }

  /** Uploads this closed version to an open remote, in packs of about {@code packTargetBytes} (0: the repository's). */
  public Pusher.Result upload(Remote remote, long packTargetBytes, Progress progress) throws IOException {
    Objects.requireNonNull(remote, "remote must not be null: give an open remote, or upload(storage, conf, progress) to open one");
    try {
      return uploadTo(remote, packTargetBytes, Progress.orNone(progress));
    } catch (ClosedByInterruptException e) {
      // A file channel closed by the thread's interruption: said as every interrupted operation is.
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while uploading " + id);
      interrupted.initCause(e);
      throw interrupted;
    }
  }

  private Pusher.Result uploadTo(Remote remote, long packTargetBytes, Progress progress)
      throws IOException {
    String uri = remote.storage().uri().toString();
    if (record().isDraft()) {
      // clearml-data's upload of a draft: its files' data goes now, the rest at its close, which
      // uploads to this remote unless the draft was made against another.
      Pusher.Result sent = new Pusher(repo, remote, progress, packTargetBytes).pushData(id);
      try (VersionLocks.Lock lock = repo.catalog().lock(id)) {
        DatasetRecord now = record();
        if (now.isDraft() && now.storage() == null) {
          repo.catalog().write(now.toBuilder().storage(uri).build());
        }
      }
      return sent;
    }
    // Two uploads of one version take turns: the second finds it there, and sends nothing again.
    try (TurnLock turn = TurnLock.take(TurnLock.Kind.PUSH, repo.repository().tmpDirectory(), id, progress)) {
      // The first upload to a storage is logged. The remote's record gets the same entry that the
      // local one gets after the push, so that the two stay equal and uploading again publishes no
      // second record.
      // Its arguments, when no command's are given, as the command line that does the same (it runs again).
      LogEntry entry = uploadLogged(record(), uri) ? null : logEntry("upload", List.of("--storage", uri), ChangeSummary.EMPTY, 0);
      Pusher.Result result = new Pusher(repo, remote, progress, packTargetBytes).push(id, entry);
      for (Map.Entry<String, LogEntry> uploaded : result.ancestorsLogged().entrySet()) {
        logUpload(repo, uploaded.getKey(), uploaded.getValue(), uri); // ancestors that went along are uploaded there too
      }
      if (entry != null) {
        logUpload(repo, id, entry, uri);
      }
      return result;
    }
  }

  /**
   * Appends the entry of an upload to {@code uri} to version {@code id}'s record here, as the push
   * published it there. The first remote a version was uploaded to stays its own (where a plain
   * upload, and a get of what is not here, go): an upload elsewhere makes a copy there, not a move.
   * Before its first upload, the remote it was created against held only its version string.
   */
  private static void logUpload(DatasetRepository repo, String id, LogEntry entry, String uri) throws IOException {
    try (VersionLocks.Lock lock = repo.catalog().lock(id)) {
      if (!repo.catalog().exists(id)) {
        return; // deleted here once its record was on the remote: the upload itself is done
      }
      DatasetRecord now = repo.catalog().read(id);
      boolean uploadedBefore = now.wasUploaded();
      repo.catalog().write(now.toBuilder().storage(uploadedBefore && now.storage() != null ? now.storage() : uri).appendLog(entry).build());
    }
  }

  /**
   * Whether an upload of this closed version to {@code storage} finished here: its log says so (an
   * upload is logged once the remote has it all). False for a draft.
   */
  public boolean isUploadedTo(String storage) throws IOException {
    Objects.requireNonNull(storage, "storage must not be null");
    DatasetRecord r = record();
    return !r.isDraft() && uploadLogged(r, Storages.parse(storage).toString());
  }

  /**
   * Whether this version has changes that no remote holds as a version yet (clearml's
   * {@code is_dirty}): a draft whose files changed against its parents (its version reaches a
   * remote at its close; unlike clearml, an upload of a draft's data alone does not clear it), or a
   * closed version made for a remote ({@link DatasetRecord#storage}) and not uploaded there. A
   * closed version without a remote is not: there is nowhere it is waiting to go.
   */
  public boolean isDirty() throws IOException {
    DatasetRecord r = record();
    if (r.isDraft()) {
      return !r.root().equals(r.base());
    }
    return r.storage() != null && !uploadLogged(r, Storages.parse(r.storage()).toString());
  }

  /**
   * The remotes {@code r} was uploaded to as a version, in the order of its uploads (its own
   * first), which keep it once it is deleted here; none for a draft (a remote lists no version for
   * one whose data an upload sent).
   */
  static List<String> uploadedRemotes(DatasetRecord r) {
    return r.isDraft() ? List.of() : r.uploadedTo();
  }

  /** Whether {@code r}'s log has its upload to {@code uri}: to its own remote, or to this one by a command naming it. */
  private static boolean uploadLogged(DatasetRecord r, String uri) {
    boolean uploaded = r.wasUploaded();
    return uploaded && (isStorage(uri, r.storage()) || r.log().stream()
        .anyMatch(e -> e.command().equals("upload") && e.arguments().stream().anyMatch(a -> isStorage(uri, a))));
  }

  /** Whether {@code r} was created against {@code storage} (its recorded remote names it) and was never uploaded anywhere. */
  static boolean madeForAndNotUploaded(DatasetRecord r, String storage) throws InvalidInputException {
    return isStorage(Storages.parse(storage).toString(), r.storage())
        && !r.wasUploaded();
  }

  /** Whether a recorded storage (as typed, or from an older release) names the remote at {@code uri}. */
  private static boolean isStorage(String uri, String recorded) {
    return recorded != null && uri.equals(Storages.canonical(recorded));
  }

  /**
   * Records that {@code run} used this version under {@code alias}.
   *
   * @param run the run's id; null reads {@code $CAIRN_RUN_ID}, as the command line does
   * @throws InvalidInputException if no run id is given either way, or the alias is empty
   * @throws DatasetStateException if the version is a draft: a run pins content, which a draft's
   *     next edit would change
   */
  public Dataset alias(String alias, String run) throws IOException {
    repo.usage().record(run != null ? run : System.getenv("CAIRN_RUN_ID"), alias, record());
    return this;
  }

  // ---- reading ------------------------------------------------------------------------------

  /** The cached, read-only folder of the whole version (built on first use). */
  public Path getLocalCopy() throws IOException {
    return getLocalCopy(Selection.ALL, Progress.LOGGED);
  }

  /** The cached, read-only folder of part {@code part} of {@code numParts}. */
  public Path getLocalCopy(int part, int numParts) throws IOException {
    return getLocalCopy(Selection.part(part, numParts), Progress.LOGGED);
  }

  /**
   * The cached, read-only folder of the selected files. Data of a version with a remote (its own,
   * or an ancestor's: {@link DatasetRepository#contentStorage}) that is not here (it was fetched in
   * part, or only its record) is fetched from that remote first; data here is never fetched again.
   *
   * @throws DatasetStateException for a draft, whose content may still change: it has a writable
   *     copy only ({@link #getMutableLocalCopy(Path, boolean)})
   * @throws MissingObjectException if data is neither here nor on a remote
   */
  public Path getLocalCopy(Selection selection, Progress progress) throws IOException {
    Objects.requireNonNull(selection, "selection must not be null: give Selection.ALL for every file");
    progress = Progress.orNone(progress);
    DatasetRecord r = record();
    if (r.isDraft()) {
      throw new DatasetStateException("Cannot get a cached copy of draft " + id + ": close it first, or get a writable copy",
          new Remedy(" (getMutableLocalCopy)", " with --copy"), "");
    }
    Path folder;
    try {
      requireSomeFileFiltered(r, selection, "get");
      folder = repo.cache().materialize(id, r.root(), selection, progress);
    } catch (MissingObjectException notFetched) {
      MissingObjectException gap = firstMissing(r, selection); // a failed fetch says which file it lacked
      fetchFor(r, selection, progress, gap != null ? gap : notFetched);
      requireSomeFileFiltered(r, selection, "get");
      folder = repo.cache().materialize(id, r.root(), selection, progress);
    }
    if (!repo.catalog().exists(id)) {
      // Deleted while the folder was built: the delete found no folder to drop, so this one goes.
      repo.cache().dropVersion(id);
      throw new DatasetNotFoundException("Cannot get " + id + ": it was deleted while its folder was being built");
    }
    return folder;
  }

  /**
   * Writes an independent, writable copy of the selected files into {@code target}.
   *
   * @throws InvalidInputException if {@code target} holds files and {@code overwrite} is false
   */
  public Path getMutableLocalCopy(Path target, boolean overwrite, Selection selection, Progress progress) throws IOException {
    progress = Progress.orNone(progress);
    Objects.requireNonNull(target, "target must not be null: give the folder to copy into");
    Objects.requireNonNull(selection, "selection must not be null: use Selection.ALL for every file");
    DatasetRecord r = record();
    if (repo.contentStorage(r) != null) {
      LocalCopies.requireApartFromRepository(repo, target, "copy into");
      LocalCopies.removeDeadCopies(target); // what a killed copy left does not make it look taken
      LocalCopies.requireUsableTarget(repo, target, overwrite); // before a fetch that may be long
      fetchWhatIsMissing(r, selection, progress);
    }
    requireSomeFileFiltered(r, selection, "get");
    try {
      return LocalCopies.mutableCopy(repo, r.root(), target, overwrite, selection, progress);
    } catch (MissingObjectException lost) {
      throw namingTheFile(r, selection, lost);
    }
  }

  /**
   * Refuses filters that select no file of the version (spec/datasets.md): a mistyped filter would
   * otherwise give an empty folder. A part may be empty; the files its filters select may not.
   */
  private void requireSomeFileFiltered(DatasetRecord r, Selection selection, String verb) throws IOException {
    if (selection.filters().isEmpty() || selection.equals(Selection.NONE)) {
      return;
    }
    boolean[] found = {false};
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      new Selection(0, 1, selection.filters()).forEach(new Manifest(new NodeLoader(reader), r.root()), e -> {
        found[0] = true;
        return false;
      });
    }
    if (!found[0]) {
      throw new InvalidInputException("Cannot " + verb + " " + id + ": no file matches the filter " + String.join(" ",
          selection.filters().stream().map(Glob::toString).toList()));
    }
  }

  /** Fetches from the version's remote what the selection needs and this repository lacks, if anything. */
  private void fetchWhatIsMissing(DatasetRecord r, Selection selection, Progress progress) throws IOException {
    MissingObjectException missing = firstMissing(r, selection);
    if (missing != null) {
      fetchFor(r, selection, progress, missing);
    }
  }

  /** What the selection needs first that this repository lacks (a file's content, or a manifest node), or null. */
  private MissingObjectException firstMissing(DatasetRecord r, Selection selection) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      FileEntry gap = StoredContent.firstMissing(reader, r.root(), selection);
      return gap == null ? null : new MissingObjectException(gap.content(), "the content of '" + DatasetPaths.printable(gap.path()) + "'");
    } catch (MissingObjectException node) {
      return node;
    }
  }

  /**
   * Fetches the selection from the version's remote, having found {@code missing} not here (a
   * version fetched in part, or only its record). Without a remote, or when the fetch fails,
   * {@code missing} is thrown, saying what the fetch met.
   */
  private void fetchFor(DatasetRecord r, Selection selection, Progress progress, MissingObjectException missing)
      throws IOException {
    String from = repo.contentStorage(r);
    if (from == null) {
      throw namingTheFile(r, selection, missing);
    }
    try {
      repo.fetch(id, selection, from, null, progress);
    } catch (IOException | RuntimeException failed) {
      MissingObjectException e = new MissingObjectException(missing,
          "fetching it from " + from + " failed: " + failed.getMessage());
      e.addSuppressed(failed);
      throw e;
    }
  }

  /**
   * {@code missing}, said of the first selected file of {@code r} whose data is not here (lost or
   * damaged: no remote holds the version), or as it was if no file can be named.
   */
  private MissingObjectException namingTheFile(DatasetRecord r, Selection selection,
      MissingObjectException missing) {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      FileEntry lacking = StoredContent.firstMissing(reader, r.root(), selection);
      ObjectId object = lacking == null ? null : StoredContent.missingObject(reader, lacking);
      if (object == null) {
        return missing;
      }
      MissingObjectException named = new MissingObjectException(object,
          "'" + DatasetPaths.printable(lacking.path()) + "' of version " + r.id() + ", lost or damaged here (run cairn fsck)");
      named.addSuppressed(missing);
      return named;
    } catch (IOException | RuntimeException unreadable) {
      missing.addSuppressed(unreadable);
      return missing;
    }
  }

  /** Writes an independent, writable copy of part {@code part} of {@code numParts} into {@code target}. */
  public Path getMutableLocalCopy(Path target, boolean overwrite, int part, int numParts) throws IOException {
    return getMutableLocalCopy(target, overwrite, Selection.part(part, numParts), Progress.LOGGED);
  }

  /**
   * Writes an independent, writable copy of the whole version into {@code target} (clearml's
   * {@code get_mutable_local_copy}); {@code overwrite} replaces what {@code target} holds, else it
   * must be empty or absent.
   */
  public Path getMutableLocalCopy(Path target, boolean overwrite) throws IOException {
    return getMutableLocalCopy(target, overwrite, Selection.ALL, Progress.LOGGED);
  }

  /**
   * Makes {@code link} a symbolic link to the cached read-only folder (clearml-data's {@code get
   * --link}). A link an earlier call made is replaced. Anything else at {@code link}, a link to
   * elsewhere or a folder with all it holds, is deleted first if {@code overwrite}, else refused;
   * a folder that holds Cairn data is refused either way.
   */
  public Path linkLocalCopy(Path link, boolean overwrite, Selection selection, Progress progress) throws IOException {
    Objects.requireNonNull(link, "link must not be null: give the path of the link to make");
    Objects.requireNonNull(selection, "selection must not be null: give Selection.ALL for every file");
    progress = Progress.orNone(progress);
    LocalCopies.requireLinkable(repo, link, overwrite); // before the folder is built
    return LocalCopies.link(repo, getLocalCopy(selection, progress), link, overwrite);
  }

  /**
   * Refuses {@code link} as {@link #linkLocalCopy} would (inside the repository; a file, a
   * non-empty folder or a link elsewhere without {@code overwrite}), changing nothing: for a
   * caller that would fetch the version first.
   */
  public static void requireLinkable(DatasetRepository repo, Path link, boolean overwrite) throws IOException {
    LocalCopies.requireLinkable(repo, link, overwrite);
  }

  /** Every file of the version, in path order. */
  public List<FileEntry> listFiles() throws IOException {
    return listFiles(List.of());
  }

  /** Every file of the version by its path, in path order (clearml's {@code file_entries_dict}). */
  public Map<String, FileEntry> fileEntries() throws IOException {
    Map<String, FileEntry> out = new LinkedHashMap<>();
    forEachFile(List.of(), e -> out.put(e.path(), e));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Files whose path or name matches one of {@code globs} (all when empty), each read as a
   * {@link Glob}: a pattern without {@code /} matches a name at any depth, wildcards or not
   * ({@code b.txt} lists {@code sub/b.txt} too; {@code /b.txt} only the one at the top).
   */
  public List<FileEntry> listFiles(List<String> globs) throws IOException {
    List<FileEntry> out = new ArrayList<>();
    forEachFile(globs, out::add);
    return Collections.unmodifiableList(out);
  }

  /**
   * Visits the files whose path or name matches one of {@code globs} ({@link Glob#filter}: a
   * folder's name selects what it holds), all when empty, in path order, holding one manifest
   * node in memory at a time: for versions too large to list whole.
   */
  public void forEachFile(List<String> globs, FileVisitor visitor) throws IOException {
    visitMatching(globs, e -> {
      visitor.visit(e);
      return true;
    });
  }

  /**
   * Which version brought each file matching {@code globs} (as {@link #forEachFile}; all when
   * empty), in path order: the id of the nearest version, this one or an ancestor, whose own
   * change-set added or modified the file to the content it holds here (clearml's
   * {@code parent_dataset_id}); an ancestor deleted here is passed through its version object, and
   * may be the answer. Null where the lineage cannot be followed: an ancestor whose manifest is on a
   * remote only, or one deleted whose version object is gone. Reads manifests only; the work grows
   * with the changes along the lineage.
   */
  public Map<String, String> fileOrigins(List<String> globs) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    fileOriginRecords(globs).forEach((p, r) -> out.put(p, r == null ? null : r.id()));
    return Collections.unmodifiableMap(out); // not Map.copyOf: a path of no version here maps to null
  }

  /**
   * As {@link #fileOrigins}, with the record of each origin: for one deleted here, a record read
   * from its version object (its name, version string and parents; no tags, metadata or log), which the
   * repository's {@code catalog().exists(id)} tells apart.
   */
  public Map<String, DatasetRecord> fileOriginRecords(List<String> globs) throws IOException {
    DatasetRecord r = record(); // one reading: a draft changed meanwhile is seen whole or not at all
    List<String> paths = new ArrayList<>();
    visitMatching(r, globs, e -> paths.add(e.path()));
    Map<String, DatasetRecord> out = new LinkedHashMap<>();
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      FileOrigins origins = new FileOrigins(repo, new NodeLoader(reader));
      Map<String, String> found = origins.of(r, paths);
      for (String p : paths) {
        String id = found.get(p);
        out.put(p, id == null ? null : origins.recordOf(id));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The parents (after the first) whose step of this version's merge was a union though they share
   * history with the parents before them: their nearest common ancestors tie (criss-cross merges),
   * and none tells what each side changed, so a file one side deleted since may be back. Empty for
   * most versions (spec/datasets.md, "Drafts and the change-set").
   */
  public List<String> parentsMergedAsUnion() throws IOException {
    return List.copyOf(MergeBases.tiedParents(repo, record().parents()));
  }

  /**
   * The nearest common ancestors of this version's parents whose manifests are not here (known by
   * their records alone, their remotes unable to give them): the merge's step at each was a union,
   * so a file one side deleted since may be back. Empty for most versions; {@link #create} fetches
   * such a manifest from its remote when it can.
   */
  public List<String> mergeBasesNotHere() throws IOException {
    return List.copyOf(MergeBases.basesNotHere(repo, record().parents()));
  }

  /** How many files, and how many bytes, {@code selection} takes of this version. */
  public Selection.Totals totals(Selection selection) throws IOException {
    DatasetRecord r = record();
    if (selection.isAll()) {
      return new Selection.Totals(r.fileCount(), r.totalBytes());
    }
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      return selection.totals(new Manifest(new NodeLoader(reader), r.root()));
    }
  }

  /** Whether any file matches one of {@code globs} (as {@link #forEachFile}); stops at the first. */
  public boolean anyFileMatches(List<String> globs) throws IOException {
    boolean[] found = {false};
    visitMatching(globs, e -> {
      found[0] = true;
      return false;
    });
    return found[0];
  }

  /** Visits matching files in path order while {@code visitor} returns true. */
  private void visitMatching(List<String> globs, FileCheck visitor) throws IOException {
    visitMatching(record(), globs, visitor);
  }

  private void visitMatching(DatasetRecord r, List<String> globs, FileCheck visitor) throws IOException {
    Objects.requireNonNull(globs, "globs must not be null: give an empty list for every file");
    List<Glob> gs = new ArrayList<>();
    for (String g : globs) {
      Objects.requireNonNull(g, "globs must not contain null: give paths or patterns inside the dataset");
      gs.add(Glob.parseFilter("filter", g));
    }
    // Patterns under a literal folder (or naming paths) are looked for there alone: the manifest
    // is sorted by path, so their matches lie together, from that text on.
    String from = Glob.requiredPrefix(gs);
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      Iterator<FileEntry> it = new Manifest(new NodeLoader(reader), r.root()).iterator(from);
      while (it.hasNext()) {
        FileEntry e = it.next();
        if (!e.path().startsWith(from)) {
          return;
        }
        if ((gs.isEmpty() || gs.stream().anyMatch(g -> g.matches(e.path()))) && !visitor.visit(e)) {
          return;
        }
      }
    } catch (UncheckedIOException nodeUnreadable) {
      throw nodeUnreadable.getCause(); // a node missing or damaged, as typed as every other read's
    }
  }

  @FunctionalInterface
  private interface FileCheck {
    boolean visit(FileEntry e) throws IOException;
  }

  /** Receives files from {@link #forEachFile}. */
  @FunctionalInterface
  public interface FileVisitor {
    void visit(FileEntry e) throws IOException;
  }

  /**
   * Of this version's {@linkplain DatasetRecord#conflicts() conflicts}, the paths whose winning
   * side deleted them (in a three-way merge, one parent changed a path the other deleted): the
   * merged parents do not hold them.
   */
  public Set<String> conflictsResolvedByDeletion() throws IOException {
    DatasetRecord r = record();
    Set<String> deleted = new TreeSet<>();
    // A squash's base is empty (it has no parents); a base not stored here cannot be read.
    if (r.conflicts().isEmpty() || r.parents().isEmpty() || !repo.repository().objects().has(r.base())) {
      return Set.of();
    }
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      Manifest merged = new Manifest(new NodeLoader(reader), r.base());
      for (Conflict c : r.conflicts()) {
        Iterator<FileEntry> under = merged.iterator(c.path() + "/");
        boolean folder = under.hasNext() && DatasetPaths.isUnder(under.next().path(), c.path());
        if (merged.lookup(c.path()) == null && !folder) {
          deleted.add(c.path());
        }
      }
    }
    return Collections.unmodifiableSet(deleted);
  }

  /**
   * The conflicting paths whose file was changed, added or removed in this version since its
   * parents were merged: resolved by hand, the merge's choice no longer what the version holds.
   */
  public Set<String> conflictsChangedSinceMerge() throws IOException {
    DatasetRecord r = record();
    Set<String> changed = new TreeSet<>();
    if (r.conflicts().isEmpty() || r.parents().isEmpty() || r.base().equals(r.root()) || !repo.repository().objects().has(r.base())) {
      return Set.of();
    }
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      Manifest merged = new Manifest(loader, r.base());
      Manifest now = new Manifest(loader, r.root());
      for (Conflict c : r.conflicts()) {
        if (!Objects.equals(shape(merged, c.path()), shape(now, c.path()))) {
          changed.add(c.path());
        }
      }
    }
    return Collections.unmodifiableSet(changed);
  }

  /** What {@code m} holds at {@code path}: its file entry, "folder" for a folder, or null. */
  private static Object shape(Manifest m, String path) throws IOException {
    FileEntry e = m.lookup(path);
    if (e != null) {
      return e;
    }
    Iterator<FileEntry> under = m.iterator(path + "/");
    return under.hasNext() && DatasetPaths.isUnder(under.next().path(), path) ? "folder" : null;
  }

  /** The change-set against the merged parents, in path order. Reads no file content. */
  public List<DiffEntry> changes() throws IOException {
    DatasetRecord r = record();
    if (!r.base().equals(r.root()) && !NodeLoader.isEmptyTree(r.base()) && !repo.repository().objects().has(r.base())) {
      boolean parentHere = false;
      for (String p : r.parents()) {
        parentHere |= repo.catalog().exists(p);
      }
      throw new MissingObjectException(r.base(), "the base of " + r.id() + " (its parents merged, which its change-set is read"
          + " against): its remote lacks it, as an upload made after a parent's data was deleted leaves it out, so its change-set"
          + " cannot be shown" + (parentHere ? "; compare it with its parent instead" : "; its files can"));
    }
    return diff(r.base(), r.root());
  }

  /** The files this version added to its parents' merge (its change-set's additions). */
  public List<FileEntry> listAddedFiles() throws IOException {
    return changes().stream().filter(d -> d.type() == DiffEntry.ChangeType.ADDED).map(DiffEntry::newEntry).toList();
  }

  /** The files of its parents' merge this version changed, as they are now. */
  public List<FileEntry> listModifiedFiles() throws IOException {
    return changes().stream().filter(d -> d.type() == DiffEntry.ChangeType.MODIFIED).map(DiffEntry::newEntry).toList();
  }

  /** The files of its parents' merge this version removed, as they were. */
  public List<FileEntry> listRemovedFiles() throws IOException {
    return changes().stream().filter(d -> d.type() == DiffEntry.ChangeType.REMOVED).map(DiffEntry::oldEntry).toList();
  }

  /**
   * The files this version holds and {@code against} does not, as clearml's {@code
   * list_added_files(dataset_id)} compares with another version than the parents ({@link #compare}).
   */
  public List<FileEntry> listAddedFiles(Dataset against) throws IOException {
    return compare(against).stream().filter(d -> d.type() == DiffEntry.ChangeType.ADDED).map(DiffEntry::newEntry).toList();
  }

  /** The files both hold that this version holds otherwise than {@code against}, as they are here. */
  public List<FileEntry> listModifiedFiles(Dataset against) throws IOException {
    return compare(against).stream().filter(d -> d.type() == DiffEntry.ChangeType.MODIFIED).map(DiffEntry::newEntry).toList();
  }

  /** The files {@code against} holds and this version does not, as they are there. */
  public List<FileEntry> listRemovedFiles(Dataset against) throws IOException {
    return compare(against).stream().filter(d -> d.type() == DiffEntry.ChangeType.REMOVED).map(DiffEntry::oldEntry).toList();
  }

  /**
   * What changed from {@code source} (the baseline) to this version.
   *
   * @param source a version of this repository (opened here, or through another handle on the same folder)
   * @throws IllegalArgumentException if {@code source} is a version of another repository, whose
   *     objects this one may not hold
   */
  public List<DiffEntry> compare(Dataset source) throws IOException {
    Objects.requireNonNull(source, "source must not be null: give the version to compare with");
    Path here = repo.repository().directory();
    Path there = source.repo.repository().directory();
    if (source.repo != repo && !here.toAbsolutePath().normalize().equals(there.toAbsolutePath().normalize())) {
      throw new IllegalArgumentException("Cannot compare " + id + " with " + source.id + ": it is a version of another repository ("
          + there + "), and this one is " + here + "; fetch it here first");
    }
    return diff(source.record().root(), record().root());
  }

  private List<DiffEntry> diff(ObjectId from, ObjectId to) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      return Collections.unmodifiableList(new ManifestDiff(new NodeLoader(reader)).diff(from, to));
    }
  }

  /**
   * The lineage DAG: this version and every ancestor, each with its direct parents. An ancestor
   * that was deleted is followed through its version object, which a child's names (kept while a
   * child's lineage needs it: spec/datasets.md, "Version objects"), so its older ancestors are
   * still there; one whose record cannot be read ({@code fsck} reports it), or a deleted one whose
   * version object is not here, ends its branch with no parents.
   */
  public Map<String, List<String>> dependencyGraph() throws IOException {
    return ancestry().parents();
  }

  /**
   * {@link #dependencyGraph} ({@code parents}), and the ancestors it lists without parents for want
   * of knowing them ({@code unknownParents}): an unreadable record, or a deleted version whose
   * version object is not here. Its other ancestors without parents are roots. {@code deleted}
   * holds, for each ancestor deleted here whose version object is here, a record standing in for
   * it, never written: its name, version string and parents as close recorded them; its tags,
   * metadata, description and log are left empty, and its counts ({@code fileCount},
   * {@code totalBytes}, {@code storedBytes}) read 0: not known, not none.
   */
  public record Ancestry(Map<String, List<String>> parents, Set<String> unknownParents, Map<String, DatasetRecord> deleted) {}

  /**
   * Records standing in for this version's parents that were deleted here, by id, found through
   * their version objects (which this version's names): their names and version strings as close
   * recorded them; never written. A parent whose version object is not here is left out.
   */
  public Map<String, DatasetRecord> deletedParents() throws IOException {
    DatasetRecord r = record();
    Map<String, DatasetRecord> out = new TreeMap<>();
    if (r.parents().stream().allMatch(repo.catalog()::exists)) {
      return out;
    }
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      DeletedAncestors deleted = new DeletedAncestors(repo, reader);
      deleted.noteParentsOf(r);
      for (String p : r.parents()) {
        Version v = repo.catalog().exists(p) ? null : deleted.of(p);
        DatasetRecord standIn = v == null ? null : RecordRecovery.standIn(v, null, List.of());
        if (standIn != null) {
          out.put(p, standIn);
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** This version's {@link Ancestry}, in one walk of its lineage. */
  public Ancestry ancestry() throws IOException {
    Set<String> unknown = new TreeSet<>();
    Map<String, DatasetRecord> deleted = new TreeMap<>();
    Map<String, List<String>> graph = lineage(unknown, deleted);
    return new Ancestry(graph, Collections.unmodifiableSet(unknown), Collections.unmodifiableMap(deleted));
  }

  private Map<String, List<String>> lineage(Set<String> unknown, Map<String, DatasetRecord> standIns) throws IOException {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    List<String> queue = new ArrayList<>(List.of(id));
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      DeletedAncestors deleted = new DeletedAncestors(repo, reader);
      while (!queue.isEmpty()) {
        String next = queue.remove(0);
        if (graph.containsKey(next)) {
          continue;
        }
        List<String> parents = List.of();
        if (repo.catalog().exists(next)) {
          try {
            DatasetRecord r = repo.catalog().read(next);
            parents = r.parents();
            deleted.noteParentsOf(r);
          } catch (CorruptObjectException unreadable) {
            unknown.add(next); // an end of the branch
          }
        } else {
          Version v = deleted.of(next);
          if (v == null) {
            unknown.add(next);
          }
          parents = v == null ? List.of() : deleted.parentsOf(v);
          DatasetRecord standIn = v == null ? null : deleted.standIn(next);
          if (standIn != null) {
            standIns.put(next, standIn);
          }
        }
        graph.put(next, List.copyOf(parents));
        queue.addAll(parents);
      }
    }
    return Collections.unmodifiableMap(graph);
  }

  /**
   * The cached read-only folders of this version ({@link #getLocalCopy}) that were changed after
   * they were built (a file written to, replaced, added or removed; told by sizes, times and
   * modes, as {@code get} tells it), in which the version's files are not what it holds: the next
   * {@link #getLocalCopy} builds each again. {@link #verify(Path)} says what differs in one.
   */
  public List<Path> changedCachedFolders() throws IOException {
    return List.copyOf(repo.cache().changedFolders(id));
  }

  /**
   * The cached folders {@link #getLocalCopy()} handed out of this version that no longer hold it,
   * each with what is wrong, found by hashing every file they hold (a file written to in place,
   * its size and time put back, included; {@link #changedCachedFolders} looks at sizes and times
   * alone). {@code cairn fsck --repair} deletes them, and the cached files they share with other
   * versions' folders; the next get builds them again. Those in {@code skip} (found changed by
   * {@link #changedCachedFolders}, say) are not read.
   */
  public List<CacheCheck.Damage> damagedCachedFolders(Collection<Path> skip) throws IOException {
    Objects.requireNonNull(skip, "skip must not be null: give List.of() to check every folder");
    return List.copyOf(new CacheCheck(repo, Progress.NONE).runFor(id, skip));
  }

  /**
   * Checks every stored object of the version; returns the problems found (none, or only files
   * {@linkplain VerifyProblem.Kind#NOT_FETCHED not fetched} from the version's remote: intact).
   */
  public List<VerifyProblem> verify() throws IOException {
    return verify(Progress.NONE);
  }

  /** As {@link #verify()}, telling {@code progress} how far it is (bytes of the version's files checked). */
  public List<VerifyProblem> verify(Progress progress) throws IOException {
    return List.copyOf(Verifier.verifyStored(repo, record(), Progress.orNone(progress)));
  }

  /** Compares {@code folder} with the version; returns every differing path. */
  public List<VerifyProblem> verify(Path folder) throws IOException {
    return verify(folder, Selection.ALL, false);
  }

  /**
   * Compares {@code folder} with the files {@code selection} takes of the version (a part, or the
   * files a filter matches, as {@link #getMutableLocalCopy(Path, boolean, Selection, Progress)}
   * copies them); returns every differing path. With {@code sizesOnly}, reads no file.
   */
  public List<VerifyProblem> verify(Path folder, Selection selection, boolean sizesOnly) throws IOException {
    Objects.requireNonNull(folder, "folder must not be null: give the folder to compare");
    Objects.requireNonNull(selection, "selection must not be null: give Selection.ALL for every file");
    return List.copyOf(Verifier.verifyFolder(repo, record().root(), selection, folder, sizesOnly));
  }

  /**
   * A fast {@link #verify()} that reads no file content (clearml-data's {@code --filesize}): every
   * object is here with the size the manifest expects, linked files exist with their size.
   * Finds lost and truncated data, not bytes damaged in place.
   */
  public List<VerifyProblem> verifySizes() throws IOException {
    return List.copyOf(Verifier.verifyStoredSizes(repo, record()));
  }

  /** A fast {@link #verify(Path)}: which files are missing, unexpected or of another size; reads no file. */
  public List<VerifyProblem> verifySizes(Path folder) throws IOException {
    return verify(folder, Selection.ALL, true);
  }

  /**
   * Streams the version into an archive; the format follows the file name's extension. Refuses an
   * existing file (as {@code export(output, false, progress)}).
   */
  public void export(Path output, Progress progress) throws IOException {
    progress = Progress.orNone(progress);
    export(output, false, progress);
  }

  /**
   * Streams the version into an archive, written next to {@code output} and renamed to it when
   * complete; the format follows the file name's extension. Data not here is fetched from the
   * version's remote, as by {@link #getLocalCopy(Selection, Progress)}.
   *
   * @param overwrite whether an existing file at {@code output} is replaced
   * @throws InvalidInputException if {@code output} exists and {@code overwrite} is false, or
   *     cannot be written; nothing is left behind
   */
  public void export(Path output, boolean overwrite, Progress progress) throws IOException {
    export(output, overwrite, Selection.ALL, progress);
  }

  /**
   * As {@link #export(Path, boolean, Progress)}, the files of {@code selection} only (a part, or
   * those its filters match), at their paths in the version.
   *
   * @throws InvalidInputException also when the filters match no file
   */
  public void export(Path output, boolean overwrite, Selection selection, Progress progress) throws IOException {
    export(output, null, overwrite, selection, progress);
  }

  /**
   * As {@link #export(Path, boolean, Selection, Progress)}, in {@code format} whatever
   * {@code output}'s name (a device, say; null: the format its extension names).
   */
  public void export(Path output, ArchiveIo.Format format, boolean overwrite, Selection selection, Progress progress)
      throws IOException {
    progress = Progress.orNone(progress);
    Objects.requireNonNull(output, "output must not be null: give the archive's path");
    Objects.requireNonNull(selection, "selection must not be null: give Selection.ALL for every file");
    DatasetRecord r = record();
    requireSomeFileFiltered(r, selection, "export");
    long time = r.closedMillis() > 0 ? r.closedMillis() : r.createdMillis();
    try {
      ArchiveIo.write(repo, r.root(), selection, output, format, overwrite, time, progress);
    } catch (MissingObjectException notFetched) {
      // Fetched in part: what is missing comes from the version's remote (the partial archive is gone).
      fetchFor(r, selection, progress, notFetched);
      ArchiveIo.write(repo, r.root(), selection, output, format, overwrite, time, progress);
    }
  }

  /** Two handles are equal when they name the same version of the same open repository. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Dataset d && d.repo == repo && d.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Dataset(" + id + ")";
  }
}
