package dev.cairn.manifest;

import static dev.cairn.manifest.ManifestFixtures.entries;
import static dev.cairn.manifest.ManifestFixtures.entry;
import static dev.cairn.manifest.ManifestFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.ManifestEditor.Edit;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.store.memory.InMemoryObjectDatabase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private final InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT);

  private ObjectId build(List<FileEntry> entries) throws IOException {
    try (ObjectInserter ins = db.newInserter()) {
      ObjectId root = Manifest.build(ins, entries);
      ins.flush();
      return root;
    }
  }

  private Manifest manifest(ObjectId root) {
    return new Manifest(new NodeLoader(db.newReader()), root);
  }

  private static List<FileEntry> list(Manifest m) {
    List<FileEntry> out = new ArrayList<>();
    m.forEach(out::add);
    return out;
  }

  @Test
  void buildIterateLookupAndPage() throws IOException {
    List<FileEntry> es = entries(1, 5000);
    Manifest m = manifest(build(es));
    assertThat(list(m)).isEqualTo(es);
    assertThat(m.entryCount()).isEqualTo(5000);
    assertThat(m.totalBytes()).isEqualTo(es.stream().mapToLong(FileEntry::size).sum());
    for (int i = 0; i < es.size(); i += 37) {
      assertThat(m.lookup(es.get(i).path())).isEqualTo(es.get(i));
    }
    assertThat(m.lookup("images/none")).isNull();
    assertThat(m.lookup("")).isNull();
    assertThat(m.page(1234, 100)).isEqualTo(es.subList(1234, 1334));
    assertThat(m.page(4990, 100)).isEqualTo(es.subList(4990, 5000));
    assertThat(m.page(6000, 10)).isEmpty();
    Iterator<FileEntry> it = m.iterator(es.get(777).path());
    assertThat(it.next()).isEqualTo(es.get(777));
    assertThat(loaderOf(m).load(m.root()).level()).isGreaterThan(0);
  }

  /** What {@link Manifest#children} should give, by grouping every path: the plain way. */
  private static List<Manifest.Child> childrenByWalk(List<FileEntry> es, String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    List<Manifest.Child> out = new ArrayList<>();
    String lastFolder = null;
    for (FileEntry e : es) {
      if (!e.path().startsWith(prefix)) {
        continue;
      }
      String rest = e.path().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        out.add(new Manifest.Child(rest, e));
      } else if (!rest.substring(0, slash).equals(lastFolder)) {
        lastFolder = rest.substring(0, slash);
        out.add(new Manifest.Child(lastFolder, null));
      }
    }
    return out;
  }

  @Test
  void aFolderPagedOneChildAtATimeGoesOnPastNamesBetweenAFileAndItsNamesakeFolder() throws IOException {
    List<FileEntry> es = new ArrayList<>(map(List.of(entry("d/images", 1), entry("d/images.csv", 2), entry("d/images/x", 3),
        entry("d/images/y/z", 4), entry("d/images-2", 5), entry("d/images0", 6), entry("d/images0/q", 7))).values());
    Manifest m = manifest(build(es));
    List<String> seen = new ArrayList<>();
    String after = null;
    for (int i = 0; i < 20; i++) { // more than there are: a loop would show as too many
      List<Manifest.Child> page = m.children("d", after, 1);
      if (page.isEmpty()) {
        break;
      }
      seen.add(page.get(0).resumeAfter());
      after = page.get(0).resumeAfter();
    }
    assertThat(seen).containsExactly("images", "images-2", "images.csv", "images/", "images0", "images0/");
  }

  @Property(tries = 15)
  void childrenOfAFolderAreItsFilesAndFoldersInPathOrderPagedByName(@ForAll @IntRange(min = 1, max = 1500) int n,
      @ForAll @IntRange(min = 7, max = 60) int limit, @ForAll long seed) throws IOException {
    List<FileEntry> es = new ArrayList<>(entries(seed, n));
    // Names around '/' in path order ('.' before it, '0' after it), a folder beside a file of its name's prefix.
    for (String p : List.of("images.txt", "images0", "images/train.txt", "images/train/y", "images/train0/x", "top", "a b/c/d/e")) {
      es.add(entry(p, 1));
    }
    es = new ArrayList<>(map(es).values());
    Manifest m = manifest(build(es));
    for (String dir : List.of("", "images", "images/train", "a b", "a b/c", "nothing", "top")) {
      List<Manifest.Child> all = childrenByWalk(es, dir);
      assertThat(m.children(dir, null, Integer.MAX_VALUE)).as(dir).isEqualTo(all);
      List<Manifest.Child> paged = new ArrayList<>();
      String after = null;
      for (List<Manifest.Child> page; !(page = m.children(dir, after, limit)).isEmpty(); after = page.get(page.size() - 1).resumeAfter()) {
        assertThat(page.size()).isLessThanOrEqualTo(limit);
        paged.addAll(page);
      }
      assertThat(paged).as(dir + " by pages of " + limit).isEqualTo(all);
    }
    assertThat(m.children("", null, 100)).extracting(Manifest.Child::name).contains("images", "images.txt", "images0", "top");
    assertThat(m.children("images", null, 10_000)).filteredOn(Manifest.Child::isFolder).extracting(Manifest.Child::name)
        .contains("train", "train0").doesNotHaveDuplicates();
  }

  @Property(tries = 15)
  void aFoldersTotalsAreThoseOfThePathsUnderIt(@ForAll @IntRange(min = 0, max = 3000) int n, @ForAll long seed) throws IOException {
    List<FileEntry> es = new ArrayList<>(entries(seed, n));
    for (String p : List.of("images.txt", "images0", "images/train.txt", "images/train/y", "images/train0/x", "top", "a b/c/d/e")) {
      es.add(entry(p, 3));
    }
    es = new ArrayList<>(map(es).values());
    Manifest m = manifest(build(es));
    List<String> dirs = new ArrayList<>(List.of("", "images", "images/train", "a b", "a b/c", "nothing", "top", "images0", "zzz"));
    for (FileEntry e : es.subList(0, Math.min(es.size(), 40))) {
      for (int slash = e.path().indexOf('/'); slash > 0; slash = e.path().indexOf('/', slash + 1)) {
        dirs.add(e.path().substring(0, slash));
      }
    }
    for (String dir : dirs) {
      List<FileEntry> under = es.stream().filter(e -> dir.isEmpty() || e.path().startsWith(dir + "/")).toList();
      assertThat(m.under(dir)).as(dir).isEqualTo(new Manifest.Totals(under.size(), under.stream().mapToLong(FileEntry::size).sum()));
    }
  }

  private static NodeLoader loaderOf(Manifest m) {
    return m.loader();
  }

  @Test
  void aMissingNodeIsSaidToBeOneOfAManifest() throws IOException {
    ObjectId root = build(entries(3, 40));
    NodeLoader nothingStored = new NodeLoader(new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT).newReader());
    assertThatThrownBy(() -> nothingStored.load(root)).isInstanceOf(dev.cairn.errors.MissingObjectException.class)
        .hasMessage("Cannot read a manifest node (part of a version's list of files): object is missing (" + root.hex() + ")");
  }

  @Test
  void theEmptyTreeOfEitherObjectFormatIsReadWithoutBeingStored() throws IOException {
    // A version without parents is read against the empty tree; a fetch of a part may not bring it.
    NodeLoader nothingStored = new NodeLoader(new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT).newReader());
    for (HashAlgorithm a : HashAlgorithm.values()) {
      ObjectId empty = a.hash(TreeFormat.encodeLeaf(List.of()));
      assertThat(NodeLoader.isEmptyTree(empty)).isTrue();
      assertThat(list(new Manifest(nothingStored, empty))).isEmpty();
    }
    assertThat(build(List.of())).isEqualTo(HashAlgorithm.SHA256.hash(TreeFormat.encodeLeaf(List.of())));
    List<FileEntry> es = entries(3, 40);
    assertThat(new ManifestDiff(new NodeLoader(db.newReader())).diff(HashAlgorithm.SHA256.hash(TreeFormat.encodeLeaf(List.of())), build(es)))
        .extracting(DiffEntry::path).containsExactlyElementsOf(es.stream().map(FileEntry::path).toList());
    assertThat(NodeLoader.isEmptyTree(build(es))).isFalse();
  }

  @Property(tries = 20)
  void beforeIsTheEntryThatPrecedesAPath(@ForAll long seed, @ForAll @IntRange(min = 0, max = 5000) int n) throws IOException {
    List<FileEntry> es = entries(seed, n);
    Manifest m = manifest(build(es));
    assertThat(m.before("")).isNull();
    assertThat(m.before("\uFFFF")).isEqualTo(es.isEmpty() ? null : es.get(es.size() - 1));
    Random r = new Random(seed);
    for (int k = 0; k < Math.min(n, 200); k++) {
      int i = k == 0 ? 0 : r.nextInt(n); // the first entry, whose predecessor is none, always among them
      assertThat(m.before(es.get(i).path())).isEqualTo(i == 0 ? null : es.get(i - 1));
      // A path between two entries: just after entry i.
      assertThat(m.before(es.get(i).path() + "\u0000")).isEqualTo(es.get(i));
    }
  }

  @Test
  void emptyAndTinyManifests() throws IOException {
    Manifest empty = manifest(build(List.of()));
    assertThat(list(empty)).isEmpty();
    assertThat(empty.entryCount()).isZero();
    List<FileEntry> one = List.of(entry("a.txt", 1));
    assertThat(list(manifest(build(one)))).isEqualTo(one);
  }

  @Test
  void pathsOrderByCodePointNotUtf16() throws IOException {
    // U+FF5E (one UTF-16 unit) sorts before U+1F600 (a surrogate pair) in UTF-8 byte order.
    List<FileEntry> es = List.of(entry("\uFF5E.txt", 1), entry("\uD83D\uDE00.txt", 2));
    assertThat(DatasetPaths.compare(es.get(0).path(), es.get(1).path())).isNegative();
    assertThat(list(manifest(build(es)))).isEqualTo(es);
  }

  @Property(tries = 25)
  void editingGivesTheSameTreeAsRebuilding(@ForAll long seed, @ForAll @IntRange(min = 0, max = 4000) int n,
      @ForAll @IntRange(min = 0, max = 60) int changes) throws IOException {
    List<FileEntry> base = entries(seed, n);
    ObjectId root = build(base);
    Random r = new Random(seed);
    TreeMap<String, FileEntry> expected = map(base);
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      int op = r.nextInt(3);
      if (op == 0 || base.isEmpty()) {
        String p = "new/" + r.nextInt(1000) + ".bin";
        FileEntry e = entry(p, r.nextInt(1000));
        edits.add(Edit.put(e));
        expected.put(p, e);
      } else if (op == 1) {
        FileEntry old = base.get(r.nextInt(base.size()));
        FileEntry e = entry(old.path(), r.nextInt(1000) + 5000);
        edits.add(Edit.put(e));
        expected.put(old.path(), e);
      } else {
        String p = base.get(r.nextInt(base.size())).path();
        edits.add(Edit.remove(p));
        expected.remove(p);
      }
    }
    ObjectId edited;
    try (ObjectInserter ins = db.newInserter(); ObjectReader reader = db.newReader()) {
      edited = new ManifestEditor(new NodeLoader(reader), ins).apply(root, edits);
      ins.flush();
    }
    assertThat(edited).isEqualTo(build(new ArrayList<>(expected.values())));
    assertThat(list(manifest(edited))).isEqualTo(new ArrayList<>(expected.values()));
  }

  @Property(tries = 25)
  void diffAppliedToAGivesB(@ForAll long seedA, @ForAll long seedB, @ForAll @IntRange(min = 0, max = 3000) int n)
      throws IOException {
    // B shares most of A: a few removed, modified and added entries.
    List<FileEntry> a = entries(seedA, n);
    TreeMap<String, FileEntry> bm = map(a);
    Random r = new Random(seedB);
    for (int i = 0; i < 20 && !a.isEmpty(); i++) {
      FileEntry pick = a.get(r.nextInt(a.size()));
      switch (r.nextInt(3)) {
        case 0 -> bm.remove(pick.path());
        case 1 -> bm.put(pick.path(), entry(pick.path(), 99_999 + i));
        default -> bm.put("added/" + i + "-" + r.nextInt(100), entry("added/" + i + "-0", i));
      }
    }
    bm.values().removeIf(e -> !bm.containsKey(e.path()));
    List<FileEntry> b = new ArrayList<>();
    bm.forEach((k, v) -> b.add(v.withPath(k)));
    ObjectId ra = build(a);
    ObjectId rb = build(b);
    NodeLoader loader = new NodeLoader(db.newReader());
    List<DiffEntry> diff = new ManifestDiff(loader).diff(ra, rb);
    assertThat(diff).isEqualTo(naiveDiff(a, b));
    List<Edit> edits = new ArrayList<>();
    for (DiffEntry d : diff) {
      edits.add(d.type() == DiffEntry.ChangeType.REMOVED ? Edit.remove(d.path()) : Edit.put(d.newEntry()));
    }
    try (ObjectInserter ins = db.newInserter()) {
      ObjectId applied = new ManifestEditor(loader, ins).apply(ra, edits);
      assertThat(applied).isEqualTo(rb);
    }
    assertThat(new ManifestDiff(loader).diff(rb, ra)).hasSameSizeAs(diff);
  }

  static List<DiffEntry> naiveDiff(List<FileEntry> a, List<FileEntry> b) {
    TreeMap<String, FileEntry> am = map(a);
    TreeMap<String, FileEntry> bm = map(b);
    TreeMap<String, DiffEntry> out = new TreeMap<>(DatasetPaths::compare);
    am.forEach((p, e) -> {
      FileEntry o = bm.get(p);
      if (o == null) {
        out.put(p, DiffEntry.removed(e));
      } else if (!o.sameContent(e)) {
        out.put(p, DiffEntry.modified(e, o));
      }
    });
    bm.forEach((p, e) -> {
      if (!am.containsKey(p)) {
        out.put(p, DiffEntry.added(e));
      }
    });
    return new ArrayList<>(out.values());
  }
}
