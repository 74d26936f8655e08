package dev.cairn.spec;

import static dev.cairn.spec.VectorFile.HEX;
import static dev.cairn.spec.VectorFile.unescape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.cairn.Repository;
import dev.cairn.RepositoryConfig;
import dev.cairn.chunk.ChunkReader;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.chunk.FastCdcChunker;
import dev.cairn.chunk.GearTable;
import dev.cairn.chunk.SplitMix;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.InvalidConfigException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.Hasher;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.index.Lmdb;
import dev.cairn.internal.io.ByteReader;
import dev.cairn.internal.io.ByteWriter;
import dev.cairn.internal.io.Bytes;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.internal.pack.PackInfo;
import dev.cairn.internal.pack.PackSettings;
import dev.cairn.internal.pack.PackWriter;
import dev.cairn.manifest.ChildRef;
import dev.cairn.manifest.DiffEntry;
import dev.cairn.manifest.EntryKind;
import dev.cairn.manifest.FileEntry;
import dev.cairn.manifest.KeyLevel;
import dev.cairn.manifest.Manifest;
import dev.cairn.manifest.ManifestDiff;
import dev.cairn.manifest.ManifestEditor;
import dev.cairn.manifest.NodeLoader;
import dev.cairn.manifest.TreeFormat;
import dev.cairn.manifest.TreeNode;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.store.FileContent;
import dev.cairn.store.ObjectInserter;
import dev.cairn.store.ObjectReader;
import dev.cairn.store.memory.InMemoryObjectDatabase;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * Checks core against the golden vectors in {@code spec/vectors}. The vector files are the
 * reference: nothing here regenerates them (see {@link VectorGenerator}). Vectors marked
 * {@code known-core-bug} are skipped, not failed, while core disagrees with the spec.
 */
class SpecVectorsTest {
  /** Surefire runs with the module directory as working directory. */
  static final Path VECTORS = Path.of("vectors");
  /** The chunker parameters of the sample dataset (files.txt, the golden pack). */
  static final String SAMPLE_CHUNKER = "64 256 1024 1";

  private static List<VectorFile.Record> records(String file) {
    return VectorFile.records(VECTORS.resolve(file));
  }

  private static ObjectId id(String hex) {
    return ObjectId.fromHex(hex);
  }

