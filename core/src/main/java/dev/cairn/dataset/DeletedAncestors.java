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
    Version v = vid == null ? null : versionObject(vid);
    return v != null && id.equals(RecordRecovery.datasetId(v)) ? v : null; // the version it was taken for, or none
  }

  /**
   * A record standing in for the deleted version {@code id} ({@link RecordRecovery#standIn}), if a
   * child met before named its version object and that is here; else null.
   */
  DatasetRecord standIn(String id) throws IOException {
    Version v = of(id);
    if (v == null) {
      return null;
    }
    ObjectId vid = objects.get(id);
    List<String> parents = parentsOf(v);
    // A parent it had that cannot be named would make it look like the first of its line, and the
    // origin of what that parent brought: the trail ends here instead.
    return parents.size() == v.parents().size() ? RecordRecovery.standIn(v, vid, parents) : null;
  }

  /** Whether a child met before named the version object of the deleted version {@code id}. */
  boolean noted(String id) {
    return objects.containsKey(id);
  }

  /**
   * The ids of the parents of a deleted version, by its version object {@code v} (each parent's
   * version object noted, for a walk going on past it): all of them as close wrote them; else those
   * whose version objects are here.
   */
  List<String> parentsOf(Version v) throws IOException {
    // Their ids as close wrote them, in the order of their version objects: a parent whose version
    // object is not here is named all the same (its record may be).
    List<String> written = RecordRecovery.parentIds(v);
    if (written.size() == v.parents().size() && written.stream().allMatch(Catalog::isFullId)) {
      for (int i = 0; i < written.size(); i++) {
        objects.putIfAbsent(written.get(i), v.parents().get(i));
      }
      return written;
    }
    // Without that list (a version object it cannot be read from), each parent by its own version object.
    List<String> parents = new ArrayList<>();
    for (ObjectId p : v.parents()) {
      Version parent = versionObject(p);
      String pid = parent == null ? null : RecordRecovery.datasetId(parent);
      if (pid == null || !Catalog.isFullId(pid)) {
        continue; // not named here: the callers that need every parent see one missing
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
