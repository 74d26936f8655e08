package dev.cairn.dataset;

import dev.cairn.errors.ConflictException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.json.Json;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.object.ObjectType;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.storage.Storages;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.transport.Remote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Creating, closing and publishing versions; deleting is {@link VersionDeletion}'s, renaming
 * {@link DatasetRename}'s, squashing {@link Squash}'s.
 */
final class VersionLifecycle {
  private VersionLifecycle() {}

  /**
   * Whether a name may not hold {@code c}: a control character (C0, DEL, C1: U+009B starts a
   * terminal's command), a line or paragraph separator, or a bidirectional override or isolate
   * (which would show a name reversed). File names may; a name, project, tag or key is typed.
   */
  private static boolean isControl(int c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
  }

  static void checkName(String what, String value, boolean allowEmpty) throws InvalidInputException {
    if (value.isEmpty() && !allowEmpty) {
      throw new InvalidInputException("Cannot use an empty " + what);
    }
    if (value.indexOf('\uFFFD') >= 0) {
      throw new InvalidInputException("Cannot use " + what + " '" + value + "': it holds U+FFFD (bytes that were not valid UTF-8)");
    }
    if (value.length() > 255 || value.chars().anyMatch(VersionLifecycle::isControl)) {
      String shown = DatasetPaths.printable(value);
      if (shown.length() > 80) { // a name of thousands of characters is not echoed whole
        shown = shown.codePoints().limit(60).collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            + "... (" + value.codePointCount(0, value.length()) + " characters)";
      }
      throw new InvalidInputException("Cannot use " + what + " '" + shown + "': at most 255 characters, no control characters");
    }
    if (what.equals("tag") && value.indexOf(',') >= 0) {
      throw new InvalidInputException("Cannot use tag '" + value + "': tags hold no commas (lists of tags are written with commas)");
    }
    if (what.equals("metadata key") && value.indexOf('=') >= 0) {
      // metadata --set reads K=V up to the first '=': such a key could never be set or removed there.
      throw new InvalidInputException("Cannot use metadata key '" + value + "': keys hold no '=' (key=value pairs are written with it)");
    }
    if (what.equals("tag") && (value.startsWith("-") || value.startsWith("__$"))) {
      // search --tags reads -t as "not tagged t", and __$... as an operator: never found by itself.
      throw new InvalidInputException("Cannot use tag '" + value + "': a tag beginning with '" + (value.startsWith("-") ? "-" : "__$")
          + "' could never be searched for (search --tags reads -t as 'not tagged t', and __$all, __$not, ... as operators)");
    }
    if (!value.equals(value.strip())) {
      // Unseen in every listing, and never what was meant: " m4" and "m4" would be two datasets.
      throw new InvalidInputException("Cannot use " + what + " '" + value + "': " + (value.isBlank() ? "it is only spaces"
          : "it begins or ends with spaces"));
    }
    // A project is a path of subprojects (a/b), searched as one: "p/" would be found as p and
    // listed as another. A name is one part of such a path: "a/b" would read as project a's b.
    if (what.equals("project") && !value.isEmpty() && (value.startsWith("/") || value.endsWith("/") || value.contains("//"))) {
      throw new InvalidInputException("Cannot use project '" + value + "': a project is a path of subprojects (a/b) without empty parts");
    }
    if (what.equals("name") && value.indexOf('/') >= 0) {
      throw new InvalidInputException("Cannot use name '" + value + "': a dataset's name holds no '/' (its project may: ",
          new Remedy("project \"a/b\"", "--project a/b"), ")");
    }
    // As in a folder path: "a/./b" would be listed as a subproject "." of a, ".." as one above it.
    if ((what.equals("project") || what.equals("name")) && Arrays.stream(value.split("/", -1)).anyMatch(s -> s.equals(".") || s.equals(".."))) {
      throw new InvalidInputException("Cannot use " + what + " '" + value + "': " + (what.equals("name") ? "a name" : "a part of a project")
          + " is not '.' or '..'");
    }
  }

  static Dataset create(DatasetRepository repo, CreateOptions o) throws IOException {
    return create(repo, o, null, null);
  }

  /**
   * As {@link #create(DatasetRepository, CreateOptions)}; the log's first entry names
   * {@code command} and its arguments {@code argv} if given (a {@code sync --project --name} that
   * creates its version), else {@code create} and the options. A draft made for a command records
   * this process as its owner until it is closed.
   */
  static Dataset create(DatasetRepository repo, CreateOptions o, String command, List<String> argv) throws IOException {
    return create(repo, o, command, argv, false);
  }

