package dev.cairn.manifest;

import dev.cairn.id.ObjectId;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and decodes tree nodes, keeping the most recently used ones. Thread-safe.
 */
public final class NodeLoader {
  private static final int DEFAULT_CAPACITY = 2048;

  private final ObjectReader reader;
  private final Map<ObjectId, TreeNode> cache;

  public NodeLoader(ObjectReader reader) {
    this(reader, DEFAULT_CAPACITY);
  }

  public NodeLoader(ObjectReader reader, int capacity) {
    this.reader = reader;
    this.cache = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ObjectId, TreeNode> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The node with this id. */
  public TreeNode load(ObjectId id) throws IOException {
    synchronized (cache) {
      TreeNode n = cache.get(id);
      if (n != null) {
        return n;
      }
    }
    TreeNode n = TreeFormat.decode(reader.open(id).bytes(), id);
    synchronized (cache) {
      cache.put(id, n);
    }
    return n;
  }

  /** The reader nodes come from. */
  public ObjectReader reader() {
    return reader;
  }
}
