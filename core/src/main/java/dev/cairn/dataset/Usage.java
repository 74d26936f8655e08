package dev.cairn.dataset;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetStateException;
import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.json.Json;
import dev.cairn.internal.json.JsonException;
import dev.cairn.internal.json.JsonObject;
import dev.cairn.manifest.DatasetPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which runs (experiments) used which versions, recorded without a server
 * ({@code runs/<hash of run>.json}, spec/datasets.md). A run names the versions it used by alias;
 * a lock file freezes them, manifest roots included, so the exact bytes can be restored later.
 */
public final class Usage {
  /** Format of lock files written by {@link #lockFile}. */
  public static final int LOCK_FORMAT = 1;

  private final Path repoDir;
  private final Path runs;
  private final Path tmp;
  private final Catalog catalog;

  Usage(Path repoDir, Catalog catalog) throws IOException {
    this.repoDir = repoDir;
    this.runs = repoDir.resolve("runs");
    this.tmp = repoDir.resolve("tmp");
    this.catalog = catalog;
    Files.createDirectories(runs);
  }

  /** One use of a version by a run. */
  public record Use(String run, String alias, String id, String project, String name, String version, ObjectId root,
      ObjectId versionObject, long timeMillis, String storage) {
    /** A use as a run records it: where the version is is not part of it ({@code storage} null). */
    public Use(String run, String alias, String id, String project, String name, String version, ObjectId root, ObjectId versionObject,
        long timeMillis) {
      this(run, alias, id, project, name, version, root, versionObject, timeMillis, null);
    }

    /** The same use, naming the remote the version is on (a lock file's entry). */
    Use on(String remote) {
      return new Use(run, alias, id, project, name, version, root, versionObject, timeMillis, remote);
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run", run);
      m.put("alias", alias);
      m.put("id", id);
      m.put("project", project);
      m.put("name", name);
      m.put("version", version);
      m.put("root", root.hex());
      m.put("version_object", versionObject == null ? null : versionObject.hex());
      m.put("time", timeMillis);
      if (storage != null) {
        m.put("storage", storage);
      }
      return m;
    }

    static Use fromJson(JsonObject o, String run) throws JsonException {
      return new Use(run, o.string("alias"), o.string("id"), o.stringOr("project", ""), o.stringOr("name", ""),
          o.stringOr("version", ""), ObjectId.fromHex(o.string("root")),
          o.has("version_object") ? ObjectId.fromHex(o.string("version_object")) : null, o.numberOr("time", 0),
          o.stringOr("storage", null));
    }
  }

  private Path runFile(String run) {
    return runs.resolve(HashAlgorithm.SHA256.hash(run.getBytes(StandardCharsets.UTF_8)).abbreviate(32) + ".json");
  }

  /**
   * Refuses to record a use of a draft: a run pins content (a lock file names its manifest root),
   * and a draft's changes with its next edit, whose old root gc may then delete.
   *
   * @throws DatasetStateException if {@code version} is a draft
   */
  public static void requireClosed(DatasetRecord version, String run) throws DatasetStateException {
    if (version.isDraft()) {
      throw new DatasetStateException("Cannot record a use of " + version.id() + (run == null || run.isBlank() ? "" : " by run " + run)
          + ": it is a draft, whose content may still change; close it first, or get it without an alias");
    }
  }

  /**
   * Records that {@code run} used {@code version} under {@code alias}; a later use of the same alias
   * by the same run replaces the earlier one.
   *
   * @throws DatasetStateException if {@code version} is a draft ({@link #requireClosed})
   */
  public void record(String run, String alias, DatasetRecord version) throws IOException {
    if (run == null || run.isBlank()) {
      throw new InvalidInputException("Cannot record usage: no run id (give one, --run on the command line, or set CAIRN_RUN_ID)");
    }
    if (alias == null || alias.isBlank()) {
      throw new InvalidInputException("Cannot record usage: empty alias");
    }
    checkRun(run);
    checkAlias(alias);
    requireClosed(version, run);
    Path file = runFile(run);
    try (VersionLocks.Lock lock = catalog.lock("run-" + file.getFileName())) {
      List<Use> uses = new ArrayList<>(readRun(file, run));
      uses.removeIf(u -> u.alias().equals(alias));
      uses.add(new Use(run, alias, version.id(), version.project(), version.name(), version.version(), version.root(),
          version.versionObject(), System.currentTimeMillis()));
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("run", run);
      doc.put("uses", uses.stream().map(Use::toJson).toList());
      AtomicFiles.write(file, (Json.pretty(doc) + "\n").getBytes(StandardCharsets.UTF_8), tmp);
    }
  }

