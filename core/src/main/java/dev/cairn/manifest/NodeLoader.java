package dev.cairn.manifest;

import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and decodes tree nodes, keeping the most recently used ones. Thread-safe.
 */
public final class NodeLoader {
  private static final int DEFAULT_CAPACITY = 2048;
  private static final TreeNode.Leaf EMPTY = new TreeNode.Leaf(List.of());

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

  /**
   * The empty tree's id in each object format. Its node is known without reading it: a version
   * fetched in part (or a repository that never stored the empty tree) still diffs against it.
   */
  private static final Set<ObjectId> EMPTY_TREES = Arrays.stream(HashAlgorithm.values())
      .map(a -> a.hash(TreeFormat.encodeLeaf(List.of()))).collect(Collectors.toUnmodifiableSet());

  /** Whether {@code id} is the empty tree (of either object format), which every repository can read. */
  public static boolean isEmptyTree(ObjectId id) {
    return EMPTY_TREES.contains(id);
  }

  /** The node with this id. */
  public TreeNode load(ObjectId id) throws IOException {
    if (isEmptyTree(id)) {
      return EMPTY;
    }
    synchronized (cache) {
      TreeNode n = cache.get(id);
      if (n != null) {
        return n;
      }
    }
    TreeNode n;
    try {
      n = TreeFormat.decode(reader.open(id).bytes(), id);
    } catch (MissingObjectException missing) {
      if (!id.equals(missing.objectId())) {
        throw missing;
      }
      // Said as what it is: a part of a version's list of files, not its data (lost here, or on a
      // remote not fetched yet: the caller knows which).
      MissingObjectException named = new MissingObjectException(id, "a manifest node (part of a version's list of files)");
      named.addSuppressed(missing);
      throw named;
    }
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
