package dev.cairn.cli;

import dev.cairn.dataset.Conflict;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.LogEntry;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.FileEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** JSON shapes shared by the command line and the web API (documented in tools/README.md). */
public final class Views {
  private Views() {}

  /** A version as {@code search} lists it. */
  public static Map<String, Object> version(DatasetRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("project", r.project());
    m.put("name", r.name());
    m.put("version", r.version());
    m.put("state", r.state().label());
    m.put("tags", r.tags());
    m.put("parents", r.parents());
    m.put("created", Format.iso(r.createdMillis()));
    m.put("files", r.fileCount());
    m.put("bytes", r.totalBytes());
    m.put("description", r.description());
    m.put("metadata", new TreeMap<>(r.metadata()));
    return m;
  }

  /**
   * A version with everything the catalog knows; a conflict whose winning parent deleted the path
   * ({@code deletedConflicts}, from {@code Dataset.conflictsResolvedByDeletion}) has
   * {@code "deleted": true}.
   */
  public static Map<String, Object> versionDetail(DatasetRecord r, Set<String> deletedConflicts) {
    Map<String, Object> m = version(r);
    m.put("closed", Format.iso(r.closedMillis()));
    m.put("published", Format.iso(r.publishedMillis()));
    m.put("stored_bytes", r.storedBytes());
    m.put("root", r.root().hex());
    m.put("version_object", r.versionObject() == null ? null : r.versionObject().hex());
    m.put("storage", r.storage());
    m.put("changes", new TreeMap<>(r.summary().toJson()));
    m.put("conflicts", conflicts(r, deletedConflicts));
    return m;
  }

  /**
   * The paths a version's parents (or the versions squashed) conflicted on, as {@code show},
   * {@code create} and {@code squash} print them: each with the versions, the one taken, and
   * whether it had deleted the path.
   */
  public static List<Object> conflicts(DatasetRecord r, Set<String> deletedConflicts) {
    List<Object> conflicts = new ArrayList<>();
    for (Conflict c : r.conflicts()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("path", c.path());
      cm.put("parents", c.parents());
      cm.put("winner", c.winner());
      cm.put("deleted", deletedConflicts.contains(c.path()));
      conflicts.add(cm);
    }
    return conflicts;
  }

  /** A file as {@code list} prints it. */
  public static Map<String, Object> file(FileEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", e.path());
    m.put("size", e.size());
    m.put("hash", e.digest().hex());
    if (e.executable()) {
      m.put("executable", true);
    }
    if (e.uri() != null) {
      m.put("link", e.uri());
    }
    return m;
  }

  /** One change of a change-set. */
  public static Map<String, Object> change(DiffEntry d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("change", d.type().name().toLowerCase(Locale.ROOT));
    m.put("path", d.path());
    m.put("size", d.entry().size());
    m.put("hash", d.entry().digest().hex());
    if (d.entry().executable()) {
      m.put("executable", true);
    }
    if (d.oldEntry() != null && d.newEntry() != null) {
      m.put("old_size", d.oldEntry().size());
      m.put("old_hash", d.oldEntry().digest().hex());
      if (d.oldEntry().executable()) {
        m.put("old_executable", true); // with equal hashes, a change of mode alone
      }
    }
    return m;
  }

  /** An execution log entry. */
  public static Map<String, Object> log(LogEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Format.iso(e.timeMillis()));
    m.put("command", e.command());
    m.put("arguments", e.arguments());
    m.put("changes", new TreeMap<>(e.changes().toJson()));
    m.put("stored_bytes", e.storedBytes());
    return m;
  }
}
