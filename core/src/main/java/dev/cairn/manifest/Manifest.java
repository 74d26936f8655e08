package dev.cairn.manifest;

import dev.cairn.id.ObjectId;
import dev.cairn.store.ObjectInserter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A read-only view of one manifest tree: sorted paths to entries. Lookups and seeks read one node
 * per level; iteration streams the leaves; counts come from the root without reading leaves.
 * Thread-safe if its {@link NodeLoader} is.
 */
public final class Manifest implements Iterable<FileEntry> {
  private final NodeLoader loader;
  private final ObjectId root;

  public Manifest(NodeLoader loader, ObjectId root) {
    this.loader = loader;
    this.root = root;
  }

  /** Builds the tree of {@code entries}, which must be sorted by path and unique. */
  public static ObjectId build(ObjectInserter inserter, Iterable<FileEntry> entries) throws IOException {
    TreeBuilder b = new TreeBuilder(inserter);
    for (FileEntry e : entries) {
      b.add(e);
    }
    return b.finish();
  }

  public ObjectId root() {
    return root;
  }

  public NodeLoader loader() {
    return loader;
  }

  /** Number of entries. */
  public long entryCount() throws IOException {
    return loader.load(root).entryCount();
  }

  /** Sum of the entries' sizes. */
  public long totalBytes() throws IOException {
    return loader.load(root).totalBytes();
  }

  /** How many entries a part of a manifest holds and the sum of their sizes. */
  public record Totals(long entries, long bytes) {}

  /**
   * The entries under folder {@code dir} ({@code ""}: all of them), counted from the counts inner
   * nodes keep: two descents of the tree, whatever the folder holds. A folder's paths are those from
   * {@code dir/} up to {@code dir0} ({@code '0'} follows {@code '/'} in path order).
   */
  public Totals under(String dir) throws IOException {
    if (dir.isEmpty()) {
      TreeNode top = loader.load(root);
      return new Totals(top.entryCount(), top.totalBytes());
    }
    Totals from = totalsBefore(dir + "/");
    Totals to = totalsBefore(dir + "0");
    return new Totals(to.entries() - from.entries(), to.bytes() - from.bytes());
  }

  /** The entries whose paths come before {@code key}: whole children by their counts, then one leaf's entries. */
  private Totals totalsBefore(String key) throws IOException {
    long entries = 0;
    long bytes = 0;
    TreeNode node = loader.load(root);
    while (node instanceof TreeNode.Inner in) {
      List<ChildRef> children = in.children();
      int i = childFor(children, key);
      for (ChildRef c : children.subList(0, i)) {
        entries += c.entryCount();
        bytes += c.totalBytes();
      }
      node = loader.load(children.get(i).id());
    }
    for (FileEntry e : ((TreeNode.Leaf) node).entries()) {
      if (DatasetPaths.compare(e.path(), key) >= 0) {
        break;
      }
      entries++;
      bytes += e.size();
    }
    return new Totals(entries, bytes);
  }

  /** The entry at {@code path}, or null. */
  public FileEntry lookup(String path) throws IOException {
    TreeNode node = loader.load(root);
    while (node instanceof TreeNode.Inner in) {
      int i = childFor(in.children(), path);
      node = loader.load(in.children().get(i).id());
    }
    List<FileEntry> entries = ((TreeNode.Leaf) node).entries();
    int i = Collections.binarySearch(entries, null, (e, ignored) -> DatasetPaths.compare(e.path(), path));
    return i >= 0 ? entries.get(i) : null;
  }

  /** The last entry whose path comes before {@code path} in path order, or null if none does. */
  public FileEntry before(String path) throws IOException {
    return lastBefore(loader.load(root), path);
  }

  private FileEntry lastBefore(TreeNode node, String path) throws IOException {
    if (node instanceof TreeNode.Leaf leaf) {
      List<FileEntry> entries = leaf.entries();
      int i = Collections.binarySearch(entries, null, (e, ignored) -> DatasetPaths.compare(e.path(), path));
      int firstNotBefore = i >= 0 ? i : -i - 1;
      return firstNotBefore == 0 ? null : entries.get(firstNotBefore - 1);
    }
    List<ChildRef> children = ((TreeNode.Inner) node).children();
    int i = childFor(children, path);
    FileEntry found = lastBefore(loader.load(children.get(i).id()), path);
    if (found != null || i == 0) {
      return found;
    }
    // Every entry of the child before it comes before the path (its successor's first key is at most the path).
    TreeNode last = loader.load(children.get(i - 1).id());
    while (last instanceof TreeNode.Inner in) {
      last = loader.load(in.children().get(in.children().size() - 1).id());
    }
    List<FileEntry> entries = ((TreeNode.Leaf) last).entries();
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }

