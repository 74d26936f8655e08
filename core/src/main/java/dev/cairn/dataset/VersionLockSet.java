package dev.cairn.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The locks of several versions (a new version's parents, or the versions of a dataset being
 * deleted), taken in id order so that two takers never deadlock.
 */
final class VersionLockSet implements AutoCloseable {
  private final List<VersionLocks.Lock> held = new ArrayList<>();

  static VersionLockSet take(Catalog catalog, List<String> ids) throws IOException {
    VersionLockSet locks = new VersionLockSet();
    try {
      for (String id : ids.stream().sorted().toList()) {
        locks.held.add(catalog.lock(id));
      }
    } catch (IOException | RuntimeException e) {
      try {
        locks.close();
      } catch (IOException | RuntimeException release) {
        e.addSuppressed(release);
      }
      throw e;
    }
    return locks;
  }

  @Override
  public void close() throws IOException {
    Exception first = null;
    for (int i = held.size() - 1; i >= 0; i--) {
      try {
        held.get(i).close();
      } catch (IOException | RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof IOException io) {
      throw io;
    } else if (first != null) {
      throw (RuntimeException) first;
    }
  }
}
