package dev.cairn.manifest;

import dev.cairn.id.ObjectId;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.util.ArrayDeque;
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
    Session s = begin(root);
    for (Edit e : sortUnique(edits)) {
      s.add(e);
    }
    return s.finish();
  }

  /**
   * Starts applying edits that arrive one at a time, in increasing path order, to {@code root}:
   * memory holds the nodes on the path to the latest edit, not the edits, so a million-file change
   * streams through.
   */
  public Session begin(ObjectId root) throws IOException {
    return new Session(root);
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

  /**
   * Edits in progress: a walk of the old tree that stops before each edit's path. Everything the
   * walk passes goes to a {@link TreeBuilder}: whole subtrees by id when no edit falls in them and
   * the builder is aligned with them, else their entries. Not thread-safe.
   */
  public final class Session {
    private final TreeBuilder builder = new TreeBuilder(inserter, loader);
    /** The walk's position: one frame per level, the leaf's on top. */
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private String last;

    /** A node being walked: its next child (or entry) to visit. */
    private static final class Frame {
      final TreeNode node;
      final boolean rightmost;
      int next;

      Frame(TreeNode node, boolean rightmost) {
        this.node = node;
        this.rightmost = rightmost;
      }
    }

    private Session(ObjectId root) throws IOException {
      stack.push(new Frame(loader.load(root), true));
    }

    /**
     * Applies the next edit.
     *
     * @throws IllegalArgumentException if its path does not follow the previous edit's
     */
    public void add(Edit e) throws IOException {
      if (last != null && DatasetPaths.compare(last, e.path()) >= 0) {
        throw new IllegalArgumentException("edits out of order: " + e.path() + " after " + last);
      }
      last = e.path();
      advanceTo(e.path());
      Frame top = stack.peek();
      if (top != null && top.node instanceof TreeNode.Leaf leaf && top.next < leaf.entries().size()
          && leaf.entries().get(top.next).path().equals(e.path())) {
        top.next++; // replaced or removed
      }
      if (e.entry() != null) {
        builder.add(e.entry());
      }
    }

    /** Finishes the walk and returns the new root. */
    public ObjectId finish() throws IOException {
      advanceTo(null);
      return builder.finish();
    }

    /**
     * Passes everything of the old tree before {@code path} (null: everything) to the builder,
     * leaving the walk at the leaf entry where {@code path} is or would be.
     */
    private void advanceTo(String path) throws IOException {
      while (!stack.isEmpty()) {
        Frame top = stack.peek();
        if (top.node instanceof TreeNode.Leaf leaf) {
          List<FileEntry> entries = leaf.entries();
          while (top.next < entries.size() && (path == null || DatasetPaths.compare(entries.get(top.next).path(), path) < 0)) {
            builder.add(entries.get(top.next++));
          }
          if (top.next < entries.size()) {
            return;
          }
          stack.pop();
          continue;
        }
        TreeNode.Inner in = (TreeNode.Inner) top.node;
        List<ChildRef> children = in.children();
        if (top.next >= children.size()) {
          stack.pop();
          continue;
        }
        int i = top.next++;
        ChildRef child = children.get(i);
        boolean lastChild = i == children.size() - 1;
        boolean childRightmost = top.rightmost && lastChild;
        int childLevel = in.level() - 1;
        boolean before = !lastChild && (path == null || DatasetPaths.compare(children.get(i + 1).firstKey(), path) <= 0);
        if (before && !childRightmost && builder.isAligned(childLevel)) {
          builder.addSubtree(child, childLevel); // no edit falls in it: reuse it unread
        } else {
          stack.push(new Frame(loader.load(child.id()), childRightmost));
        }
      }
    }
  }
}
