package dev.cairn.dataset;

import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.json.Json;
import dev.cairn.internal.json.JsonException;
import dev.cairn.internal.json.JsonObject;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeBuilder;
import dev.cairn.object.Version;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the record of a closed version from its version object, which keeps everything the
 * record held at close (spec/datasets.md, "Version objects"). Used by {@code fsck --repair} when a
 * record is lost or damaged.
 */
public final class RecordRecovery {
  private RecordRecovery() {}

  /** The start of the argument of the log entry a recovered record ends with, before the version object's id. */
  static final String RECOVERED_FROM = "record recovered from version object ";

  /** The dataset ids of the parents close wrote into the version object ({@code dataset.parents}), in order; empty if none. */
  public static List<String> parentIds(Version v) {
    return strings(v.property("dataset.parents"));
  }

  /** The dataset id a version object belongs to, or null if it names none. */
  public static String datasetId(Version v) {
    return v.property("dataset.id");
  }

  /**
   * Whether the record of the version object's version is missing or unreadable and was not
   * deleted on purpose: neither marked deleted (here, or on the remote a fetch found it deleted
   * on, which gave its version object for the lineage), nor its version string now another
   * version's (unless the version holds another string, which set-version gave it).
   * {@link #recover} writes such records again; {@code fsck} reports them.
   */
  public static boolean isLost(DatasetRepository repo, Version v) throws IOException {
    String id = datasetId(v);
    if (id == null || !Catalog.isFullId(id) || repo.catalog().wasDeleted(id) || repo.catalog().deletedThere(id) != null) {
      return false;
    }
    try {
      repo.catalog().read(id);
      return false;
    } catch (IOException missingOrDamaged) {
      // lost, unless its version string went to another version (the record went with a delete)
    }
    String holder = holder(repo, v);
    return holder == null || holder.equals(id) || reservedVersion(repo, v) != null;
  }

  /**
   * Whether every tree node and every file content of the manifest {@code root} is stored. A
   * version object without its data is what a fetch that stopped part way leaves (it stores the
   * version object with the manifest's first nodes, and the record last): garbage for the next
   * gc, not a record to bring back.
   */
  public static boolean dataHere(ObjectReader reader, ObjectId root) throws IOException {
    try {
      return StoredContent.firstMissing(reader, root, Selection.ALL) == null;
    } catch (MissingObjectException missingNode) {
      return false;
    }
  }

  /**
   * Whether the version's version string is still reserved for it: a lost record whose
   * reservation is intact was lost, not deleted (a delete by a build older than the deletion mark
   * released the reservation too).
   */
  public static boolean stillReserved(DatasetRepository repo, Version v) throws IOException {
    return datasetId(v) != null && reservedVersion(repo, v) != null;
  }

  private static String holder(DatasetRepository repo, Version v) throws IOException {
    return repo.catalog().reservationHolder(project(v), name(v), closedAs(v));
  }

  /**
   * The version string reserved for the version: the one it was closed with, or the one
   * set-version gave it since (the version object keeps the first); null if it holds none.
   */
  private static String reservedVersion(DatasetRepository repo, Version v) throws IOException {
    String id = datasetId(v);
    if (id.equals(holder(repo, v))) {
      return closedAs(v);
    }
    List<String> held = repo.catalog().reservationsHeldBy(project(v), name(v), id);
    return held.size() == 1 ? held.get(0) : null;
  }

