package dev.cairn.dataset;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.errors.Remedy;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.manifest.ManifestEditor;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the edits that turn a draft's manifest into what the user asked for: puts for new or
 * changed files only (unchanged files cost nothing), removals for paths that go away.
 */
final class DraftChanges {
  private DraftChanges() {}

  /** Sorts entries by path; a path given twice keeps its last entry. */
  static List<FileEntry> sortUnique(List<FileEntry> entries) {
    Map<String, FileEntry> last = new LinkedHashMap<>();
    for (FileEntry e : entries) {
      last.put(e.path(), e);
    }
    List<FileEntry> out = new ArrayList<>(last.values());
    out.sort(Comparator.comparing(FileEntry::path, DatasetPaths::compare));
    return out;
  }

  /**
   * Refuses entries that would make one path both a file and a folder, with each other or with
   * {@code m}: such a version could not be written out. Each folder of the entries is looked up
   * once; a path new to {@code m} is checked for files under it.
   */
  static void requireFilesAndFoldersApart(Manifest m, List<FileEntry> sorted) throws IOException {
    Set<String> paths = new HashSet<>(sorted.size() * 2);
    for (FileEntry e : sorted) {
      paths.add(e.path());
    }
    Set<String> folders = new HashSet<>();
    boolean empty = m.entryCount() == 0;
    for (FileEntry e : sorted) {
      String p = e.path();
      for (int i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) {
        String folder = p.substring(0, i);
        if (folders.add(folder)) {
          if (paths.contains(folder) || (!empty && m.lookup(folder) != null)) {
            throw fileAndFolder(p, folder);
          }
          if (!empty) {
            requireNoNormalizationTwin(m, folder);
          }
        }
      }
      if (!empty && m.lookup(p) == null) {
        Iterator<FileEntry> under = m.iterator(p + "/");
        FileEntry first = under.hasNext() ? under.next() : null;
        if (first != null && DatasetPaths.isUnder(first.path(), p)) {
          throw fileAndFolder(first.path(), p);
        }
        requireNoNormalizationTwin(m, p);
      }
    }
  }

  /**
   * Refuses a new path that differs from one the draft holds only by Unicode normalization (the
   * same name composed and decomposed, as macOS and Linux write it): the two would collide on many
   * systems. Within one add the folder scan checks this; here, against the draft, each path and
   * each folder on it with letters beyond ASCII is looked up in both forms.
   */
  private static void requireNoNormalizationTwin(Manifest m, String p) throws IOException {
    for (String twin : DatasetPaths.otherForms(p)) {
      if (m.lookup(twin) != null || holdsUnder(m, twin)) {
        throw new InvalidInputException("Cannot add " + DatasetPaths.quotedWithForm(p) + ": it differs from " + DatasetPaths.quotedWithForm(twin)
            + ", which the version holds, only by Unicode normalization, and the two would collide on many systems");
      }
    }
  }

  /** Whether {@code m} holds a file under the folder {@code folder}. */
  static boolean holdsUnder(Manifest m, String folder) throws IOException {
    Iterator<FileEntry> under = m.iterator(folder + "/");
    return under.hasNext() && DatasetPaths.isUnder(under.next().path(), folder);
  }

  /** Refuses a folder {@code folder} that is also a file, for {@code path} under it. */
  static InvalidInputException fileAndFolder(String path, String folder) {
    return new InvalidInputException("Cannot have both '" + DatasetPaths.printable(folder) + "' and '" + DatasetPaths.printable(path)
        + "': a path cannot be a file and a folder (remove one first)");
  }

  /** Puts for the entries that differ from what {@code m} holds at their paths. */
  static List<Edit> puts(Manifest m, List<FileEntry> sorted) throws IOException {
    List<Edit> edits = new ArrayList<>();
    if (sorted.isEmpty()) {
      return edits;
    }
    requireFilesAndFoldersApart(m, sorted);
    long size = m.entryCount();
    if ((long) sorted.size() * 64 < size) {
      // Few files into a large manifest: look each one up.
      for (FileEntry e : sorted) {
        FileEntry old = m.lookup(e.path());
        if (old == null || !old.sameContent(e)) {
          edits.add(Edit.put(e));
        }
      }
      return edits;
    }
    // Many files: walk the manifest alongside them.
    Iterator<FileEntry> it = m.iterator(sorted.get(0).path());
    FileEntry cur = it.hasNext() ? it.next() : null;
    for (FileEntry e : sorted) {
      while (cur != null && DatasetPaths.compare(cur.path(), e.path()) < 0) {
        cur = it.hasNext() ? it.next() : null;
      }
      if (cur == null || !cur.path().equals(e.path()) || !cur.sameContent(e)) {
        edits.add(Edit.put(e));
      }
    }
    return edits;
  }

