package dev.cairn.cli;

import dev.cairn.dataset.Catalog;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.SyncOptions;
import dev.cairn.dataset.VersionStrings;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.storage.StorageException;
import dev.cairn.storage.Storages;
import dev.cairn.transport.Pusher;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sync", description = "Make a draft equal to a folder (add new files, replace changed ones, remove missing ones), then "
    + "close it and upload it as close does, unless --skip-close. With --project/--name (or --parents): create a new version first; if "
    + "the folder brings no change, none is created. Run again after an interruption, the same command finishes the draft, or "
    + "the upload of the version, that the interrupted run had left; run again after it finished, it makes nothing new while the "
    + "folder equals the version it made.")
final class SyncCommand extends Base {
  @picocli.CommandLine.Mixin WorkersOption workers;
  @picocli.CommandLine.Mixin ChunkSizeOption chunkSize;

  @Option(names = "--id", paramLabel = "ID", description = "Draft to sync (default: the last version created or used).")
  String id;

  @Option(names = "--folder", paramLabel = "DIR", required = true, description = "The folder that is the source of truth, or a wildcard pattern in one, quoted ('data/*.jpg', as add --files reads"
      + " it): the dataset folder then holds the files that match.")
  Path folder;

  @Option(names = "--dataset-folder", paramLabel = "DIR", description = "Folder inside the dataset to sync (default: the root).")
  String datasetFolder = "";

  @Option(names = "--project", paramLabel = "P", description = "Project of the new version.")
  String project;

  @Option(names = "--name", paramLabel = "N", description = "Name of the new version.")
  String name;

  @Option(names = "--version", paramLabel = "V", description = "Version string of the new version.")
  String version;

  @Option(names = "--parents", paramLabel = "ID", arity = "1..*", split = ",", description = "Parents of the new version, space- or comma-separated (default: the latest closed version of the dataset).")
  List<String> parents = new ArrayList<>();

  @Option(names = "--tags", paramLabel = "T", arity = "1..*", split = ",", converter = Trimmed.class, description = "Tags of the new version (space- or comma-separated).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", arity = "1..*", description = "Leave alone each file or folder whose path relative to"
      + " --folder, or whose name, matches ('.git', '*.tmp', '/build'): it is not read, and what the version holds there is kept,"
      + " as rsync --exclude --delete keeps it.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--skip-refused", description = "Pass over each file or folder of --folder whose name cannot be a dataset path"
      + " (not valid UTF-8, a control character, a backslash, a twin by Unicode normalization, ...), warning of each, instead of refusing the"
      + " sync; the version holds no such name, so the sync removes nothing for it.")
  boolean skipRefused;

  @Option(names = "--skip-close", description = "Leave the version a draft (a new one is made even when the folder brings no change).")
  boolean skipClose;

  @Option(names = {"--storage", "--output-uri"}, paramLabel = "URI", description = "Remote to upload to once closed (default: the draft's storage,"
      + " $CAIRN_STORAGE or remote.default, else a new version's parents' remote); a new version's version string is reserved there first.")
  String storage;

  @Option(names = "--disable-upload", description = "Close the version without uploading it to a remote.")
  boolean disableUpload;

  @Option(names = "--verbose", description = "List each path the sync changed (--json: changes); for a new version, its change-set.")
  boolean verbose;

  @Override
  boolean createsRepository() {
    return true;
  }

  @Override
  String remoteOfNewRepository() {
    return storage;
  }

  /** Options that say how the sync printed or worked, not what it did: left out of its log. */
  private static final java.util.Set<String> NOT_LOGGED = java.util.Set.of("--json", "--verbose", WorkersOption.NAME,
      ChunkSizeOption.NAME, "--repo", "--conf", "--debug");

