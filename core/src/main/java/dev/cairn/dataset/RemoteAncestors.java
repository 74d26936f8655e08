package dev.cairn.dataset;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the data of a version that is not here may be: a closed version with a remote has its own
 * data there; a version made here on top of one fetched in part shares that one's files, whose
 * data is on that one's remote, though it has none itself. Answers are remembered, so that asking
 * about every version of a long lineage (fsck, the web's pages) reads each record once: an instance
 * serves while records do not change. Thread-safe.
 */
public final class RemoteAncestors {
  private final Catalog catalog;
  private final Map<String, Optional<DatasetRecord>> memo = new ConcurrentHashMap<>();

  public RemoteAncestors(Catalog catalog) {
    this.catalog = catalog;
  }

  /** {@code r} itself once closed with a remote, else its nearest ancestor with one, else null. */
  public DatasetRecord of(DatasetRecord r) throws IOException {
    if (!r.isDraft() && r.storage() != null) {
      return r;
    }
    Optional<DatasetRecord> known = memo.get(r.id());
    if (known != null) {
      return known.orElse(null);
    }
    DatasetRecord found = null;
    ArrayDeque<String> queue = new ArrayDeque<>(r.parents());
    Set<String> seen = new HashSet<>();
    while (!queue.isEmpty() && found == null) {
      String p = queue.poll();
      Optional<DatasetRecord> answered = memo.get(p);
      if (answered != null) {
        found = answered.orElse(null);
        continue;
      }
      if (!seen.add(p) || !catalog.exists(p)) {
        continue;
      }
      DatasetRecord pr;
      try {
        pr = catalog.read(p);
      } catch (CorruptObjectException | DatasetNotFoundException unreadable) {
        continue;
      }
      if (pr.storage() != null) {
        found = pr;
      } else {
        queue.addAll(pr.parents());
      }
    }
    memo.put(r.id(), Optional.ofNullable(found));
    return found;
  }

  /**
   * Whether the data of {@code e}, a file of {@code r} not here, was not fetched rather than lost:
   * its remote ancestor's manifest holds the same content at that path (what {@code r} added or
   * changed itself was made here, and must be here). A remote ancestor whose manifest is not here
   * cannot tell, and is trusted.
   */
  public static boolean onRemote(FileEntry e, DatasetRecord r, DatasetRecord remoteAncestor, ObjectReader reader) throws IOException {
    return onRemote(e.path(), e.content(), r, remoteAncestor, reader);
  }

  /** As {@link #onRemote(FileEntry, DatasetRecord, DatasetRecord, ObjectReader)}, for the file at {@code path} with {@code content}. */
  public static boolean onRemote(String path, ObjectId content, DatasetRecord r, DatasetRecord remoteAncestor, ObjectReader reader)
      throws IOException {
    if (remoteAncestor == null) {
      return false;
    }
    if (remoteAncestor.id().equals(r.id())) {
      return true;
    }
    try {
      FileEntry there = new Manifest(new NodeLoader(reader), remoteAncestor.root()).lookup(path);
      return there != null && there.content() != null && there.content().equals(content);
    } catch (MissingObjectException manifestNotHere) {
      return true;
    }
  }
}