  /** The versions {@code run} used, by alias. */
  public List<Use> run(String run) throws IOException {
    return readRun(runFile(run), run);
  }

  /** Every run that used the version {@code id}, oldest first. */
  public List<Use> usesOf(String id) throws IOException {
    List<Use> out = new ArrayList<>();
    for (Path p : runRecords()) {
      for (Use u : readRun(p, null)) {
        if (u.id().equals(id)) {
          out.add(u);
        }
      }
    }
    out.sort(Comparator.comparingLong(Use::timeMillis));
    return out;
  }

  /** Every use of every run. */
  public List<Use> allUses() throws IOException {
    List<Use> out = new ArrayList<>();
    for (Path p : runRecords()) {
      out.addAll(readRun(p, null));
    }
    return out;
  }

  /** The files of the run records, in name order. */
  private List<Path> runRecords() throws IOException {
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(x -> x.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * The run records that cannot be read, with why: each one fails {@link #usesOf}, {@link #allUses}
   * and gc until it is set aside ({@link #setAside}). fsck reports them.
   */
  public Map<Path, String> damagedRecords() throws IOException {
    Map<Path, String> out = new java.util.TreeMap<>();
    for (Path p : runRecords()) {
      try {
        parseRun(p);
      } catch (JsonException | ClassCastException | IllegalArgumentException e) {
        out.put(p, e.getMessage());
      }
    }
    return out;
  }

  /**
   * Renames the run record {@code file}, if it still cannot be read, to {@code NAME.json.damaged}
   * beside it: no longer read, kept for whoever wants to see what it held. What that run used is
   * then not recorded. Returns the new name, or null if the record was fine (rewritten meanwhile).
   */
  public Path setAside(Path file) throws IOException {
    try (VersionLocks.Lock lock = catalog.lock("run-" + file.getFileName())) {
      try {
        parseRun(file);
        return null;
      } catch (JsonException | ClassCastException | IllegalArgumentException damaged) {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged");
        for (int n = 2; Files.exists(aside, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
          aside = file.resolveSibling(file.getFileName() + ".damaged-" + n); // an earlier one's bytes stay too
        }
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        return aside;
      }
    }
  }

  private static List<Use> readRun(Path file, String run) throws IOException {
    try {
      return parseRun(file);
    } catch (JsonException | ClassCastException | IllegalArgumentException e) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, file.toString(), "bad run record: " + e.getMessage());
    }
  }

  /** The uses a run record holds; none if it is gone. */
  private static List<Use> parseRun(Path file) throws IOException, JsonException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new JsonException("not UTF-8 text"); // damaged bytes: the record's, not the disk's error
    }
    JsonObject o = JsonObject.parse(text);
    String r = o.string("run");
    List<Use> out = new ArrayList<>();
    for (Object u : o.list("uses")) {
      if (!(u instanceof Map<?, ?>)) {
        throw new JsonException("a use that is not an object: " + u);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) u;
      out.add(Use.fromJson(new JsonObject(m), r));
    }
    return out;
  }


  /**
   * The lock file of a run: every version it used, with ids and manifest roots, and the remote
   * each is on now, if any: its own, once uploaded there (or fetched from it).
   */
  public String lockFile(String run) throws IOException {
    List<Use> uses = run(run);
    if (uses.isEmpty()) {
      throw new InvalidInputException("Cannot write lock file: run '" + run + "' used no dataset version");
    }
    for (Use u : uses) {
      if (!isAlias(u.alias())) { // recorded by an older build: a lock file get --lock would refuse
        throw new InvalidInputException("Cannot write lock file: run '" + run + "' used " + u.id() + " under alias '"
            + DatasetPaths.printable(u.alias()) + "', which is not a folder's name; record it again under another");
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("cairn_lock", LOCK_FORMAT);
    doc.put("run", run);
    List<Object> datasets = new ArrayList<>();
    for (Use u : uses) {
      DatasetRecord r = catalog.exists(u.id()) ? catalog.read(u.id()) : null;
      // Not an ancestor's remote, which lacks this version; not one it was made for and never sent to.
      Map<String, Object> m = u.on(r != null && r.storage() != null && r.wasUploaded() ? r.storage() : null).toJson();
      m.remove("run");
      m.remove("time");
      datasets.add(m);
    }
    doc.put("datasets", datasets);
    return Json.pretty(doc) + "\n";
  }

  /**
   * Writes the {@link #lockFile lock file} of a run to {@code output}, atomically: never inside the
   * repository (a lock file over its config would break it), and over an existing file only with
   * {@code overwrite}.
   *
   * @return how many versions it names
   */
  public int writeLockFile(String run, Path output, boolean overwrite) throws IOException {
    String text = lockFile(run);
    Path abs = output.toAbsolutePath();
    if (AtomicFiles.isStreamTarget(abs)) { // /dev/stdout, a named pipe: written into, not replaced
      try (OutputStream into = Files.newOutputStream(abs, StandardOpenOption.WRITE)) {
        into.write(text.getBytes(StandardCharsets.UTF_8));
      }
      return run(run).size();
    }
    if (Files.isDirectory(abs)) {
      throw new InvalidInputException("Cannot write the lock file to " + output + ": it is a folder; give a file name");
    }
    LocalCopies.requireApartFromRepository(repoDir, output, "write the lock file to");
    Path through = AtomicFiles.replaceTarget(abs, "write the lock file to"); // a link to nothing, said so
    if (!overwrite && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new InvalidInputException("Cannot write the lock file to " + output + ": it exists (", Remedy.OVERWRITE, " to replace it)");
    }
    abs = through;
    LocalCopies.requireApartFromRepository(repoDir, abs, "write the lock file to"); // where a link leads, too
    if (!Files.isDirectory(abs.getParent())) { // as export: a mistyped folder is not made
      throw new InvalidInputException("Cannot write the lock file to " + output + ": " + abs.getParent()
          + (Files.exists(abs.getParent()) ? " is not a folder" : " does not exist; create it first"));
    }
    AtomicFiles.write(abs, text.getBytes(StandardCharsets.UTF_8), abs.getParent());
    return run(run).size();
  }

  /**
   * Parses a lock file.
   *
   * @throws InvalidInputException if it is not one
   */
  public static List<Use> parseLockFile(String text, String where) throws InvalidInputException {
    try {
      JsonObject o;
      try {
        o = JsonObject.parse(text);
      } catch (JsonException | ClassCastException notJson) {
        throw new JsonException("not a Cairn lock file, which is JSON (" + notJson.getMessage() + ")");
      }
      if (o.numberOr("cairn_lock", -1) != LOCK_FORMAT) {
        throw new JsonException("not a Cairn lock file (format " + LOCK_FORMAT + ")");
      }
      String run = o.stringOr("run", "");
      List<Use> out = new ArrayList<>();
      for (Object d : o.list("datasets")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) d;
        Use u = Use.fromJson(new JsonObject(m), run);
        if (u.id().length() != 32 || !ObjectId.isHex(u.id()) || !u.id().equals(u.id().toLowerCase(Locale.ROOT))) {
          throw new JsonException("id '" + DatasetPaths.printable(u.id()) + "' of alias '" + DatasetPaths.printable(u.alias())
              + "' is not a version id (32 hex digits, lower case)");
        }
        if (!isAlias(u.alias())) { // a folder's name under the copy: never a path out of it
          throw new JsonException("alias '" + DatasetPaths.printable(u.alias()) + "' is not a folder's name");
        }
        if (out.stream().anyMatch(earlier -> earlier.alias().equals(u.alias()))) {
          throw new JsonException("alias '" + DatasetPaths.printable(u.alias()) + "' is given twice");
        }
        out.add(u);
      }
      if (out.isEmpty()) {
        throw new JsonException("it names no dataset");
      }
      return out;
    } catch (JsonException | ClassCastException | IllegalArgumentException e) {
      throw new InvalidInputException("Cannot read lock file " + where + ": " + e.getMessage());
    }
  }

  /**
   * Checks an alias, which {@code get --lock --copy DIR} makes a folder of under {@code DIR}: a
   * name, not a path (no {@code /}, {@code \}, {@code .} or {@code ..}), of printable characters.
   */
  public static String checkAlias(String alias) throws InvalidInputException {
    if (!isAlias(alias)) {
      throw new InvalidInputException("Cannot use alias '" + DatasetPaths.printable(alias)
          + "': an alias names a folder: up to 200 bytes of UTF-8, no / or \\, no control character, not starting with .");
    }
    return alias;
  }

  private static boolean isAlias(String alias) {
    // 200 bytes: a copy is staged under a longer hidden name beside it, within the 255 a name may have.
    return !alias.isEmpty() && alias.getBytes(StandardCharsets.UTF_8).length <= 200 && !alias.startsWith(".")
        && alias.indexOf('/') < 0
        && alias.indexOf('\\') < 0 && alias.chars().noneMatch(Character::isISOControl);
  }

  /** Checks a run id: up to 1024 characters, none a control character (runs are listed a line each). */
  public static String checkRun(String run) throws InvalidInputException {
    if (run.length() > 1024 || run.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("Cannot use run id '" + DatasetPaths.printable(run)
          + "': up to 1024 characters, none a control character");
    }
    return run;
  }
}
