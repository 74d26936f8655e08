package dev.cairn.dataset;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.json.Json;
import dev.cairn.internal.json.JsonException;
import dev.cairn.internal.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON form of a {@link DatasetRecord} (spec/datasets.md). */
public final class RecordFormat {
  /** Version of the record format this build writes and reads. */
  public static final int FORMAT = 1;

  private RecordFormat() {}

  public static String encode(DatasetRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("id", r.id());
    m.put("project", r.project());
    m.put("name", r.name());
    m.put("version", r.version());
    m.put("state", r.state().label());
    m.put("parents", r.parents());
    m.put("tags", r.tags());
    m.put("description", r.description());
    m.put("metadata", r.metadata());
    m.put("created", r.createdMillis());
    m.put("closed", r.closedMillis());
    m.put("published", r.publishedMillis());
    m.put("base", r.base().hex());
    m.put("root", r.root().hex());
    m.put("version_object", r.versionObject() == null ? null : r.versionObject().hex());
    List<Object> conflicts = new ArrayList<>();
    for (Conflict c : r.conflicts()) {
      conflicts.add(Json.object("path", c.path(), "parents", c.parents()));
    }
    m.put("conflicts", conflicts);
    List<Object> log = new ArrayList<>();
    for (LogEntry e : r.log()) {
      Map<String, Object> le = new LinkedHashMap<>();
      le.put("time", e.timeMillis());
      le.put("command", e.command());
      le.put("arguments", e.arguments());
      le.put("changes", new TreeMap<>(e.changes().toJson()));
      le.put("stored_bytes", e.storedBytes());
      log.add(le);
    }
    m.put("log", log);
    m.put("storage", r.storage());
    m.put("stored_bytes", r.storedBytes());
    m.put("files", r.fileCount());
    m.put("bytes", r.totalBytes());
    m.put("summary", new TreeMap<>(r.summary().toJson()));
    if (r.owner() != null) {
      m.put("owner", r.owner());
    }
    return Json.pretty(m) + "\n";
  }

  /**
   * Whether {@code text} is a record in a format newer than this build reads: not damage, and
   * never to be superseded or collected by this build.
   */
  public static boolean isNewerFormat(String text) {
    try {
      return JsonObject.parse(text).number("format") > FORMAT;
    } catch (JsonException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Parses a record.
   *
   * @param where the file, named in errors
   * @throws CorruptObjectException if the text is not a valid record
   */
  public static DatasetRecord decode(String text, String where) throws CorruptObjectException {
    try {
      JsonObject o = JsonObject.parse(text);
      long format = o.number("format");
      if (format != FORMAT) {
        throw new JsonException("unsupported record format " + format + (format > FORMAT ? " (written by a newer Cairn: upgrade to read it)" : ""));
      }
      List<Conflict> conflicts = new ArrayList<>();
      for (Object c : o.list("conflicts")) {
        JsonObject co = asObject(c);
        conflicts.add(new Conflict(co.string("path"), co.strings("parents")));
      }
      List<LogEntry> log = new ArrayList<>();
      for (Object e : o.list("log")) {
        JsonObject eo = asObject(e);
        log.add(new LogEntry(eo.number("time"), eo.string("command"), eo.strings("arguments"),
            summary(eo.object("changes")), eo.numberOr("stored_bytes", 0)));
      }
      Map<String, String> metadata = new TreeMap<>();
      for (Map.Entry<String, Object> e : o.object("metadata").asMap().entrySet()) {
        metadata.put(e.getKey(), String.valueOf(e.getValue()));
      }
      return new DatasetRecord(
          o.string("id"),
          o.string("project"),
          o.string("name"),
          o.string("version"),
          DatasetState.fromLabel(o.string("state")),
          o.strings("parents"),
          o.strings("tags"),
          o.stringOr("description", ""),
          metadata,
          o.number("created"),
          o.numberOr("closed", 0),
          o.numberOr("published", 0),
          ObjectId.fromHex(o.string("base")),
          ObjectId.fromHex(o.string("root")),
          o.has("version_object") ? ObjectId.fromHex(o.string("version_object")) : null,
          conflicts,
          log,
          o.stringOr("storage", null),
          o.numberOr("stored_bytes", 0),
          o.numberOr("files", 0),
          o.numberOr("bytes", 0),
          summary(o.object("summary")),
          o.stringOr("owner", null));
    } catch (JsonException | IllegalArgumentException e) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, where, "bad dataset record: " + e.getMessage());
    }
  }

  private static JsonObject asObject(Object o) throws JsonException {
    if (!(o instanceof Map)) {
      throw new JsonException("expected an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) o;
    return new JsonObject(m);
  }

  static ChangeSummary summary(JsonObject o) throws JsonException {
    return new ChangeSummary(o.numberOr("added", 0), o.numberOr("modified", 0), o.numberOr("removed", 0),
        o.numberOr("added_bytes", 0), o.numberOr("modified_bytes", 0), o.numberOr("removed_bytes", 0));
  }
}
