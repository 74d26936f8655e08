package dev.cairn.manifest;

import dev.cairn.id.ObjectId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Differences between two manifest trees, in path order. Subtrees with equal ids are skipped
 * unread, so the cost grows with the number of changes times the depth, not with the size of the
 * manifests.
 */
public final class ManifestDiff {
  private final NodeLoader loader;

  /** Receives differences in path order. */
  @FunctionalInterface
  public interface Listener {
    void on(DiffEntry d) throws IOException;
  }

  public ManifestDiff(NodeLoader loader) {
    this.loader = loader;
  }

  /** All differences from {@code from} to {@code to}. */
  public List<DiffEntry> diff(ObjectId from, ObjectId to) throws IOException {
    List<DiffEntry> out = new ArrayList<>();
    diff(from, to, out::add);
    return out;
  }

  /** Streams the differences from {@code from} to {@code to} to {@code listener}. */
  public void diff(ObjectId from, ObjectId to, Listener listener) throws IOException {
    if (from.equals(to)) {
      return;
    }
    TreeNode a = loader.load(from);
    TreeNode b = loader.load(to);
    List<ChildRef> as = List.of(new ChildRef("", from, 0, a.entryCount(), a.totalBytes()));
    List<ChildRef> bs = List.of(new ChildRef("", to, 0, b.entryCount(), b.totalBytes()));
    int la = a.level();
    int lb = b.level();
    while (la > lb) {
      as = children(as);
      la--;
    }
    while (lb > la) {
      bs = children(bs);
      lb--;
    }
    diffRuns(as, bs, la, listener);
  }

  /**
   * Compares two sequences of same-level subtrees that cover the same key range. Equal ids are
   * skipped; otherwise the shortest runs on both sides that end at the same key are opened and
   * compared one level down.
   */
  private void diffRuns(List<ChildRef> as, List<ChildRef> bs, int level, Listener listener) throws IOException {
    int i = 0;
    int j = 0;
    while (i < as.size() && j < bs.size()) {
      if (as.get(i).id().equals(bs.get(j).id())) {
        i++;
        j++;
        continue;
      }
      int ia = i + 1;
      int jb = j + 1;
      while (true) {
        String endA = ia < as.size() ? as.get(ia).firstKey() : null;
        String endB = jb < bs.size() ? bs.get(jb).firstKey() : null;
        int c = compareEnds(endA, endB);
        if (c == 0) {
          break;
        }
        if (c < 0) {
          ia++;
        } else {
          jb++;
        }
      }
      List<ChildRef> runA = as.subList(i, ia);
      List<ChildRef> runB = bs.subList(j, jb);
      if (level == 0) {
        diffEntries(entries(runA), entries(runB), listener);
      } else {
        diffRuns(children(runA), children(runB), level - 1, listener);
      }
      i = ia;
      j = jb;
    }
    for (; i < as.size(); i++) {
      emitAll(as.get(i), level, listener, false);
    }
    for (; j < bs.size(); j++) {
      emitAll(bs.get(j), level, listener, true);
    }
  }

  /** Compares run ends, where null means "after every key". */
  private static int compareEnds(String a, String b) {
    if (a == null) {
      return b == null ? 0 : 1;
    }
    return b == null ? -1 : DatasetPaths.compare(a, b);
  }

  private void emitAll(ChildRef ref, int level, Listener listener, boolean added) throws IOException {
    List<ChildRef> one = List.of(ref);
    for (int h = level; h > 0; h--) {
      one = children(one);
    }
    for (FileEntry e : entries(one)) {
      listener.on(added ? DiffEntry.added(e) : DiffEntry.removed(e));
    }
  }

  private List<ChildRef> children(List<ChildRef> refs) throws IOException {
    List<ChildRef> out = new ArrayList<>();
    for (ChildRef r : refs) {
      TreeNode n = loader.load(r.id());
      if (n instanceof TreeNode.Inner in) {
        out.addAll(in.children());
      } else {
        throw new IllegalStateException("expected an inner node at " + r.id());
      }
    }
    return out;
  }

  private List<FileEntry> entries(List<ChildRef> refs) throws IOException {
    List<FileEntry> out = new ArrayList<>();
    for (ChildRef r : refs) {
      TreeNode n = loader.load(r.id());
      if (n instanceof TreeNode.Leaf leaf) {
        out.addAll(leaf.entries());
      } else {
        throw new IllegalStateException("expected a leaf at " + r.id());
      }
    }
    return out;
  }

  private static void diffEntries(List<FileEntry> a, List<FileEntry> b, Listener listener) throws IOException {
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int c = i >= a.size() ? 1 : j >= b.size() ? -1 : DatasetPaths.compare(a.get(i).path(), b.get(j).path());
      if (c < 0) {
        listener.on(DiffEntry.removed(a.get(i++)));
      } else if (c > 0) {
        listener.on(DiffEntry.added(b.get(j++)));
      } else {
        FileEntry x = a.get(i++);
        FileEntry y = b.get(j++);
        if (!x.sameContent(y)) {
          listener.on(DiffEntry.modified(x, y));
        }
      }
    }
  }
}