  /**
   * Moves an unreadable record file to {@code lost-found/records/} before a recovered one takes
   * its place: it may hold tags or metadata given after close, which the version object does not.
   * A record this build cannot read because a newer Cairn wrote it, or that this user may not
   * read, is no damage: it stays, and nothing is recovered over it.
   *
   * @return whether the record's place is free for a recovered record
   */
  private static boolean setAsideUnreadable(DatasetRepository repo, String id) throws IOException {
    Path file = repo.catalog().recordFile(id);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException gone) {
      return true;
    } catch (AccessDeniedException notOurs) {
      return false;
    }
    if (RecordFormat.isNewerFormat(text)) {
      return false;
    }
    Path lostFound = repo.repository().directory().resolve("lost-found").resolve("records");
    Files.createDirectories(lostFound);
    Files.move(file, lostFound.resolve(id + ".json-" + System.currentTimeMillis()));
    return true;
  }

  /**
   * A record that stands in, for a walk of a lineage, for a version deleted here whose version
   * object {@code vid} is: its name, version string, parents and manifest; its base is its own
   * manifest, so that nothing counts as its own change (its parents are looked at instead). Never
   * written.
   */
  static DatasetRecord standIn(Version v, ObjectId vid, List<String> parents) {
    if (datasetId(v) == null) {
      return null; // not a dataset's version object
    }
    return new DatasetRecord.Builder()
        .id(datasetId(v))
        .project(project(v))
        .name(name(v))
        .version(closedAs(v))
        .state(DatasetState.FINAL)
        .parents(parents)
        .tags(List.of())
        .metadata(Map.of())
        .createdMillis(v.createdMillis())
        .closedMillis(v.createdMillis())
        .log(List.of())
        .conflicts(List.of())
        .base(v.root())
        .root(v.root())
        .versionObject(vid)
        .build();
  }

  private static String project(Version v) {
    return v.properties().getOrDefault("dataset.project", "");
  }

  private static String name(Version v) {
    return v.properties().getOrDefault("dataset.name", "recovered-" + DatasetRecord.shortId(datasetId(v)));
  }

  /** The version string the version object keeps: the one it was closed with. */
  private static String closedAs(Version v) {
    return v.properties().getOrDefault("dataset.version", "0.0.0");
  }

  /**
   * Writes a final record for the version object {@code vid}, unless a valid record exists, the
   * version was deleted on purpose, or its version string now belongs to another version.
   *
   * @return whether a record was written
   */
  public static boolean recover(DatasetRepository repo, ObjectId vid, Version v, ObjectReader reader) throws IOException {
    if (!isLost(repo, v) || !dataHere(reader, v.root()) || !setAsideUnreadable(repo, datasetId(v))) {
      return false;
    }
    String id = datasetId(v);
    List<String> parents = strings(v.property("dataset.parents"));
    List<ObjectId> parentRoots = new ArrayList<>();
    List<String> known = new ArrayList<>();
    DeletedAncestors deleted = new DeletedAncestors(repo, reader);
    deleted.parentsOf(v); // notes the parents' version objects, for one deleted here
    for (String p : parents) {
      if (repo.catalog().exists(p)) {
        known.add(p);
        parentRoots.add(repo.catalog().read(p).root());
      } else if (deleted.of(p) != null) {
        // Deleted here: its manifest, through its version object, which this one's names (gc keeps it).
        known.add(p);
        parentRoots.add(deleted.of(p).root());
      }
    }
    // The parents merged again, as create merged them: the base its change-set and conflicts are of.
    ObjectId base;
    List<Conflict> conflicts = List.of();
    try (ObjectInserter ins = repo.repository().objects().newInserter(); ObjectReader r = ins.newReader()) {
      if (parentRoots.size() == parents.size() && !parents.isEmpty()) {
        ParentMerge.Result merged = ParentMerge.merge(known, parentRoots, MergeBases.of(repo, known), new NodeLoader(r), ins);
        base = merged.root();
        conflicts = merged.conflicts();
      } else {
        base = new TreeBuilder(ins).finish();
      }
      ins.flush();
    }
    NodeLoader loader = new NodeLoader(reader);
    Manifest m = new Manifest(loader, v.root());
    Map<String, String> metadata = new TreeMap<>();
    try {
      Object md = Json.parse(v.properties().getOrDefault("dataset.metadata", "{}"));
      if (md instanceof Map<?, ?> map) {
        map.forEach((k, val) -> metadata.put(String.valueOf(k), String.valueOf(val)));
      }
    } catch (JsonException e) {
      // keep what else can be recovered
    }
    List<LogEntry> log = log(v);
    String reserved = reservedVersion(repo, v);
    DatasetRecord r = new DatasetRecord.Builder()
        .id(id)
        .project(project(v))
        .name(name(v))
        .version(reserved != null ? reserved : closedAs(v))
        .state(DatasetState.FINAL)
        .parents(parents)
        .tags(strings(v.property("dataset.tags")))
        .description(v.properties().getOrDefault("dataset.description", ""))
        .metadata(metadata)
        .createdMillis(log.isEmpty() ? v.createdMillis() : log.get(0).timeMillis())
        .closedMillis(v.createdMillis())
        .log(log)
        .base(base)
        .root(v.root())
        .conflicts(conflicts)
        .summary(summary(v, loader, base, parentRoots.size() == parents.size()))
        .versionObject(vid)
        .fileCount(m.entryCount())
        .totalBytes(m.totalBytes())
        .appendLog(new LogEntry(System.currentTimeMillis(), "fsck --repair", List.of(RECOVERED_FROM + vid.hex()),
            ChangeSummary.EMPTY, 0))
        .build();
    repo.catalog().write(r);
    try {
      repo.catalog().reserveVersion(r.project(), r.name(), r.version(), id); // false: the reservation survived
    } catch (IllegalArgumentException malformed) {
      // a version object written with a string this release does not take: left unreserved
    }
    return true;
  }

  /**
   * The change-set close recorded in the version object; else, for an object without it, the diff
   * against the parents merged again when all of them are here, or none.
   */
  private static ChangeSummary summary(Version v, NodeLoader loader, ObjectId base, boolean baseIsTheParents) throws IOException {
    String recorded = v.property("dataset.summary");
    if (recorded != null) {
      try {
        return RecordFormat.summary(JsonObject.parse(recorded));
      } catch (JsonException e) {
        // computed below
      }
    }
    return baseIsTheParents ? VersionLifecycle.summary(loader, base, v.root()) : ChangeSummary.EMPTY;
  }

  /** The execution log close kept (times, commands, arguments; not their change counts). */
  private static List<LogEntry> log(Version v) {
    List<LogEntry> out = new ArrayList<>();
    try {
      if (Json.parse(v.properties().getOrDefault("dataset.log", "[]")) instanceof List<?> entries) {
        for (Object o : entries) {
          if (o instanceof Map<?, ?> e && e.get("time") instanceof Number t && e.get("command") instanceof String c
              && e.get("arguments") instanceof List<?> args) {
            out.add(new LogEntry(t.longValue(), c, args.stream().map(String::valueOf).toList(), ChangeSummary.EMPTY, 0));
          }
        }
      }
    } catch (JsonException e) {
      return List.of(); // the log is lost with the record
    }
    return out;
  }

  private static List<String> strings(String json) {
    List<String> out = new ArrayList<>();
    if (json == null) {
      return out;
    }
    try {
      if (Json.parse(json) instanceof List<?> l) {
        l.forEach(o -> out.add(String.valueOf(o)));
      }
    } catch (JsonException e) {
      // nothing to recover
    }
    return out;
  }
}
