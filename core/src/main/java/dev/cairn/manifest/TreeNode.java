package dev.cairn.manifest;

import java.util.List;

/** A decoded manifest tree node: a leaf of entries, or an inner node of child references. */
public sealed interface TreeNode {
  /** 0 for leaves; one more than the children's level for inner nodes. */
  int level();

  /** Number of entries or children. */
  int size();

  /** Entries under this node. */
  long entryCount();

  /** Sum of the entries' sizes under this node. */
  long totalBytes();

  /** A leaf: entries sorted by path. */
  record Leaf(List<FileEntry> entries) implements TreeNode {
    public Leaf {
      entries = List.copyOf(entries);
    }

    @Override
    public int level() {
      return 0;
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public long entryCount() {
      return entries.size();
    }

    @Override
    public long totalBytes() {
      long sum = 0;
      for (FileEntry e : entries) {
        sum += e.size();
      }
      return sum;
    }
  }

  /** An inner node: children sorted by first key, all one level below. */
  record Inner(int level, List<ChildRef> children) implements TreeNode {
    public Inner {
      children = List.copyOf(children);
      if (level < 1) {
        throw new IllegalArgumentException("inner nodes have level >= 1");
      }
    }

    @Override
    public int size() {
      return children.size();
    }

    @Override
    public long entryCount() {
      long sum = 0;
      for (ChildRef c : children) {
        sum += c.entryCount();
      }
      return sum;
    }

    @Override
    public long totalBytes() {
      long sum = 0;
      for (ChildRef c : children) {
        sum += c.totalBytes();
      }
      return sum;
    }
  }
}