  /** Index of the last child whose first key is at most {@code key} (0 if none). */
  static int childFor(List<ChildRef> children, String key) {
    int lo = 0;
    int hi = children.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (DatasetPaths.compare(children.get(mid).firstKey(), key) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** All entries in path order. I/O errors surface as {@link UncheckedIOException}. */
  @Override
  public Iterator<FileEntry> iterator() {
    return iterator("");
  }

  /** Entries with paths at or after {@code from}, in order. */
  public Iterator<FileEntry> iterator(String from) {
    return new Cursor(from);
  }

  /**
   * Entries {@code offset} to {@code offset + limit - 1} in path order, skipping whole subtrees by
   * their counts.
   */
  public List<FileEntry> page(long offset, int limit) throws IOException {
    List<FileEntry> out = new ArrayList<>(Math.min(limit, 1024));
    if (limit <= 0 || offset < 0) {
      return out;
    }
    collectPage(loader.load(root), offset, limit, out);
    return out;
  }

  private long collectPage(TreeNode node, long skip, int limit, List<FileEntry> out) throws IOException {
    if (node instanceof TreeNode.Leaf leaf) {
      List<FileEntry> es = leaf.entries();
      for (int i = (int) Math.min(skip, es.size()); i < es.size() && out.size() < limit; i++) {
        out.add(es.get(i));
      }
      return Math.max(0, skip - es.size());
    }
    for (ChildRef c : ((TreeNode.Inner) node).children()) {
      if (out.size() >= limit) {
        break;
      }
      if (skip >= c.entryCount()) {
        skip -= c.entryCount();
        continue;
      }
      skip = collectPage(loader.load(c.id()), skip, limit, out);
    }
    return skip;
  }

  /** What a folder holds directly: a file ({@code file} its entry) or a folder ({@code file} null), by its name. */
  public record Child(String name, FileEntry file) {
    public boolean isFolder() {
      return file == null;
    }

    /**
     * Where a listing ending with this child goes on ({@link #children}'s {@code after}): its name,
     * with a {@code /} for a folder, so that a file named alike ({@code images}, beside the folder
     * {@code images/}) is another place, and so are names between them ({@code images.csv}).
     */
    public String resumeAfter() {
      return isFolder() ? name + "/" : name;
    }
  }

  /**
   * The files and folders directly in folder {@code dir} ({@code ""} for the top), in path order
   * (a folder where its first path is: {@code images.csv} before {@code images/}), those after
   * {@code after} (a {@link Child#resumeAfter}; null: from the first), at most {@code limit}. A
   * folder below is passed over by a seek past its last path ({@code '0'} follows {@code '/'} in
   * path order), so listing a folder reads a descent per child, whatever its folders hold. Empty
   * when nothing is under {@code dir}.
   */
  public List<Child> children(String dir, String after, int limit) throws IOException {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    // After a folder: past its paths. After a file: the first path after it ('\u0000' is in no path).
    String from = after == null ? prefix
        : after.endsWith("/") ? prefix + after.substring(0, after.length() - 1) + "0" : prefix + after + "\u0000";
    List<Child> out = new ArrayList<>();
    try {
      Iterator<FileEntry> it = iterator(from);
      while (out.size() < limit && it.hasNext()) {
        FileEntry e = it.next();
        if (!e.path().startsWith(prefix)) {
          break;
        }
        String rest = e.path().substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
          out.add(new Child(rest, e));
          continue;
        }
        String folder = rest.substring(0, slash);
        out.add(new Child(folder, null));
        it = iterator(prefix + folder + "0");
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  /** Depth-first walk over leaves, reading one node per level at a time. */
  private final class Cursor implements Iterator<FileEntry> {
    private final Deque<Frame> stack = new ArrayDeque<>();
    private List<FileEntry> leafEntries = List.of();
    private int leafPos;

    private record Frame(List<ChildRef> children, int[] next) {}

    Cursor(String from) {
      try {
        TreeNode node = loader.load(root);
        while (node instanceof TreeNode.Inner in) {
          int i = from.isEmpty() ? 0 : childFor(in.children(), from);
          stack.push(new Frame(in.children(), new int[] {i + 1}));
          node = loader.load(in.children().get(i).id());
        }
        leafEntries = ((TreeNode.Leaf) node).entries();
        while (leafPos < leafEntries.size() && DatasetPaths.compare(leafEntries.get(leafPos).path(), from) < 0) {
          leafPos++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public boolean hasNext() {
      try {
        while (leafPos >= leafEntries.size()) {
          if (!descendNext()) {
            return false;
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private boolean descendNext() throws IOException {
      while (!stack.isEmpty() && stack.peek().next()[0] >= stack.peek().children().size()) {
        stack.pop();
      }
      if (stack.isEmpty()) {
        return false;
      }
      Frame f = stack.peek();
      TreeNode node = loader.load(f.children().get(f.next()[0]++).id());
      while (node instanceof TreeNode.Inner in) {
        stack.push(new Frame(in.children(), new int[] {1}));
        node = loader.load(in.children().get(0).id());
      }
      leafEntries = ((TreeNode.Leaf) node).entries();
      leafPos = 0;
      return true;
    }

    @Override
    public FileEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return leafEntries.get(leafPos++);
    }
  }
}
