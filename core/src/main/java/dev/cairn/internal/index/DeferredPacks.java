package dev.cairn.internal.index;

import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackEntry;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small packs this process published and registered for itself only
 * ({@link ObjectIndex#registerLater}), waiting for the index's next write transaction. Lookups
 * read an immutable map of their objects without locking. Thread-safe.
 *
 * <p>A writer takes a {@link #snapshot()}, writes it, then {@link #forget}s exactly those packs:
 * a pack added meanwhile stays, and a pack written twice by two threads changes nothing.
 */
final class DeferredPacks {
  /** At most this many packs wait; the next one is written with them. */
  static final int MAX_PACKS = 16;

  private final Map<String, List<PackEntry>> packs = new LinkedHashMap<>();
  private volatile Map<ObjectId, ObjectLocation> locations = Map.of();
  /** How many times packs were dropped: raised before their objects leave {@link #locations}. */
  private volatile long forgets;

  /** Where a waiting pack holds {@code id}, or null. */
  ObjectLocation get(ObjectId id) {
    return locations.get(id);
  }

  /**
   * A count that changes before packs are dropped (once their write has committed): a reader that
   * missed an object in a snapshot of the index and then here, and sees this count changed since
   * before that snapshot, looks in a new snapshot.
   */
  long forgets() {
    return forgets;
  }

  /** The objects of every waiting pack (an immutable snapshot). */
  Map<ObjectId, ObjectLocation> locations() {
    return locations;
  }

  boolean isEmpty() {
    return locations.isEmpty();
  }

  synchronized boolean holds(String packName) {
    return packs.containsKey(packName);
  }

  synchronized List<String> names() {
    return List.copyOf(packs.keySet());
  }

  /**
   * Adds a pack unless {@link #MAX_PACKS} already wait or it has more than
   * {@link PendingPacks#MAX_PACK_ENTRIES} entries.
   *
   * @return whether it was added (else the caller writes it, with a {@link #snapshot()})
   */
  synchronized boolean add(String packName, List<PackEntry> entries) {
    if (entries.size() > PendingPacks.MAX_PACK_ENTRIES || packs.size() >= MAX_PACKS) {
      return false;
    }
    if (packs.putIfAbsent(packName, List.copyOf(entries)) == null) {
      Map<ObjectId, ObjectLocation> next = new HashMap<>(locations);
      for (PackEntry e : entries) {
        next.putIfAbsent(e.id(), location(packName, e));
      }
      locations = next;
    }
    return true;
  }

  /** The waiting packs, in the order they were added. */
  synchronized Map<String, List<PackEntry>> snapshot() {
    return new LinkedHashMap<>(packs);
  }

  /** Drops packs that were written to the index. */
  synchronized void forget(Collection<String> written) {
    if (packs.keySet().removeAll(written)) {
      forgets++;
      Map<ObjectId, ObjectLocation> next = new HashMap<>();
      packs.forEach((name, es) -> es.forEach(e -> next.putIfAbsent(e.id(), location(name, e))));
      locations = next.isEmpty() ? Map.of() : next;
    }
  }

  static ObjectLocation location(String packName, PackEntry e) {
    return new ObjectLocation(packName, e.type(), e.blockOffset(), e.blockLength(), e.offsetInBlock(), e.length());
  }
}
