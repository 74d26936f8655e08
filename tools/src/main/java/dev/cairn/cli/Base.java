package dev.cairn.cli;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.dataset.Catalog;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.DraftOwners;
import dev.cairn.dataset.MaxWorkers;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.RepositoryNotFoundException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.internal.json.Json;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.Storages;
import dev.cairn.transport.Pusher;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the repository, output streams, {@code --json}. */
abstract class Base implements Callable<Integer> {
  @ParentCommand CairnCommand top;
  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin HelpOption help;

  @Option(names = "--json", description = "Print one JSON document on stdout.")
  boolean json;

  private DatasetRepository repo;
  /** The folder of the repository this command made (none was there), or null. */
  private Path madeRepository;
  /** Whether the folder of {@link #madeRepository} existed before. */
  private boolean madeInExistingFolder;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * The repository, opened on first use; created only by a command that {@link #createsRepository
   * creates one}: a mistyped {@code --repo} gets an error, not a new empty repository.
   */
  DatasetRepository repo() throws IOException {
    if (repo == null) {
      Path dir = top.repositoryDirectory();
      if (createsRepository()) {
        boolean folderExisted = Files.exists(dir);
        boolean made = !Files.exists(dir.resolve(Repository.CONFIG));
        repo = DatasetRepository.open(dir, newRepositoryConfig(dir));
        if (made) {
          madeRepository = dir;
          madeInExistingFolder = folderExisted;
        }
      } else {
        try {
          repo = DatasetRepository.openExisting(dir);
        } catch (RepositoryNotFoundException e) {
          throw new RepositoryNotFoundException(dir.toAbsolutePath().normalize(), noRepositoryHint());
        }
      }
      for (String key : top.conf.keySet()) {
        if (key.isBlank()) {
          throw new InvalidInputException("Cannot use --conf '" + key + "=" + top.conf.get(key)
              + "': the setting's name is empty; give KEY=VALUE");
        }
      }
      repo.setStorageConf(top.conf);
    }
    return repo;
  }

  /**
   * The settings of a repository this command makes: the defaults, with the object format of the
   * remote it works with, if that holds Cairn data already (a repository of another format could
   * not use it). A command that only reads the remote makes no repository for a remote that holds
   * no Cairn data or cannot be reached: it fails first, leaving nothing behind.
   */
  private RepositoryConfig newRepositoryConfig(Path dir) throws IOException {
    String storage = remoteOfNewRepository();
    if (storage == null || Files.isRegularFile(dir.resolve(Repository.CONFIG))) {
      return RepositoryConfig.DEFAULT;
    }
    HashAlgorithm format;
    try (RemoteStorage remote = Storages.open(Storages.parse(storage), top.conf)) {
      format = Remote.objectFormatOf(remote);
      if (format == null && remoteMustExist()) {
        throw new InvalidConfigException("Cannot use remote " + remote.uri() + ": "
            + Remote.withoutMarker(remote));
      }
    } catch (IOException e) {
      if (remoteMustExist()) {
        throw e;
      }
      return RepositoryConfig.DEFAULT; // the command itself says what is wrong with the remote
    }
    return format == null ? RepositoryConfig.DEFAULT : RepositoryConfig.DEFAULT.withObjectFormat(format);
  }

  /** What a command run where there is no repository yet says makes one. */
  String noRepositoryHint() {
    return "cairn init, or the first create, sync, or command given --storage makes one (with $CAIRN_STORAGE set, the first get,"
        + " search, list or show too); check --repo or CAIRN_HOME";
  }

