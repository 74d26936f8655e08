package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.chunk.ChunkerParams;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.manifest.DatasetPaths;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.memory.InMemoryObjectDatabase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of merging, splitting into parts and version strings. */
class DatasetPropertiesTest {
  private final InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT);

  static FileEntry entry(String path, int content) {
    ObjectId d = HashAlgorithm.SHA256.hash(new byte[] {(byte) content, (byte) (content >> 8)});
    return FileEntry.file(path, new FileContent(content % 97, d, d), false);
  }

  @Property(tries = 50)
  void laterParentsWinAndUnionIsComplete(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int parentCount) throws IOException {
    Random r = new Random(seed);
    List<TreeMap<String, FileEntry>> parents = new ArrayList<>();
    for (int p = 0; p < parentCount; p++) {
      TreeMap<String, FileEntry> m = new TreeMap<>(DatasetPaths::compare);
      int n = r.nextInt(300);
      for (int i = 0; i < n; i++) {
        String path = "d" + r.nextInt(5) + "/f" + r.nextInt(200);
        m.put(path, entry(path, r.nextInt(3) == 0 ? p * 1000 + i : r.nextInt(4)));
      }
      parents.add(m);
    }
    // Expected: overlay in order, later wins.
    TreeMap<String, FileEntry> expected = new TreeMap<>(DatasetPaths::compare);
    Set<String> conflicting = new HashSet<>();
    for (TreeMap<String, FileEntry> p : parents) {
      p.forEach((k, v) -> {
        FileEntry old = expected.put(k, v);
        if (old != null && !old.sameContent(v)) {
          conflicting.add(k);
        }
      });
    }
    List<ObjectId> roots = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    try (ObjectInserter ins = db.newInserter()) {
      for (int p = 0; p < parentCount; p++) {
        roots.add(Manifest.build(ins, parents.get(p).values()));
        ids.add("parent" + p);
      }
      ins.flush();
      NodeLoader loader = new NodeLoader(ins.newReader());
      ParentMerge.Result merged = ParentMerge.merge(ids, roots, loader, ins);
      ins.flush();
      List<FileEntry> actual = new ArrayList<>();
      new Manifest(loader, merged.root()).forEach(actual::add);
      assertThat(actual).containsExactlyElementsOf(expected.values());
      assertThat(merged.conflicts()).extracting(Conflict::path).containsExactlyInAnyOrderElementsOf(conflicting);
      for (Conflict c : merged.conflicts()) {
        int winner = Integer.parseInt(c.winner().substring(6));
        assertThat(parents.get(winner).get(c.path())).isEqualTo(expected.get(c.path()));
      }
    }
  }

  @Property(tries = 60)
  void partsAreDisjointCoverEverythingAndAreDeterministic(@ForAll long seed, @ForAll @IntRange(min = 1, max = 9) int numParts,
      @ForAll @IntRange(min = 0, max = 200) int files) {
    Random r = new Random(seed);
    long[] sizes = new long[files];
    long total = 0;
    for (int i = 0; i < files; i++) {
      sizes[i] = r.nextInt(4) == 0 ? 0 : r.nextInt(1 << r.nextInt(20));
      total += sizes[i];
    }
    int[] owner = new int[files];
    Selection.Dealer dealer = new Selection.Dealer(numParts, total, files);
    for (int i = 0; i < files; i++) {
      owner[i] = dealer.next(sizes[i]);
      assertThat(owner[i]).as("file %d", i).isBetween(0, numParts - 1);
      if (i > 0) {
        assertThat(owner[i]).as("parts are contiguous runs").isBetween(owner[i - 1], owner[i - 1] + (files >= numParts ? 1 : numParts));
      }
    }
    assertThat(new Selection.Dealer(numParts, total, files).next(files > 0 ? sizes[0] : 0)).as("deterministic")
        .isEqualTo(files > 0 ? owner[0] : new Selection.Dealer(numParts, total, files).next(0));
    if (files >= numParts) {
      assertThat(Arrays.stream(owner).distinct().count()).as("every part holds a file").isEqualTo(numParts);
    }
    // A part's share of the bytes is about its due, as far as whole files allow: beyond its due it
    // holds at most the files its edges cut, one taken as the parts before ran short, one given
    // as the files left ran short (each no larger than the largest), or it holds a single file.
    long largest = Arrays.stream(sizes).max().orElse(0);
    for (int k = 0; k < numParts && total > 0; k++) {
      long bytes = 0;
      int count = 0;
      for (int i = 0; i < files; i++) {
        if (owner[i] == k) {
          bytes += sizes[i];
          count++;
        }
      }
      assertThat(count <= 1 || bytes <= total / numParts + 3 * largest).as("part %d: %d bytes of %d", k, bytes, total).isTrue();
    }
  }

  @Property(tries = 30)
  void aSelectionOfAPartHoldsExactlyTheFilesDealtToIt(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int numParts,
      @ForAll @IntRange(min = 0, max = 40) int files) throws IOException {
    Random r = new Random(seed);
    TreeMap<String, FileEntry> entries = new TreeMap<>(DatasetPaths::compare);
    for (int i = 0; i < files; i++) {
      String path = "f" + r.nextInt(1_000_000) + ".bin";
      entries.put(path, entry(path, r.nextInt(4) == 0 ? 0 : r.nextInt(1 << 16)));
    }
    ObjectId root;
    try (ObjectInserter ins = db.newInserter()) {
      root = Manifest.build(ins, entries.values());
      ins.flush();
    }
    try (var reader = db.newReader()) {
      Manifest m = new Manifest(new NodeLoader(reader), root);
      List<String> all = new ArrayList<>();
      for (int k = 0; k < numParts; k++) {
        List<String> part = Selection.part(k, numParts).select(m).stream().map(FileEntry::path).toList();
        if (entries.size() >= numParts) {
          assertThat(part).as("part %d of %d", k, numParts).isNotEmpty();
        }
        all.addAll(part);
      }
      assertThat(all).containsExactlyElementsOf(entries.keySet());
    }
  }

  @Property
  void bumpingGivesAStrictlyGreaterVersion(@ForAll @IntRange(min = 0, max = 5000) int a, @ForAll @IntRange(min = 0, max = 50) int b,
      @ForAll @IntRange(min = 0, max = 50) int c) throws Exception {
    String v = a + "." + b + "." + c;
    String next = VersionStrings.bump(v);
    assertThat(VersionStrings.compare(next, v)).isPositive();
    assertThat(next).isEqualTo(a + "." + b + "." + (c + 1));
    assertThat(VersionStrings.compare(v, v)).isZero();
  }

  @Property
  void versionOrderIsNumericPerPart(@ForAll @IntRange(min = 0, max = 30) int x, @ForAll @IntRange(min = 0, max = 30) int y) {
    assertThat(Integer.signum(VersionStrings.compare("1.0." + x, "1.0." + y))).isEqualTo(Integer.signum(Integer.compare(x, y)));
    assertThat(Integer.signum(VersionStrings.compare(x + ".9.9", y + ".0.0"))).isEqualTo(x == y ? 1 : Integer.signum(Integer.compare(x, y)));
  }
}