  /**
   * Merges files arriving in path order with the entries of a manifest inside a folder, and
   * applies the differences as they are found: puts for new or changed files, removals for entries
   * no file matched. Holds neither the files nor the edits, only the manifest entries looked ahead
   * at: syncing a million files, changed or not, costs no memory per file.
   */
  static final class FolderMerge {
    private final Manifest manifest;
    private final Iterator<FileEntry> existing;
    private final String folder;
    private final ManifestEditor.Session edits;
    private boolean edited;
    /** Manifest entries read but not yet merged, from index {@code head}. */
    private final List<FileEntry> ahead = new ArrayList<>();
    private int head;
    private boolean exhausted;
    private String last;

    /** What a path of the manifest that no file came for keeps it: one the sync was told to leave alone. */
    private final java.util.function.Predicate<String> kept;

    /** Merges into {@code m}; {@code edits} is an edit session begun on {@code m}'s root. */
    FolderMerge(Manifest m, String folder, ManifestEditor.Session edits) throws IOException {
      this(m, folder, edits, path -> false);
    }

    /** As {@link #FolderMerge(Manifest, String, ManifestEditor.Session)}, keeping the paths {@code kept} accepts when no file comes for them. */
    FolderMerge(Manifest m, String folder, ManifestEditor.Session edits, java.util.function.Predicate<String> kept) throws IOException {
      this.manifest = m;
      this.folder = folder;
      this.edits = edits;
      this.kept = kept;
      this.existing = m.iterator(folder.isEmpty() ? "" : folder + "/");
    }

    /** The entries kept by {@link #kept} that no file came for, in order. */
    private final List<String> keptPaths = new ArrayList<>();

    /**
     * Removes the manifest's entry, unless it is one to keep: one the sync was told to leave alone,
     * or an external link (added by {@code add --links}, never a file of the folder; clearml-data's
     * sync keeps its links too).
     */
    private void removeUnlessKept(FileEntry cur) throws IOException {
      if (cur.kind() != EntryKind.LINK && !kept.test(cur.path())) {
        edit(Edit.remove(cur.path()));
      } else {
        keptPaths.add(cur.path());
      }
    }

    /** The paths kept although no file came for them. */
    List<String> keptPaths() {
      return keptPaths;
    }

    private void edit(Edit e) throws IOException {
      edits.add(e);
      edited = true;
    }

    /** The manifest entry {@code k} places after the next unmerged one, or null past the end. */
    private FileEntry peek(int k) {
      while (ahead.size() - head <= k && !exhausted) {
        FileEntry e = existing.hasNext() ? existing.next() : null;
        if (e == null || !DatasetPaths.isUnder(e.path(), folder)) {
          exhausted = true;
        } else {
          ahead.add(e);
        }
      }
      return head + k < ahead.size() ? ahead.get(head + k) : null;
    }

    /** Drops the next unmerged manifest entry. */
    private void consume() {
      head++;
      if (head == ahead.size()) {
        ahead.clear();
        head = 0;
      } else if (head >= 4096 && head * 2 >= ahead.size()) {
        ahead.subList(0, head).clear();
        head = 0;
      }
    }

    /**
     * The manifest's entries at {@code paths} (increasing, and after every path merged so far),
     * null where it has none: what a batch of files is about to be merged with.
     */
    List<FileEntry> current(List<String> paths) {
      List<FileEntry> out = new ArrayList<>(paths.size());
      int k = 0;
      for (String p : paths) {
        FileEntry e;
        while ((e = peek(k)) != null && DatasetPaths.compare(e.path(), p) < 0) {
          k++;
        }
        out.add(e != null && e.path().equals(p) ? e : null);
      }
      return out;
    }

    /** The next file; paths must come in increasing order. */
    void accept(FileEntry e) throws IOException {
      if (last != null && DatasetPaths.compare(last, e.path()) >= 0) {
        throw new IllegalStateException("files out of order: " + e.path() + " after " + last);
      }
      last = e.path();
      FileEntry cur;
      while ((cur = peek(0)) != null && DatasetPaths.compare(cur.path(), e.path()) < 0) {
        removeUnlessKept(cur);
        consume();
      }
      if (cur != null && cur.path().equals(e.path())) {
        if (!cur.sameContent(e)) {
          edit(Edit.put(e));
        }
        consume();
      } else {
        edit(Edit.put(e));
      }
    }

    /** Once every file was given: removes what is left of the folder, returns the new root. */
    ObjectId finish() throws IOException {
      for (FileEntry cur; (cur = peek(0)) != null; consume()) {
        removeUnlessKept(cur);
      }
      return edited ? edits.finish() : manifest.root();
    }
  }