  /**
   * Whether the location {@code storage} holds Cairn data (true when that cannot be told: the
   * command then says what is wrong).
   */
  boolean holdsCairnData(String storage) {
    try (RemoteStorage remote = Storages.open(Storages.parse(storage), top.conf)) {
      return Remote.objectFormatOf(remote) != null;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  /**
   * The parents' remote a new version goes to by default ({@link VersionRemotes#parentsRemote}),
   * or null: none, or one that holds no Cairn data now (a folder moved away, a share not mounted),
   * which is not made again as a new remote where the parents' was, but said.
   */
  String parentsRemoteFor(List<String> parents) throws IOException {
    String inherited = remotes().parentsRemote(parents);
    if (inherited != null && !holdsCairnData(inherited)) {
      remotes().parentsRemoteUnusable(inherited, "it holds no Cairn data now (moved away, or not mounted?)");
      parentsRemoteUnusable = true;
      return null;
    }
    return inherited;
  }

  /** Whether this command said that the parents' remote could not be used (then it says nothing more of where the version is). */
  boolean parentsRemoteUnusable;

  /** Says on stderr what a push did besides uploading: made a new remote, brought back deleted versions. */
  void notePush(Dataset ds, Pusher.Result pushed, String target) throws IOException {
    if (pushed.remoteCreated()) {
      noteNewRemote(target);
    }
    String own = ds.record().storage();
    if (own != null && !uri(own).equals(uri(target))) {
      note(ds.shortId() + "'s own remote stays " + own + " (where a plain upload, and a get of"
          + " what is not here, go); " + target + " holds a copy");
    }
    pushed.merged().forEach(this::note);
    for (String id : pushed.restored()) {
      note(DatasetRecord.shortId(id) + " had been deleted on " + target + "; this upload brought it back there");
    }
  }

  /** A remote's address as records name it: a URI (a local folder's absolute {@code file:} URI), without a trailing slash. */
  static String uri(String storage) {
    return Storages.canonical(storage).replaceFirst("/$", "");
  }

  /**
   * Refuses a remote named with {@code --storage} ({@code storageFlag}; null: none) that holds no
   * Cairn data when a remote this repository uses (one a version here was uploaded to, the default)
   * is one letter away ({@link dev.cairn.internal.io.Text#isOneLetterSlip}): a mistyped address would get a new remote, and an
   * upload there the version's whole lineage. {@code cairn init --storage} makes a remote there on
   * purpose. Reads the location only when a near one is known.
   */
  void requireNotMistyped(String storageFlag, String refused) throws IOException {
    if (storageFlag == null) {
      return;
    }
    String asked = uri(storageFlag);
    java.util.Set<String> known = knownRemotes();
    if (repo().defaultStorage() != null) {
      known.add(uri(repo().defaultStorage()));
    }
    if (known.contains(asked)) {
      return;
    }
    String near = known.stream().filter(k -> dev.cairn.internal.io.Text.isOneLetterSlip(k, asked)).findFirst().orElse(null);
    if (near != null && !holdsCairnData(storageFlag)) {
      throw new InvalidInputException(refused + ": " + storageFlag + " holds no Cairn data, and " + near + ", a remote this repository"
          + " uses, is one letter away (a mistyped address?); to make a new remote there, run 'cairn init --storage "
          + ShellWords.quote(storageFlag) + "' first");
    }
  }

  /** The remotes the versions here were uploaded to (fetched ones: by whoever uploaded them there), sorted. */
  java.util.Set<String> knownRemotes() throws IOException {
    java.util.Set<String> known = new java.util.TreeSet<>();
    for (DatasetRecord r : repo().catalog().all()) {
      r.uploadedTo().forEach(u -> known.add(uri(u))); // one remote spelt two ways is one
    }
    return known;
  }

  /** Says on stderr that a command made a remote where no Cairn data was: a new one, or a mistyped address. */
  void noteNewRemote(String storage) {
    note(storage + " held no Cairn data: a new remote was made there (if you meant an existing one,"
        + " check the address)");
  }

  /**
   * The remote (its {@code --storage}) of a command that works with one holding Cairn data already
   * (a listing, a check, a delete or collection there), or null: given one, the command makes the
   * repository if there is none, of that remote's object format, and none for a location without
   * Cairn data.
   */
  String existingRemote() {
    return null;
  }

  /** The remote this command works with, whose object format a repository it makes takes; null for none. */
  String remoteOfNewRepository() {
    return existingRemote();
  }

  /**
   * Whether this command works only with a {@link #remoteOfNewRepository()} that holds Cairn data
   * already (a get, a listing, a check, a delete or collection there): for a location without, it
   * makes no repository.
   */
  boolean remoteMustExist() {
    return existingRemote() != null;
  }

  /**
   * Whether this command makes the repository when there is none (those that store versions, and
   * those that read a remote, whose index the repository caches); the others refuse.
   */
  boolean createsRepository() {
    return existingRemote() != null;
  }

  @Override
  public final Integer call() throws Exception {
    requireReadableWorkingFolder();
    requireUtf8Arguments();
    requireListValues();
    boolean ok = false;
    boolean returned = false;
    try (MaxWorkers cap = WorkersOption.capOf(spec); LoggedWarnings warnings = LoggedWarnings.to(progress())) {
      int exit = run();
      returned = true;
      ok = exit == 0;
      if (ok && nextCurrent != null) {
        rememberCurrent(nextCurrent);
      }
      out().flush();
      if (out().checkError()) {
        // A PrintWriter keeps write errors to itself: a full disk or a closed pipe must not pass.
        if (StandardOutput.pipeClosed()) {
          return StandardOutput.PIPE_CLOSED;
        }
        throw new IOException(Main.OUTPUT_LOST);
      }
      return exit;
    } finally {
      if (stepLog != null) {
        stepLog.commandEnded(ok ? StepLog.End.DONE : returned ? StepLog.End.ENDED : StepLog.End.STOPPED);
      }
      // The drafts this command owns are left to the next command (the daemon runs many).
      DraftOwners.endAll();
      if (repo != null) {
        repo.close();
        if (!ok && madeRepository != null) {
          removeUnusedRepository();
        }
      }
    }
  }

  /** Takes back the repository this failed command made, if it left nothing in it. */
  private void removeUnusedRepository() {
    try {
      UnusedRepository.remove(madeRepository, madeInExistingFolder);
    } catch (IOException | RuntimeException e) {
      // kept: it is a valid empty repository, and the command's own error is what to say
    }
  }

  abstract int run() throws Exception;

  /**
   * A command line that does not parse, found by the command rather than by picocli (a value that
   * is not a duration, a source option missing): reported as picocli's own, and exits 2.
   */
  picocli.CommandLine.ParameterException badValue(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * Refuses to run in a folder whose path is not valid UTF-8: the JVM reads its bad bytes as
   * U+FFFD, and every relative path would then name another folder, one that a copy or an export
   * would create beside it.
   */
  static void requireReadableWorkingFolder() throws InvalidInputException {
    String cwd = System.getProperty("user.dir", "");
    if (cwd.indexOf('\uFFFD') >= 0) {
      throw new InvalidInputException("Cannot run in " + DatasetPaths.printable(cwd)
          + ": the path of the current folder is not valid UTF-8 as read (relative paths would name another folder); run cairn"
          + " from another folder");
    }
  }

  /**
   * Refuses an argument that was not valid UTF-8: the JVM reads its bad bytes as U+FFFD, and a
   * path so read names another file or folder, one that a copy, a link or an export would create
   * (or, with --overwrite, empty) instead of the one typed.
   */
  private void requireUtf8Arguments() throws InvalidInputException {
    for (String a : spec.commandLine().getParseResult().originalArgs()) {
      if (a.indexOf('\uFFFD') >= 0) {
        throw new InvalidInputException("Cannot use '" + DatasetPaths.printable(a) + "': it is not"
            + " valid UTF-8 as given (as a path it would name another file or folder); rename what it names, or give it another way");
      }
    }
  }

  /**
   * Refuses a list option given only separators: {@code --ids ,} or {@code --tags ' , '} splits
   * into no item, and would otherwise pass as if the option had not been given (every version, no
   * tag). An empty item ({@code --tags ''}) is left to the command, which reads it as its own.
   */
  private void requireListValues() {
    for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
      if (!o.splitRegex().isEmpty() && o.getValue() instanceof java.util.Collection<?> c && c.isEmpty()) {
        throw badValue("Cannot use " + o.longestName() + ": it was given no value, only commas");
      }
    }
  }

  /**
   * Prints a JSON document. An object gains {@code "warnings"}: what the command warned of on
   * stderr so far (a name passed over, a file skipped), for a script that reads stdout alone.
   */
  void printJson(Object doc) {
    if (doc instanceof Map<?, ?> m && (!warned.isEmpty() || !noted.isEmpty())) {
      Map<Object, Object> withSaid = new LinkedHashMap<>(m);
      if (!warned.isEmpty()) {
        withSaid.putIfAbsent("warnings", List.copyOf(warned));
      }
      if (!noted.isEmpty()) {
        withSaid.putIfAbsent("notes", List.copyOf(noted));
      }
      doc = withSaid;
    }
    out().println(Json.pretty(doc));
    out().flush();
  }

  /**
   * A document whose keys are data (ids), not fields: printed without the {@code warnings} and
   * {@code notes} {@link #printJson} adds, which stderr has said.
   */
  void printJsonAsIs(Object doc) {
    out().println(Json.pretty(doc));
    out().flush();
  }

  /** Notes on stderr ({@code cairn: note: ...}); {@code --json} output lists it too, under {@code notes}. */
  void note(String message) {
    String printable = DatasetPaths.printable(message);
    noted.add(printable);
    err().println("cairn: note: " + printable);
    err().flush();
  }

  /** Each note this command gave, printable, in order ({@link #printJson}). */
  private final List<String> noted = new CopyOnWriteArrayList<>();

  /** Keeps {@code message} for {@link #printJson}; returns it printable. */
  private String remember(String message) {
    String printable = DatasetPaths.printable(message);
    warned.add(printable);
    return printable;
  }

  /** Each warning this command gave, printable, in order ({@link #printJson}). */
  private final List<String> warned = new CopyOnWriteArrayList<>(); // workers warn from their threads

  /** Warns on stderr ({@code cairn: warning: ...}); {@code --json} output lists it too. */
  void warn(String message) {
    String printable = remember(message);
    err().println("cairn: warning: " + printable);
    err().flush();
  }

  /** An upload that follows a close. */
  interface UploadStep {
    Pusher.Result run() throws IOException;
  }

  /** With --json, the failure of the upload that followed a close, said once the answer is printed. */
  private IOException uploadFailure;

  /**
   * The fields of a close's upload in its JSON answer: {@code storage}, the remote it went to or
   * was to go to (null when none was tried), {@code uploaded_objects} and {@code uploaded_bytes}
   * (null unless it went).
   */
  void putUpload(Map<String, Object> m, Pusher.Result pushed, String target) {
    m.put("storage", pushed == null && !uploadFailed() ? null : uri(target));
    m.put("uploaded_objects", pushed == null ? null : pushed.objectsUploaded());
    m.put("uploaded_bytes", pushed == null ? null : pushed.bytesUploaded());
  }

  /** Says what an upload after a close sent. */
  void printUploaded(Pusher.Result pushed, String target) {
    out().printf("Uploaded to %s: %s, %s%n", uri(target), Format.count(pushed.objectsUploaded(), "object"),
        Format.bytes(pushed.bytesUploaded()));
  }

  /** Whether an upload after a close was tried and failed (its error is the command's, once the answer is printed). */
  boolean uploadFailed() {
    return uploadFailure != null;
  }

  /**
   * Runs the upload that follows a close. Its failure ends the command, but with --json only once
   * {@link #printClosedJson} has given the answer: the version is closed all the same, and a
   * script needs its id. Null when it failed so.
   */
  Pusher.Result uploadAfterClose(UploadStep step) throws IOException {
    try {
      return step.run();
    } catch (IOException e) {
      if (!json) {
        throw e;
      }
      uploadFailure = e;
      return null;
    }
  }

  /** Prints the JSON answer of a command that closed and uploaded, with its {@code upload_error}; then the failure, if any. */
  void printClosedJson(Map<String, Object> answer) throws IOException {
    answer.put("upload_error", uploadFailure == null ? null : ErrorHandler.oneLine(uploadFailure, false));
    printJson(answer);
    if (uploadFailure != null) {
      throw uploadFailure;
    }
  }

  /**
   * The arguments this command was given, for the execution log: its own (not its name, nor the
   * global --repo, --conf and --debug), without --json, --verbose, --max-workers and --chunk-size
   * (how it printed, or worked, is not what it did), each {@code --option=value} as {@code --option value}. Two runs of the same command line log the
   * same list, which is how a {@code sync} run again knows its interrupted draft.
   */
  List<String> argv() {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    List<String> own = new ArrayList<>();
    boolean named = false;
    boolean options = true; // until "--"
    for (int i = 0; i < all.size(); i++) {
      String a = all.get(i);
      if (options && (a.equals("--repo") || a.equals("--conf"))) {
        i++; // global, before or after the command's name
        continue;
      }
      if (options && (a.startsWith("--repo=") || a.startsWith("--conf=") || a.equals("--debug"))) {
        continue;
      }
      if (!named) {
        named = true; // the command's name
        continue;
      }
      options &= !a.equals("--");
      int eq = a.indexOf('=');
      if (options && (a.equals("--json") || a.equals("--verbose"))) {
        continue;
      } else if (options && (a.equals(WorkersOption.NAME) || a.equals(ChunkSizeOption.NAME))) {
        i++; // and its value
        continue;
      } else if (options && (a.startsWith(WorkersOption.NAME + "=") || a.startsWith(ChunkSizeOption.NAME + "="))) {
        continue;
      } else if (options && a.startsWith("--") && eq > 2 && spec.findOption(a.substring(0, eq)) != null) {
        own.add(spec.findOption(a.substring(0, eq)).names()[0]); // an alias (--output-uri) as the option's name (--storage)
        own.add(a.substring(eq + 1));
      } else if (options && a.startsWith("--") && spec.findOption(a) != null) {
        own.add(spec.findOption(a).names()[0]);
      } else {
        own.add(a);
      }
    }
    // A remote as a URI (a relative folder made absolute), as sync logs it: the line runs again from anywhere.
    for (int i = 0; i + 1 < own.size(); i++) {
      if (own.get(i).equals("--storage") && spec.findOption("--storage") != null) {
        own.set(i + 1, Storages.canonical(own.get(i + 1)));
      }
    }
    return own;
  }

  /** The version this command makes the current one once it succeeds; null for none. */
  private String nextCurrent;

  /**
   * Makes {@code id} the current version if this command succeeds: a command refused (an add to a
   * published version named by mistake) leaves the current one as it was, as it leaves the rest.
   */
  void becomesCurrent(String id) {
    nextCurrent = id;
  }

  /**
   * Makes the version this command named the current one now, not only at its success: called once
   * the command has changed it (a close whose upload may still fail).
   */
  void currentNow() {
    if (nextCurrent != null) {
      rememberCurrent(nextCurrent);
    }
  }

  /** Makes {@code id} the current version; a failure is warned of, not the command's: the work is done. */
  private void rememberCurrent(String id) {
    try {
      if (repo().catalog().exists(id)) {
        repo().catalog().rememberCurrent(id);
      }
    } catch (IOException e) {
      warn("could not make " + DatasetRecord.shortId(id) + " the current version (" + ErrorHandler.oneLine(e, false)
          + "); name it with --id in the next commands");
    }
  }

  /**
   * The version the selector names, or the current one; the handle logs this command's arguments.
   * A version named becomes the current one, unless this command only reads it: looking at
   * another version ({@code list --id}, {@code show}) does not move the next {@code add} or
   * {@code close} away from the draft being built.
   */
  Dataset select(VersionSelector s) throws IOException {
    Dataset ds = s.resolve(repo(), takesClosed());
    if ((s.id != null || s.name != null) && !readsOnly()) {
      becomesCurrent(ds.id());
    }
    noteDraftByName(s, ds);
    return ds.invokedAs(spec.name(), argv());
  }

  /**
   * For a change refused because the version last used ({@code ds}, taken without --id or --name)
   * is closed: the refusal, saying which draft here is open (the newest), which a get or a tag of
   * another version since made no longer the current one, and how to name it.
   */
  DatasetStateException notingOpenDraft(VersionSelector s, Dataset ds, DatasetStateException refused) {
    return notingOpenDraft(s.id != null || s.name != null, ds, refused);
  }

  /** As above, for a command whose version was {@code named} (--id, --name) or not. */
  DatasetStateException notingOpenDraft(boolean named, Dataset ds, DatasetStateException refused) {
    if (named) {
      return refused;
    }
    List<DatasetRecord> drafts;
    try {
      drafts = ds.record().isDraft() ? List.of() : repo().catalog().all().stream().filter(DatasetRecord::isDraft).toList();
    } catch (IOException | RuntimeException unreadable) {
      return refused; // it says enough
    }
    if (drafts.isEmpty()) {
      return refused;
    }
    DatasetRecord draft = drafts.get(drafts.size() - 1); // the newest
    String others = drafts.size() == 1 ? "" : " (and " + (drafts.size() - 1 == 1 ? "1 other" : (drafts.size() - 1) + " others")
        + ": cairn search --not-only-completed lists them)";
    DatasetStateException said = new DatasetStateException(refused.commandLineMessage() + "; the draft " + draft.shortId() + " ("
        + DatasetRepository.label(draft.project(), draft.name()) + " " + draft.version() + ") is open" + others
        + ", but the version last used is " + ds.shortId() + ": give --id " + draft.shortId() + " to change the draft");
    said.initCause(refused);
    return said;
  }

  /**
   * Whether this command only reads the version it is given ({@code list}, {@code show}, ...):
   * picked by name, a draft is then said to be one, since {@code get} takes the highest closed
   * version of the same name.
   */
  boolean readsOnly() {
    return false;
  }

  /**
   * Whether this command, given a dataset by name, takes its highest closed version, not a draft
   * above it ({@code publish}: a draft cannot be published).
   */
  boolean takesClosed() {
    return false;
  }

  private void noteDraftByName(VersionSelector s, Dataset ds) throws IOException {
    if (!readsOnly() || s.name == null || s.version != null || !ds.record().isDraft()) {
      return;
    }
    String closed;
    try {
      Dataset c = repo().get(s.project, s.name, null, true);
      closed = c.record().isDraft() ? null : c.version(); // with no closed version, the draft comes back
    } catch (DatasetNotFoundException | InvalidInputException none) {
      closed = null;
    }
    note("this is the draft " + ds.version() + ", the highest version of "
        + DatasetRepository.label(ds.project(), ds.name()) + (closed == null ? "; none of its versions is closed yet"
            : "; get takes the highest closed one, " + closed + " (--version " + closed + " picks it here)"));
  }

  /** The remotes of versions here, and the notes about them this command prints. */
  VersionRemotes remotes() throws IOException {
    return new VersionRemotes(repo(), this::warn, this::note);
  }

  /**
   * The project of the datasets named {@code name} here, else on {@code remote} (null: none), for
   * a new version named without its project: as {@code --name} alone picks a version, the one
   * project that holds that name ({@code ""}, no project, when none does).
   *
   * @throws InvalidInputException if several projects hold one of that name
   */
  String projectHolding(String name, String remote) throws IOException {
    try {
      return repo().get(null, name, null).project();
    } catch (DatasetNotFoundException none) {
      // None here: the remote the version goes to may hold the dataset (a teammate's).
      try {
        return remote == null || !holdsCairnData(remote) ? "" : repo().resolveRemoteRecord(remote, null, null, name, null).project();
      } catch (DatasetNotFoundException noneThere) {
        return "";
      }
    }
  }

  /** {@code diff} for a command's JSON ({@code changes}: what compare --json gives for each path). */
  static List<Object> changesJson(List<DiffEntry> diff) {
    List<Object> out = new ArrayList<>(diff.size());
    diff.forEach(d -> out.add(Views.change(d)));
    return out;
  }

  /** One line a changed path, removed ones first, then modified, then added (as compare --verbose lists them). */
  void printPaths(List<DiffEntry> diff) {
    // A path removed and added again spelt in the other Unicode form reads as one name twice: its form is said.
    Map<String, Long> forms = new java.util.HashMap<>();
    for (DiffEntry d : diff) {
      if (d.type() != DiffEntry.ChangeType.MODIFIED && !DatasetPaths.otherForms(d.path()).isEmpty()) {
        forms.merge(DatasetPaths.nfc(d.path()), 1L, Long::sum);
      }
    }
    for (DiffEntry.ChangeType type : List.of(DiffEntry.ChangeType.REMOVED,
        DiffEntry.ChangeType.MODIFIED, DiffEntry.ChangeType.ADDED)) {
      String label = String.format("%-9s", type.name().toLowerCase(Locale.ROOT));
      for (DiffEntry d : diff) {
        if (d.type() == type) {
          boolean respelt = forms.getOrDefault(DatasetPaths.nfc(d.path()), 0L) > 1;
          out().println(label + (respelt ? DatasetPaths.quotedWithForm(d.path()) : Format.path(d.path())) + modeNote(d));
        }
      }
    }
  }

  /** A note for a modified file whose executable bit changed, its content too or not, as git's "mode change". */
  private static String modeNote(DiffEntry d) {
    FileEntry before = d.oldEntry();
    FileEntry after = d.newEntry();
    if (before == null || after == null || before.executable() == after.executable()) {
      return "";
    }
    String now = after.executable() ? "now executable" : "no longer executable";
    return before.kind() == after.kind() && before.digest().equals(after.digest()) ? " (mode only: " + now + ")" : " (and " + now + ")";
  }

  /**
   * The version {@code s} names, read here; with {@code storage}, fetched from there first (its
   * record and manifest, no file data) unless it is here whole: by id, or by name the remote's
   * version (its highest without {@code --version}).
   */
  Dataset selectOrFetch(VersionSelector s, String storage) throws IOException {
    s.validate();
    if (storage == null && (s.id != null || s.name != null)) {
      return requireLocal(selectHereOrFromTeam(s));
    }
    String remoteId = storage == null ? null
        : s.id != null ? s.id
        : s.name != null ? repo().resolveRemote(storage, null, s.project, s.name, s.version)
        : select(s).id(); // the version last used, completed from the remote if it is here in part
    if (remoteId == null) {
      return requireLocal(select(s));
    }
    Dataset ds = repo().fetch(remoteId, Selection.NONE, storage, null, progress()).invokedAs(spec.name(), argv());
    catchUpFrom(ds, storage);
    return ds;
  }

  /** {@link #select}, or, for a version not here, {@link #fromTeamRemote}. */
  Dataset selectHereOrFromTeam(VersionSelector s) throws IOException {
    try {
      return select(s);
    } catch (DatasetNotFoundException notHere) {
      return fromTeamRemote(s, notHere);
    }
  }

  /**
   * Whether this command, given a version not here by id or name, asks the team remote for it as
   * get does ({@link #fromTeamRemote}): those that show a version ({@code list}, {@code show}),
   * not those that check or copy what is here.
   */
  boolean asksTeamRemote() {
    return false;
  }

  /**
   * The version {@code s} names, which is not here ({@code notHere}), fetched from the team remote
   * ({@code $CAIRN_STORAGE}, {@code remote.default}) as get fetches it (a teammate's version):
   * only its record and manifest. By name, the remote's highest closed version not deleted here.
   * Without a team remote, for a command that does not {@linkplain #asksTeamRemote ask it}, for a
   * version deleted here, or when the remote has none either or cannot be read (said in a note),
   * {@code notHere} is thrown.
   */
  Dataset fromTeamRemote(VersionSelector s, DatasetNotFoundException notHere) throws IOException {
    String team = repo().defaultStorage();
    if (team == null || !asksTeamRemote() || (s.id == null && s.name == null)) {
      throw notHere;
    }
    Catalog catalog = repo().catalog();
    String id = s.id;
    // (an id given is hex, checked by the selector; a prefix of one deleted here is said so in notHere)
    if (id != null && (catalog.wasDeleted(id) || String.valueOf(notHere.getMessage()).contains(" was deleted"))) {
      throw notHere;
    }
    try {
      if (id == null) {
        id = repo().resolveRemoteRecord(team, null, s.project, s.name, s.version,
            r -> (s.version != null || !r.isDraft()) && !catalog.wasDeleted(r.id()), "on " + team).id();
      }
      Dataset ds = repo().fetch(id, Selection.NONE, team, null, progress()).invokedAs(spec.name(), argv());
      catchUpFrom(ds, team);
      return ds;
    } catch (DatasetNotFoundException notThereEither) {
      throw notHere;
    } catch (IOException | RuntimeException unread) {
      if (unread instanceof dev.cairn.errors.CorruptObjectException) {
        throw unread; // found there, and damaged: the remote's own answer
      }
      note("could not ask " + team + " for it (" + ErrorHandler.oneLine(unread, false) + ")");
      throw notHere;
    }
  }

  /**
   * Takes the remote's newer record of {@code ds} (renamed, tagged, published there), as a get
   * from it does even when no data had to come. A remote that cannot be read (offline, or a
   * location without Cairn data) leaves the local record, with a note: what is here still answers.
   */
  void catchUpFrom(Dataset ds, String storage) throws IOException {
    repo().catchUpOrNote(ds.id(), storage, this::note, e -> ErrorHandler.oneLine(e, false));
  }

  /**
   * {@code ds}, if its manifest is local: refuses, with the command that fetches it, a version
   * whose record alone is (an ancestor of a version fetched from a remote).
   */
  Dataset requireLocal(Dataset ds) throws IOException {
    DatasetRecord r = ds.record();
    var objects = repo().repository().objects();
    // Missing from the index is not yet lost: packs it does not list (a lost or rebuilt index, a
    // writer that put off indexing) are looked through first.
    if (r.isDraft() || r.root() == null || objects.has(r.root()) || (objects.refresh() && objects.has(r.root()))) {
      return ds;
    }
    if (r.storage() == null) {
      // Made here and never uploaded: nothing else ever held its manifest.
      throw new MissingObjectException(r.root(), "version " + r.id() + "'s manifest, lost or damaged here (run cairn fsck)");
    }
    // Every command that calls this takes --storage, which fetches the manifest alone.
    throw new DatasetStateException("Cannot read version " + r.id() + ": only its record is local; add --storage "
        + r.storage() + " to read its manifest from there");
  }

  /**
   * {@code e} as the error of a command that writes outside the repository ({@code get --copy},
   * {@code export}): when the disk filled, the place written to is named, where the repository's
   * advice (its gc) would not help.
   */
  Exception namingDestination(Exception e, Path destination) throws IOException {
    if (!ErrorHandler.diskFull(e)) {
      return e;
    }
    return new DestinationFull("disk full while writing " + destination.toAbsolutePath().normalize() + "; free some space there (or where"
        + " the repository is, " + repo().repository().directory() + ", if the command fetched data into it) and run the command again", e);
  }

  /**
   * The upload of a version closed here failed: its message says what took effect (the close), why
   * the upload failed and how to finish it, and is printed as it is (a disk that filled is the
   * remote's, and the version did change).
   */
  static final class UploadFailed extends IOException {
    UploadFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A full disk where a command wrote outside the repository: its message is the whole story. */
  static final class DestinationFull extends IOException {
    DestinationFull(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static Dataset requireCurrent(DatasetRepository repo) throws IOException {
    Dataset ds = repo.current();
    if (ds == null) {
      String gone = repo.catalog().lastUsed();
      if (gone == null && repo.catalog().all().isEmpty()) {
        throw new DatasetNotFoundException("Cannot tell which version to use: this repository has none yet (cairn create --project P"
            + " --name N makes a draft to add to, as clearml-data create does)");
      }
      throw new DatasetNotFoundException("Cannot tell which version to use: give --id ("
          + (gone == null ? "no version was created or used yet" : "the last one used, " + gone + ", was deleted") + ")");
    }
    return ds;
  }

  /**
   * Uploads a version this command has just closed to {@code target}. A failure, or an interruption,
   * leaves it closed here, and the message names the {@code upload} that finishes the job.
   *
   * @param storageFlag the {@code --storage} the user gave, or null
   * @param packTargetBytes the size of the packs to upload ({@link ChunkSizeOption}: read before the close, which checks it)
   */
  Pusher.Result uploadClosed(Dataset ds, String target, String storageFlag, long packTargetBytes) throws IOException {
    return uploadClosed(ds, target, storageFlag, packTargetBytes, true);
  }

  /**
   * Checks, before {@code ds} is closed, that the remote its upload will go to can take it: a
   * close is not undone when the upload after it fails.
   */
  void requireRemoteBeforeClose(Dataset ds, String target, String storageFlag) throws IOException {
    String refused = "Did not close " + ds.id();
    String orElse = "; or close it with --disable-upload and upload it later";
    boolean holdsData;
    try {
      holdsData = repo().checkRemote(target);
    } catch (IOException | RuntimeException e) {
      String why = ErrorHandler.oneLine(e, false);
      if (why.startsWith("Cannot ")) {
        why = "c" + why.substring(1);
      }
      throw new IOException(refused + ": " + why + orElse, e);
    }
    if (!holdsData && isOwnRemote(ds, target, storageFlag)) {
      throw ownRemoteGone(refused, target, orElse);
    }
    if (!holdsData && storageFlag == null) {
      requireDefaultRemoteThere(target, false, refused, orElse);
    }
    if (!holdsData) {
      requireNotMistyped(storageFlag, refused);
    }
  }

  /**
   * Refuses to make a new remote at {@code target}, the default remote ({@code $CAIRN_STORAGE} or
   * {@code remote.default}, not named with {@code --storage}), when it holds no Cairn data although
   * versions here were uploaded there: a team share not mounted (its folder there, empty) would
   * otherwise get a second remote that the team never reads. Named with {@code --storage}, it is made.
   */
  void requireDefaultRemoteThere(String target, boolean holdsData, String refused, String orElse) throws IOException {
    String team = repo().defaultStorage();
    if (target == null || holdsData || team == null || !uri(team).equals(uri(target))) {
      return; // not the default remote (a version's own is checked as such), or one holding data
    }
    String there = uri(target);
    long uploaded = repo().catalog().all().stream().filter(r -> r.uploadedTo().stream().anyMatch(u -> uri(u).equals(there))).count();
    if (uploaded > 0) {
      throw new InvalidInputException(refused + ": the default remote " + target + " holds no Cairn data now, though "
          + Format.count(uploaded, "version") + " here " + (uploaded == 1 ? "is" : "are") + " on it (uploaded there, or fetched from"
          + " it; moved away, or not mounted?); make it reachable again, or give --storage " + ShellWords.quote(target)
          + " to make a new remote there" + orElse);
    }
  }

  /**
   * Refuses an upload to a version's own remote, the one it was created against or first uploaded
   * to, when that location holds no Cairn data now: a folder moved away, or a share not mounted,
   * would otherwise get a new remote without the versions it had, and the version string reserved
   * there would be forgotten. Named with {@code --storage}, the location gets a new remote, as at
   * any first upload there.
   */
  void requireOwnRemoteThere(Dataset ds, String target, String storageFlag, String refused, String orElse) throws IOException {
    if (storageFlag != null) {
      requireNotMistyped(storageFlag, refused);
      return; // named: a location without Cairn data gets a new remote, as at any first upload there
    }
    boolean holdsData = holdsCairnData(target);
    if (isOwnRemote(ds, target, null) && !holdsData) {
      throw ownRemoteGone(refused, target, orElse);
    }
    requireDefaultRemoteThere(target, holdsData, refused, orElse);
  }

  /** Whether {@code target} is {@code ds}'s own remote, taken as such rather than named with {@code --storage}. */
  private static boolean isOwnRemote(Dataset ds, String target, String storageFlag) throws IOException {
    String own = ds.record().storage();
    return storageFlag == null && own != null && uri(own).equals(uri(target));
  }

  private static InvalidInputException ownRemoteGone(String refused, String target, String orElse) {
    return new InvalidInputException(refused + ": its remote " + target + " holds no Cairn data now (moved away, or not mounted?);"
        + " make it reachable again, or give --storage " + ShellWords.quote(target) + " to make a new remote there" + orElse);
  }

  /** As {@link #uploadClosed(Dataset, String, String, long)}; {@code closedNow} false for a version an earlier run closed. */
  Pusher.Result uploadClosed(Dataset ds, String target, String storageFlag, long packTargetBytes, boolean closedNow)
      throws IOException {
    // The remote named unless the version's own: one from $CAIRN_STORAGE may not be set when the user runs the hint.
    String again = storageFlag != null ? storageFlag : target.equals(ds.record().storage()) ? null : target;
    String retry = "cairn upload --id " + ds.shortId() + (again != null ? " --storage " + ShellWords.quote(again) : "");
    Main.onInterruptSuggest("but " + ds.shortId() + " is closed: run '" + retry + "' to finish uploading it");
    try {
      // A handle of its own, so that the log says "upload URI" rather than a second "close".
      Pusher.Result pushed = repo().get(ds.id()).upload(target, null, packTargetBytes, progress());
      notePush(ds, pushed, target);
      return pushed;
    } catch (IOException | RuntimeException e) {
      throw new UploadFailed((closedNow ? "Closed " + ds.id() + " here, but could not" : "Could not") + " upload " + (closedNow ? "it" : ds.id())
          + " to " + target + ": " + ErrorHandler.oneLine(e, false) + "; run '" + retry + "' to try again", e);
    }
  }

  /**
   * Says on stderr when a merge's base is known here by its record alone, its remote unable to give
   * its manifest: that step of the merge was a union (spec/datasets.md), which may bring back
   * what one side deleted.
   */
  void noteBasesNotHere(Dataset ds, DatasetRecord r) throws IOException {
    if (r.parents().size() < 2) {
      return;
    }
    for (String base : ds.mergeBasesNotHere()) {
      note("the parents' common ancestor " + DatasetRecord.shortId(base) + " is known here by its record alone, and its"
          + " remote could not give its manifest: they were laid over each other as a union, so a file one side deleted may be back"
          + " (cairn get --id " + DatasetRecord.shortId(base) + " --storage URI brings it; then create the merge again)");
    }
  }

  /** The command's step log, once {@code --verbose} asked for one. */
  private StepLog stepLog;

  /**
   * A progress bar on a terminal; when stderr is not one, a line now and then for a step that runs
   * long; nothing when JSON is asked for; each step on its own lines when the command's
   * {@link StepsOption --verbose} is given.
   */
  Progress progress() {
    if (spec.mixins().values().stream().anyMatch(m -> m.userObject() instanceof StepsOption s && s.verbose)) {
      if (stepLog == null) {
        stepLog = new StepLog(err()); // one for the command: it says how its last step ended
      }
    }
    Progress shown = stepLog != null ? stepLog : json ? TerminalProgress.quiet(err()) : TerminalProgress.forTerminal(err());
    return json ? new ForwardingProgress(shown) {
      @Override
      public void warn(String message) {
        remember(message);
        super.warn(message);
      }
    } : shown;
  }
}
