package dev.cairn.dataset;

import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a version to get: one part of a deterministic split and/or the paths matching
 * some patterns. Parts cut the files the patterns select (all, without patterns), in path order,
 * into {@code numParts} contiguous runs of about equal bytes, none empty when there are at least
 * as many files as parts: the parts are disjoint and together hold every selected file.
 *
 * @param part the part to take, from 0 to {@code numParts - 1}
 * @param numParts how many parts (1 = the whole version)
 * @param filters keep only paths matching one of these (empty: all)
 * @throws IllegalArgumentException if {@code numParts} is below 1 or {@code part} is not one of its
 *     parts (unchecked, as for any value type: {@link #ALL} and {@link #NONE} are constants)
 */
public record Selection(int part, int numParts, List<Glob> filters) {
  /** Every file. */
  public static final Selection ALL = new Selection(0, 1, List.of());

  /** No file: only the version's record and manifest (paths cannot hold NUL). */
  public static final Selection NONE = new Selection(0, 1, List.of(Glob.of("\u0000")));

  public Selection {
    if (numParts < 1) {
      throw new IllegalArgumentException("Cannot split a version into " + numParts + " parts: give at least 1");
    }
    if (part < 0 || part >= numParts) {
      throw new IllegalArgumentException("Cannot take part " + part + " of " + numParts + ": parts are numbered from 0 to " + (numParts - 1));
    }
    filters = List.copyOf(Objects.requireNonNull(filters, "filters must not be null: give an empty list for all files"));
  }

  /** A part of a split, without filters. */
  public static Selection part(int part, int numParts) {
    return new Selection(part, numParts, List.of());
  }

  /**
   * The files matching any of {@code filters}, read as {@code get --filter} reads them
   * ({@link Glob#filter}: a folder's name takes what it holds), without a split.
   *
   * @throws IllegalArgumentException for a pattern that does not compile
   */
  public static Selection filtered(String... filters) {
    return new Selection(0, 1, java.util.Arrays.stream(filters).map(Glob::filter).toList());
  }

  /**
   * The files under the folder {@code folder} (a path from the version's top, its name taken as
   * it is, wildcard characters too); every file for "".
   */
  public static Selection folder(String folder) {
    return folder.isEmpty() ? ALL : new Selection(0, 1, List.of(Glob.filter("/" + Glob.literal(folder))));
  }

  public boolean isAll() {
    return numParts == 1 && filters.isEmpty();
  }

  /** A short, file-name-safe key for this selection ("" for all). */
  String key() {
    if (isAll()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    if (numParts > 1) {
      sb.append(PART_KEY).append(part).append("-of-").append(numParts);
    }
    if (!filters.isEmpty()) {
      // A pattern that selects paths only (Glob.of) is keyed apart from the same text as a filter,
      // which also selects the contents of the folders it matches: an empty pattern (none can be
      // empty) comes before it.
      String joined = String.join("\u0000", filters.stream().map(g -> g.selectsFolders() ? g.pattern() : "\u0000" + g.pattern()).toList());
      if (numParts > 1) {
        // Parts of a filtered subset split the subset, no longer the whole version, and none is
        // empty: a folder built by a release that cut them otherwise must not be taken for one of these.
        joined = "parts of the selected files, none empty\u0000" + joined;
      }
      sb.append(".filter-").append(HashAlgorithm.SHA256.hash(joined.getBytes(StandardCharsets.UTF_8)).abbreviate(12));
    }
    return sb.toString();
  }

  /**
   * The selection whose {@link #key()} is {@code key}, or null if the key names filters (whose
   * patterns it holds only as a hash) or is not a key.
   */
  static Selection ofKey(String key) {
    if (key.isEmpty()) {
      return ALL;
    }
    Matcher m = Pattern.compile(Pattern.quote(PART_KEY) + "(\\d{1,9})-of-(\\d{1,9})").matcher(key);
    if (!m.matches()) {
      return null;
    }
    int part = Integer.parseInt(m.group(1));
    int numParts = Integer.parseInt(m.group(2));
    return numParts > 1 && part < numParts ? part(part, numParts) : null;
  }

  /** How a part's folder name begins ({@code .parts-<k>-of-<n>}); see {@link #isKeyOfEarlierParts}. */
  private static final String PART_KEY = ".parts-";

  /**
   * Whether {@code key} names a part as releases before every part held a file named them
   * ({@code .part-<k>-of-<n>}, the files cut otherwise): a cached folder of such a key is a
   * leftover, which {@code gc} deletes.
   */
  public static boolean isKeyOfEarlierParts(String key) {
    return key.matches("\\.part-\\d{1,9}-of-\\d{1,9}(\\.filter-[0-9a-f]+)?");
  }

  /**
   * Deals the files of a split, in path order, to their parts (spec/datasets.md, "Local cache"):
   * a file goes to the part holding its middle byte, but never more than one part past the
   * previous file's, and never so early that the files left are too few for the parts left; so,
   * with at least as many files as parts, every part holds a file.
   */
  static final class Dealer {
    private final int numParts;
    private final long totalBytes;
    private final long fileCount;
    private long before;
    private long index;
    private int last = -1;

    Dealer(int numParts, long totalBytes, long fileCount) {
      this.numParts = numParts;
      this.totalBytes = totalBytes;
      this.fileCount = fileCount;
    }

    /** The part of the next file, of {@code size} bytes. */
    int next(long size) {
      int byBytes;
      if (totalBytes == 0) {
        byBytes = (int) Math.min(numParts - 1, index * numParts / Math.max(1, fileCount));
      } else {
        double middle = before + size / 2.0;
        byBytes = (int) Math.min(numParts - 1, Math.floor(middle * numParts / totalBytes));
      }
      int p = byBytes;
      if (fileCount >= numParts) {
        long lowest = numParts - (fileCount - index); // the files left, this one included, must reach the last part
        int highest = Math.min(last + 1, numParts - 1); // no part is passed over
        p = (int) Math.max(lowest, Math.min(highest, byBytes));
      }
      last = p;
      before += size;
      index++;
      return p;
    }
  }

  /** Reads the entries of a selection one at a time; returns false to stop. */
  @FunctionalInterface
  public interface EntryVisitor {
    boolean visit(FileEntry e) throws IOException;
  }

  /** How many files a selection holds, and their bytes. */
  public record Totals(long files, long bytes) {}

  /**
   * Visits the entries of {@code m} in this selection, in path order, holding one manifest node
   * at a time, until the visitor returns false.
   *
   * @throws MissingObjectException if a node of the manifest is not stored (the
   *     manifest's iterator reports it unchecked; it is given back as it was thrown)
   */
  public void forEach(Manifest m, EntryVisitor visitor) throws IOException {
    // Parts split the files the filters select: a first walk sums them.
    Totals matching = numParts > 1 && !filters.isEmpty() ? walk(m, e -> true) : new Totals(m.entryCount(), m.totalBytes());
    Dealer dealer = new Dealer(numParts, matching.bytes(), matching.files());
    walk(m, e -> {
      int p = numParts == 1 ? part : dealer.next(e.size());
      return p < part || p == part && visitor.visit(e); // past the part: the walk stops
    });
  }

  /**
   * Visits the entries of {@code m} that pass the filters until the visitor returns false, and
   * returns how many it visited and their bytes.
   */
  private Totals walk(Manifest m, EntryVisitor visitor) throws IOException {
    long files = 0;
    long bytes = 0;
    // Filters under a literal folder: their matches lie together in the manifest, from that text on.
    String from = Glob.requiredPrefix(filters);
    try {
      for (java.util.Iterator<FileEntry> it = m.iterator(from); it.hasNext(); ) {
        FileEntry e = it.next();
        if (!e.path().startsWith(from)) {
          break;
        }
        if (matches(e)) {
          files++;
          bytes += e.size();
          if (!visitor.visit(e)) {
            break;
          }
        }
      }
    } catch (UncheckedIOException nodeUnreadable) {
      throw nodeUnreadable.getCause();
    }
    return new Totals(files, bytes);
  }

  /** The files and bytes of this selection of {@code m}: from its root when all, else by a walk. */
  public Totals totals(Manifest m) throws IOException {
    if (isAll()) {
      return new Totals(m.entryCount(), m.totalBytes());
    }
    long[] sums = new long[2];
    forEach(m, e -> {
      sums[0]++;
      sums[1] += e.size();
      return true;
    });
    return new Totals(sums[0], sums[1]);
  }

  /** The entries of {@code m} in this selection, in path order (all in memory: see {@link #forEach}). */
  public List<FileEntry> select(Manifest m) throws IOException {
    List<FileEntry> out = new ArrayList<>();
    forEach(m, out::add);
    return out;
  }

  /** Whether a path passes the filters. */
  boolean matches(FileEntry e) {
    return matches(e.path());
  }

  /** Whether {@code path} passes the filters (all do when there are none). */
  public boolean matches(String path) {
    return filters.isEmpty() || filters.stream().anyMatch(g -> g.matches(path));
  }
}
