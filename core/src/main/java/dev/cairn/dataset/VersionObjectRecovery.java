package dev.cairn.dataset;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a closed version's lost version object from its record, the inverse of
 * {@link RecordRecovery}. Close writes the version object into a pack of its own, so losing that
 * one small pack loses a version whose data is intact. The record keeps what the object was made
 * of (spec/datasets.md, "Version objects"), as it was at close unless the version was renamed,
 * retagged or given metadata since; a candidate is kept only if it hashes to the id the record
 * names, so nothing but the lost bytes is ever written.
 */
public final class VersionObjectRecovery {
  private VersionObjectRecovery() {}

  /**
   * Stores {@code r}'s version object again if it is lost while its manifest is here, and the
   * record still gives back its bytes.
   *
   * @return whether it was rebuilt; false when it is not lost, its manifest root is not here
   *     either, a parent's record is gone, or the record changed since close in a way the object
   *     cannot be rebuilt from
   */
  public static boolean rebuild(DatasetRepository repo, DatasetRecord r) throws IOException {
    try (ObjectInserter ins = repo.repository().objects().newInserter();
        ObjectReader reader = ins.newReader()) {
      byte[] bytes = lostBytes(repo, r, reader);
      if (bytes == null) {
        return false;
      }
      ins.insert(ObjectType.VERSION, bytes);
      ins.flush();
      return true;
    }
  }

  /**
   * Whether {@link #rebuild} would store {@code r}'s version object again and that is all the
   * version lacks here (its manifest and every file's data are stored).
   */
  public static boolean canRebuildAllItLacks(DatasetRepository repo, DatasetRecord r) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      return lostBytes(repo, r, reader) != null && RecordRecovery.dataHere(reader, r.root());
    }
  }

  /** Whether {@code r}'s version object is all it lacks here: its manifest and every file's data are stored. */
  public static boolean onlyVersionObjectLost(DatasetRepository repo, DatasetRecord r) throws IOException {
    try (ObjectReader reader = repo.repository().objects().newReader()) {
      return !r.isDraft() && r.versionObject() != null && !reader.has(r.versionObject()) && reader.has(r.root())
          && RecordRecovery.dataHere(reader, r.root());
    }
  }

  /** The bytes of {@code r}'s version object if it is lost and can be rebuilt (see {@link #rebuild}), else null. */
  private static byte[] lostBytes(DatasetRepository repo, DatasetRecord r, ObjectReader reader) throws IOException {
    if (r.isDraft() || r.versionObject() == null || reader.has(r.versionObject()) || !reader.has(r.root())) {
      return null;
    }
    List<ObjectId> parents = new ArrayList<>();
    for (String p : r.parents()) {
      DatasetRecord pr = repo.catalog().exists(p) ? repo.catalog().read(p) : null;
      if (pr == null || pr.versionObject() == null) {
        return null;
      }
      parents.add(pr.versionObject());
    }
    return find(r, parents, repo.repository().objects().algorithm());
  }

  /**
   * The bytes among the candidates that hash to the record's version object id, or null. The log
   * at close is a prefix of the record's log (later commands append to it), ended by the close's
   * own entry, whose command may be the sync or squash that closed it; so every prefix is tried,
   * with each order of an entry's keys.
   */
  private static byte[] find(DatasetRecord r, List<ObjectId> parents, HashAlgorithm algorithm) {
    List<LogEntry> log = r.log();
    for (List<String> keys : orders(VersionLifecycle.LOG_KEYS)) {
      for (int n = log.size(); n >= 1; n--) {
        DatasetRecord atClose = r.toBuilder().log(log.subList(0, n)).build();
        Version v = new Version(r.root(), parents, r.closedMillis(), VersionLifecycle.versionProperties(atClose, r.summary(), keys));
        byte[] bytes = VersionFormat.encode(v);
        if (algorithm.hash(bytes).equals(r.versionObject())) {
          return bytes;
        }
      }
    }
    return null;
  }

  /** Every order of {@code keys}, {@code keys}' own first. */
  private static List<List<String>> orders(List<String> keys) {
    if (keys.size() <= 1) {
      return List.of(keys);
    }
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      List<String> rest = new ArrayList<>(keys);
      String first = rest.remove(i);
      for (List<String> tail : orders(rest)) {
        List<String> o = new ArrayList<>(List.of(first));
        o.addAll(tail);
        out.add(o);
      }
    }
    return out;
  }
}
