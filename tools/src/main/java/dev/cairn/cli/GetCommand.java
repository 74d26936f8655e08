package dev.cairn.cli;

import dev.cairn.dataset.Catalog;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Glob;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.dataset.Usage;
import dev.cairn.dataset.VersionStrings;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.InvalidInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "get", description = "Get a local copy of a version; prints its folder as the last line (--lock naming several "
    + "versions: a line <alias><TAB><folder> each). Without --copy: the cached read-only folder (built once, then returned at once).")
final class GetCommand extends Base {
  @Mixin VersionSelector selector;
  @Mixin StepsOption steps;
  @Mixin WorkersOption workers;

  @Option(names = "--copy", paramLabel = "DIR", description = "Write an independent, writable copy into DIR (with --lock naming several versions: DIR/<alias> each).")
  Path copy;

  @Option(names = "--link", paramLabel = "DIR", description = "Make DIR a symbolic link to the cached read-only folder.")
  Path link;

  @Option(names = "--overwrite", description = "With --copy or --link: replace what DIR holds (a --link DIR that is a link into this repository's cache is re-pointed without it).")
  boolean overwrite;

  @Mixin SelectionOptions selection;

  @Option(names = "--alias", paramLabel = "NAME", description = "Record that a run (--run, or $CAIRN_RUN_ID) used this version under NAME;"
      + " without a run, a warning says it was not recorded.")
  String alias;

  @Option(names = "--run", paramLabel = "RUN", description = "The run to record with --alias or --lock (default: $CAIRN_RUN_ID).")
  String run;

  @Option(names = "--lock", paramLabel = "FILE", description = "Restore exactly the versions a lock file (- : standard input) names, fetching what is not here from the remote the lock"
      + " names for each (else, or if it fails, --storage), or from the version's own remote, the default one, or the remote its"
      + " dataset's versions here came from; a run (--run, or $CAIRN_RUN_ID) is recorded as using each under its alias in the file.")
  Path lock;

  @Option(names = "--storage", paramLabel = "URI", description = "Fetch what is missing locally from this remote (default: $CAIRN_STORAGE or remote.default); with --name, the remote's"
      + " highest version (by default, the higher of that remote's and the highest here).")
  String storage;

  /**
   * Only a get that may fetch from a remote (a fresh machine's first step) makes the repository:
   * otherwise a mistyped {@code --repo} would leave an empty one behind and blame the version.
   */
  @Override
  boolean createsRepository() {
    return remoteOfNewRepository() != null;
  }

  @Override
  String noRepositoryHint() {
    if (lock == null) {
      return super.noRepositoryHint();
    }
    // On a new machine, the remote is asked for: the lock names none (its versions were on none when
    // it was written), or the one it names is not there now.
    String locked = lockedRemote();
    return (locked == null ? "the lock file names no remote its versions are on" : "the remote the lock file names, " + locked
        + ", holds no Cairn data now (moved?)") + ": get --lock " + ShellWords.quote(lock.toString()) + " --storage URI fetches them"
        + " from " + (locked == null ? "one" : "its new place") + ", making a repository; check --repo or CAIRN_HOME";
  }

  @Override
  String remoteOfNewRepository() {
    // For a lock, one of its own remotes first, while it is there: --storage stands in for one that
    // moved. Decided once: asked again, the lock is not read nor its remote probed twice.
    if (newRepositoryRemote == null) {
      String locked = lock == null ? null : lockedRemote();
      String chosen = locked != null && holdsCairnData(locked) ? locked
          : storage != null ? storage : DatasetRepository.environmentStorage();
      newRepositoryRemote = java.util.Optional.ofNullable(chosen);
    }
    return newRepositoryRemote.orElse(null);
  }

  /** {@link #remoteOfNewRepository}'s answer, once given. */
  private java.util.Optional<String> newRepositoryRemote;