  /**
   * As {@link #create(DatasetRepository, CreateOptions, String, List)}; with {@code followRenames},
   * the one parent was taken as the dataset's latest by its name (a sync's next version), and a
   * rename or move of the dataset since, which the parent shows, takes the new version along: its
   * name is the parent's when it is made, and should the rename land while it is made, it is
   * renamed after (the rename, for its part, renames the versions of its lineage made under the old
   * name while it ran: {@link DatasetRename}).
   */
  static Dataset create(DatasetRepository repo, CreateOptions o, String command, List<String> argv, boolean followRenames)
      throws IOException {
    checkOptions(repo, o);
    List<DatasetRecord> parents = new ArrayList<>();
    for (String p : o.parents()) {
      DatasetRecord r = repo.catalog().read(repo.catalog().resolve(p));
      if (r.isDraft()) {
        throw new DatasetStateException("Cannot use draft " + r.id() + " (" + r.name() + " " + r.version()
            + ") as a parent: close it first");
      }
      if (parents.stream().anyMatch(x -> x.id().equals(r.id()))) {
        throw new InvalidInputException("Cannot list parent " + r.id() + " twice");
      }
      parents.add(r);
    }
    followRenames &= parents.size() == 1;
    if (followRenames && !sameDataset(parents.get(0), o.project(), o.name())) {
      o = o.withDataset(parents.get(0).project(), parents.get(0).name());
      checkOptions(repo, o);
    }
    fetchBasesNotHere(repo, parents.stream().map(DatasetRecord::id).toList());
    String id = Catalog.newId();
    // Held from the first object written to the record that references it: a collection keeps
    // what was written since the oldest lock a live command holds, whatever its grace.
    try (VersionLocks.Lock own = repo.catalog().lock(id)) {
      return create(repo, o, command, argv, id, parents, followRenames);
    }
  }

  private static boolean sameDataset(DatasetRecord r, String project, String name) {
    return r.project().equals(project) && r.name().equals(name);
  }

  /**
   * Fetches the manifests of the merge's bases that are not here (ancestors of versions fetched
   * from a remote, known by their records alone) from their remotes, so that the merge is
   * three-way, not a union that would undo one side's edits and bring back what it deleted. A base
   * with no remote, or one that cannot give it, stays as it is (a union; spec/datasets.md).
   */
  private static void fetchBasesNotHere(DatasetRepository repo, List<String> parentIds) throws IOException {
    if (parentIds.size() < 2) {
      return;
    }
    for (String base : MergeBases.basesNotHere(repo, parentIds)) {
      DatasetRecord r = repo.catalog().exists(base) ? repo.catalog().read(base) : null;
      String from = r == null ? null : repo.contentStorage(r);
      if (from != null) {
        try {
          repo.fetch(base, Selection.NONE, from, null, Progress.NONE);
        } catch (IOException | RuntimeException unavailable) {
          // the remote cannot give it now: merged without it, as before
        }
      }
    }
  }

