package dev.cairn.manifest;

import dev.cairn.id.ObjectId;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Applies path edits to a manifest tree, rewriting only the nodes whose content changes: the path
 * from the root to each edited leaf, plus the few neighbours whose boundaries move. Untouched
 * subtrees are carried over by id, unread. A one-file change to a million-entry manifest thus reads
 * and writes a handful of nodes, and the result is the same tree a full rebuild would give.
 */
public final class ManifestEditor {
  private final NodeLoader loader;
  private final ObjectInserter inserter;

  /** One change: put {@code entry} at {@code path}, or remove the path when {@code entry} is null. */
  public record Edit(String path, FileEntry entry) {
    public Edit {
      if (entry != null && !entry.path().equals(path)) {
        throw new IllegalArgumentException("edit path " + path + " != entry path " + entry.path());
      }
    }

    public static Edit put(FileEntry e) {
      return new Edit(e.path(), e);
    }

    public static Edit remove(String path) {
      return new Edit(path, null);
    }
  }

  public ManifestEditor(NodeLoader loader, ObjectInserter inserter) {
    this.loader = loader;
    this.inserter = inserter;
  }

  /**
   * Returns the root of {@code root} with {@code edits} applied. Later edits of the same path win.
   * Removing an absent path is a no-op.
   */
  public ObjectId apply(ObjectId root, Collection<Edit> edits) throws IOException {
    List<Edit> sorted = sortUnique(edits);
    TreeBuilder builder = new TreeBuilder(inserter, loader);
    walk(builder, loader.load(root), sorted, 0, sorted.size(), true);
    return builder.finish();
  }

  private static List<Edit> sortUnique(Collection<Edit> edits) {
    List<Edit> list = new ArrayList<>(edits);
    // Stable sort keeps the given order among equal paths; the last one wins.
    list.sort(Comparator.comparing(Edit::path, DatasetPaths::compare));
    List<Edit> out = new ArrayList<>(list.size());
    for (Edit e : list) {
      if (!out.isEmpty() && out.get(out.size() - 1).path().equals(e.path())) {
        out.set(out.size() - 1, e);
      } else {
        out.add(e);
      }
    }
    return out;
  }

  private void walk(TreeBuilder b, TreeNode node, List<Edit> edits, int lo, int hi, boolean rightmost) throws IOException {
    if (node instanceof TreeNode.Leaf leaf) {
      merge(b, leaf.entries(), edits, lo, hi);
      return;
    }
    TreeNode.Inner in = (TreeNode.Inner) node;
    List<ChildRef> children = in.children();
    int childLevel = in.level() - 1;
    int pos = lo;
    for (int i = 0; i < children.size(); i++) {
      boolean last = i == children.size() - 1;
      int end = hi;
      if (!last) {
        String next = children.get(i + 1).firstKey();
        end = pos;
        while (end < hi && DatasetPaths.compare(edits.get(end).path(), next) < 0) {
          end++;
        }
      }
      ChildRef child = children.get(i);
      boolean childRightmost = rightmost && last;
      if (end == pos && !childRightmost && b.isAligned(childLevel)) {
        b.addSubtree(child, childLevel);
      } else {
        walk(b, loader.load(child.id()), edits, pos, end, childRightmost);
      }
      pos = end;
    }
  }

  private static void merge(TreeBuilder b, List<FileEntry> entries, List<Edit> edits, int lo, int hi) throws IOException {
    int i = 0;
    int j = lo;
    while (i < entries.size() || j < hi) {
      int c;
      if (i >= entries.size()) {
        c = 1;
      } else if (j >= hi) {
        c = -1;
      } else {
        c = DatasetPaths.compare(entries.get(i).path(), edits.get(j).path());
      }
      if (c < 0) {
        b.add(entries.get(i++));
      } else {
        Edit e = edits.get(j++);
        if (e.entry() != null) {
          b.add(e.entry());
        }
        if (c == 0) {
          i++;
        }
      }
    }
  }
}
