package dev.cairn.dataset;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.errors.BadStorageLocationException;
import dev.cairn.errors.CairnException;
import dev.cairn.errors.ConflictException;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.PatternTooCostlyException;
import dev.cairn.errors.Remedy;
import dev.cairn.errors.RepositoryNotFoundException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.internal.concurrent.Lazy;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.fs.WholeFileLock;
import dev.cairn.internal.io.BoundedText;
import dev.cairn.internal.pack.PackRemovalLock;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.Storages;
import dev.cairn.store.ObjectReader;
import dev.cairn.transport.Fetcher;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Datasets in one local repository: the entry point of the Dataset API. Opens (or creates) the
 * repository, and gives access to its catalog, caches and run records. Thread-safe; several
 * processes may use one repository at once. The JVM must be started with
 * {@code --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED}
 * (LMDB and zstd-jni read direct buffers): without them, opening a repository throws
 * {@link InvalidConfigException}, which says so.
 */
public final class DatasetRepository implements AutoCloseable {
  private final Repository repo;
  private final Catalog catalog;
  /** In the LMDB index, which is opened on first use. */
  private final Lazy<StatCache> statCache;
  private final LocalCache cache;
  private final Usage usage;
  private final boolean owned;
  private volatile Map<String, String> storageConf = Map.of();

  private DatasetRepository(Repository repo, boolean owned) throws IOException {
    this.repo = repo;
    this.owned = owned;
    this.catalog = new Catalog(repo.directory(), repo.config().getNonNegative(VersionLocks.LOCK_WAIT_KEY, VersionLocks.LOCK_WAIT_MILLIS));
    this.statCache = new Lazy<>(() -> new StatCache(repo.indexEnvironment()));
    this.cache = new LocalCache(repo, () -> storageConf);
    this.usage = new Usage(repo.directory(), catalog);
    // What commands of this host killed part way left (a partial folder of a get, a pack being
    // written): no process can use it, and it may be large.
    AtomicFiles.sweepEnded(repo.tmpDirectory());
    catalog.breakStaleLocks();
  }

  /** Opens the repository in {@code dir}, creating it with default settings if there is none. */
  public static DatasetRepository open(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir must not be null: give the repository's folder");
    return new DatasetRepository(Repository.openOrCreate(dir, RepositoryConfig.DEFAULT), true);
  }

  /**
   * Opens the repository in {@code dir}, which must exist.
   *
   * @throws RepositoryNotFoundException if there is none
   */
  public static DatasetRepository openExisting(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir must not be null: give the repository's folder");
    return new DatasetRepository(Repository.open(dir), true);
  }

  /**
   * Opens the repository in {@code dir} to work with the remote {@code storage}, creating it if
   * there is none with that remote's object format (a repository of another format cannot use
   * it), as {@code cairn get --storage} does in a new repository. A remote without Cairn data yet,
   * or one that cannot be read now, leaves the defaults.
   *
   * @param conf storage settings (Hadoop keys), or null
   */
  public static DatasetRepository openFor(Path dir, String storage, Map<String, String> conf) throws IOException {
    Objects.requireNonNull(dir, "dir must not be null: give the repository's folder");
    Objects.requireNonNull(storage, "storage must not be null: use open(dir) for a repository without a remote");
    RepositoryConfig config = RepositoryConfig.DEFAULT;
    if (!Files.isRegularFile(dir.resolve(Repository.CONFIG))) {
      try (RemoteStorage remote = Storages.open(Storages.parse(storage),
          conf == null ? Map.of() : conf)) {
        HashAlgorithm format = Remote.objectFormatOf(remote);
        if (format != null) {
          config = config.withObjectFormat(format);
        }
      } catch (InvalidConfigException | BadStorageLocationException unusable) {
        throw unusable; // an unknown object format there, or a location that is no remote (a file)
      } catch (IOException unreachable) {
        // the defaults: the first use of the remote says what is wrong with it
      }
    }
    return open(dir, config);
  }

  /** Opens the repository in {@code dir}, creating it with {@code config} if there is none. */
  public static DatasetRepository open(Path dir, RepositoryConfig config) throws IOException {
    Objects.requireNonNull(dir, "dir must not be null: give the repository's folder");
    Objects.requireNonNull(config, "config must not be null: give RepositoryConfig.DEFAULT for the defaults");
    return new DatasetRepository(Repository.openOrCreate(dir, config), true);
  }

  /** Wraps an open repository; closing this does not close it. */
  public static DatasetRepository of(Repository repo) throws IOException {
    return new DatasetRepository(repo, false);
  }

