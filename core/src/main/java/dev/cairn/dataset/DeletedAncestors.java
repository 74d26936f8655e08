package dev.cairn.dataset;

import dev.cairn.errors.CairnException;
import dev.cairn.id.ObjectId;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ancestors a walk of a lineage meets that were deleted here, followed through their version
 * objects: a version object names its parents' version objects, so a child's (read from its record)
 * tells each deleted parent's, whose own names the next ones. Kept while a child's lineage needs
 * them (spec/datasets.md, "Version objects"). A deleted version whose version object is not here,
 * or whose child's does not name it, ends its line.
 */
final class DeletedAncestors {
  private final DatasetRepository repo;
  private final ObjectReader reader;
  /** The version object of each deleted version met, as a child's version object names it. */
  private final Map<String, ObjectId> objects = new HashMap<>();

  DeletedAncestors(DatasetRepository repo, ObjectReader reader) {
    this.repo = repo;
    this.reader = reader;
  }

  /** Notes the version objects of the parents of {@code child} (a record read) that are deleted here. */
  void noteParentsOf(DatasetRecord child) throws IOException {
    if (child.versionObject() == null || child.parents().stream().allMatch(p -> repo.catalog().exists(p))) {
      return;
    }
    Version v = versionObject(child.versionObject());
    if (v != null && v.parents().size() == child.parents().size()) {
      for (int i = 0; i < child.parents().size(); i++) {
        objects.putIfAbsent(child.parents().get(i), v.parents().get(i));
      }
    }
  }

  /** The version object of the deleted version {@code id}, if a child met before named it and it is here; else null. */
  Version of(String id) throws IOException {
    ObjectId vid = objects.get(id);
    return vid == null ? null : versionObject(vid);
  }

  /**
   * A record standing in for the deleted version {@code id} ({@link RecordRecovery#standIn}), if a
   * child met before named its version object and that is here; else null.
   */
  DatasetRecord standIn(String id) throws IOException {
    ObjectId vid = objects.get(id);
    Version v = vid == null ? null : versionObject(vid);
    return v == null ? null : RecordRecovery.standIn(v, vid, parentsOf(v));
  }

  /**
   * The ids of the parents of a deleted version, by its version object {@code v} (each parent's
   * version object noted, for a walk going on past it): those whose version objects are here.
   */
  List<String> parentsOf(Version v) throws IOException {
    List<String> parents = new ArrayList<>();
    for (ObjectId p : v.parents()) {
      Version parent = versionObject(p);
      String pid = parent == null ? null : RecordRecovery.datasetId(parent);
      if (pid == null || !Catalog.isFullId(pid)) {
        continue; // this parent's history is not here; the others' still are
      }
      parents.add(pid);
      objects.putIfAbsent(pid, p);
    }
    return parents;
  }

  /** A version object, or null when it is not here or cannot be read (fsck reports the latter). */
  private Version versionObject(ObjectId id) throws IOException {
    try {
      return VersionFormat.decode(reader.open(id).bytes(), id);
    } catch (CairnException notHere) {
      return null;
    }
  }
}
