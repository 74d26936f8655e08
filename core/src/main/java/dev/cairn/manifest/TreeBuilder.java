package dev.cairn.manifest;

import dev.cairn.id.ObjectId;
import dev.cairn.object.ObjectType;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a manifest tree from entries given in path order, writing each node as it closes; memory
 * holds one open node per level. Nodes close by the rule of {@link KeyLevel}: a level-h node closes
 * after a path of level > h, or at {@link KeyLevel#MAX_NODE_ENTRIES}. The result depends only on the
 * entries, so the same entries always give the same root id.
 *
 * <p>{@link #addSubtree} takes a whole subtree of an earlier tree without reading it, which is how
 * {@link ManifestEditor} rewrites only the nodes on the path to a change. Not thread-safe.
 */
public final class TreeBuilder {
  private final ObjectInserter inserter;
  private final NodeLoader loader;
  private final List<FileEntry> leaf = new ArrayList<>();
  private int lastLeafLevel;
  /** inner.get(h) holds the open node of level h (index 0 unused). */
  private final List<List<ChildRef>> inner = new ArrayList<>();
  private String lastKey;
  private long nodesWritten;
  private long bytesWritten;
  /** The last nodes written, so that finishing can look into them without reading the store. */
  private final Map<ObjectId, TreeNode> recent = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ObjectId, TreeNode> eldest) {
      return size() > 64;
    }
  };

  /**
   * @param loader reads nodes of earlier trees when a reused subtree ends up as the root; may be
   *     null when {@link #addSubtree} is not used
   */
  public TreeBuilder(ObjectInserter inserter, NodeLoader loader) {
    this.inserter = inserter;
    this.loader = loader;
    inner.add(null);
  }

  public TreeBuilder(ObjectInserter inserter) {
    this(inserter, null);
  }

  /**
   * Adds the next entry.
   *
   * @throws IllegalArgumentException if its path does not follow the previous one
   */
  public void add(FileEntry e) throws IOException {
    checkOrder(e.path());
    leaf.add(e);
    lastLeafLevel = KeyLevel.of(e.path());
    if (lastLeafLevel >= 1 || leaf.size() >= KeyLevel.MAX_NODE_ENTRIES) {
      closeLeaf();
    }
  }

  /**
   * Adds a whole subtree of level {@code level}, unchanged. Allowed only when no node of that
   * level or below is open ({@link #isAligned}), so that rebuilding it would give the same node.
   */
  public void addSubtree(ChildRef ref, int level) throws IOException {
    if (!isAligned(level)) {
      throw new IllegalStateException("cannot reuse a level-" + level + " subtree while a lower node is open");
    }
    checkOrder(ref.firstKey());
    push(ref, level + 1);
  }

  /** Whether no node of level 0 to {@code level} is open. */
  public boolean isAligned(int level) {
    if (!leaf.isEmpty()) {
      return false;
    }
    for (int h = 1; h <= level && h < inner.size(); h++) {
      if (!inner.get(h).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private void checkOrder(String key) {
    if (lastKey != null && DatasetPaths.compare(lastKey, key) >= 0) {
      throw new IllegalArgumentException("manifest paths out of order: '" + key + "' after '" + lastKey + "'");
    }
    lastKey = key;
  }

  private List<ChildRef> level(int h) {
    while (inner.size() <= h) {
      inner.add(new ArrayList<>());
    }
    return inner.get(h);
  }

  private void push(ChildRef ref, int h) throws IOException {
    List<ChildRef> open = level(h);
    open.add(ref);
    if (ref.endLevel() >= h + 1 || open.size() >= KeyLevel.MAX_NODE_ENTRIES) {
      closeInner(h);
    }
  }

  private void closeLeaf() throws IOException {
    TreeNode.Leaf node = new TreeNode.Leaf(leaf);
    ObjectId id = write(node, TreeFormat.encodeLeaf(leaf));
    ChildRef ref = new ChildRef(leaf.get(0).path(), id, lastLeafLevel, node.entryCount(), node.totalBytes());
    leaf.clear();
    push(ref, 1);
  }

  private void closeInner(int h) throws IOException {
    List<ChildRef> open = inner.get(h);
    TreeNode.Inner node = new TreeNode.Inner(h, open);
    ObjectId id = write(node, TreeFormat.encodeInner(h, open));
    ChildRef ref = new ChildRef(open.get(0).firstKey(), id, open.get(open.size() - 1).endLevel(), node.entryCount(), node.totalBytes());
    open.clear();
    push(ref, h + 1);
  }

  private ObjectId write(TreeNode node, byte[] encoded) throws IOException {
    ObjectId id = inserter.insert(ObjectType.TREE, encoded);
    nodesWritten++;
    bytesWritten += encoded.length;
    recent.put(id, node);
    return id;
  }

  /**
   * Closes every open node and returns the root id: the single node at the top, or, while that is
   * an inner node with one child, its child. An empty builder gives the empty leaf.
   */
  public ObjectId finish() throws IOException {
    if (lastKey == null) {
      return write(new TreeNode.Leaf(List.of()), TreeFormat.encodeLeaf(List.of()));
    }
    ChildRef top = null;
    for (int h = 0; top == null; h++) {
      if (h == 0) {
        if (!leaf.isEmpty()) {
          closeLeaf();
        }
      } else if (h < inner.size() && !inner.get(h).isEmpty()) {
        closeInner(h);
      }
      top = soleTop(h + 1);
    }
    return unwrap(top);
  }

  /** The only reference at level {@code h}, if nothing is open above it. */
  private ChildRef soleTop(int h) {
    for (int k = h + 1; k < inner.size(); k++) {
      if (!inner.get(k).isEmpty()) {
        return null;
      }
    }
    List<ChildRef> refs = h < inner.size() ? inner.get(h) : List.of();
    return refs.size() == 1 ? refs.get(0) : null;
  }

  private ObjectId unwrap(ChildRef top) throws IOException {
    ObjectId id = top.id();
    while (true) {
      TreeNode node = recent.get(id);
      if (node == null) {
        node = loaderFor(id).load(id);
      }
      if (node instanceof TreeNode.Inner in && in.size() == 1) {
        id = in.children().get(0).id();
      } else {
        return id;
      }
    }
  }

  private NodeLoader loaderFor(ObjectId id) {
    if (loader == null) {
      throw new IllegalStateException("need a node loader to read reused node " + id);
    }
    return loader;
  }

  /** Nodes written so far (including ones the store already held). */
  public long nodesWritten() {
    return nodesWritten;
  }

  /** Encoded bytes of the nodes written so far. */
  public long bytesWritten() {
    return bytesWritten;
  }
}