  private static ChunkerParams params(String s) {
    String[] p = s.split(" ");
    return new ChunkerParams(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
  }

  private static List<Integer> ints(String s) {
    List<Integer> out = new ArrayList<>();
    for (String p : s.strip().split("\\s+")) {
      if (!p.isEmpty()) {
        out.add(Integer.parseInt(p));
      }
    }
    return out;
  }

  /** Reports a deviation that the vector marks as a known core bug as skipped, not failed. */
  private static void knownBug(VectorFile.Record r, boolean deviates, String what) {
    if (r.has("known-core-bug") && deviates) {
      Assumptions.abort("known core bug (" + r.name() + "): " + r.get("known-core-bug") + " -- " + what);
    }
  }

  // ---------------------------------------------------------------- gear, splitmix, varints

  @Test
  void gearTableMatchesTheVectorAndItsGenerationRule() {
    List<String[]> rows = VectorFile.columns(VECTORS.resolve("gear.txt"));
    assertThat(rows).hasSize(256);
    long[] core = GearTable.values();
    long state = 0x434149524E474541L;
    assertThat(GearTable.SEED).isEqualTo(state);
    for (int i = 0; i < 256; i++) {
      assertThat(Integer.parseInt(rows.get(i)[0])).isEqualTo(i);
      long expected = Inputs.number(rows.get(i)[1]);
      assertThat(core[i]).as("GEAR[%d]", i).isEqualTo(expected);
      state += Inputs.GAMMA;
      assertThat(referenceMix(state)).as("rule for GEAR[%d]", i).isEqualTo(expected);
    }
  }

  /** SplitMix64's finalizer written from spec/chunking.md, independent of core. */
  private static long referenceMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Test
  void splitMixMatches() {
    List<String[]> rows = VectorFile.columns(VECTORS.resolve("splitmix.txt"));
    assertThat(rows).isNotEmpty();
    for (String[] r : rows) {
      long in = Inputs.number(r[0]);
      assertThat(SplitMix.mix(in)).as("mix(%s)", r[0]).isEqualTo(Inputs.number(r[1]));
    }
  }

  @Test
  void varintsEncodeAndDecode() throws IOException {
    List<String[]> rows = VectorFile.columns(VECTORS.resolve("varint.txt"));
    assertThat(rows).isNotEmpty();
    for (String[] r : rows) {
      long v = Long.parseUnsignedLong(r[0]);
      byte[] enc = HEX.parseHex(r[1]);
      assertThat(new ByteWriter().varint(v).toByteArray()).as("encode %s", r[0]).isEqualTo(enc);
      ByteReader reader = new ByteReader(enc, null);
      assertThat(reader.varintLong()).as("decode %s", r[1]).isEqualTo(v);
      reader.expectEnd();
      if (v <= Integer.MAX_VALUE) {
        assertThat(new ByteReader(enc, null).varintInt(Integer.MAX_VALUE)).isEqualTo((int) v);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> invalidVarintsAreRejected() {
    return records("varint-invalid.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      byte[] b = r.hex("hex");
      assertThatThrownBy(() -> new ByteReader(b, null).varintLong()).isInstanceOf(CorruptObjectException.class);
      Throwable t = catchThrowable(() -> new ByteReader(b, null).varintInt(Integer.MAX_VALUE));
      knownBug(r, !(t instanceof CorruptObjectException), "varintInt gave " + t);
      assertThat(t).isInstanceOf(CorruptObjectException.class);
    }));
  }

  // ---------------------------------------------------------------- ids

  @TestFactory
  Stream<DynamicTest> idsAreHashesOfTheExactBytes() {
    return records("ids.txt").stream().map(r -> dynamicTest(r.get("input"), () -> {
      byte[] b = Inputs.content(r.get("input"));
      assertThat(b.length).isEqualTo(Integer.parseInt(r.get("length")));
      assertThat(HashAlgorithm.SHA256.hash(b).hex()).isEqualTo(r.get("sha256"));
      assertThat(HashAlgorithm.BLAKE3.hash(b).hex()).isEqualTo(r.get("blake3"));
      for (HashAlgorithm alg : HashAlgorithm.values()) {
        // Incremental hashing in uneven pieces gives the same id, and a hasher resets after digest().
        Hasher h = alg.newHasher();
        h.update(new byte[] {1, 2, 3});
        h.digest();
        for (int off = 0; off < b.length; off += 1000) {
          h.update(b, off, Math.min(1000, b.length - off));
        }
        assertThat(h.digest().hex()).isEqualTo(r.get(alg.configName()));
      }
    }));
  }

  // ---------------------------------------------------------------- chunking

  static List<Integer> cut(FastCdcChunker chunker, byte[] data) {
    List<Integer> sizes = new ArrayList<>();
    int off = 0;
    while (off < data.length) {
      int n = chunker.cut(data, off, data.length - off);
      sizes.add(n);
      off += n;
    }
    return sizes;
  }

  /** A stream that hands out at most {@code step} bytes per read. */
  static InputStream trickle(byte[] data, int step) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  @TestFactory
  Stream<DynamicTest> chunkBoundaries() {
    return records("chunking.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      ChunkerParams p = params(r.get("params"));
      FastCdcChunker chunker = new FastCdcChunker(p);
      assertThat(chunker.maskSmall()).isEqualTo(Inputs.number(r.get("mask-small")));
      assertThat(chunker.maskLarge()).isEqualTo(Inputs.number(r.get("mask-large")));
      byte[] data = Inputs.overwrite(Inputs.content(r.get("input")), r.all("overwrite"));
      assertThat(HashAlgorithm.SHA256.hash(data).hex()).as("generated input").isEqualTo(r.get("input-sha256"));
      List<Integer> expected = ints(r.joined("sizes"));
      assertThat(expected).hasSize(Integer.parseInt(r.get("chunks")));
      assertThat(cut(chunker, data)).isEqualTo(expected);
      // Boundaries depend only on content, never on how the stream is buffered.
      for (int step : new int[] {1 << 30, 7777, 1}) {
        if (step == 1 && data.length > 200_000) {
          continue;
        }
        ChunkReader reader = new ChunkReader(chunker, trickle(data, step));
        List<Integer> sizes = new ArrayList<>();
        for (byte[] c = reader.next(); c != null; c = reader.next()) {
          sizes.add(c.length);
        }
        assertThat(sizes).as("read %d bytes at a time", step).isEqualTo(expected);
      }
    }));
  }

  // ---------------------------------------------------------------- files and file objects