  /** The first remote the lock file names, or null (none, or no lock file that can be read: the get says why). */
  private String lockedRemote() {
    try {
      return Usage.parseLockFile(lockText(), lock.toString()).stream().map(Usage.Use::storage)
          .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** The lock file's text, read once: {@code -} is standard input, which can be read only once. */
  private String lockText;

  private String lockText() throws IOException {
    if (lockText != null) {
      return lockText;
    }
    boolean stdin = lock.toString().equals("-");
    if (!stdin && !Files.exists(lock)) {
      throw new InvalidInputException("Cannot read lock file " + lock + ": no such file");
    }
    if (!stdin && Files.isDirectory(lock)) {
      throw new InvalidInputException("Cannot read lock file " + lock + ": it is a folder");
    }
    byte[] bytes = stdin ? System.in.readAllBytes() : Files.readAllBytes(lock); // a pipe (<(...)) too
    try {
      lockText = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notText) {
      throw new InvalidInputException("Cannot read lock file " + (stdin ? "from standard input" : lock)
          + ": not a Cairn lock file, which is UTF-8 text");
    }
    return lockText;
  }

  @Override
  boolean remoteMustExist() {
    return true;
  }

  @Override
  int run() throws Exception {
    if (overwrite && copy == null && link == null) {
      throw new UsageException("Cannot use --overwrite without --copy or --link: the cached folder is never overwritten");
    }
    if (lock != null && (selector.id != null || selector.name != null || selector.project != null || selector.version != null)) {
      throw new UsageException("Cannot get: --lock names the versions to get; it excludes --id, --project, --name and --version");
    }
    if (lock != null && alias != null) {
      throw new UsageException("Cannot get: --lock gets the versions its file names under their own aliases; --alias records"
          + " a new use of one version (get it by --id or --name)");
    }
    if (run != null && alias == null && lock == null) {
      throw new UsageException("Cannot use --run without --alias: it names the run that used the version under the alias");
    }
    if (alias != null) { // before anything is fetched or copied
      Usage.checkAlias(alias);
      if (run != null) {
        Usage.checkRun(run);
      }
    }
    if (copy != null && link != null) {
      throw new UsageException("Cannot get: --copy and --link exclude each other");
    }
    if (lock != null && link != null) {
      throw new UsageException("Cannot get: --link links one version's folder and --lock restores each version the lock file names;"
          + " give --copy DIR for a folder of them, or neither to print each cached folder");
    }
    Selection sel = selection.selection("get");
    List<String> filters = selection.filters;
    if (lock != null) {
      return fromLock(sel);
    }
    if (link != null) {
      Dataset.requireLinkable(repo(), link, overwrite); // refused before anything is fetched or built
    }
    Dataset ds = resolveOrFetch(sel);
    if (!filters.isEmpty()) {
      if (!ds.anyFileMatches(filters)) {
        throw new InvalidInputException("Cannot get: no file of " + ds.id() + " matches --filter " + String.join(" ", filters)
            + Glob.reachHint(filters));
      }
    }
    String usedBy = usedBy();
    if (alias != null && usedBy == null) {
      // As clearml-data without a running task: the data is still got, the use not recorded.
      warn("--alias " + alias + " not recorded: no run to record it for (give --run RUN, or set CAIRN_RUN_ID)");
    }
    boolean recordUse = alias != null && usedBy != null;
    if (recordUse) { // before the copy, not after it
      Usage.requireClosed(ds.record(), usedBy);
    }
    Path path;
    try {
      if (copy != null) {
        // With an alias to record after it, the copy's commit is not the command's end.
        path = ds.getMutableLocalCopy(copy, overwrite, sel, !recordUse ? progress() : withoutCommit(progress()));
      } else if (link != null) {
        path = ds.linkLocalCopy(link, overwrite, sel, progress());
      } else {
        path = ds.getLocalCopy(sel, progress());
      }
    } catch (CorruptObjectException damaged) {
      throw withRemedy(damaged);
    } catch (IOException | RuntimeException e) {
      throw copy != null ? namingDestination(e, copy) : e;
    }
    repo().catalog();
    if (recordUse) {
      ds.alias(alias, usedBy);
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds.id());
      m.put("path", path.toAbsolutePath().normalize().toString());
      m.put("mode", copy != null ? "copy" : link != null ? "link" : "cached");
      m.put("part", selection.part);
      m.put("num_parts", selection.numParts);
      m.put("filters", filters);
      m.put("downloaded_bytes", downloaded.get());
      if (alias != null) {
        m.put("alias_recorded", recordUse); // false without a run to record it for (warned of on stderr)
      }
      printJson(m);
    } else {
      out().println(path.toAbsolutePath().normalize()); // ./work as /cwd/work
    }
    return 0;
  }

  /**
   * Whether the current version is a draft that {@code got} belongs to: one of its parents, or a
   * version of the same dataset (a copy to edit, then sync into the draft), which leaves it current.
   */
  private boolean keepsCurrentDraft(Dataset got) {
    try {
      String current = repo().catalog().current();
      if (current == null || current.equals(got.id())) {
        return false;
      }
      DatasetRecord draft = repo().get(current).record();
      DatasetRecord r = got.record();
      return draft.isDraft() && (draft.parents().contains(r.id()) || (draft.project().equals(r.project()) && draft.name().equals(r.name())));
    } catch (IOException gone) { // deleted since, or its record unreadable: the get goes on
      return false;
    }
  }

  /**
   * By name, with a default remote ($CAIRN_STORAGE, remote.default: the team's): the higher of the
   * highest version here and the highest there, as {@code --storage} would ask it, since a
   * teammate may have uploaded a newer one. A remote that cannot be asked leaves the one here,
   * with a warning; none here ({@code missing} says why), the remote's error stands. Versions
   * deleted here are passed over, with a note: the remote named by no option does not bring back
   * what the user deleted (as for {@code --id}, {@code --storage} fetches them again).
   */
  private String highestOf(Dataset here, DatasetNotFoundException missing, String team) throws IOException {
    List<DatasetRecord> deletedHere = new ArrayList<>();
    Catalog catalog = repo().catalog();
    Predicate<DatasetRecord> notDeletedHere = r -> {
      if (selector.version == null && r.isDraft()) {
        return false; // a teammate's draft there (its version string reserved), or one of ours: by name, the highest closed one
      }
      boolean deleted = catalog.wasDeleted(r.id());
      if (deleted && isSelected(r)) {
        deletedHere.add(r);
      }
      return !deleted;
    };
    DatasetRecord there;
    try {
      there = repo().resolveRemoteRecord(team, null, selector.project, selector.name, selector.version, notDeletedHere,
          (here == null ? "here or on " : "on ") + team);
    } catch (DatasetNotFoundException none) {
      DatasetRecord passed = highest(deletedHere);
      if (here == null && passed != null) {
        throw new DatasetNotFoundException("Cannot get " + DatasetRepository.label(passed.project(), passed.name()) + ": version "
            + passed.version() + " (" + passed.shortId() + ") on " + team + " was deleted here (give --storage " + team + " to fetch it again)");
      }
      if (here == null) {
        throw none;
      }
      notePassedOver(passed, here.record(), team);
      return here.id();
    } catch (IOException | RuntimeException unreachable) { // a client that cannot be built, too
      if (here == null) {
        throw unreachable;
      }
      warn("could not ask " + team + " for a newer version (" + ErrorHandler.oneLine(unreachable, false) + "); the highest here, "
          + here.version() + ", is used");
      return here.id();
    }
    // By name, a closed version there is taken over a draft here (which the lookup here gives only
    // for want of a closed one): get takes the highest closed version.
    boolean draftHere = here != null && selector.version == null && here.record().isDraft();
    boolean takeHere = here != null && !draftHere && VersionStrings.compare(here.version(), there.version()) >= 0;
    DatasetRecord chosen = takeHere ? here.record() : there;
    if (takeHere && !there.id().equals(here.id()) && there.version().equals(here.version())) {
      // Two versions made apart under one string (one kept here, one uploaded by a teammate):
      // neither is "the" version, which the get says, not silently choosing.
      warn(DatasetRepository.label(there.project(), there.name()) + " version " + there.version() + " is " + here.shortId() + " here but "
          + there.shortId() + " on " + team + " (two versions made apart under one string); the one here is used (cairn get --id "
          + there.shortId() + " takes the other; cairn set-version --id " + here.shortId() + " gives this one another string)");
    }
    notePassedOver(highest(deletedHere), chosen, team);
    return chosen.id();
  }

  /** Whether {@code r} is a version the selector's name (and version) picks. */
  private boolean isSelected(DatasetRecord r) {
    return r.name().equals(selector.name) && (selector.project == null || r.project().equals(selector.project))
        && (selector.version == null || r.version().equals(selector.version));
  }

  private static DatasetRecord highest(List<DatasetRecord> records) {
    return records.stream().max((a, b) -> VersionStrings.compare(a.version(), b.version())).orElse(null);
  }

  /** Notes a version deleted here that the get would have taken from {@code team} instead of {@code chosen}. */
  private void notePassedOver(DatasetRecord passed, DatasetRecord chosen, String team) {
    if (passed != null && VersionStrings.compare(passed.version(), chosen.version()) > 0) {
      note("version " + passed.version() + " (" + passed.shortId() + ") on " + team + " was deleted here, so version " + chosen.version()
          + " is taken (give --storage " + team + " to fetch " + passed.version() + " again)");
    }
  }

  /** The dataset's remote a get by name asked, for want of a team one; null if none. */
  private String nameRemote;

  /**
   * The remote the dataset {@code project}/{@code name}'s versions here were uploaded to (that of
   * the highest closed version here, else of the highest draft); null when none was, or when the
   * dataset has no version here.
   */
  private String datasetRemote(String project, String name) throws IOException {
    DatasetRecord r;
    try {
      r = repo().get(project, name, null, true).record();
    } catch (DatasetNotFoundException none) {
      try {
        r = repo().get(project, name, null, false).record();
      } catch (DatasetNotFoundException noneAtAll) {
        return null;
      }
    }
    return r.storage() != null && r.wasUploaded() ? r.storage() : null;
  }

  /** The version, fetched first from the remote if it or the selected data are not all local. */
  private Dataset resolveOrFetch(Selection sel) throws Exception {
    selector.validate();
    String remote = storage;
    String id = selector.id;
    if (id != null) {
      Catalog.requireIdForm(id);
    }
    if (id == null && selector.name == null) {
      Dataset current = requireCurrent(repo());
      id = current.id();
    }
    if (id == null) {
      // by name: the remote's highest version when a remote is named (it may be newer than the
      // local ones), else the local highest, else the default remote's
      if (remote != null) {
        id = repo().resolveRemote(remote, null, selector.project, selector.name, selector.version);
      } else {
        Dataset here = null;
        DatasetNotFoundException missing = null;
        try {
          here = selector.resolve(repo(), true); // by name, the highest closed version
        } catch (DatasetNotFoundException notLocal) {
          missing = notLocal;
        }
        String team = repo().defaultStorage();
        if (team == null && (here == null || selector.version == null)) {
          // No team remote: the dataset's own, where its versions here were uploaded, as clearml
          // asks its server; a version string here is that version, and nothing needs asking.
          team = datasetRemote(selector.project, selector.name);
          nameRemote = team;
        }
        if (team != null) {
          id = highestOf(here, missing, team);
        } else if (here != null) {
          id = here.id();
        } else {
          throw missing;
        }
      }
    }
    if (remote == null) {
      DatasetNotFoundException notHere = null;
      try {
        repo().get(id);
      } catch (DatasetNotFoundException e) {
        notHere = e;
      }
      if (notHere != null) {
        remote = nameRemote != null ? nameRemote : repo().defaultStorage();
        if (remote == null && !deletedHere(id, notHere)) {
          // As clearml asks its one server: the one remote this repository's versions went to, if
          // there is just one (several: the error names them).
          Set<String> known = knownRemotes();
          if (known.size() == 1) {
            guessed = known.iterator().next();
            remote = guessed;
          } else if (!known.isEmpty()) {
            throw new DatasetNotFoundException("Cannot find dataset version " + id + " locally (give --storage URI to fetch it; this"
                + " repository's versions are on " + String.join(" and ", known) + ")");
          }
        }
        if (remote == null) {
          throw notHere(id, notHere);
        }
      } else {
        // Its own remote, or, for a version made here on top of one fetched in part, that one's.
        remote = repo().contentStorage(repo().get(id).record());
      }
    }
    Dataset ds;
    try {
      ds = repo().fetch(id, sel, remote, null, progress());
      if (guessed != null) {
        note(ds.shortId() + " was not here: it came from " + guessed + ", where this repository's versions are");
      }
    } catch (IOException e) {
      if (guessed == null || !(e instanceof dev.cairn.storage.StorageException || e instanceof dev.cairn.errors.InvalidConfigException)) {
        throw e; // found there, or not: the remote's own answer
      }
      // Asked unasked (offline, say): the version is first of all not here.
      DatasetNotFoundException notHere = new DatasetNotFoundException("Cannot find dataset version " + id + " locally, and " + guessed
          + ", where this repository's versions are, could not be asked (" + ErrorHandler.oneLine(e, false) + "); give --storage URI"
          + " to fetch it");
      notHere.initCause(e);
      throw notHere;
    }
    contentRemote = remote;
    if (storage != null) {
      // Asked of a remote: its newer record (renamed, tagged elsewhere) is taken even when no data
      // had to come, as git fetch updates what it was asked for.
      catchUpFrom(ds, storage);
    }
    if (!keepsCurrentDraft(ds)) {
      becomesCurrent(ds.id()); // else the draft being built stays the current one: the next add or sync goes to it
    }
    return ds.invokedAs("get", argv());
  }

  /**
   * A local object found damaged while the version's remote holds it: the damage is set aside by a
   * repair, after which the same get fetches what it lost. Said here, as the error handler knows
   * no remote of a local pack.
   */
  private Exception withRemedy(CorruptObjectException damaged) {
    if (contentRemote == null || ErrorHandler.remoteOf(damaged.where()) != null) {
      return damaged;
    }
    return new IOException(damaged.getMessage() + "; " + contentRemote + " holds this version: cairn fsck --repair sets the damaged"
        + " data aside, then this get fetches it again", damaged);
  }

  /** Whether {@code id} was deleted here, or found deleted on its remote: no remote is asked for it unasked. */
  private boolean deletedHere(String id, DatasetNotFoundException why) throws IOException {
    return String.valueOf(why.getMessage()).contains(" was deleted") || repo().catalog().deletedThere(id) != null;
  }

  /** The remote a get of a version not here looks on unasked (the one this repository's versions are on); null if none. */
  private String guessed;

  /** {@code id} is not here ({@code why}): a version deleted here says so, as other commands do. */
  private DatasetNotFoundException notHere(String id, DatasetNotFoundException why) throws IOException {
    String message = String.valueOf(why.getMessage());
    if (message.contains(" was deleted here;")) {
      return why; // it names the remote it was uploaded to, and the get that fetches it again
    }
    if (message.contains(" was deleted")) {
      return new DatasetNotFoundException(message + " (give --storage URI to fetch it again from a remote that holds it)");
    }
    String there = repo().catalog().deletedThere(id);
    if (there != null) {
      // An ancestor a fetch found deleted on its remote: that remote is where it would be back.
      return new DatasetNotFoundException("Cannot find dataset version " + id + " locally: it was deleted on " + there + " when a"
          + " version descending from it was fetched (if it is back there: cairn get --id " + DatasetRecord.shortId(id) + " --storage "
          + ShellWords.quote(there) + ")");
    }
    return new DatasetNotFoundException("Cannot find dataset version " + id + " locally (give --storage URI to fetch it)");
  }

  /** The run that uses what this get gets: --run, else $CAIRN_RUN_ID (set empty, none); null for none. */
  private String usedBy() {
    String env = System.getenv("CAIRN_RUN_ID");
    return run != null ? run : env == null || env.isBlank() ? null : env;
  }

  /**
   * Restores the versions a lock file names, each under its alias; with a run (--run or
   * $CAIRN_RUN_ID), records that the run used each under that alias, as a get by its alias would.
   */
  private int fromLock(Selection sel) throws Exception {
    List<Usage.Use> uses = Usage.parseLockFile(lockText(), lock.toString().equals("-") ? "from standard input" : lock.toString());
    String usedBy = usedBy();
    if (usedBy != null) {
      Usage.checkRun(usedBy);
    }
    List<Object> results = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    for (Usage.Use u : uses) {
      fetchLocked(u, sel);
    }
    if (!selection.filters.isEmpty()) {
      // As a get of one version: a filter that matches nothing is an error; a version of several it
      // matches nothing of is warned of (its folder is empty).
      List<Usage.Use> unmatched = new ArrayList<>();
      for (Usage.Use u : uses) {
        if (!repo().anyFileMatches(u, sel)) {
          unmatched.add(u);
        }
      }
      if (unmatched.size() == uses.size()) {
        throw new InvalidInputException("Cannot get: no file of " + (uses.size() == 1 ? uses.get(0).id() : "the " + uses.size()
            + " versions of " + lock) + " matches --filter " + String.join(" ", selection.filters) + Glob.reachHint(selection.filters));
      }
      unmatched.forEach(u -> warn("no file of " + u.alias() + " (" + DatasetRecord.shortId(u.id()) + ") matches --filter "
          + String.join(" ", selection.filters) + ": its folder is empty"));
    }
    // Several copies are one: DIR holds them all, or (stopped midway) is as it was, so that the
    // command run again makes them.
    List<Path> copies = copy != null && uses.size() > 1
        ? repo().restoreAll(uses, sel, copy, overwrite, usedBy == null ? progress() : withoutCommit(progress())) : null;
    for (int i = 0; i < uses.size(); i++) {
      Usage.Use u = uses.get(i);
      Path p = copies != null ? copies.get(i)
          : repo().restore(u, sel, copy, overwrite, uses.size() == 1 && usedBy == null ? progress() : withoutCommit(progress()));
      paths.add(p);
      if (usedBy != null) {
        repo().get(u.id()).alias(u.alias(), usedBy);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alias", u.alias());
      m.put("id", u.id());
      m.put("root", u.root().hex());
      m.put("path", p.toAbsolutePath().toString());
      results.add(m);
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("datasets", results);
      doc.put("run", usedBy); // recorded as using each under its alias; null: none
      // One version: its folder. Several: the folder holding theirs (--copy DIR), else none (each is in "datasets").
      Path whole = uses.size() == 1 ? paths.get(0) : copy;
      doc.put("path", whole == null ? null : whole.toAbsolutePath().toString());
      doc.put("downloaded_bytes", downloaded.get());
      printJson(doc);
    } else {
      for (int i = 0; i < uses.size(); i++) {
        if (uses.size() > 1) {
          out().printf("%s\t%s%n", uses.get(i).alias(), paths.get(i).toAbsolutePath());
        } else {
          out().println(paths.get(i).toAbsolutePath());
        }
      }
    }
    return 0;
  }

  /** The remote that holds the version's data (null: none known), once it is resolved. */
  private String contentRemote;

  /**
   * Fetches what a lock file's version lacks here (nothing is read from a remote when all is
   * here): from the remote the lock names for it, else, or if that one fails (moved, say), from
   * --storage; a version the lock names no remote for comes from --storage, else from the remote
   * it came from, the default one, or the one its dataset's versions here came from.
   */
  private void fetchLocked(Usage.Use u, Selection sel) throws IOException {
    DatasetRepository repo = repo(); // a new one is made before any fetch: its failure is no fetch's
    if (u.storage() != null) {
      try {
        repo.fetch(u.id(), sel, u.storage(), null, progress());
        return;
      } catch (IOException lockedRemoteFailed) {
        if (storage == null) {
          InvalidInputException said = new InvalidInputException("Cannot restore " + u.alias() + " (" + DatasetRecord.shortId(u.id())
              + ") from " + u.storage() + ", which the lock names: " + ErrorHandler.oneLine(lockedRemoteFailed, false)
              + "; if that remote moved, give --storage with its new place");
          said.addSuppressed(lockedRemoteFailed);
          throw said;
        }
        note("could not fetch " + u.alias() + " (" + DatasetRecord.shortId(u.id()) + ") from " + u.storage() + ", which the lock"
            + " names (" + ErrorHandler.oneLine(lockedRemoteFailed, false) + "); trying --storage " + storage);
      }
    }
    String from = storage != null ? storage : remoteKnownHere(repo, u);
    if (from != null) {
      repo.fetch(u.id(), sel, from, null, progress());
    }
  }

  /**
   * Where this repository says a lock's version is: the remote it came from, else the default
   * one, else the one its dataset's versions here came from; null if none.
   */
  private String remoteKnownHere(DatasetRepository repo, Usage.Use u) throws IOException {
    String from = repo.catalog().exists(u.id()) ? repo.contentStorage(repo.catalog().read(u.id())) : null;
    if (from == null) {
      from = repo.defaultStorage();
    }
    if (from == null && u.name() != null) {
      from = datasetRemote(u.project(), u.name());
    }
    return from;
  }

  /** Bytes of blocks this command read from remotes, for {@code --json}'s {@code downloaded_bytes}. */
  private final AtomicLong downloaded = new AtomicLong();

  /** The command's progress, counting what it downloads (the phases a fetch names "downloading ..."). */
  @Override
  Progress progress() {
    return new ForwardingProgress(super.progress()) {
      private volatile boolean downloading;

      @Override
      public void start(String task, long totalBytes) {
        downloading = task.startsWith("downloading");
        super.start(task, totalBytes);
      }

      @Override
      public void advance(long bytes) {
        if (downloading) {
          downloaded.addAndGet(bytes);
        }
        super.advance(bytes);
      }
    };
  }

  /** {@code p}, but for {@link Progress#committed}, which it does not pass on. */
  private static Progress withoutCommit(Progress p) {
    return new ForwardingProgress(p) {
      @Override
      public void committed(String result) {
        // the command goes on: its end is said later
      }
    };
  }
}