  /** The rest of a create, under the new version's lock. */
  private static Dataset create(DatasetRepository repo, CreateOptions o, String command, List<String> argv, String id,
      List<DatasetRecord> parents, boolean followRenames) throws IOException {
    ParentMerge.Result merged;
    ChangeSummary summary;
    long files;
    long bytes;
    try (ObjectInserter ins = repo.repository().objects().newInserter();
        ObjectReader reader = ins.newReader()) {
      NodeLoader loader = new NodeLoader(reader);
      List<String> parentIds = parents.stream().map(DatasetRecord::id).toList();
      merged = ParentMerge.merge(parentIds, parents.stream().map(DatasetRecord::root).toList(), MergeBases.of(repo, parentIds),
          loader, ins);
      ins.flush();
      if (parents.size() == 1 && parents.get(0).root().equals(merged.root())) {
        // One parent: the new version starts as that parent, whose counts are known.
        files = parents.get(0).fileCount();
        bytes = parents.get(0).totalBytes();
      } else {
        Manifest m = new Manifest(loader, merged.root());
        files = m.entryCount();
        bytes = m.totalBytes();
      }
      summary = ChangeSummary.EMPTY;
    }
    if (o.failOnConflict() && !merged.conflicts().isEmpty()) {
      Conflict c = merged.conflicts().get(0);
      throw new ConflictException("Cannot create version: parents disagree on "
          + Text.count(merged.conflicts().size(), "path") + ", first '" + c.path() + "' (changed differently by "
          + String.join(", ", c.parents()) + ")");
    }
    String version;
    try {
      if (o.storage() != null) {
        version = reserveWithRemote(repo, o, id);
      } else if (o.version() == null) {
        version = repo.catalog().reserveNextVersion(o.project(), o.name(), id);
      } else if (repo.catalog().reserveVersion(o.project(), o.name(), o.version(), id)) {
        version = o.version();
      } else {
        throw new InvalidInputException("Cannot create version: " + alreadyExists(o, o.version()));
      }
    } catch (IllegalArgumentException e) { // a malformed version string, or one the remote holds
      throw new InvalidInputException("Cannot create version: " + e.getMessage());
    }
    long now = System.currentTimeMillis();
    // The options as given (the log of a create made through the API reads like the command's).
    List<String> args = new ArrayList<>();
    if (!o.project().isEmpty()) {
      args.addAll(List.of("--project", o.project()));
    }
    args.addAll(List.of("--name", o.name()));
    if (o.version() != null) {
      args.addAll(List.of("--version", o.version()));
    }
    if (!parents.isEmpty()) {
      args.add("--parents");
      parents.forEach(p -> args.add(p.id()));
    }
    if (!o.description().isEmpty()) {
      args.addAll(List.of("--description", o.description()));
    }
    if (!o.tags().isEmpty()) {
      args.add("--tags");
      args.addAll(o.tags());
    }
    if (o.storage() != null) {
      args.addAll(List.of("--storage", Storages.parse(o.storage()).toString())); // a relative folder made absolute
    }
    if (o.failOnConflict()) {
      args.add("--fail-on-conflict");
    }
    DatasetRecord r = new DatasetRecord.Builder()
        .id(id).project(o.project()).name(o.name()).version(version).state(DatasetState.DRAFT)
        .parents(parents.stream().map(DatasetRecord::id).toList())
        .tags(o.tags()).description(o.description()).metadata(o.metadata())
        .createdMillis(now).base(merged.root()).root(merged.root())
        .conflicts(merged.conflicts()).storage(o.storage() == null ? null : Storages.parse(o.storage()).toString())
        .fileCount(files).totalBytes(bytes).summary(summary)
        .appendLog(command == null ? new LogEntry(now, "create", args, ChangeSummary.EMPTY, 0)
            : new LogEntry(now, command, argv, ChangeSummary.EMPTY, 0))
        .owner(command == null ? null : DraftOwners.claim())
        .build();
    boolean created = false;
    try (VersionLockSet locks = VersionLockSet.take(repo.catalog(), r.parents())) {
      // Under the parents' locks, which delete takes too: a parent deleted since it was read
      // fails this create, and one deleted later sees this draft as its child.
      for (String p : r.parents()) {
        if (!repo.catalog().exists(p)) {
          throw new DatasetNotFoundException("Cannot create version: parent " + p + " was deleted meanwhile");
        }
      }
      repo.catalog().create(r);
      created = true;
      if (followRenames) {
        // Under the parent's lock, which a rename takes to rename it: renamed already, it is
        // followed here; renamed after, the rename finds this version under the old name.
        DatasetRecord parent = repo.catalog().read(r.parents().get(0));
        if (!sameDataset(parent, r.project(), r.name())) {
          DatasetRename.follow(repo, r, parent.project(), parent.name());
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!created) { // a lock that failed to release after the record was written leaves it reserved
        repo.catalog().releaseVersion(o.project(), o.name(), version, id);
      }
      throw e;
    }
    if (!"squash".equals(command)) {
      // A squash's draft becomes current once closed: one it left when killed takes no later add.
      repo.catalog().setCurrent(id);
    }
    return new Dataset(repo, id);
  }

  /**
   * Refuses options {@link #create} would refuse before anything is written: bad names or tags,
   * a malformed version string, or one this repository already holds.
   */
  static void checkOptions(DatasetRepository repo, CreateOptions o) throws IOException {
    checkName("name", o.name(), false);
    checkName("project", o.project(), true);
    for (String t : o.tags()) {
      checkName("tag", t, false);
    }
    for (String k : o.metadata().keySet()) {
      checkName("metadata key", k, false); // as setMetadata checks them
    }
    Dataset.requireNoUnicodeTwins(o.metadata().keySet(), o.metadata().keySet());
    requireNoLookalikeDataset(repo, o.project(), o.name(), null, "Cannot create version");
    if (o.version() != null) {
      try {
        VersionStrings.check(o.version());
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("Cannot create version: " + e.getMessage());
      }
      if (repo.catalog().isReserved(o.project(), o.name(), o.version())) {
        throw new InvalidInputException("Cannot create version: version " + o.version() + " of " + DatasetRepository.label(o.project(), o.name())
            + " already exists");
      }
    }
  }

  /**
   * Refuses a new dataset whose project and name, both as a person reads them, are those of
   * another here spelt in another Unicode form (composed against decomposed): two datasets no
   * listing tells apart, each found only by a name typed as it is spelt. The dataset of {@code
   * self} (one being renamed), if given, is passed over: it may be respelt so.
   */
  static void requireNoLookalikeDataset(DatasetRepository repo, String project, String name, DatasetRecord self, String refused)
      throws IOException {
    if (DatasetPaths.otherForms(project).isEmpty() && DatasetPaths.otherForms(name).isEmpty()) {
      return; // ASCII, or no letter with another form: nothing could look the same
    }
    String p = DatasetPaths.nfc(project);
    String n = DatasetPaths.nfc(name);
    List<DatasetRecord> all = repo.catalog().readAll().records();
    if (all.stream().anyMatch(r -> sameDataset(r, project, name))) {
      return; // its next version (two look-alikes an older release made, or fetched, stay as they are)
    }
    for (DatasetRecord r : all) {
      if ((self == null || !sameDataset(r, self.project(), self.name())) && DatasetPaths.nfc(r.project()).equals(p)
          && DatasetPaths.nfc(r.name()).equals(n)) {
        throw new InvalidInputException(refused + ": " + DatasetPaths.quotedWithForm(DatasetRepository.label(project, name))
            + " looks the same as the dataset " + DatasetPaths.quotedWithForm(DatasetRepository.label(r.project(), r.name()))
            + " here, spelt in another Unicode form; name that one as it is spelt (cairn search lists it), or pick another name");
      }
    }
  }

  /**
   * Reserves a version string both on the remote and locally, so that versions created on
   * different machines against one remote never share a version string.
   */
  private static String reserveWithRemote(DatasetRepository repo, CreateOptions o, String id) throws IOException {
    try (Remote remote = repo.openRemote(o.storage())) {
      remote.ensureInitialized();
      String lastTried = null;
      for (int attempt = 0; attempt < 1000; attempt++) {
        String candidate = o.version();
        if (candidate == null) {
          List<String> taken = new ArrayList<>(repo.catalog().reservedVersions(o.project(), o.name()));
          taken.addAll(remote.reservedVersions(o.project(), o.name()));
          String highest = taken.stream().filter(VersionStrings::isValid) // anything else a store lists there
              .max(VersionStrings.ORDER).orElse(null);
          candidate = highest == null ? VersionStrings.FIRST : VersionStrings.bump(highest);
          if (lastTried != null && VersionStrings.compare(candidate, lastTried) <= 0) {
            // Never retry a string found taken, even if a listing does not show it yet.
            candidate = VersionStrings.bump(lastTried);
          }
          lastTried = candidate;
        } else {
          VersionStrings.check(candidate);
        }
        if (!remote.reserveName(o.project(), o.name(), candidate, id)) {
          if (o.version() != null) {
            String holder = remote.describeNameHolder(o.project(), o.name(), candidate);
            throw new IllegalArgumentException("version " + candidate + " of " + DatasetRepository.label(o.project(), o.name()) + " already exists on " + o.storage()
                + (holder == null ? "" : ", held by " + holder));
          }
          continue;
        }
        if (repo.catalog().reserveVersion(o.project(), o.name(), candidate, id)) {
          return candidate;
        }
        // Taken here: the string this new version just took on the remote is not its own. It is
        // given back, or the remote would keep it for a version that never carries it.
        remote.takeBackName(o.project(), o.name(), candidate, id);
        if (o.version() != null) {
          throw new IllegalArgumentException(alreadyExists(o, candidate));
        }
      }
      throw new IOException("Cannot reserve a version string for " + DatasetRepository.label(o.project(), o.name()) + ": too much contention (last tried "
          + lastTried + ")");
    }
  }

  /** The change-set summary from {@code base} to {@code root}. */
  static ChangeSummary summary(NodeLoader loader, ObjectId base, ObjectId root) throws IOException {
    ChangeSummary[] s = {ChangeSummary.EMPTY};
    new ManifestDiff(loader).diff(base, root, d -> s[0] = s[0].plus(d));
    return s[0];
  }

  static void close(Dataset ds, DatasetRepository repo) throws IOException {
    try (VersionLocks.Lock lock = repo.catalog().lock(ds.id())) {
      DatasetRecord r = ds.record();
      Dataset.requireDraft(r, "close");
      List<ObjectId> parentVersions = new ArrayList<>();
      for (String p : r.parents()) {
        DatasetRecord pr = repo.catalog().exists(p) ? repo.catalog().read(p) : null;
        if (pr == null || pr.versionObject() == null) {
          throw new DatasetStateException("Cannot close " + r.id() + ": parent " + p + " is missing or not closed");
        }
        parentVersions.add(pr.versionObject());
      }
      // Never before an entry of the draft's log (a clock set back since): the entries timed no
      // later than closed are those the version object holds (spec/datasets.md).
      long now = Math.max(System.currentTimeMillis(), r.log().stream().mapToLong(LogEntry::timeMillis).max().orElse(0));
      try (ObjectInserter ins = repo.repository().objects().newInserter();
          ObjectReader reader = ins.newReader()) {
        NodeLoader loader = new NodeLoader(reader);
        ChangeSummary summary = summary(loader, r.base(), r.root());
        DatasetRecord.Builder b = r.toBuilder().appendLogStep(ds.logEntry(now, "close", List.of(), ChangeSummary.EMPTY, 0)); // timed as closed
        DatasetRecord withLog = b.build();
        Version v = new Version(r.root(), parentVersions, now, versionProperties(withLog, summary));
        ObjectId vid = ins.insert(ObjectType.VERSION, VersionFormat.encode(v));
        ins.flush();
        repo.catalog().write(b.state(DatasetState.FINAL).closedMillis(now).versionObject(vid).summary(summary).owner(null).build());
      }
    }
  }

  /** What a version object records about its dataset, fixed at close (spec/datasets.md). */
  static Map<String, String> versionProperties(DatasetRecord r, ChangeSummary summary) {
    return versionProperties(r, summary, LOG_KEYS);
  }

  /** The keys of a {@code dataset.log} entry, in the order they are written: sorted, as every JSON property's. */
  static final List<String> LOG_KEYS = List.of("arguments", "command", "time");

  /**
   * {@link #versionProperties(DatasetRecord, ChangeSummary)} with the keys of log entries in
   * {@code logKeys}' order (earlier builds took the order of {@code Map.of}, which the JVM does
   * not fix; {@link VersionObjectRecovery} tries each).
   */
  static Map<String, String> versionProperties(DatasetRecord r, ChangeSummary summary, List<String> logKeys) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("dataset.id", r.id());
    p.put("dataset.project", r.project());
    p.put("dataset.name", r.name());
    p.put("dataset.version", r.version());
    p.put("dataset.description", r.description());
    p.put("dataset.tags", Json.write(r.tags()));
    p.put("dataset.metadata", Json.write(r.metadata()));
    p.put("dataset.parents", Json.write(r.parents()));
    p.put("dataset.summary", Json.write(new TreeMap<>(summary.toJson())));
    List<Object> log = new ArrayList<>();
    for (LogEntry e : r.log()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      for (String key : logKeys) {
        entry.put(key, switch (key) {
          case "time" -> e.timeMillis();
          case "command" -> e.command();
          default -> e.arguments();
        });
      }
      log.add(entry);
    }
    p.put("dataset.log", Json.write(log));
    return p;
  }

  static void publish(Dataset ds, DatasetRepository repo) throws IOException {
    try (VersionLocks.Lock lock = repo.catalog().lock(ds.id())) {
      DatasetRecord r = ds.record();
      if (r.state() != DatasetState.FINAL) {
        throw new DatasetStateException("Cannot publish " + r.id() + ": it is "
            + (r.isDraft() ? "a draft; close it first" : "already " + r.state().label()));
      }
      repo.catalog().agreed().keepBefore(r);
      DatasetRecord.Builder b = r.toBuilder().appendLog(ds.logEntry("publish", List.of(), ChangeSummary.EMPTY, 0));
      DatasetRecord logged = b.build(); // the entry timed after the close, as every later one is
      long at = logged.log().get(logged.log().size() - 1).timeMillis();
      repo.catalog().write(b.state(DatasetState.PUBLISHED).publishedMillis(at).build());
    }
  }

  private static String alreadyExists(CreateOptions o, String version) {
    return "version " + version + " of " + o.project() + "/" + o.name() + " already exists";
  }
}