  @TestFactory
  Stream<DynamicTest> filesAndFileObjects() {
    return records("files.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      HashAlgorithm alg = HashAlgorithm.fromConfigName(r.get("algorithm"));
      ChunkerParams p = params(r.get("chunker"));
      byte[] data = Inputs.content(r.get("content"));
      assertThat(data.length).isEqualTo(Long.parseLong(r.get("size")));
      ObjectId digest = id(r.get("digest"));
      assertThat(alg.hash(data)).isEqualTo(digest);
      List<ChunkRef> chunks = new ArrayList<>();
      for (String c : r.all("chunk")) {
        String[] f = c.split(" ");
        chunks.add(new ChunkRef(id(f[1]), Integer.parseInt(f[0])));
      }
      assertThat(cut(new FastCdcChunker(p), data)).isEqualTo(chunks.stream().map(ChunkRef::size).toList());
      int off = 0;
      for (ChunkRef c : chunks) {
        assertThat(alg.hash(data, off, c.size())).isEqualTo(c.id());
        off += c.size();
      }
      ObjectId contentId = id(r.get("content-id"));
      if (chunks.size() >= 2) {
        byte[] enc = r.hex("file-object");
        FileObject f = new FileObject(data.length, digest, chunks);
        assertThat(FileObjectFormat.encode(f)).isEqualTo(enc);
        assertThat(FileObjectFormat.decode(enc, contentId)).isEqualTo(f);
        assertThat(alg.hash(enc)).isEqualTo(contentId);
      } else {
        assertThat(r.has("file-object")).isFalse();
        assertThat(contentId).as("content of a file of at most one chunk is its digest").isEqualTo(digest);
      }
      InMemoryObjectDatabase db = new InMemoryObjectDatabase(alg, p);
      try (ObjectInserter ins = db.newInserter()) {
        FileContent fc = ins.insertFile(new ByteArrayInputStream(data));
        ins.flush();
        assertThat(fc).isEqualTo(new FileContent(data.length, digest, contentId));
      }
      assertThat(db.size()).isEqualTo(Integer.parseInt(r.get("objects-stored")));
    }));
  }

  // ---------------------------------------------------------------- tree nodes and key levels

  static FileEntry parseEntry(String line) {
    String[] f = line.split(" ");
    EntryKind kind = EntryKind.valueOf(f[1].toUpperCase(Locale.ROOT));
    return new FileEntry(unescape(f[0]), kind, f[2].equals("1"), Long.parseLong(f[3]), id(f[4]),
        f[5].equals("-") ? null : id(f[5]), unescape(f[6]));
  }

  static ChildRef parseChild(String line) {
    String[] f = line.split(" ");
    return new ChildRef(unescape(f[0]), id(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
  }

  @TestFactory
  Stream<DynamicTest> treeNodes() {
    return records("tree-nodes.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      int level = Integer.parseInt(r.get("level"));
      byte[] enc = r.hex("encoding");
      ObjectId id = id(r.get("id"));
      assertThat(HashAlgorithm.SHA256.hash(enc)).isEqualTo(id);
      TreeNode decoded = TreeFormat.decode(enc, id);
      assertThat(decoded.level()).isEqualTo(level);
      if (level == 0) {
        List<FileEntry> entries = r.all("entry").stream().map(SpecVectorsTest::parseEntry).toList();
        assertThat(TreeFormat.encodeLeaf(entries)).isEqualTo(enc);
        assertThat(decoded).isEqualTo(new TreeNode.Leaf(entries));
      } else {
        List<ChildRef> children = r.all("child").stream().map(SpecVectorsTest::parseChild).toList();
        assertThat(TreeFormat.encodeInner(level, children)).isEqualTo(enc);
        assertThat(decoded).isEqualTo(new TreeNode.Inner(level, children));
      }
    }));
  }

  @Test
  void keyHashesAndLevels() {
    List<String[]> rows = VectorFile.columns(VECTORS.resolve("key-levels.txt"));
    assertThat(rows).isNotEmpty();
    int[] seen = new int[5];
    for (String[] r : rows) {
      String path = unescape(r[2]);
      long hash = Inputs.number(r[0]);
      int level = Integer.parseInt(r[1]);
      assertThat(KeyLevel.hash(path.getBytes(StandardCharsets.UTF_8))).as("hash of %s", path).isEqualTo(hash);
      assertThat(KeyLevel.of(path)).as("level of %s", path).isEqualTo(level);
      assertThat(Long.numberOfTrailingZeros(hash) / 6).isEqualTo(level);
      seen[Math.min(4, level)]++;
    }
    assertThat(seen).as("levels 0-4 all covered").doesNotContain(0);
  }

  // ---------------------------------------------------------------- versions

  @TestFactory
  Stream<DynamicTest> versions() {
    return records("versions.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      List<ObjectId> parents = r.all("parent").stream().map(SpecVectorsTest::id).toList();
      Map<String, String> props = new LinkedHashMap<>();
      List<String> listed = r.all("property");
      // Given in reverse: the encoding sorts keys by UTF-8 bytes whatever the input order.
      for (int i = listed.size() - 1; i >= 0; i--) {
        String[] kv = listed.get(i).split(" ");
        props.put(unescape(kv[0]), unescape(kv[1]));
      }
      Version v = new Version(id(r.get("root")), parents, Long.parseLong(r.get("created")), props);
      byte[] enc = r.hex("encoding");
      assertThat(VersionFormat.encode(v)).isEqualTo(enc);
      ObjectId id = id(r.get("id"));
      assertThat(HashAlgorithm.SHA256.hash(enc)).isEqualTo(id);
      Version decoded = VersionFormat.decode(enc, id);
      assertThat(decoded).isEqualTo(v);
      assertThat(new ArrayList<>(decoded.properties().keySet()))
          .isEqualTo(listed.stream().map(l -> unescape(l.split(" ")[0])).toList());
    }));
  }

  // ---------------------------------------------------------------- manifests

  private static void listNodes(NodeLoader loader, ObjectId id, int depth, String firstKey, List<String> out) throws IOException {
    TreeNode n = loader.load(id);
    out.add(depth + " " + n.level() + " " + n.size() + " " + id.hex() + " " + firstKey);
    if (n instanceof TreeNode.Inner in) {
      for (ChildRef c : in.children()) {
        listNodes(loader, c.id(), depth + 1, VectorFile.escape(c.firstKey()), out);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> manifestTrees() {
    return records("manifests.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      if (r.has("edit")) {
        checkEdit(r);
        return;
      }
      List<FileEntry> entries = Inputs.entries(Inputs.paths(r.get("paths")));
      InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT);
      ObjectId root;
      try (ObjectInserter ins = db.newInserter()) {
        root = Manifest.build(ins, entries);
        ins.flush();
      }
      assertThat(root.hex()).isEqualTo(r.get("root"));
      try (ObjectReader reader = db.newReader()) {
        NodeLoader loader = new NodeLoader(reader);
        Manifest m = new Manifest(loader, root);
        assertThat(m.entryCount()).isEqualTo(Long.parseLong(r.get("entry-count")));
        assertThat(m.totalBytes()).isEqualTo(Long.parseLong(r.get("total-bytes")));
        List<String> nodes = new ArrayList<>();
        listNodes(loader, root, 0, entries.isEmpty() ? "\"\"" : VectorFile.escape(entries.get(0).path()), nodes);
        assertThat(nodes).isEqualTo(r.all("node"));
        assertThat(nodes).hasSize(Integer.parseInt(r.get("node-count")));
        // A builder may also store nodes it then unwraps from above the root (spec/manifest.md).
        assertThat(db.size()).as("every node stored").isGreaterThanOrEqualTo(nodes.size());
        // Counts per child let a reader page without reading leaves before the page.
        if (entries.size() > 10) {
          long offset = entries.size() / 2;
          assertThat(m.page(offset, 5)).isEqualTo(entries.subList((int) offset, (int) offset + 5));
        }
      }
    }));
  }

  private static void checkEdit(VectorFile.Record r) throws IOException {
    List<FileEntry> base = Inputs.entries(Inputs.paths(r.get("base")));
    TreeMap<String, FileEntry> after = new TreeMap<>(dev.cairn.manifest.DatasetPaths::compare);
    base.forEach(e -> after.put(e.path(), e));
    List<ManifestEditor.Edit> edits = new ArrayList<>();
    for (String e : r.all("edit")) {
      String[] p = e.split(" ");
      if (p[0].equals("remove")) {
        edits.add(ManifestEditor.Edit.remove(unescape(p[1])));
        after.remove(unescape(p[1]));
      } else {
        FileEntry fe = Inputs.entry(unescape(p[1]), Long.parseLong(p[2]));
        edits.add(ManifestEditor.Edit.put(fe));
        after.put(fe.path(), fe);
      }
    }
    InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, ChunkerParams.DEFAULT);
    try (ObjectInserter ins = db.newInserter(); ObjectReader reader = db.newReader()) {
      ObjectId baseRoot = Manifest.build(ins, base);
      ins.flush();
      assertThat(baseRoot.hex()).isEqualTo(r.get("base-root"));
      NodeLoader loader = new NodeLoader(reader);
      ObjectId edited = new ManifestEditor(loader, ins).apply(baseRoot, edits);
      ins.flush();
      assertThat(edited.hex()).as("edited root").isEqualTo(r.get("root"));
      assertThat(Manifest.build(ins, after.values()).hex()).as("rebuilt root").isEqualTo(r.get("root"));
      List<String> diff = new ArrayList<>();
      for (DiffEntry d : new ManifestDiff(loader).diff(baseRoot, edited)) {
        diff.add(d.type() + " " + VectorFile.escape(d.path()));
      }
      assertThat(diff).isEqualTo(r.all("diff"));
    }
  }

  // ---------------------------------------------------------------- pack

  private static VectorFile.Record packRecord() {
    return records("pack/golden-pack.txt").get(0);
  }

  private static byte[] goldenPack() {
    return VectorFile.hexDump(VECTORS.resolve("pack/golden.pack.hex"));
  }

  /**
   * The objects of the sample dataset, by id, as the golden pack holds them: the sha256 files of
   * files.txt cut with the sample parameters, the leaves of tree-nodes.txt, and versions.txt.
   */
  private static Map<ObjectId, byte[]> knownObjects() {
    Map<ObjectId, byte[]> out = new HashMap<>();
    for (VectorFile.Record r : records("files.txt")) {
      if (!r.get("algorithm").equals("sha256") || !r.get("chunker").equals(SAMPLE_CHUNKER)) {
        continue;
      }
      byte[] data = Inputs.content(r.get("content"));
      int off = 0;
      for (String c : r.all("chunk")) {
        int n = Integer.parseInt(c.split(" ")[0]);
        out.put(id(c.split(" ")[1]), Arrays.copyOfRange(data, off, off + n));
        off += n;
      }
      if (r.has("file-object")) {
        out.put(id(r.get("content-id")), r.hex("file-object"));
      }
    }
    for (String f : List.of("tree-nodes.txt", "versions.txt")) {
      for (VectorFile.Record r : records(f)) {
        if (!r.has("level") || r.get("level").equals("0")) {
          out.put(id(r.get("id")), r.hex("encoding"));
        }
      }
    }
    return out;
  }

  private static PackEntry parsePackEntry(String line) {
    String[] f = line.split(" ");
    return new PackEntry(id(f[0]), ObjectType.valueOf(f[1].toUpperCase(Locale.ROOT)), Long.parseLong(f[2]),
        Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]));
  }

  private static Path writePack(Path dir, byte[] bytes) throws IOException {
    Path p = dir.resolve(packRecord().get("file-name"));
    Files.write(p, bytes);
    return p;
  }

  @Test
  void goldenPackOpensAndListsItsEntries(@TempDir Path dir) throws IOException {
    VectorFile.Record r = packRecord();
    byte[] pack = goldenPack();
    assertThat(pack.length).isEqualTo(Integer.parseInt(r.get("length")));
    List<PackEntry> expected = r.all("entry").stream().map(SpecVectorsTest::parsePackEntry).toList();
    // Header and trailer fields, byte for byte.
    assertThat(new String(pack, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("CRNP");
    assertThat(pack[4]).isEqualTo((byte) 1);
    assertThat(pack[5] & 0xFF).isEqualTo(HashAlgorithm.fromConfigName(r.get("object-format")).code());
    assertThat(Bytes.u16(pack, 6)).isZero();
    long indexOffset = Long.parseLong(r.get("index-offset"));
    assertThat(Bytes.u64(pack, pack.length - 20)).isEqualTo(indexOffset);
    assertThat(HEX.formatHex(pack, pack.length - 12, pack.length - 8)).isEqualTo(r.get("index-crc32c"));
    assertThat(HEX.formatHex(pack, pack.length - 8, pack.length - 4)).isEqualTo(r.get("pack-crc32c"));
    assertThat(new String(pack, pack.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("CRNE");
    assertThat(crc("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9)).as("CRC-32C check value").isEqualTo(0xe3069283L);
    byte[] index = Arrays.copyOfRange(pack, (int) indexOffset, pack.length - 20);
    assertThat(crc(index, 0, index.length)).isEqualTo(Bytes.u32(pack, pack.length - 12));
    assertThat(crc(pack, 0, pack.length - 8)).isEqualTo(Bytes.u32(pack, pack.length - 8));
    assertThat(HashAlgorithm.SHA256.hash(index).hex()).as("name = hash of the index section").isEqualTo(r.get("name"));
    assertThat(PackFormat.fileName(r.get("name"))).isEqualTo(r.get("file-name"));
    assertThat(PackFormat.nameOf(r.get("file-name"))).isEqualTo(r.get("name"));

    try (PackFile pf = PackFile.open(writePack(dir, pack))) {
      assertThat(pf.name()).isEqualTo(r.get("name"));
      assertThat(pf.algorithm()).isEqualTo(HashAlgorithm.SHA256);
      assertThat(pf.length()).isEqualTo(pack.length);
      assertThat(pf.entryCount()).isEqualTo(expected.size());
      assertThat(pf.entries()).isEqualTo(expected);
      assertThat(pf.indexSection()).isEqualTo(index);
      pf.verifyChecksum();
      // Every block decodes, and every object in it hashes to its id and equals the other vectors.
      Map<ObjectId, byte[]> known = knownObjects();
      Map<Long, byte[]> raw = new HashMap<>();
      try (BlockCodec codec = new BlockCodec()) {
        for (String b : r.all("block")) {
          String[] f = b.split(" ");
          long off = Long.parseLong(f[0]);
          byte[] block = pf.readBlock(off, Integer.parseInt(f[1]));
          assertThat(block[0] & 0xFF).isEqualTo(Integer.parseInt(f[2]));
          assertThat(Bytes.u32(block, 1)).isEqualTo(block.length - PackFormat.BLOCK_HEADER_SIZE);
          assertThat(Bytes.u32(block, 5)).isEqualTo(Long.parseLong(f[3]));
          assertThat(HEX.formatHex(block, 9, 13)).isEqualTo(f[4]);
          byte[] decoded = codec.decode(block);
          assertThat(decoded).hasSize(Integer.parseInt(f[3]));
          raw.put(off, decoded);
          if (block[0] == PackFormat.CODEC_STORED) {
            assertThat(codec.encode(decoded, 0, decoded.length, 0)).as("stored block re-encodes").isEqualTo(block);
          }
        }
      } catch (BlockCodec.BlockException e) {
        throw new AssertionError(e);
      }
      for (PackEntry e : expected) {
        byte[] obj = Arrays.copyOfRange(raw.get(e.blockOffset()), e.offsetInBlock(), e.offsetInBlock() + e.length());
        assertThat(HashAlgorithm.SHA256.hash(obj)).isEqualTo(e.id());
        assertThat(obj).as("object %s", e.id()).isEqualTo(known.get(e.id()));
      }
      assertThat(expected.stream().map(PackEntry::id).toList()).containsExactlyInAnyOrderElementsOf(known.keySet());
    }
  }

  @Test
  void packWriterRebuildsTheGoldenPackByteForByte(@TempDir Path dir) throws IOException {
    VectorFile.Record r = packRecord();
    byte[] pack = goldenPack();
    List<PackEntry> expected = r.all("entry").stream().map(SpecVectorsTest::parsePackEntry).toList();
    Path packs = Files.createDirectories(dir.resolve("packs"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    PackInfo info;
    try (PackWriter w = new PackWriter(HashAlgorithm.SHA256, packs, tmp)) {
      for (String b : r.all("block")) {
        String[] f = b.split(" ");
        long off = Long.parseLong(f[0]);
        int len = Integer.parseInt(f[1]);
        List<PackWriter.Member> members = new ArrayList<>();
        // Members in the order of their place in the block; the writer sorts the index itself.
        expected.stream().filter(e -> e.blockOffset() == off).sorted((a, c) -> Integer.compare(a.offsetInBlock(), c.offsetInBlock()))
            .forEach(e -> members.add(new PackWriter.Member(e.id(), e.type(), e.offsetInBlock(), e.length())));
        assertThat(w.appendBlock(Arrays.copyOfRange(pack, (int) off, (int) off + len), members)).isEqualTo(off);
      }
      info = w.finish();
    }
    assertThat(info.name()).isEqualTo(r.get("name"));
    assertThat(info.entries()).isEqualTo(expected);
    assertThat(info.path()).isEqualTo(packs.resolve(r.get("file-name")));
    assertThat(Files.readAllBytes(info.path())).isEqualTo(pack);
    try (var s = Files.list(tmp)) {
      assertThat(s.toList()).as("no temporary file left").isEmpty();
    }
  }

  private static long crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return c.getValue();
  }

  /** Applies one mutation of pack/mutations.txt. */
  private static byte[] mutate(byte[] pack, String m) {
    String[] f = m.split(" ");
    byte[] b = pack;
    switch (f[0]) {
      case "set" -> {
        byte[] v = HEX.parseHex(f[2]);
        System.arraycopy(v, 0, b, Integer.parseInt(f[1]), v.length);
      }
      case "xor" -> b[Integer.parseInt(f[1])] ^= (byte) Integer.parseInt(f[2], 16);
      case "truncate" -> b = Arrays.copyOf(b, Integer.parseInt(f[1]));
      case "swap-entries" -> {
        int io = (int) Bytes.u64(b, b.length - PackFormat.TRAILER_SIZE) + PackFormat.INDEX_HEADER_SIZE;
        int i = io + Integer.parseInt(f[1]) * PackFormat.ENTRY_SIZE;
        int j = io + Integer.parseInt(f[2]) * PackFormat.ENTRY_SIZE;
        byte[] t = Arrays.copyOfRange(b, i, i + PackFormat.ENTRY_SIZE);
        System.arraycopy(b, j, b, i, PackFormat.ENTRY_SIZE);
        System.arraycopy(t, 0, b, j, PackFormat.ENTRY_SIZE);
      }
      case "fix-block-crc" -> {
        int off = Integer.parseInt(f[1]);
        int stored = (int) Bytes.u32(b, off + 1);
        CRC32C c = new CRC32C();
        c.update(b, off, 9);
        c.update(b, off + PackFormat.BLOCK_HEADER_SIZE, stored);
        Bytes.putU32(b, off + 9, c.getValue());
      }
      case "fix-crcs" -> {
        int io = (int) Bytes.u64(b, b.length - PackFormat.TRAILER_SIZE);
        Bytes.putU32(b, b.length - 12, crc(b, io, b.length - PackFormat.TRAILER_SIZE - io));
        Bytes.putU32(b, b.length - 8, crc(b, 0, b.length - 8));
      }
      default -> throw new IllegalArgumentException("unknown mutation " + m);
    }
    return b;
  }

  /** "ok", "unsupported-version" or the corrupt-object reason a call fails with. */
  private static String outcome(ThrowingRunnable r) {
    try {
      r.run();
      return "ok";
    } catch (UnsupportedFormatVersionException e) {
      return "unsupported-version";
    } catch (CorruptObjectException e) {
      return e.reason().name();
    } catch (Exception e) {
      return "unexpected " + e;
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @TestFactory
  Stream<DynamicTest> damagedPacks(@TempDir Path dir) {
    VectorFile.Record golden = packRecord();
    List<PackEntry> entries = golden.all("entry").stream().map(SpecVectorsTest::parsePackEntry).toList();
    return records("pack/mutations.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      byte[] pack = goldenPack();
      for (String m : r.all("mutate")) {
        pack = mutate(pack, m);
      }
      Path sub = Files.createDirectories(dir.resolve(r.name()));
      Path file = writePack(sub, pack);
      PackFile[] opened = new PackFile[1];
      assertThat(outcome(() -> opened[0] = PackFile.open(file))).as("open").isEqualTo(r.get("open"));
      if (opened[0] == null) {
        return;
      }
      try (PackFile pf = opened[0]) {
        assertThat(outcome(pf::entries)).as("entries").isEqualTo(r.get("entries"));
        assertThat(outcome(pf::verifyChecksum)).as("verify").isEqualTo(r.get("verify"));
        List<String> bad = r.all("bad-block");
        List<String> mismatch = r.all("hash-mismatch-block");
        try (BlockCodec codec = new BlockCodec()) {
          for (String b : golden.all("block")) {
            String[] f = b.split(" ");
            long off = Long.parseLong(f[0]);
            byte[] block = pf.readBlock(off, Integer.parseInt(f[1]));
            Throwable t = catchThrowable(() -> codec.decode(block));
            if (bad.contains(f[0])) {
              assertThat(t).as("block %s", off).isInstanceOf(BlockCodec.BlockException.class);
              continue;
            }
            assertThat(t).as("block %s", off).isNull();
            byte[] raw = codec.decode(block);
            boolean allMatch = entries.stream().filter(e -> e.blockOffset() == off).allMatch(e -> HashAlgorithm.SHA256
                .hash(raw, e.offsetInBlock(), e.length()).equals(e.id()));
            assertThat(allMatch).as("objects of block %s hash to their ids", off).isEqualTo(!mismatch.contains(f[0]));
          }
        }
      }
    }));
  }

  // ---------------------------------------------------------------- repository

  @Test
  void repositoryLayoutIndexAndObjectsFollowTheSpec(@TempDir Path dir) throws IOException {
    RepositoryConfig config = RepositoryConfig.DEFAULT.withChunker(params(SAMPLE_CHUNKER))
        .withPack(new PackSettings(64L << 20, 1 << 20, 128 << 10, 1));
    Map<ObjectId, byte[]> known = knownObjects();
    Path repoDir = dir.resolve("repo");
    try (Repository repo = Repository.create(repoDir, config)) {
      for (String sub : List.of("packs", "index", "refs", "tmp")) {
        assertThat(repoDir.resolve(sub)).isDirectory();
      }
      assertThat(Files.readString(repoDir.resolve("config"))).isEqualTo(config.format());
      try (ObjectInserter ins = repo.objects().newInserter()) {
        for (VectorFile.Record r : records("files.txt")) {
          if (r.get("algorithm").equals("sha256") && r.get("chunker").equals(SAMPLE_CHUNKER)) {
            FileContent fc = ins.insertFile(new ByteArrayInputStream(Inputs.content(r.get("content"))));
            assertThat(fc.content().hex()).isEqualTo(r.get("content-id"));
          }
        }
        for (String f : List.of("tree-nodes.txt", "versions.txt")) {
          for (VectorFile.Record r : records(f)) {
            if (r.has("level") && !r.get("level").equals("0")) {
              continue;
            }
            ObjectType type = f.startsWith("tree") ? ObjectType.TREE : ObjectType.VERSION;
            assertThat(ins.insert(type, r.hex("encoding")).hex()).isEqualTo(r.get("id"));
          }
        }
        ins.flush();
      }
      List<Path> packFiles = repo.packs().packFiles();
      assertThat(packFiles).isNotEmpty();
      try (var s = Files.list(repoDir.resolve("tmp"))) {
        assertThat(s.toList()).as("tmp/ is empty after a flush").isEmpty();
      }
      Map<ObjectId, PackEntry> inPacks = new HashMap<>();
      Map<String, Path> byName = new HashMap<>();
      for (Path p : packFiles) {
        assertThat(p.getFileName().toString()).matches("pack-[0-9a-f]{64}\\.pack");
        try (PackFile pf = PackFile.open(p)) {
          assertThat(HashAlgorithm.SHA256.hash(pf.indexSection()).hex()).isEqualTo(pf.name());
          pf.verifyChecksum();
          pf.entries().forEach(e -> inPacks.put(e.id(), e));
          byName.put(pf.name(), p);
        }
      }
      // LMDB: a small pack first waits in pending-packs (name -> u32 entry count), its objects
      // found through its own index ...
      Env<ByteBuffer> env = repo.indexEnvironment().env();
      Dbi<ByteBuffer> pending = repo.indexEnvironment().dbi("pending-packs");
      try (Txn<ByteBuffer> txn = env.txnRead(); ObjectReader reader = repo.objects().newReader()) {
        assertThat(pending.stat(txn).entries).isEqualTo(packFiles.size());
        for (Map.Entry<String, Path> p : byName.entrySet()) {
          byte[] count = Lmdb.get(pending, txn, p.getKey().getBytes(StandardCharsets.US_ASCII));
          try (PackFile pf = PackFile.open(p.getValue())) {
            assertThat(count).as("pending %s", p.getKey()).isNotNull();
            assertThat(Bytes.u32(count, 0)).isEqualTo(pf.entryCount());
          }
        }
        for (Map.Entry<ObjectId, byte[]> k : known.entrySet()) {
          assertThat(reader.open(k.getKey()).bytes()).isEqualTo(k.getValue());
        }
      }
      // ... until merged (by way of object-runs, whose bytes core's ObjectRunsTest checks) into objects
      // (id -> u32 pack number, u8 type, u64 block offset, u32 block length, u32 offset in block,
      // u32 length), packs (name -> u32 number), pack-numbers (number -> name).
      repo.packs().index().mergeAll();
      List<String> dbNames = env.getDbiNames().stream().map(n -> new String(n, StandardCharsets.US_ASCII)).toList();
      assertThat(dbNames).contains("objects", "packs", "pack-numbers", "pending-packs", "object-runs");
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        assertThat(pending.stat(txn).entries).isZero();
        assertThat(repo.indexEnvironment().dbi("object-runs").stat(txn).entries).isZero();
      }
      Dbi<ByteBuffer> objects = repo.indexEnvironment().dbi("objects");
      Dbi<ByteBuffer> packs = repo.indexEnvironment().dbi("packs");
      Dbi<ByteBuffer> numbers = repo.indexEnvironment().dbi("pack-numbers");
      try (Txn<ByteBuffer> txn = env.txnRead(); ObjectReader reader = repo.objects().newReader()) {
        for (Map.Entry<ObjectId, byte[]> k : known.entrySet()) {
          byte[] v = Lmdb.get(objects, txn, k.getKey().toBytes());
          assertThat(v).as("indexed %s", k.getKey()).hasSize(25);
          PackEntry e = inPacks.get(k.getKey());
          String name = new String(Lmdb.get(numbers, txn, Arrays.copyOf(v, 4)), StandardCharsets.US_ASCII);
          assertThat(byName).containsKey(name);
          assertThat(Lmdb.get(packs, txn, name.getBytes(StandardCharsets.US_ASCII))).isEqualTo(Arrays.copyOf(v, 4));
          assertThat(v[4] & 0xFF).isEqualTo(e.type().code());
          assertThat(Bytes.u64(v, 5)).isEqualTo(e.blockOffset());
          assertThat(Bytes.u32(v, 13)).isEqualTo(e.blockLength());
          assertThat(Bytes.u32(v, 17)).isEqualTo(e.offsetInBlock());
          assertThat(Bytes.u32(v, 21)).isEqualTo(e.length());
          assertThat(reader.open(k.getKey()).bytes()).isEqualTo(k.getValue());
        }
      }
    }
    // The index is derived data: deleting it and rebuilding from the packs finds every object.
    try (Repository repo = Repository.open(repoDir)) {
      assertThat(repo.rebuildIndex()).isEmpty();
      try (ObjectReader reader = repo.objects().newReader()) {
        for (Map.Entry<ObjectId, byte[]> k : known.entrySet()) {
          assertThat(reader.open(k.getKey()).bytes()).isEqualTo(k.getValue());
        }
      }
    }
  }

  // ---------------------------------------------------------------- configs

  @Test
  void defaultConfigIsWrittenByteForByte() throws IOException {
    String text = Files.readString(VECTORS.resolve("config/default.config"), StandardCharsets.UTF_8);
    assertThat(RepositoryConfig.DEFAULT.format()).isEqualTo(text);
    assertThat(RepositoryConfig.parse(text)).isEqualTo(RepositoryConfig.DEFAULT);
  }

  @TestFactory
  Stream<DynamicTest> configsParse() {
    return records("config/configs.txt").stream().map(r -> dynamicTest(r.get("file"), () -> {
      String text = Files.readString(VECTORS.resolve("config").resolve(r.get("file")), StandardCharsets.UTF_8);
      RepositoryConfig c = RepositoryConfig.parse(text);
      assertThat(c.objectFormat().configName()).isEqualTo(r.get("object-format"));
      assertThat(c.chunker()).isEqualTo(params(r.get("chunker")));
      String[] p = r.get("pack").split(" ");
      assertThat(c.pack()).isEqualTo(new PackSettings(Long.parseLong(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
          Integer.parseInt(p[3])));
      assertThat(c.indexMapSizeBytes()).isEqualTo(Long.parseLong(r.get("index-map-size")));
      Map<String, String> extra = new TreeMap<>();
      for (String e : r.all("extra")) {
        String[] kv = e.split(" ");
        extra.put(unescape(kv[0]), unescape(kv[1]));
      }
      assertThat(c.extra()).isEqualTo(extra);
      if (r.has("formats-to")) {
        assertThat(c.format()).isEqualTo(Files.readString(VECTORS.resolve("config").resolve(r.get("formats-to"))));
      }
      // Writing and reading back keeps every value.
      assertThat(RepositoryConfig.parse(c.format())).isEqualTo(c);
    }));
  }

  @TestFactory
  Stream<DynamicTest> invalidConfigsAreRefused() {
    return records("config/invalid.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      String text = String.join("\n", r.all("line")) + "\n";
      assertThatThrownBy(() -> RepositoryConfig.parse(text)).isInstanceOf(InvalidConfigException.class);
    }));
  }

  // ---------------------------------------------------------------- invalid objects

  private static final Map<String, Function<byte[], byte[]>> REENCODE = Map.of(
      "file", b -> FileObjectFormat.encode(decodeUnchecked(() -> FileObjectFormat.decode(b, null))),
      "version", b -> VersionFormat.encode(decodeUnchecked(() -> VersionFormat.decode(b, null))),
      "tree", b -> {
        TreeNode n = decodeUnchecked(() -> TreeFormat.decode(b, null));
        return n instanceof TreeNode.Leaf l ? TreeFormat.encodeLeaf(l.entries())
            : TreeFormat.encodeInner(n.level(), ((TreeNode.Inner) n).children());
      });

  @FunctionalInterface
  private interface Decoder<T> {
    T decode() throws dev.cairn.errors.CairnException;
  }

  private static <T> T decodeUnchecked(Decoder<T> d) {
    try {
      return d.decode();
    } catch (dev.cairn.errors.CairnException e) {
      throw new RejectedException(e);
    }
  }

  /** Carries a decoder's rejection through a {@link Function}. */
  private static final class RejectedException extends RuntimeException {
    RejectedException(dev.cairn.errors.CairnException cause) {
      super(cause);
    }
  }

  @TestFactory
  Stream<DynamicTest> decodersRejectNonCanonicalEncodings() {
    return records("objects-invalid.txt").stream().map(r -> dynamicTest(r.name(), () -> {
      byte[] bytes = r.hex("hex");
      Function<byte[], byte[]> reencode = REENCODE.get(r.get("format"));
      assertThat(reencode).as("format").isNotNull();
      byte[][] out = new byte[1][];
      Throwable t = catchThrowable(() -> out[0] = reencode.apply(bytes));
      if (r.get("expect").equals("accept")) {
        knownBug(r, t != null, "decoder threw " + t);
        assertThat(t).isNull();
        assertThat(out[0]).as("a valid encoding re-encodes to itself").isEqualTo(bytes);
      } else {
        boolean rejected = t instanceof RejectedException;
        knownBug(r, !rejected, t == null ? "accepted" : "threw " + t);
        assertThat(t).as(r.get("reason")).isInstanceOf(RejectedException.class);
        Class<?> kind = r.has("error") && r.get("error").equals("unsupported-version") ? UnsupportedFormatVersionException.class
            : CorruptObjectException.class;
        assertThat(t.getCause()).as(r.get("reason")).isInstanceOf(kind);
      }
    }));
  }
}
