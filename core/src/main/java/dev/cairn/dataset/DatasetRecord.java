package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.ObjectId;
import dev.cairn.storage.Storages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything Cairn knows about one dataset version, as stored in its catalog record
 * ({@code refs/datasets/<id>.json}, spec/datasets.md). Immutable; changes produce new records.
 *
 * @param id the version's id: 32 hex digits, given at creation and never changed
 * @param base root of the merged parents' manifest: the change-set is the difference from it
 * @param root root of this version's manifest (a draft's current content)
 * @param versionObject the version object written at close, or null for drafts
 * @param storedBytes bytes this version newly wrote to the repository (its change-set, packed)
 * @param fileCount number of files in the version
 * @param totalBytes sum of the sizes of its files
 * @param summary what changed against the merged parents
 * @param owner of a draft a {@code sync --project --name} created, the process that is filling it
 *     ({@code <pid>@<host> <token>}, as a lock's holder) until it closes it; null otherwise
 */
public record DatasetRecord(
    String id,
    String project,
    String name,
    String version,
    DatasetState state,
    List<String> parents,
    List<String> tags,
    String description,
    Map<String, String> metadata,
    long createdMillis,
    long closedMillis,
    long publishedMillis,
    ObjectId base,
    ObjectId root,
    ObjectId versionObject,
    List<Conflict> conflicts,
    List<LogEntry> log,
    String storage,
    long storedBytes,
    long fileCount,
    long totalBytes,
    ChangeSummary summary,
    String owner) {

  /**
   * A version id as messages show it: its first {@link AbbreviatedObjectId#MIN_LENGTH} hex digits,
   * the shortest prefix every command takes.
   */
  public static String shortId(String id) {
    return id.substring(0, AbbreviatedObjectId.MIN_LENGTH);
  }

  /** This version's id as messages show it ({@link #shortId(String)}). */
  public String shortId() {
    return shortId(id);
  }

  public DatasetRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(root, "root");
    parents = List.copyOf(parents);
    tags = List.copyOf(tags);
    description = description == null ? "" : description;
    metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    conflicts = List.copyOf(conflicts);
    log = List.copyOf(log);
    summary = summary == null ? ChangeSummary.EMPTY : summary;
  }

  public boolean isDraft() {
    return state == DatasetState.DRAFT;
  }

  /** Whether its log has an upload, to any remote: its data has been on a remote (the first such is its {@link #storage}). */
  public boolean wasUploaded() {
    return log.stream().anyMatch(e -> e.command().equals("upload"));
  }

  /**
   * Whether {@code fsck --repair} recovered this record from the version's object, which keeps
   * what close recorded but not the remotes the version went to since, nor later tags or
   * metadata: a fetch from a remote that holds the version takes that remote's record.
   */
  public boolean wasRecovered() {
    return log.stream().anyMatch(e -> e.command().equals("fsck --repair") && !e.arguments().isEmpty()
        && e.arguments().get(0).startsWith(RecordRecovery.RECOVERED_FROM));
  }

  /**
   * Every remote its log says it was uploaded to, as URIs, each once: its own ({@link #storage}),
   * and those an {@code upload --storage OTHER} made copies on.
   */
  public List<String> uploadedTo() {
    return log.stream().filter(e -> e.command().equals("upload")).map(e -> uploadTarget(e.arguments())).filter(Objects::nonNull)
        .distinct().toList();
  }

  /**
   * The remote an upload entry names: its {@code --storage} (an {@code upload} command's
   * arguments, and those of an upload after a close or sync), the one argument an earlier release
   * gave the latter, else the version's own.
   */
  private String uploadTarget(List<String> args) {
    int at = args.indexOf("--storage");
    String target = at >= 0 && at + 1 < args.size() ? args.get(at + 1)
        : args.size() == 1 && !args.get(0).startsWith("-") ? args.get(0) : storage;
    try {
      return target == null ? null : Storages.parse(target).toString();
    } catch (InvalidInputException unparsable) {
      return target;
    }
  }

  /** Builder seeded with this record's fields. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Mutable copy for building a changed record. */
  public static final class Builder {
    private String id;
    private String project;
    private String name;
    private String version;
    private DatasetState state;
    private List<String> parents;
    private List<String> tags;
    private String description;
    private Map<String, String> metadata;
    private long createdMillis;
    private long closedMillis;
    private long publishedMillis;
    private ObjectId base;
    private ObjectId root;
    private ObjectId versionObject;
    private List<Conflict> conflicts;
    private List<LogEntry> log;
    private String storage;
    private long storedBytes;
    private long fileCount;
    private long totalBytes;
    private ChangeSummary summary;
    private String owner;

    public Builder() {
      parents = List.of();
      tags = List.of();
      metadata = Map.of();
      conflicts = List.of();
      log = List.of();
      description = "";
    }

    Builder(DatasetRecord r) {
      id = r.id;
      project = r.project;
      name = r.name;
      version = r.version;
      state = r.state;
      parents = r.parents;
      tags = r.tags;
      description = r.description;
      metadata = r.metadata;
      createdMillis = r.createdMillis;
      closedMillis = r.closedMillis;
      publishedMillis = r.publishedMillis;
      base = r.base;
      root = r.root;
      versionObject = r.versionObject;
      conflicts = r.conflicts;
      log = r.log;
      storage = r.storage;
      storedBytes = r.storedBytes;
      fileCount = r.fileCount;
      totalBytes = r.totalBytes;
      summary = r.summary;
      owner = r.owner;
    }

    public Builder id(String v) { id = v; return this; }
    public Builder project(String v) { project = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder version(String v) { version = v; return this; }
    public Builder state(DatasetState v) { state = v; return this; }
    public Builder parents(List<String> v) { parents = v; return this; }
    public Builder tags(List<String> v) { tags = v; return this; }
    public Builder description(String v) { description = v; return this; }
    public Builder metadata(Map<String, String> v) { metadata = v; return this; }
    public Builder createdMillis(long v) { createdMillis = v; return this; }
    public Builder closedMillis(long v) { closedMillis = v; return this; }
    public Builder publishedMillis(long v) { publishedMillis = v; return this; }
    public Builder base(ObjectId v) { base = v; return this; }
    public Builder root(ObjectId v) { root = v; return this; }
    public Builder versionObject(ObjectId v) { versionObject = v; return this; }
    public Builder conflicts(List<Conflict> v) { conflicts = v; return this; }
    public Builder log(List<LogEntry> v) { log = v; return this; }
    public Builder storage(String v) { storage = v; return this; }
    public Builder storedBytes(long v) { storedBytes = v; return this; }
    public Builder fileCount(long v) { fileCount = v; return this; }
    public Builder totalBytes(long v) { totalBytes = v; return this; }
    public Builder summary(ChangeSummary v) { summary = v; return this; }
    public Builder owner(String v) { owner = v; return this; }

    /**
     * Appends an entry to the execution log. Of a closed version, an entry is timed after its
     * close, even were the clock set back: the entries timed no later than {@code closed} are
     * those its version object holds (spec/datasets.md, "Version objects").
     */
    public Builder appendLog(LogEntry e) {
      List<LogEntry> l = new ArrayList<>(log);
      if (closedMillis > 0 && e.timeMillis() <= closedMillis) {
        e = new LogEntry(closedMillis + 1, e.command(), e.arguments(), e.changes(), e.storedBytes());
      }
      l.add(e);
      log = l;
      return this;
    }

    /**
     * Adds the entry of one step of a command: where the last entry is the same command line's
     * (an earlier step of the same run) and one of the two holds no change, they are one entry,
     * the one with the change. So a {@code sync --project/--name} that creates, changes and closes
     * a version logs one {@code sync}, not three; two steps that both change the version stay two.
     */
    public Builder appendLogStep(LogEntry e) {
      LogEntry last = log.isEmpty() ? null : log.get(log.size() - 1);
      if (last == null || !last.command().equals(e.command()) || !last.arguments().equals(e.arguments())) {
        return appendLog(e);
      }
      if (e.changes().isEmpty() && e.storedBytes() == 0) {
        return this; // a step that changed nothing: the run's entry stands for it
      }
      if (last.changes().isEmpty() && last.storedBytes() == 0) {
        List<LogEntry> l = new ArrayList<>(log);
        l.set(l.size() - 1, e);
        log = l;
        return this;
      }
      return appendLog(e);
    }

    public DatasetRecord build() {
      return new DatasetRecord(id, project, name, version, state, parents, tags, description, metadata,
          createdMillis, closedMillis, publishedMillis, base, root, versionObject, conflicts, log, storage,
          storedBytes, fileCount, totalBytes, summary, owner);
    }
  }
}