  /**
   * The default repository directory: {@code $CAIRN_HOME}, else {@code ~/.cairn}, where {@code ~}
   * is {@code $HOME} as a shell reads it (the JDK's {@code user.home} comes from the password
   * database, which a container or a CI job that sets {@code HOME} does not change; a relative one
   * from the current folder), else {@code user.home}. Where {@code $HOME} differs from {@code user.home}, a repository that releases
   * before this one made under {@code user.home} is still used while {@code $HOME} holds none.
   */
  public static Path defaultDirectory() {
    String env = System.getenv("CAIRN_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path passwd = Path.of(System.getProperty("user.home"), ".cairn");
    String home = System.getenv("HOME");
    if (home == null || home.isBlank()) {
      return passwd;
    }
    // A relative one is relative to the current folder, as the shell's ~ and git take it (not the
    // password database's home, which a HOME set to keep a test apart would then write into).
    Path shell = Path.of(home).toAbsolutePath().resolve(".cairn");
    return !Files.exists(shell) && Files.isDirectory(passwd.resolve("refs")) ? passwd : shell;
  }

  /**
   * The object store underneath.
   *
   * @throws IllegalStateException once this is closed, as the catalog's, the caches' and the run
   *     records' accessors do (and so every method of a {@link Dataset} of this repository that
   *     reads its record)
   */
  public Repository repository() {
    return requireOpen(repo);
  }

  private volatile boolean closed;

  private <T> T requireOpen(T part) {
    if (closed) {
      throw new IllegalStateException("Cannot use the repository at " + repo.directory() + ": it was closed");
    }
    return part;
  }

  public Catalog catalog() {
    return requireOpen(catalog);
  }

  /** The stat cache, opened on first use. */
  StatCache statCache() throws IOException {
    return requireOpen(statCache).get();
  }

  LocalCache cache() {
    return requireOpen(cache);
  }

  /** Which runs used which versions. */
  public Usage usage() {
    return requireOpen(usage);
  }

  /** Creates a draft version. See {@link Dataset#create}. */
  public Dataset create(CreateOptions options) throws IOException {
    return Dataset.create(this, options);
  }

  /**
   * The version with this id or unique id prefix (8+ hex digits).
   *
   * @throws InvalidInputException if {@code idOrPrefix} is not 8 to 32 hex digits
   * @throws DatasetNotFoundException if there is none
   */
  public Dataset get(String idOrPrefix) throws IOException {
    return new Dataset(this, catalog().resolve(idOrPrefix));
  }

  /**
   * The version of {@code project}/{@code name} with {@code version}, or the highest version when
   * {@code version} is null.
   *
   * @param project null for any project, if only one holds a dataset of that name
   * @throws DatasetNotFoundException if there is none
   * @throws InvalidInputException if {@code project} is null and several projects hold the name
   */
  public Dataset get(String project, String name, String version) throws IOException {
    return get(project, name, version, false);
  }

  /**
   * As {@link #get(String, String, String)}; with {@code onlyClosed} (clearml's
   * {@code only_completed}), only a closed version: the highest, or the one {@code version} names.
   *
   * @throws DatasetNotFoundException with {@code onlyClosed}, if the version found is a draft (a
   *     draft cannot be read as a whole yet); the message names it
   */
  public Dataset get(String project, String name, String version, boolean onlyClosed) throws IOException {
    VersionListing listing = catalog().readAll();
    List<DatasetRecord> all = listing.records();
    if (project == null) {
      highest(all, null, name, version, "here"); // refuses a name several projects hold, drafts included
    }
    if (onlyClosed) {
      // Drafts are left out before the highest is taken: a draft holding the string a closed
      // version fetched from a remote holds too (made apart) is no rival of it.
      List<DatasetRecord> closed = all.stream().filter(r -> !r.isDraft()).toList();
      if (closed.stream().noneMatch(r -> r.name().equals(name) && (project == null || r.project().equals(project))
          && (version == null || r.version().equals(version)))) {
        DatasetRecord any = highest(all, project, name, version, "here"); // not found at all: said as such
        throw new DatasetNotFoundException("Cannot get " + label(any.project(), name) + (version == null ? "" : " " + version)
            + " closed: " + (version == null ? "it has no closed version here; its highest, " + any.version() + " (" + any.id() + "), is a"
            + " draft" : "that version (" + any.id() + ") is a draft") + " (close it first, or ask for drafts too)");
      }
      all = closed;
    }
    DatasetRecord found = highest(all, project, name, version, "here");
    if (version == null && !listing.unreadable().isEmpty()) {
      requireNoNewerUnreadable(listing, found);
    }
    return new Dataset(this, found.id());
  }

  /**
   * Refuses "the newest version" when a higher version string of that dataset is held by a
   * version whose record cannot be read: the newest may be that one, and an older one is not it.
   */
  private void requireNoNewerUnreadable(VersionListing listing, DatasetRecord found) throws IOException {
    Set<String> unreadable = new HashSet<>(listing.unreadable());
    for (String v : catalog().reservedVersions(found.project(), found.name())) {
      String holder = catalog().reservationHolder(found.project(), found.name(), v);
      if (holder != null && unreadable.contains(holder) && VersionStrings.compare(v, found.version()) > 0) {
        throw new CairnException("Cannot tell which version of " + label(found.project(), found.name())
            + " is the newest here: the record of version " + holder + ", which holds version " + v + ", cannot be read (damaged,"
            + " or written by a newer Cairn); give the version (or the id) wanted, or recover the record with cairn fsck --repair");
      }
    }
  }

  /**
   * The id of the version of {@code project}/{@code name} with {@code version}, or of its highest
   * version, among those the remote {@code storage} holds (which may be newer than the local ones).
   *
   * @throws DatasetNotFoundException if the remote holds no such version
   */
  public String resolveRemote(String storage, Map<String, String> conf, String project, String name, String version)
      throws IOException {
    return resolveRemoteRecord(storage, conf, project, name, version).id();
  }

  /** As {@link #resolveRemote}, the version's record on the remote. */
  public DatasetRecord resolveRemoteRecord(String storage, Map<String, String> conf, String project, String name, String version)
      throws IOException {
    return resolveRemoteRecord(storage, conf, project, name, version, r -> true, "on " + storage);
  }

  /**
   * As {@link #resolveRemoteRecord(String, Map, String, String, String)}, among the remote's
   * records that {@code candidate} accepts (a get passes over the versions deleted here); a
   * version not found is said to be missing {@code where} ("on URI", "here or on URI").
   */
  public DatasetRecord resolveRemoteRecord(String storage, Map<String, String> conf, String project, String name, String version,
      Predicate<DatasetRecord> candidate, String where) throws IOException {
    VersionListing listing = readRemote(storage, conf);
    if (version == null && !listing.unreadable().isEmpty()) {
      // The newest version may be the one whose record is damaged: an older one is not "the newest".
      List<String> ids = unreadableOf(storage, conf, listing, project, name);
      if (!ids.isEmpty()) {
        throw new CairnException("Cannot tell which version of " + label(project, name) + " is the newest on " + storage
            + ": the newest record of version " + ids.get(0) + (ids.size() > 1 ? " (and of " + (ids.size() - 1) + " more)" : "")
            + " there cannot be read (damaged, or written by a newer Cairn), and may be of it; give the version (or the id) wanted,"
            + " or check the remote with cairn fsck --storage " + storage);
      }
    }
    return highest(listing.records().stream().filter(candidate).toList(), project, name, version, where);
  }

  /**
   * Of the versions on {@code storage} whose record cannot be read, those that may be of dataset
   * {@code name}: those its version strings are reserved for, in its project (or in each project
   * whose readable records hold that name); all of them when no project is known.
   */
  private List<String> unreadableOf(String storage, Map<String, String> conf, VersionListing listing, String project,
      String name) throws IOException {
    List<String> projects = project != null ? List.of(project)
        : listing.records().stream().filter(r -> r.name().equals(name)).map(DatasetRecord::project).distinct().toList();
    if (projects.isEmpty()) {
      return listing.unreadable();
    }
    Set<String> unreadable = new HashSet<>(listing.unreadable());
    List<String> ours = new ArrayList<>();
    try (Remote remote = conf == null ? openRemote(storage) : openRemote(storage, conf)) {
      for (String p : projects) {
        for (String v : remote.reservedVersions(p, name)) {
          String holder = remote.nameHolderId(p, name, v);
          if (holder != null && unreadable.contains(holder) && !ours.contains(holder)) {
            ours.add(holder);
          }
        }
      }
    }
    return ours;
  }

  /**
   * Refuses a dataset named without its project when several projects hold one of that name among
   * {@code records} (those of that name).
   */
  static void requireOneProject(List<DatasetRecord> records, String name) throws InvalidInputException {
    List<String> projects = records.stream().filter(r -> r.name().equals(name)).map(DatasetRecord::project).distinct().sorted().toList();
    if (projects.size() > 1) {
      throw new InvalidInputException("Cannot tell which dataset '" + name + "' is meant: projects "
          + projects.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "))
          + " each hold one; give the project too");
    }
  }

  /** The highest version (then the latest created) among {@code records} (held {@code where}: "here", "on URI") that matches. */
  static DatasetRecord highest(List<DatasetRecord> records, String project, String name, String version, String where)
      throws DatasetNotFoundException, InvalidInputException {
    List<DatasetRecord> matches = new ArrayList<>();
    for (DatasetRecord r : records) {
      if (r.name().equals(name) && (project == null || r.project().equals(project))
          && (version == null || r.version().equals(version))) {
        matches.add(r);
      }
    }
    if (matches.isEmpty()) {
      throw new DatasetNotFoundException("Cannot find dataset version: no dataset " + (project == null || project.isEmpty() ? "" : project + "/")
          + name + (project != null && project.isEmpty() ? " without a project" : "") + (version == null ? "" : " version " + version)
          + " " + where + NameSuggestion.of(records, project, name, version));
    }
    if (project == null) {
      requireOneProject(matches, name);
    }
    if (version != null && matches.size() > 1) {
      // Two versions made apart (one here, one fetched from a remote where another machine had
      // reserved the string first): neither is "the" version.
      throw new InvalidInputException("Cannot tell which version is meant: " + label(matches.get(0).project(), name) + " version "
          + version + " is held by " + matches.stream().map(r -> r.shortId()).sorted()
              .collect(Collectors.joining(" and ")) + "; ", new Remedy("get one by its id (Dataset.get(repo, id))", "give --id"), "");
    }
    DatasetRecord top = Collections.max(matches,
        Comparator.comparing(DatasetRecord::version, VersionStrings.ORDER).thenComparingLong(DatasetRecord::createdMillis));
    List<DatasetRecord> tied = matches.stream().filter(r -> r.version().equals(top.version())).toList();
    if (tied.size() > 1) {
      // As for the version given: the newest string held twice (a version taken from a remote under
      // a name that another version here holds) names neither.
      throw new InvalidInputException("Cannot tell which version is the newest: " + label(top.project(), name) + " version "
          + top.version() + " is held by " + tied.stream().map(r -> r.shortId()).sorted().collect(Collectors.joining(" and "))
          + "; ", new Remedy("get one by its id (Dataset.get(repo, id)), or give one of them another version string"
              + " (Dataset.setVersion)", "give --id (or one of them another version string: cairn set-version)"), "");
    }
    return top;
  }

  /**
   * The newest version the tags ask for, read as {@link #list} reads them: carrying any of them
   * (all of them after a leading {@code __$all}), as clearml's {@code Dataset.get(dataset_tags=...)}.
   *
   * @throws InvalidInputException if no tag is given
   * @throws DatasetNotFoundException if no version is tagged so
   */
  public Dataset getByTags(List<String> tags) throws IOException {
    TagQuery query = TagQuery.parse(tags);
    if (query.isEmpty()) {
      throw new InvalidInputException("Cannot find a version by its tags: give at least one tag");
    }
    List<DatasetRecord> all = list(null, null, tags);
    if (all.isEmpty()) {
      throw new DatasetNotFoundException("Cannot find dataset version: none tagged " + query);
    }
    return new Dataset(this, all.get(all.size() - 1).id());
  }

  /** The version last created or used in this repository, or null. */
  public Dataset current() throws IOException {
    String id = catalog().current();
    return id == null ? null : new Dataset(this, id);
  }

  /** A dataset as messages name it: {@code project/name}, or {@code name} alone in the unnamed project. */
  public static String label(String project, String name) {
    return project == null || project.isEmpty() ? name : project + "/" + name;
  }

  /**
   * Versions matching the filters, oldest first, drafts included (clearml's {@code list_datasets}
   * lists closed ones only by default: keep those whose {@link DatasetRecord#isDraft} is false).
   * The project is matched exactly, its subprojects left out ({@code cairn search} takes them too);
   * {@code ^name$} matches one name exactly. A version whose record cannot be read (damaged:
   * {@code cairn fsck}) is left out without a word; {@link #search} names such versions, as
   * {@code cairn search} warns of them.
   *
   * @param project exact project, or null or empty for any (unlike {@link #get(String, String,
   *     String)}, where empty is the unnamed project: a listing filters, a get names one version)
   * @param name a regular expression found in the name, or the name's text as typed (both
   *     case-insensitive), or null for any
   * @param tags as clearml reads them ({@link TagQuery}): versions carrying any of them, or all of
   *     them after a leading {@code __$all}, and none of those written {@code -t}; null for any
   * @throws InvalidInputException if {@code tags} holds an operator that {@link TagQuery} does not read
   */
  public List<DatasetRecord> list(String project, String name, List<String> tags) throws IOException {
    return search(project, name, tags).records();
  }

  /**
   * Whether a version of {@code project} is among those a search of project {@code asked} lists,
   * as {@code cairn search --project} and clearml's {@code list_datasets} read it: every version
   * when {@code asked} is null, the versions of no project when it is empty, else that project
   * (a trailing {@code /} aside) and, {@code withSubprojects}, those under it ({@code asked/...}).
   */
  public static boolean inProject(String project, String asked, boolean withSubprojects) {
    if (asked == null) {
      return true;
    }
    if (asked.isEmpty()) {
      return project.isEmpty();
    }
    String p = asked.length() > 1 && asked.endsWith("/") ? asked.substring(0, asked.length() - 1) : asked;
    return project.equals(p) || (withSubprojects && project.startsWith(p + "/"));
  }

  /**
   * As {@link #list}, also naming the versions whose record could not be read: they may or may
   * not have matched, so a caller can say that the listing may be incomplete.
   */
  public VersionListing search(String project, String name, List<String> tags) throws IOException {
    Predicate<String> named = nameFilter(name);
    TagQuery tagged = TagQuery.parse(tags);
    List<DatasetRecord> out = new ArrayList<>();
    VersionListing all = catalog().readAll();
    for (DatasetRecord r : all.records()) {
      if (project != null && !project.isEmpty() && !r.project().equals(project)) {
        continue;
      }
      if (!named.test(r.name())) {
        continue;
      }
      if (!tagged.matches(r.tags())) {
        continue;
      }
      out.add(r);
    }
    return new VersionListing(out, all.unreadable());
  }

  /**
   * What a name search matches ({@link #search}): a name in which {@code query} is found as a
   * regular expression, or as the text typed ({@code c++}, {@code pets (v2)}), both
   * case-insensitive; every name when {@code query} is null or empty. The predicate throws
   * {@link PatternTooCostlyException} for an expression that takes far too many
   * steps to match a name.
   */
  public static Predicate<String> nameFilter(String query) {
    if (query == null || query.isEmpty()) {
      return n -> true;
    }
    String text = query.toLowerCase(Locale.ROOT);
    Pattern p;
    try {
      p = Pattern.compile(query, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException notAnExpression) {
      return n -> n.toLowerCase(Locale.ROOT).contains(text);
    }
    return n -> n.toLowerCase(Locale.ROOT).contains(text)
        || p.matcher(new BoundedText(n, () -> "name search '" + query + "'")).find();
  }

  /**
   * Restores the exact files a lock file names: by manifest root, so the bytes are the ones the run
   * used even if the version was renamed or deleted since (as long as its objects are here).
   *
   * @param copyTarget a folder for a writable copy, or null for the cached read-only folder
   */
  public Path restore(Usage.Use use, Selection selection, Path copyTarget, boolean overwrite, Progress progress) throws IOException {
    return new LockedRestore(this).restore(use, selection, copyTarget, overwrite, progress);
  }

  /**
   * Restores several uses (a lock file's) as independent copies, each into the folder of
   * {@code copyDir} its alias names. Into a missing or empty {@code copyDir}, as one copy: they
   * stand all at once, or none does (a copy stopped midway leaves {@code copyDir} as it found it,
   * and run again, it is made whole). Into a folder that holds other entries, each on its own, as
   * {@code get --copy DIR/<alias>} would make it: the other entries stay, and {@code overwrite}
   * replaces an alias's folder only.
   *
   * @return the folder of each, in the order of {@code uses}
   */
  public List<Path> restoreAll(List<Usage.Use> uses, Selection selection, Path copyDir, boolean overwrite, Progress progress)
      throws IOException {
    return List.copyOf(new LockedRestore(this).restoreAll(uses, selection, copyDir, overwrite, progress));
  }

  /**
   * Whether any file of the use's files matches {@code selection}'s filters (all do without
   * filters); true when its manifest is not here, for {@link #restore} to say so.
   */
  public boolean anyFileMatches(Usage.Use use, Selection selection) throws IOException {
    return new LockedRestore(this).anyFileMatches(use, selection);
  }

  /**
   * Adds a record fetched from a remote to the local catalog, unless the version is already known
   * here. Its version string is reserved locally when free.
   */
  public void importRecord(DatasetRecord r) throws IOException {
    if (catalog().exists(r.id())) {
      return;
    }
    try {
      // False when a local version holds that string: the remote one keeps it all the same.
      catalog().reserveVersion(r.project(), r.name(), r.version(), r.id());
    } catch (IllegalArgumentException malformed) {
      // not a version string this release takes (a newer Cairn's, or a record edited there): not reserved
    }
    try {
      catalog().create(r);
    } catch (IOException e) {
      if (!catalog().exists(r.id())) {
        throw e;
      }
    }
  }

  /**
   * Replaces the record {@code ours} by {@code theirs}, a copy from a remote whose log extends it
   * (the version renamed, tagged or published elsewhere since): unless the local record changed
   * meanwhile. A new name or project takes its version string there, as a rename does.
   */
  public void fastForward(DatasetRecord ours, DatasetRecord theirs) throws IOException {
    if (!theirs.id().equals(ours.id()) || !Objects.equals(theirs.root(), ours.root())
        || !Objects.equals(theirs.versionObject(), ours.versionObject()) || !theirs.parents().equals(ours.parents())) {
      // What a closed version holds never changes: a newer record saying otherwise was rewritten
      // where it came from (a record is a file), and is not taken.
      throw new CorruptObjectException(ours.versionObject(), CorruptObjectException.Reason.MALFORMED,
          theirs.storage(), "the newer record of version " + ours.id() + " there names other content than this one; the local"
          + " one is kept (check the remote with cairn fsck --storage)");
    }
    try (VersionLocks.Lock lock = catalog().lock(ours.id())) {
      DatasetRecord now = catalog().read(ours.id());
      if (!now.log().equals(ours.log())) {
        return;
      }
      // The remote's record names itself as the storage; the version keeps its own, and the
      // uploads logged here alone (copies sent to other remotes), which later changes go to too.
      DatasetRecord.Builder taken = theirs.toBuilder().log(withUploadsOf(now.log(), theirs.log()));
      replaceRecord(now, now.storage() != null ? taken.storage(now.storage()).build() : taken.build());
      if (theirs.storage() != null) {
        catalog().agreed().clear(ours.id(), theirs.storage()); // the record here holds the remote's changes, and no others
      }
    }
  }

  /**
   * Writes {@code taken}, a remote's record of the version {@code now} is here, or one made on
   * top of it: a rename or new version string it brings moves the string's reservation here too,
   * as a rename made here does. The caller holds the version's lock.
   */
  private void replaceRecord(DatasetRecord now, DatasetRecord taken) throws IOException {
    boolean moved = !now.project().equals(taken.project()) || !now.name().equals(taken.name())
        || !now.version().equals(taken.version());
    if (moved) {
      try {
        // False when a local version holds that string: the remote's keeps it all the same, as a fetch does.
        catalog().reserveVersion(taken.project(), taken.name(), taken.version(), taken.id());
      } catch (IllegalArgumentException malformed) {
        // not a version string this release takes: not reserved, as a fetch leaves it
      }
    }
    catalog().write(taken);
    if (moved) {
      catalog().releaseVersion(now.project(), now.name(), now.version(), now.id());
    }
  }

  /**
   * {@code theirs} with the upload entries of {@code ours} it lacks after it. Theirs keep their
   * order, whatever the times: a record made again on top of another's lists its changes after
   * the other's, and a copy that reordered them would no longer extend the remote's.
   */
  private static List<LogEntry> withUploadsOf(List<LogEntry> ours, List<LogEntry> theirs) {
    List<LogEntry> merged = new ArrayList<>(theirs);
    for (LogEntry e : ours) {
      if (e.command().equals("upload") && !theirs.contains(e)) {
        merged.add(e);
      }
    }
    return merged;
  }

  // ---- remotes ---------------------------------------------------------------------------------

  /** Config key of the default remote (also {@code $CAIRN_STORAGE}). */
  public static final String DEFAULT_REMOTE_KEY = "remote.default";

  /** Whether this thread runs as if {@code $CAIRN_STORAGE} were not set ({@link #setAsideEnvironmentStorage}). */
  private static final ThreadLocal<Boolean> ENVIRONMENT_STORAGE_SET_ASIDE = ThreadLocal.withInitial(() -> false);

  /** {@code $CAIRN_STORAGE}, trimmed; null when unset or blank, or set aside on this thread. */
  public static String environmentStorage() {
    String env = ENVIRONMENT_STORAGE_SET_ASIDE.get() ? null : System.getenv("CAIRN_STORAGE");
    return env == null || env.isBlank() ? null : env.trim();
  }

  /**
   * Makes this thread's commands run as if {@code $CAIRN_STORAGE} were not set (true), or as they
   * do (false): work of the tool's own, such as a daemon's warm-up in a repository of its own,
   * must never reach the remote the user named.
   */
  public static void setAsideEnvironmentStorage(boolean aside) {
    ENVIRONMENT_STORAGE_SET_ASIDE.set(aside);
  }

  /**
   * The default remote: {@code $CAIRN_STORAGE}, else {@code remote.default} in the config (a
   * relative folder there is relative to the repository, as Git reads a relative remote), else null.
   */
  public String defaultStorage() {
    String env = environmentStorage();
    if (env != null) {
      return env;
    }
    String c = repo.config().get(DEFAULT_REMOTE_KEY, "").trim();
    if (c.isEmpty()) {
      return null;
    }
    if (!c.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") && !Path.of(c).isAbsolute()) {
      return repo.directory().resolve(c).normalize().toString(); // not wherever a command happens to run
    }
    return c;
  }

  /**
   * Settings passed to every remote this repository opens (Hadoop keys such as
   * {@code fs.s3a.endpoint}), on top of the storage's own configuration files.
   */
  public void setStorageConf(Map<String, String> conf) {
    this.storageConf = Map.copyOf(conf);
  }

  /** The settings given to {@link #setStorageConf}. */
  public Map<String, String> storageConf() {
    return storageConf;
  }

  /** Opens a remote with the settings of {@link #setStorageConf}; the caller closes it. */
  public Remote openRemote(String storage) throws IOException {
    return openRemote(storage, storageConf);
  }

  /** Opens a remote ({@code s3a://...}, {@code hdfs://...}, a folder); the caller closes it. */
  public Remote openRemote(String storage, Map<String, String> conf) throws IOException {
    URI uri = Storages.parse(storage);
    if ("file".equals(uri.getScheme())) {
      // A remote inside the repository would be written by both; its own gc and fsck would take
      // the remote's files for leftovers.
      Path folder = Path.of(uri);
      Path inside = Repository.enclosingRepository(folder);
      if (inside != null && Files.exists(folder) && Files.isSameFile(inside, folder)
          && !inside.equals(repo.directory())) {
        throw new InvalidInputException("Cannot use " + uri + " as a remote: it is a Cairn repository, not a remote (a repository is"
            + " given as --repo)");
      }
      if (inside != null) {
        throw new InvalidInputException("Cannot use " + uri + " as a remote: it lies inside the repository " + inside
            + (inside.equals(repo.directory()) ? "" : ", whose gc would delete it") + "; give a folder outside it");
      }
    }
    return new Remote(Storages.open(uri, conf), repo);
  }

  /**
   * Checks, without writing anything, that {@code storage} can be pushed to: an existing remote of
   * this repository's object format, or a location that holds no one's files
   * ({@link Remote#checkUsable}).
   *
   * @return whether it holds Cairn data already (false: a push would make a remote there)
   */
  public boolean checkRemote(String storage) throws IOException {
    try (Remote remote = openRemote(storage)) {
      return remote.checkUsable();
    }
  }

  /**
   * Makes version {@code idOrPrefix} available locally, fetching from {@code storage} only what is
   * missing: nothing at all when the version and the selected files' data are already here.
   *
   * @param storage the remote to fetch from, or null to use only what is local
   */
  public Dataset fetch(String idOrPrefix, Selection selection, String storage, Map<String, String> conf,
      Progress progress) throws IOException {
    progress = Progress.orNone(progress);
    if (storage == null) {
      return get(idOrPrefix);
    }
    Dataset local = completeLocally(idOrPrefix, selection);
    if (local != null) {
      return local;
    }
    try (Remote remote = conf == null ? openRemote(storage) : openRemote(storage, conf)) {
      return fetch(idOrPrefix, selection, remote, progress);
    }
  }

  /** Like {@link #fetch(String, Selection, String, Map, Progress)} from an open remote. */
  public Dataset fetch(String idOrPrefix, Selection selection, Remote remote, Progress progress) throws IOException {
    progress = Progress.orNone(progress);
    Dataset local = completeLocally(idOrPrefix, selection);
    if (local != null) {
      return local;
    }
    Fetcher f = new Fetcher(this, remote, progress);
    String id;
    try {
      id = catalog().resolve(idOrPrefix);
    } catch (DatasetNotFoundException e) {
      id = f.resolve(idOrPrefix);
    }
    try (TurnLock lock = TurnLock.take(repo.tmpDirectory(), id, progress)) {
      // Another get of it may have ended while this one waited: then all is here.
      Dataset done = completeLocally(id, selection);
      return done != null ? done : fetchLocked(f, id, selection);
    }
  }

  /** The file of {@code tmp/} whose lock a collection (gc) holds from start to end: one at a time. */
  public static final String COLLECTION_LOCK_FILE = "gc.lock";

  /** The file of {@code tmp/} whose lock a rename or move holds from start to end: one at a time. */
  public static final String RENAME_LOCK_FILE = "rename.lock";

  /** The start of the names of {@code tmp/}'s files whose locks make datasets' next versions ({@link #lockNextVersion}). */
  private static final String NEXT_VERSION_LOCK_PREFIX = "next-";

  /**
   * Takes the lock under which a command makes the next version of the datasets named {@code name}
   * (in any project) from their latest, from taking the parent to closing the version: a second
   * run of the same {@code sync --project --name}, started while the first runs (overlapping
   * scheduled jobs), then builds on the first's version, and finds nothing to change, rather than
   * making a twin beside it. Held by one command at a time in this repository, its waits said by
   * {@code whenWaiting}, told who holds it ("process PID"); its file stays in {@code tmp/}.
   */
  public java.io.Closeable lockNextVersion(String name, java.util.function.Consumer<String> whenWaiting) throws IOException {
    String key = HashAlgorithm.SHA256.hash(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).abbreviate(16);
    WholeFileLock lock = WholeFileLock.take(repository().tmpDirectory().resolve(NEXT_VERSION_LOCK_PREFIX + key + ".lock"), whenWaiting);
    return lock::close;
  }

  /**
   * Whether a file of {@code tmp/} is the lock of fetches, of lock breakers, of pack removal, of
   * collections, of renames or of a dataset's next version, which stay there: not leftovers.
   */
  public static boolean isLockFileOfTmp(String name) {
    return name.equals(TurnLock.Kind.FETCH.fileName) || name.equals(TurnLock.Kind.PUSH.fileName)
        || name.equals(VersionLocks.BREAK_LOCK_FILE) || name.equals(PackRemovalLock.FILE_NAME)
        || name.equals(COLLECTION_LOCK_FILE) || name.equals(RENAME_LOCK_FILE)
        || name.matches(NEXT_VERSION_LOCK_PREFIX + "[0-9a-f]{16}\\.lock");
  }

  private Dataset fetchLocked(Fetcher f, String id, Selection selection) throws IOException {
    if (catalog().exists(id)) {
      DatasetRecord ours = catalog().read(id);
      if (ours.isDraft() || ours.storage() == null && !f.holds(id)) {
        // Made here, on top of a version fetched in part: not on the remote itself, but the data
        // of the files it shares with that version is.
        f.fetchContent(ours.root(), selection);
        return new Dataset(this, id);
      }
    }
    DatasetRecord r = f.fetch(id, selection);
    if (!catalog().exists(id)) {
      importRecord(r);
    } else {
      // Renamed, tagged or published elsewhere since this copy was taken (or recovered here
      // without its remote): this one catches up.
      DatasetRecord ours = catalog().read(id);
      if (RecordHistory.takesTheirs(ours, RecordHistory.of(ours.log(), r.log()))) {
        fastForward(ours, r);
      }
    }
    return new Dataset(this, id);
  }

  /**
   * Takes {@code storage}'s newer record of version {@code id} when the remote's log extends the
   * local one (the version was renamed, tagged or published elsewhere since), as a fetch that
   * brings data does; one read of the remote, no data.
   *
   * @return whether the local record changed
   * @throws DatasetNotFoundException if the version was deleted from {@code storage} (the local copy stays)
   * @throws ConflictException if both records changed since they last agreed, in what cannot be
   *     merged (the local one stays); a change here of tags, metadata, the description or a
   *     publish is made again on top of the remote's ({@link #rebaseOnAgreed})
   */
  public boolean catchUp(String id, String storage) throws IOException {
    return catchUp(id, storage, merged -> {});
  }

  /**
   * As {@link #catchUp(String, String)}; when the change made here is made again on top of the
   * remote's record (a merge, not a fast-forward), {@code merged} is told so in a sentence.
   */
  public boolean catchUp(String id, String storage, Consumer<String> merged) throws IOException {
    DatasetRecord ours = catalog().read(id);
    if (ours.isDraft()) {
      return false;
    }
    try (Remote remote = openRemote(storage)) {
      remote.checkMarker(); // a mistyped location is said to be one, not taken for a remote without the version
      DatasetRecord theirs = remote.record(id);
      if (theirs == null && remote.wasDeleted(id)) {
        throw new DatasetNotFoundException(id + " was deleted there");
      }
      RecordHistory history = theirs == null ? RecordHistory.SAME : RecordHistory.of(ours.log(), theirs.log());
      String uri = remote.storage().uri().toString();
      RecordMerge merge = history == RecordHistory.DIVERGED ? rebaseOnAgreed(id, uri, theirs) : null;
      if (merge != null) {
        merged.accept(merge.note() + " (the next upload of it sends it there)");
        return true;
      }
      if (history == RecordHistory.DIVERGED) {
        throw new ConflictException("The record of " + id + " was changed here (" + RecordHistory.since(theirs.log(), ours.log())
            + ") and on " + uri + " (" + RecordHistory.since(ours.log(), theirs.log()) + ") since the two last agreed; the one here is kept"
            + " (they cannot be merged: a rename or version string, or no record here of their agreement; to take the remote's, cairn delete --id " + DatasetRecord.shortId(id) + " --force, then cairn get --id "
            + DatasetRecord.shortId(id) + " --storage " + uri + ")");
      }
      if (theirs == null || !RecordHistory.takesTheirs(ours, history)) {
        return false;
      }
      fastForward(ours, theirs.toBuilder().storage(remote.storage().uri().toString()).build());
      return !catalog().read(id).log().equals(ours.log());
    } catch (CorruptObjectException damagedThere) {
      return false; // fsck --storage reports it
    }
  }

  /**
   * After the upload of a change to version {@code id}'s record was refused because a teammate's
   * change reached {@code storage} since the two records last agreed ({@code agreed}, the record
   * here then): makes the change made here since again on top of the remote's record (tags added
   * or removed, metadata set or removed, the description, a publish: {@link RecordRebase}), to be
   * uploaded again.
   *
   * @return the merge ({@link RecordMerge#theirs()}, the remote's record it was made on), or null
   *     when it cannot be (another kind of change, or none there); nothing changes then
   */
  public RecordMerge rebaseRecordChange(String id, String storage, DatasetRecord agreed) throws IOException {
    try (Remote remote = openRemote(storage)) {
      DatasetRecord theirs = remote.record(id);
      if (theirs == null) {
        return null;
      }
      try (VersionLocks.Lock lock = catalog().lock(id)) {
        return rebaseLocked(id, storage, List.of(agreed), theirs);
      }
    }
  }

  /**
   * When version {@code id}'s record was changed here and on {@code storage} since the two last
   * agreed (a teammate's change reached the remote while this repository was offline, say): makes
   * the change made here since then again on top of the remote's record {@code theirs}, from the
   * record agreed on ({@link AgreedRecords}), when both sides changed only what can be made again so
   * (tags, metadata, a description, a publish: {@link RecordRebase}). The remote then needs the
   * record here, which extends its own, as after any change made here.
   *
   * @return the merge ({@link RecordMerge#merged()}, the record here now), or null when it cannot
   *     be made so (no agreement kept, or a rename on either side); nothing changes then
   */
  public RecordMerge rebaseOnAgreed(String id, String storage, DatasetRecord theirs) throws IOException {
    try (VersionLocks.Lock lock = catalog().lock(id)) {
      return rebaseLocked(id, storage, catalog().agreed().readAll(id, storage), theirs);
    }
  }

  /**
   * The change made here to {@code id}'s record since the first of {@code agreements} it extends,
   * made again on top of {@code theirs} and written, the agreement with {@code storage} then
   * theirs; null when none serves. The caller holds the version's lock.
   */
  private RecordMerge rebaseLocked(String id, String storage, List<DatasetRecord> agreements, DatasetRecord theirs)
      throws IOException {
    DatasetRecord now = catalog().read(id);
    for (DatasetRecord agreed : agreements) {
      DatasetRecord rebased = RecordRebase.onto(agreed, now, theirs);
      if (rebased != null) {
        replaceRecord(now, rebased);
        catalog().agreed().replace(id, storage, theirs);
        return new RecordMerge(id, storage, now, theirs, rebased, RecordRebase.replaced(agreed, now, theirs));
      }
    }
    return null;
  }

  /**
   * What {@link #refreshRecords} did: the versions here it compared with the remote's, those whose
   * record it took (renamed, moved, tagged, described or published there since), those deleted
   * there (kept here), those changed on both sides whose change here it made again on top of the
   * remote's ({@code merged}, updated too), and what it kept as it is here, each a sentence:
   * records changed on both sides, records the remote holds damaged, and records taken that now
   * share their name and version string with another version here; and the closed versions there, not here, of the
   * datasets that have a version here ({@code notHere}: a teammate's newer ones, say).
   */
  public record Refresh(int compared, List<String> updated, List<Note> merged, List<String> deletedThere, List<Note> kept,
      List<Note> clashes, List<String> notHere) {
    /**
     * One version that {@link #refreshRecords} merged, kept as it is here, or took into a clash.
     *
     * @param reason {@code merged} (changed here and there since the two last agreed, the change
     *     made here made again on top of the remote's: among the updated too), {@code diverged}
     *     (changed here and there since the two last agreed, in what cannot be merged),
     *     {@code unreadable} (the remote's record cannot be read), {@code damaged} (the remote's
     *     record rewrites what a closed version holds), or {@code clash} (taken, it shares its
     *     name and version string with {@code other})
     * @param other for a clash, the version here that holds that name and version string; else null
     * @param message the sentence the command line prints
     */
    public record Note(String id, String reason, String other, String message) {}

    public Refresh {
      updated = List.copyOf(updated);
      merged = List.copyOf(merged);
      deletedThere = List.copyOf(deletedThere);
      kept = List.copyOf(kept);
      clashes = List.copyOf(clashes);
      notHere = List.copyOf(notHere);
    }
  }

  /**
   * Takes {@code storage}'s newer record of every closed version here that the remote holds, as
   * {@link #catchUp} takes one's (one listing of the remote's records, no data): a machine that
   * was not part of a rename, a tag or a publish learns of it without fetching each version
   * again. Drafts, versions the remote does not hold, records changed on both sides and records
   * the remote holds damaged stay as they are.
   */
  public Refresh refreshRecords(String storage) throws IOException {
    return new RecordRefresh(this).run(storage);
  }

  /**
   * {@link #catchUp} that fails only for a location that names no remote: the remote's newer
   * record is taken when there is one, and what keeps the local record (the version deleted there,
   * records changed on both sides, a remote that cannot be read) is told to {@code note} in a
   * sentence; what is here still answers.
   *
   * @throws BadStorageLocationException if {@code storage} is malformed or of a scheme no provider
   *     supports
   */
  public void catchUpOrNote(String id, String storage, Consumer<String> note) throws BadStorageLocationException {
    catchUpOrNote(id, storage, note,
        e -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
  }

  /**
   * As {@link #catchUpOrNote(String, String, Consumer)}, with the failures to read, and records
   * changed on both sides, put in words by {@code describe}.
   */
  public void catchUpOrNote(String id, String storage, Consumer<String> note,
      Function<Exception, String> describe) throws BadStorageLocationException {
    try {
      catchUp(id, storage, note);
    } catch (BadStorageLocationException typo) {
      throw typo; // names no remote at all: no note would make the command right
    } catch (DatasetNotFoundException deletedThere) {
      note.accept(DatasetRecord.shortId(id) + " was deleted on " + storage + "; the copy here is used");
    } catch (ConflictException diverged) {
      note.accept(describe.apply(diverged));
    } catch (IOException | RuntimeException e) {
      note.accept("could not read " + DatasetRecord.shortId(id) + "'s record on " + storage + " (" + describe.apply(e) + "); the local one is used");
    }
  }

  /**
   * Where the data of {@code r} that is not here can be fetched from: its own remote once it is
   * closed, else its nearest ancestor's ({@link RemoteAncestors}), else null.
   */
  public String contentStorage(DatasetRecord r) throws IOException {
    DatasetRecord a = new RemoteAncestors(catalog()).of(r);
    return a == null ? null : a.storage();
  }

  /** The local version if it and the selected data are all here, else null. */
  private Dataset completeLocally(String idOrPrefix, Selection selection) throws IOException {
    String localId;
    try {
      localId = catalog().resolve(idOrPrefix);
    } catch (DatasetNotFoundException e) {
      return null;
    }
    return isComplete(catalog().read(localId), selection) ? new Dataset(this, localId) : null;
  }

  /** Whether the version's manifest and the selected files' data are all stored locally. */
  boolean isComplete(DatasetRecord r, Selection selection) throws IOException {
    // A draft's objects may sit in packs another process has not indexed yet (ObjectDatabase.refresh):
    // walked again only if the index was written since (packs this refresh registered, or another
    // process did): a whole walk of a version held here in part is not done twice for nothing.
    long before = repo.packs().index().lastTransactionId();
    return isStored(r, selection)
        || (repo.objects().refresh() && repo.packs().index().lastTransactionId() != before && isStored(r, selection));
  }

  private boolean isStored(DatasetRecord r, Selection selection) throws IOException {
    var db = repo.objects();
    if (r.versionObject() != null && !db.has(r.versionObject())) {
      return false;
    }
    try (ObjectReader reader = db.newReader()) {
      return StoredContent.firstMissing(reader, r.root(), selection) == null;
    } catch (MissingObjectException | UncheckedIOException e) {
      return false;
    }
  }

  /** The versions a remote holds, oldest first. */
  public List<DatasetRecord> listRemote(String storage, Map<String, String> conf) throws IOException {
    return readRemote(storage, conf).records();
  }

  /** As {@link #listRemote}, with the ids of the versions there whose newest record does not parse. */
  public VersionListing readRemote(String storage, Map<String, String> conf) throws IOException {
    try (Remote remote = conf == null ? openRemote(storage) : openRemote(storage, conf)) {
      remote.checkMarker(); // a mistyped location is refused, not listed as empty
      return remote.readRecords();
    }
  }

  /** Projects that hold at least one version, sorted. */
  public List<String> projects() throws IOException {
    return catalog().all().stream().map(DatasetRecord::project).distinct().sorted(Comparator.comparing(s -> s.toLowerCase(Locale.ROOT))).toList();
  }

  /**
   * Closes the repository: close it once the work that uses it is done. The object store's readers
   * and writers in use on other threads are waited for, up to ten seconds, so that no pack is left
   * half written; an operation is not: one that goes on past {@code close} (to its next step), and
   * any call begun after it, fails with an {@link IllegalStateException}. What an operation cut
   * so had written stays as a crash would leave it (spec/guarantees.md): sound, and finished or
   * cleaned up by the next run.
   */
  @Override
  public void close() throws IOException {
    try {
      if (owned) {
        repo.close(); // first: it waits for the readers and inserters in use, whose work may still need the rest
      }
    } finally {
      closed = true;
    }
  }
}