  /**
   * Whether {@code pattern} names a file or folder of the dataset as it is written: then it is that
   * path, not a pattern (a file called {@code [x].jpg} is removed, not {@code x.jpg}), as
   * {@code add} takes a file that exists under its own name.
   */
  private static boolean isPath(Manifest m, String pattern) throws IOException {
    return DatasetPaths.problem(pattern) == null && (m.lookup(pattern) != null || m.iterator(pattern + "/").hasNext()
        && DatasetPaths.isUnder(m.iterator(pattern + "/").next().path(), pattern));
  }

  /** Entries of {@code m} inside {@code folder} ("" = all), in order. */
  static List<FileEntry> under(Manifest m, String folder) throws IOException {
    List<FileEntry> out = new ArrayList<>();
    String from = folder.isEmpty() ? "" : folder + "/";
    Iterator<FileEntry> it = m.iterator(from);
    while (it.hasNext()) {
      FileEntry e = it.next();
      if (!DatasetPaths.isUnder(e.path(), folder)) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /**
   * Removals for the paths matching {@code patterns}. A pattern with wildcards matches paths (and,
   * without '/', file names); one without matches that file, or everything in that folder (only
   * its direct files when not {@code recursive}).
   *
   * @throws InvalidInputException if a pattern matches nothing (nothing is removed then)
   */
  private static final String STARS = "CAIRNSTARS0";
  private static final String STAR = "CAIRNSTAR0";
  private static final String ONE = "CAIRNONE0";
  private static final Pattern WILDCARD = Pattern.compile(STARS + "|" + STAR + "|" + ONE);

  /** Whether a pattern given to remove is a link's address ({@code s3a://b/x.jpg}, {@code file:/data/x}), not a dataset path. */
  private static boolean isLinkAddress(String raw) {
    return raw.matches("[a-zA-Z][a-zA-Z0-9+.-]*://.*") || raw.startsWith("file:/");
  }

  /**
   * A link address in one form whatever way it was typed: {@code file:///x} and {@code file:/x}
   * are the same file.
   */
  static String canonicalLink(String uri) {
    try {
      URI u = new URI(uri.replace(" ", "%20")).normalize(); // as typed, a space; as stored, %20
      if ("file".equals(u.getScheme()) && (u.getAuthority() == null || u.getAuthority().isEmpty())) {
        return "file:" + u.getPath();
      }
      return u.toString();
    } catch (URISyntaxException e) {
      return uri;
    }
  }

  /**
   * The links a remove pattern names: the address itself, what lies under it (a folder's links),
   * and, with {@code *} (within one path element), {@code **} (across them) and {@code ?}, those
   * it matches.
   */
  private static Pattern linkPattern(String raw) {
    // Wildcards stand aside as words a URI takes while the address is put in its one form.
    String canon = canonicalLink(raw.replace("**", STARS).replace("*", STAR).replace("?", ONE));
    StringBuilder re = new StringBuilder();
    Matcher w = WILDCARD.matcher(canon);
    int done = 0;
    while (w.find()) {
      re.append(Pattern.quote(canon.substring(done, w.start())))
          .append(w.group().equals(STARS) ? ".*" : w.group().equals(STAR) ? "[^/]*" : "[^/]");
      done = w.end();
    }
    String base = re.append(Pattern.quote(canon.substring(done))).toString();
    return Pattern.compile(base + "|" + (canon.endsWith("/") ? base + ".*" : base + "/.*"));
  }

  /**
   * @param unmatched where a pattern that matches nothing is warned of, to be passed over; null to
   *     refuse it
   */
  static List<Edit> removalsMatching(Manifest m, List<String> patterns, boolean recursive, Progress unmatched) throws IOException {
    Map<String, Edit> edits = new LinkedHashMap<>();
    for (String raw : patterns) {
      if (removeMatching(m, raw, recursive, edits, unmatched != null)) {
        continue;
      }
      // The same name in the other Unicode form (typed on a system that decomposes names, say):
      // an add refuses such a twin, so it can only mean the dataset's file.
      boolean found = false;
      for (String other : DatasetPaths.otherForms(raw)) {
        if (removeMatching(m, other, recursive, edits, unmatched != null)) {
          found = true;
          break;
        }
      }
      if (!found && unmatched != null) {
        unmatched.warn("no file in the dataset matches '" + DatasetPaths.printable(raw) + "'; passed over");
      } else if (!found) {
        String namesake = deeperNamesake(m, raw);
        throw new InvalidInputException("Cannot remove '" + DatasetPaths.printable(raw) + "': no file in the dataset matches; nothing was"
            + " removed (" + (namesake.isEmpty() ? "" : namesake + "; "), new Remedy("RemoveOptions.ignoreUnmatched", "--ignore-unmatch"),
            " passes over a pattern that matches nothing)");
      }
    }
    return new ArrayList<>(edits.values());
  }

  /**
   * For a plain name that matches nothing at the dataset's top: the first file of that name
   * deeper down, and how to name each, as git's "did you mean"; else "".
   */
  private static String deeperNamesake(Manifest m, String raw) throws IOException {
    if (raw.isEmpty() || raw.contains("/") || Glob.hasWildcard(raw)) {
      return "";
    }
    for (FileEntry e : m) {
      if (e.path().endsWith("/" + raw)) {
        String p = DatasetPaths.printable(e.path());
        return "a path without wildcards starts at the dataset's top: '" + p + "' is one of that name, '**/"
            + DatasetPaths.printable(raw) + "' names each";
      }
    }
    return "";
  }

  /**
   * Adds to {@code edits} the removals {@code raw} asks for; whether it matched any file. A link's
   * address that matches none is refused here, unless {@code quietIfUnmatched} (the caller warns).
   */
  private static boolean removeMatching(Manifest m, String raw, boolean recursive, Map<String, Edit> edits, boolean quietIfUnmatched)
      throws IOException {
    String pattern = AddOptions.normalizeFolder(raw);
    int before = edits.size();
    boolean matchedExisting = false;
    if (isLinkAddress(raw)) {
      // An external file named by its link, as clearml-data's remove_files takes one.
      Pattern address = linkPattern(raw);
      for (FileEntry e : m) {
        if (e.kind() == EntryKind.LINK && address.matcher(canonicalLink(e.uri())).matches()) {
          matchedExisting |= edits.containsKey(e.path());
          edits.putIfAbsent(e.path(), Edit.remove(e.path()));
        }
      }
      if (edits.size() > before || matchedExisting) {
        return true;
      }
      if (DatasetPaths.problem(pattern) != null || (m.lookup(pattern) == null && under(m, pattern).isEmpty())) {
        if (quietIfUnmatched) {
          return false;
        }
        throw new InvalidInputException("Cannot remove '" + DatasetPaths.printable(raw) + "': no external file of the dataset links"
            + " there; nothing was removed");
      }
      // else a dataset path that looks like an address (a folder named "file:"): removed as a path, below
    }
    if (pattern.isEmpty()) {
      throw new InvalidInputException("Cannot remove '" + raw + "': give a path or pattern inside the dataset");
    }
    if (Glob.hasWildcard(pattern) && !isPath(m, pattern)) {
      // A path spelt in the other Unicode form is that path too, before a pattern (which now
      // matches either form): '[é].jpg' typed composed removes the file so named, not é.jpg.
      for (String other : DatasetPaths.otherForms(pattern)) {
        if (isPath(m, other)) {
          pattern = other;
          break;
        }
      }
    }
    if (Glob.hasWildcard(pattern) && !isPath(m, pattern)) {
      // Recursive (the default): a folder the pattern matches goes whole, as list --filter selects it.
      // At the root only: as list --filter reads a leading /, and without recursion (as clearml-data's
      // remove_files(recursive=False) matches the whole path: img?.jpg is not flat/img3.jpg).
      String anchored = Glob.isAnchored(raw) || !recursive ? "/" + pattern : pattern;
      Glob g = recursive ? Glob.parseFilter("pattern", anchored) : Glob.parse("pattern", anchored);
      for (FileEntry e : m) {
        if (g.matches(e.path())) {
          matchedExisting |= edits.containsKey(e.path());
          edits.putIfAbsent(e.path(), Edit.remove(e.path()));
        }
      }
    } else {
      String problem = DatasetPaths.problem(pattern);
      if (problem != null) {
        throw new InvalidInputException("Cannot remove '" + DatasetPaths.printable(raw) + "': " + problem + "; give paths inside the"
            + " dataset, as list prints them, or an external file's link");
      }
      FileEntry exact = m.lookup(pattern);
      if (exact != null) {
        matchedExisting |= edits.containsKey(pattern);
        edits.putIfAbsent(pattern, Edit.remove(pattern));
      }
      for (FileEntry e : under(m, pattern)) {
        String rest = e.path().substring(pattern.length() + 1);
        if (recursive || rest.indexOf('/') < 0) {
          matchedExisting |= edits.containsKey(e.path());
          edits.putIfAbsent(e.path(), Edit.remove(e.path()));
        }
      }
    }
    if (edits.size() == before && !matchedExisting && raw.startsWith("/")) {
      // No dataset path: the local path of external files, as add --links took it (file:/path).
      Pattern address = linkPattern("file:" + raw);
      for (FileEntry e : m) {
        if (e.kind() == EntryKind.LINK && address.matcher(canonicalLink(e.uri())).matches()) {
          matchedExisting |= edits.containsKey(e.path());
          edits.putIfAbsent(e.path(), Edit.remove(e.path()));
        }
      }
    }
    return edits.size() != before || matchedExisting;
  }
}