  /**
   * The sync's arguments as its log keeps them, one list for every spelling of one command line,
   * since a run again finds what the run before it left by them: options in the order of their
   * names, each with its values; the folder as the system reads it, links resolved ({@code ./data/}
   * and {@code /home/me/data} are one), parents as full ids, the dataset folder without empty or
   * {@code .} segments (the root as none), tags and exclude patterns as sets, the remote as a URI.
   */
  @Override
  List<String> argv() {
    Map<String, List<String>> byName = new java.util.TreeMap<>();
    java.util.Set<picocli.CommandLine.Model.OptionSpec> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
      String n = o.names()[0];
      if (!seen.add(o) || NOT_LOGGED.contains(n)) {
        continue; // an option given twice is matched twice, its values all at once
      }
      List<String> values = o.arity().max() == 0 ? List.of() : new ArrayList<>(o.stringValues());
      switch (n) {
        case "--folder" -> values = List.of(canonicalFolder());
        case "--dataset-folder" -> values = List.of(DatasetPaths.withoutEmptyOrDotSegments(datasetFolder));
        case "--storage" -> values = List.of(Storages.canonical(storage));
        case "--parents" -> values = values.stream().map(this::fullId).toList();
        case "--tags" -> values = tags.stream().distinct().sorted().toList();
        case "--exclude" -> values = excludes.stream().distinct().sorted().toList();
        default -> { }
      }
      if (n.equals("--dataset-folder") && values.get(0).isEmpty()) {
        continue; // the root, as when it is not given
      }
      byName.put(n, values);
    }
    List<String> out = new ArrayList<>();
    byName.forEach((n, values) -> {
      out.add(n);
      out.addAll(values);
    });
    return out;
  }

  /**
   * The folder as the system reads it: links and {@code ..} resolved as the kernel resolves them
   * ({@code a/link/../x} is where the link leads, not {@code a/x}); a pattern in a folder, or a
   * folder not there, by its absolute path without {@code .} segments.
   */
  private String canonicalFolder() {
    try {
      if (java.nio.file.Files.isDirectory(folder)) {
        return folder.toRealPath().toString();
      }
    } catch (IOException unreadable) {
      // as written, below
    }
    return folder.toAbsolutePath().normalize().toString();
  }

  /** The full id a prefix names here, or the prefix as given (a version only a remote holds). */
  private String fullId(String prefix) {
    try {
      return repo().get(prefix).id();
    } catch (IOException | RuntimeException notHere) {
      return prefix;
    }
  }

  private SyncOptions syncOptions() {
    return SyncOptions.of(folder).datasetFolder(datasetFolder).skipRefused(skipRefused).exclude(excludes.toArray(String[]::new));
  }

  /**
   * What the sync did: {@code ds}, the version made or synced into (null when a new one was not
   * needed); {@code resumed}, an unfinished draft of an earlier run finished or deleted now;
   * {@code sameAs}, the version an earlier run of this command made that the folder equals, and
   * {@code unuploaded}, that version when its upload had not finished; {@code intoDraft}, whether an
   * existing draft was synced into; {@code remote}, where a closed version goes; {@code equal}, when
   * no version was made, the closed version the folder equals (the one made by an earlier run, or
   * the one parent), else null.
   */
  private record Outcome(Dataset ds, Dataset.Change change, String resumed, Dataset sameAs, Dataset unuploaded, boolean intoDraft,
      String remote, Dataset equal) {}

  @Override
  int run() throws Exception {
    boolean createNew = id == null && (name != null || !parents.isEmpty());
    requireConsistentOptions(createNew);
    long packBytes = chunkSize.packTargetBytes();
    Outcome o;
    if (createNew && name != null) {
      // One at a time from taking the dataset's latest to closing the next: a run started while
      // another of the same sync runs builds on its version, not beside it.
      try (java.io.Closeable one = repo().lockNextVersion(name, holder -> note("waiting for another command making the next version of "
          + name + " in this repository, " + holder + ", to end"))) {
        o = syncIntoNewVersion();
      }
    } else {
      o = createNew ? syncIntoNewVersion() : syncIntoDraft();
    }
    Dataset ds = o.ds();
    Dataset.Change c = o.change();
    List<DiffEntry> paths = !verbose ? null : ds == null ? List.of() : o.intoDraft() ? c.paths() : ds.changes();
    boolean unchanged = createNew && ds == null;
    boolean closed = ds != null && !skipClose;
    String remote = o.remote();
    if (ds != null && !o.intoDraft() && c.summary().removed() > 0 && ds.record().fileCount() == 0) {
      // As clearml-data's sync does, but a share not mounted looks just so: said, not refused.
      warn("nothing in " + folder + " is kept, so " + ds.version() + " holds no file: it removes " + (c.summary().removed() == 1
          ? "the only file of its parents" : "all " + Format.count(c.summary().removed(), "file") + " of its parents")
          + " (if the folder was not what you meant: cairn delete --id " + ds.shortId() + (closed && remote != null
          ? ", and with --storage " + ShellWords.quote(remote) + " for its copy there)" : ")"));
    }
    Pusher.Result pushed = closed && remote != null ? uploadAfterClose(() -> uploadClosed(ds, remote, storage, packBytes))
        : o.unuploaded() != null ? uploadAfterClose(() -> uploadClosed(o.unuploaded(), remote, storage, packBytes, false)) : null;
    if (closed && remote == null && !disableUpload && !parentsRemoteUnusable) {
      remotes().staysLocal(ds);
    }
    if (newerOnRemoteAfterUpload && pushed != null) {
      noteNewerOnRemote((ds != null ? ds : o.unuploaded()).record(), remote);
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ds == null ? null : ds.id());
      m.put("version", ds == null ? null : ds.version());
      m.put("added", c.summary().added());
      m.put("modified", c.summary().modified());
      m.put("removed", c.summary().removed());
      m.put("files_read", c.filesRead());
      m.put("stored_bytes", c.storedBytes());
      m.put("closed", closed);
      m.put("reverted", unchanged);
      m.put("resumed", o.resumed());
      m.put("same_as", o.sameAs() == null ? null : o.sameAs().id());
      m.put("equals", o.equal() == null ? null : o.equal().id());
      m.put("uploaded_version", o.unuploaded() == null || pushed == null ? null : o.unuploaded().id());
      putUpload(m, pushed, remote);
      if (paths != null) {
        m.put("changes", changesJson(paths));
      }
      printClosedJson(m);
    } else {
      printText(o, paths, pushed, unchanged, closed);
    }
    return 0;
  }

  /** Refuses options that contradict each other, before anything is read or written. */
  private void requireConsistentOptions(boolean createNew) throws InvalidInputException {
    if (id != null && (name != null || project != null || version != null || !parents.isEmpty() || !tags.isEmpty())) {
      throw new UsageException("Cannot sync: --id names a draft to sync into; --project, --name, --version,"
          + " --parents and --tags make a new version instead: give one or the other");
    }
    if (disableUpload && (storage != null || chunkSize.megabytes != null)) {
      throw new UsageException("Cannot sync: " + (storage != null ? "--storage names where" : "--chunk-size says how")
          + " to upload, --disable-upload says not to; give one");
    }
    if (!createNew && id == null && (project != null || version != null || !tags.isEmpty())) {
      // Else they would be dropped, and the current draft synced and closed as it is.
      throw new UsageException("Cannot sync: " + (project != null ? "--project" : version != null ? "--version"
          : "--tags") + " describes a new version, which needs --name (or --parents); without them, sync works on the current draft");
    }
    if (skipClose && ((!createNew && storage != null) || disableUpload || chunkSize.megabytes != null)) {
      throw new UsageException("Cannot sync: --skip-close leaves the draft open, and " + (disableUpload
          ? "--disable-upload" : chunkSize.megabytes != null ? "--chunk-size" : "--storage") + " says how to upload it once closed;"
          + " 'cairn close' takes it");
    }
  }

  /**
   * Says which drafts of the dataset the new version {@code made} neither took nor builds on: a
   * draft left open (or another sync of the same dataset running now) holds the version string the
   * dataset's next version would have had, and {@code made} took the one after it.
   */
  private void noteOtherDrafts(DatasetRecord made) throws IOException {
    List<DatasetRecord> drafts = repo().list(made.project(), "^" + java.util.regex.Pattern.quote(made.name()) + "$", List.of()).stream()
        .filter(r -> r.isDraft() && !r.id().equals(made.id()) && r.project().equals(made.project()) && r.name().equals(made.name()))
        .toList();
    if (!drafts.isEmpty()) {
      note(DatasetRepository.label(made.project(), made.name()) + " has " + (drafts.size() == 1 ? "a draft" : drafts.size() + " drafts")
          + " open (" + String.join(", ", drafts.stream().map(r -> r.version() + " " + r.shortId()).toList()) + ": left open, or"
          + " another sync running now), which this sync neither took nor built on; this version is " + made.version()
          + " (sync --folder DIR without --name fills the current draft; cairn delete --id ID removes one)");
    }
  }

  /**
   * {@code --project/--name} or {@code --parents}: a new version, made only if the folder brings a
   * change, a child of the dataset's latest closed version unless parents are given; closed unless
   * {@code --skip-close}.
   */
  private Outcome syncIntoNewVersion() throws Exception {
    String remote = !disableUpload ? (storage != null ? storage : repo().defaultStorage()) : null;
    List<String> ps = new ArrayList<>(parents);
    String proj = project;
    String nm = name;
    boolean latestHere = ps.isEmpty();
    if (ps.isEmpty()) {
      try {
        DatasetRecord parent = latestClosed(repo().get(project, name, null).record());
        if (parent != null) {
          ps.add(parent.id());
        }
      } catch (DatasetNotFoundException first) {
        // the first version of this dataset
      }
    }
    if (nm == null) {
      nm = repo().get(ps.get(ps.size() - 1)).name();
    }
    if (proj == null && !ps.isEmpty()) {
      proj = repo().get(ps.get(ps.size() - 1)).project();
    }
    String inherited = remote == null && !disableUpload ? parentsRemoteFor(ps) : null;
    if (inherited != null) {
      try {
        repo().checkRemote(inherited); // before the folder is read: a sync that then fails would read it twice
        remote = inherited;
      } catch (StorageException unusable) {
        remotes().parentsRemoteUnusable(inherited, unusable);
        parentsRemoteUnusable = true;
        inherited = null;
      }
    }
    if (!skipClose) {
      chunkSize.requireRemote("sync", remote);
    }
    // The dataset's latest is taken again by the library, which then knows the parent came by the
    // dataset's name: a rename while the folder is read takes the new version along.
    List<String> given = latestHere ? List.of() : ps;
    boolean remoteExisted = remote == null || inherited != null || holdsCairnData(remote);
    if (storage == null && inherited == null) {
      requireDefaultRemoteThere(remote, remoteExisted, "Did not sync " + DatasetRepository.label(proj, nm), "");
    } else if (!remoteExisted) {
      requireNotMistyped(storage, "Did not sync " + DatasetRepository.label(proj, nm));
    }
    CreateOptions options = CreateOptions.of(proj, nm).version(version).parents(given).tags(tags).storage(remote).build();
    Dataset.NewVersion nv;
    try {
      nv = Dataset.syncNewVersion(repo(), options, syncOptions(), progress(), "sync", argv());
    } catch (StorageException unusable) {
      if (inherited == null) {
        throw unusable;
      }
      // A default the user did not ask for: its remote unreachable or read-only is no reason to
      // fail. Run again without it (what the first run stored is found stored).
      remotes().parentsRemoteUnusable(inherited, unusable);
      parentsRemoteUnusable = true;
      inherited = null;
      remote = null;
      options = CreateOptions.of(proj, nm).version(version).parents(given).tags(tags).build();
      nv = Dataset.syncNewVersion(repo(), options, syncOptions(), progress(), "sync", argv());
    }
    if (!remoteExisted && holdsCairnData(remote)) {
      noteNewRemote(remote);
    }
    Dataset ds = nv.draft();
    if (ds != null) {
      if (inherited != null) {
        remotes().parentsRemoteTaken(ds, inherited, "--disable-upload");
      }
      noteBasesNotHere(ds, ds.record());
    }
    if (ds != null && !ds.record().conflicts().isEmpty()) {
      // As create says it; the folder, synced over the merge, has the last word at the paths the sync covers.
      note(String.format("%s between parents (cairn show --id %s lists them); where the sync covers them, the version"
          + " holds the folder's files, elsewhere the later parent's",
          Format.count(ds.record().conflicts().size(), "conflicting path"), ds.shortId()));
    }
    if (latestHere && remote != null && ds != null) {
      if (skipClose) {
        noteNewerOnRemote(ds.record(), remote);
      } else {
        newerOnRemoteAfterUpload = true; // then it sees too what a teammate uploaded while this ran
      }
    }
    if (latestHere && ds != null) {
      noteOtherDrafts(ds.record());
    }
    if (ds == null && skipClose) {
      // Nothing changed, but a draft to go on with was asked for: as clearml-data keeps it. Its
      // parent is named (the dataset's latest, or those given): a plain create takes none by name.
      ds = Dataset.create(repo(), CreateOptions.of(proj, nm).version(version).parents(ps).tags(tags).storage(remote).build())
          .invokedAs("sync", argv());
    }
    Dataset sameAs = null;
    Dataset unuploaded = null;
    if (ds != null && !skipClose) {
      ds.close();
    } else if (ds != null) {
      ds.disown(); // left open on purpose: not a draft for the next run to finish
    } else if (nv.sameAs() != null) {
      sameAs = repo().get(nv.sameAs());
      // Its own remote (its parents', say) when none is named: where the run that made it meant it to go.
      String target = remote != null || disableUpload ? remote : sameAs.record().storage();
      if (target == null && !disableUpload && !sameAs.record().wasUploaded()) {
        target = parentsRemoteUsableNow(sameAs);
      }
      if (target != null && !sameAs.isUploadedTo(target)) {
        // The folder is this version already, but the run of this very command that made it
        // stopped before its upload ended, or its upload failed: run again, the command finishes it.
        requireOwnRemoteThere(sameAs, target, storage, "Cannot upload " + sameAs.id(), "");
        unuploaded = sameAs;
        remote = target;
        newerOnRemoteAfterUpload = latestHere;
      }
    }
    Dataset equal = ds != null ? null : sameAs != null ? sameAs
        : ps.size() == 1 && nv.resumed() == null ? repo().get(ps.get(0)) : null;
    return new Outcome(ds, nv.change(), nv.resumed(), sameAs, unuploaded, false, remote, equal);
  }

  /**
   * For a version an earlier run of this command left here because its parents' remote could not
   * be used then (unreachable, no credentials): that remote if it can be used now, where the run
   * meant the version to go; else null, said in the note the earlier run gave.
   */
  private String parentsRemoteUsableNow(Dataset version) throws IOException {
    String parents = remotes().parentsRemote(version.record().parents());
    if (parents == null) {
      return null;
    }
    try {
      repo().checkRemote(parents);
      return parents;
    } catch (StorageException unusable) {
      note(version.shortId() + " stays here: its parents' remote cannot be used now (cairn upload --storage "
          + parents + " sends it later): " + ErrorHandler.oneLine(unusable, false));
      parentsRemoteUnusable = true;
      return null;
    }
  }

  /** {@code --id}, or the current draft: the folder synced into it, then closed unless {@code --skip-close}. */
  private Outcome syncIntoDraft() throws Exception {
    Dataset ds;
    if (id != null) {
      ds = repo().get(id);
    } else if (repo().current() == null && repo().catalog().lastUsed() == null) {
      // A first sync without a name: clearml-data's makes a dataset of the folder, which needs one.
      throw new InvalidInputException("Cannot sync: no draft to sync into yet; give --project P --name N to make a version of the"
          + " folder (or --id of a draft)");
    } else {
      ds = requireCurrent(repo());
    }
    ds = ds.invokedAs("sync", argv());
    String own = ds.record().storage();
    String remote = null;
    if (!skipClose) {
      remote = disableUpload ? null : storage != null ? storage : own != null ? own : repo().defaultStorage();
      chunkSize.requireRemote("sync", remote);
      if (remote != null) {
        requireRemoteBeforeClose(ds, remote, storage);
      }
    }
    Dataset.Change c;
    try {
      c = ds.syncFolder(syncOptions(), progress());
    } catch (DatasetStateException refused) {
      throw notingOpenDraft(id != null, ds, refused);
    }
    if (!skipClose) {
      ds.close(); // as clearml-data's sync: the draft is closed, and uploaded below as close uploads it
    }
    return new Outcome(ds, c, null, null, null, true, remote, null);
  }

  private void printText(Outcome o, List<DiffEntry> paths, Pusher.Result pushed, boolean unchanged, boolean closed) throws IOException {
    Dataset ds = o.ds();
    Dataset.Change c = o.change();
    if (ds != null && !o.intoDraft() && o.resumed() == null) {
      out().printf("New dataset created id=%s%n", ds.id()); // as create, and clearml-data sync, say it: scripts look for it
    }
    if (paths != null) {
      printPaths(paths);
    }
    if (o.resumed() != null) {
      out().printf(ds != null ? "Finished draft %s, which an earlier run of this command had left unfinished%n"
          : "Deleted draft %s, which an earlier run of this command had left unfinished: the folder brings no change%n", o.resumed());
    }
    out().printf("%s added, %d modified, %d removed (%s read, %s newly stored)%n", Format.count(c.summary().added(), "file"),
        c.summary().modified(), c.summary().removed(), Format.count(c.filesRead(), "file"), Format.bytes(c.storedBytes()));
    if (unchanged) {
      if (o.sameAs() != null) {
        out().printf("No change: the folder equals version %s (%s), made by this same sync command line; no new version was created%n",
            o.sameAs().id(), o.sameAs().version());
      } else if (o.equal() != null) {
        out().printf("No change: the folder equals version %s (%s); no new version was created%n", o.equal().id(), o.equal().version());
      } else {
        out().println("No change: no new version was created");
      }
      if (pushed != null) {
        out().printf("Uploaded %s (%s), which the folder equals, to %s: %s, %s%n", o.unuploaded().id(), o.unuploaded().version(),
            uri(o.remote()), Format.count(pushed.objectsUploaded(), "object"), Format.bytes(pushed.bytesUploaded()));
      }
    } else if (closed) {
      out().printf("Closed version %s (%s)%n", ds.id(), ds.version());
      if (pushed != null) {
        printUploaded(pushed, o.remote());
      }
    } else if (ds != null) {
      out().printf("Draft %s (%s) left open (--skip-close); close it with: cairn close --id %s%n", ds.id(), ds.version(),
          ds.shortId());
    }
  }

  /**
   * Whether the new version took the dataset's latest here as its parent and is uploaded by this
   * sync: {@link #noteNewerOnRemote} then looks once the upload is done, so that it sees too what
   * a teammate uploaded while this sync ran (two first syncs of a dataset at once).
   */
  private boolean newerOnRemoteAfterUpload;

  /**
   * Says when {@code remote} holds versions of the dataset newer than the parent this repository
   * gave a new version (uploaded elsewhere, not here): the new one then branches off beside them,
   * rather than follow the newest. Nothing is said if the remote cannot be read.
   */
  private void noteNewerOnRemote(DatasetRecord made, String remote) {
    String parent = made.parents().isEmpty() ? null : made.parents().get(made.parents().size() - 1);
    try (Remote r = repo().openRemote(remote)) {
      String parentVersion = parent == null ? null : repo().get(parent).version();
      List<String> newer = new ArrayList<>();
      Catalog here = repo().catalog();
      for (DatasetRecord v : r.liveVersions(made.project(), made.name(), here::exists).values()) {
        if (parentVersion == null || VersionStrings.ORDER.compare(v.version(), parentVersion) > 0) {
          newer.add(v.version());
        }
      }
      if (!newer.isEmpty()) {
        newer.sort(VersionStrings.ORDER);
        String newest = newer.get(newer.size() - 1);
        String label = DatasetRepository.label(made.project(), made.name());
        note(remote + " holds " + Format.count(newer.size(), "version") + " of " + label + (parentVersion == null
            ? " that this repository does not (the newest is " + newest + "): " + made.version() + ", made here without a parent,"
                + " starts a lineage beside them."
            : " newer than " + parentVersion + ", the parent taken here, that are not in this repository (the newest is " + newest + "): "
                + made.version() + " branches off beside them.")
            + " To build on the newest next time, get it first: cairn get --storage " + remote
            + (made.project().isEmpty() ? "" : " --project " + ShellWords.quote(made.project())) + " --name " + ShellWords.quote(made.name()));
      }
    } catch (IOException unreadable) {
      // only a note: the version is made either way
    }
  }

  /**
   * {@code latest}, or when it is a draft (left by --skip-close, say) the dataset's latest closed
   * version, so that one stray draft does not block every later sync; null for a dataset of drafts
   * only, whose next sync then starts a version without parents.
   */
  private DatasetRecord latestClosed(DatasetRecord latest) throws IOException {
    if (!latest.isDraft()) {
      return latest;
    }
    DatasetRecord closed = null;
    for (DatasetRecord r : repo().list(latest.project(), "^" + Pattern.quote(latest.name()) + "$",
        List.of())) {
      if (!r.isDraft() && r.name().equals(latest.name()) && r.project().equals(latest.project())
          && (closed == null || r.createdMillis() > closed.createdMillis())) {
        closed = r;
      }
    }
    return closed;
  }
}
