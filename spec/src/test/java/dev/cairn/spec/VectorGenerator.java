package dev.cairn.spec;

import static dev.cairn.spec.VectorFile.HEX;
import static dev.cairn.spec.VectorFile.escape;

import dev.cairn.RepositoryConfig;
import dev.cairn.chunk.ChunkReader;
import dev.cairn.chunk.ChunkerParams;
import dev.cairn.chunk.FastCdcChunker;
import dev.cairn.chunk.GearTable;
import dev.cairn.chunk.SplitMix;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.ByteWriter;
import dev.cairn.internal.io.Bytes;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.internal.pack.PackInfo;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the golden vectors of {@code spec/vectors} from core's current behaviour. Run once when a
 * format changes, review the diff, commit: from then on the files are the reference and
 * {@link SpecVectorsTest} checks core against them. Never run by the build.
 *
 * <pre>
 *   mvn -o -q -pl spec -am test-compile
 *   mvn -o -q -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/cp.txt
 *   java -cp spec/target/test-classes:core/target/classes:$(cat /tmp/cp.txt) \
 *       dev.cairn.spec.VectorGenerator spec/vectors
 * </pre>
 */
public final class VectorGenerator {
  /** Chunker parameters of the small sample dataset. */
  static final ChunkerParams SAMPLE_PARAMS = new ChunkerParams(64, 256, 1024, 1);

  private final Path dir;
  /** Objects of the sample dataset, by id, as stored in the golden pack. */
  private final Map<ObjectId, byte[]> sampleObjects = new LinkedHashMap<>();
  private final Map<ObjectId, ObjectType> sampleTypes = new LinkedHashMap<>();
  private ObjectId sampleLeaf;
  private ObjectId emptyLeaf;
  private final List<ObjectId> versions = new ArrayList<>();
  private final List<ObjectId> csvChunks = new ArrayList<>();

  private VectorGenerator(Path dir) {
    this.dir = dir;
  }

  /** Core has no known deviation today; set while one is being tracked. */
  private static final boolean KEEP_KNOWN_BUGS = false;

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "vectors");
    Files.createDirectories(dir.resolve("pack"));
    Files.createDirectories(dir.resolve("config"));
    new VectorGenerator(dir).run();
  }

  private void run() throws IOException {
    gear();
    splitmix();
    varints();
    ids();
    chunking();
    files();
    treeNodes();
    keyLevels();
    versions();
    manifests();
    pack();
    configs();
    invalidObjects();
  }

  // ---------------------------------------------------------------- output helpers

  /** Builds one text file. */
  private static final class Out {
    private final StringBuilder sb = new StringBuilder();

    Out comment(String text) {
      for (String l : text.split("\n", -1)) {
        sb.append(l.isEmpty() ? "#" : "# " + l).append('\n');
      }
      return this;
    }

    Out kv(String key, Object value) {
      sb.append(key).append(": ").append(value).append('\n');
      return this;
    }

    /** Long hex split over several lines of the same key (readers join them). */
    Out hex(String key, byte[] bytes) {
      String h = HEX.formatHex(bytes);
      if (h.isEmpty()) {
        sb.append(key).append(":\n");
      }
      for (int i = 0; i < h.length(); i += 128) {
        kv(key, h.substring(i, Math.min(h.length(), i + 128)));
      }
      return this;
    }

    /** A list of numbers split over lines of 16. */
    Out list(String key, List<?> values) {
      if (values.isEmpty()) {
        sb.append(key).append(":\n");
      }
      for (int i = 0; i < values.size(); i += 16) {
        StringBuilder line = new StringBuilder();
        for (Object v : values.subList(i, Math.min(values.size(), i + 16))) {
          line.append(line.length() == 0 ? "" : " ").append(v);
        }
        kv(key, line);
      }
      return this;
    }

    Out line(String text) {
      sb.append(text).append('\n');
      return this;
    }

    Out blank() {
      sb.append('\n');
      return this;
    }

    void write(Path file) throws IOException {
      String s = sb.toString();
      while (s.endsWith("\n\n")) {
        s = s.substring(0, s.length() - 1);
      }
      Files.writeString(file, s, StandardCharsets.UTF_8);
    }
  }

  private static String hex16(long v) {
    return "0x" + HEX.toHexDigits(v);
  }

  private static String params(ChunkerParams p) {
    return p.minSize() + " " + p.avgSize() + " " + p.maxSize() + " " + p.normalization();
  }

  private static ObjectId sha(byte[] b) {
    return HashAlgorithm.SHA256.hash(b);
  }

  private static ObjectId sha(String s) {
    return sha(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("generator self-check failed: " + what);
    }
  }

  // ---------------------------------------------------------------- gear, splitmix, varint

  private void gear() throws IOException {
    Out o = new Out();
    o.comment("The 256 gear values of FastCDC (spec/chunking.md).\n"
        + "GEAR[i] = splitmix64 output number i+1 from SEED = 0x434149524e474541 (\"CAIRNGEA\"):\n"
        + "state = SEED; for i in 0..255: state += 0x9e3779b97f4a7c15; GEAR[i] = mix(state).\n"
        + "Columns: index (decimal), value (64-bit, hex).");
    long[] g = GearTable.values();
    for (int i = 0; i < 256; i++) {
      o.line(i + " " + hex16(g[i]));
    }
    o.write(dir.resolve("gear.txt"));
  }

  private void splitmix() throws IOException {
    Out o = new Out();
    o.comment("The SplitMix64 finalizer mix(z) (spec/chunking.md):\n"
        + "z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9; z = (z ^ (z >>> 27)) * 0x94d049bb133111eb; return z ^ (z >>> 31)\n"
        + "(64-bit wrapping arithmetic, >>> = logical shift). Columns: input, mix(input), both hex.");
    long[] inputs = {0, 1, 2, -1, 0x9E3779B97F4A7C15L, GearTable.SEED, GearTable.SEED + 0x9E3779B97F4A7C15L,
        0xCBF29CE484222325L, 0x0123456789ABCDEFL, Long.MIN_VALUE};
    for (long x : inputs) {
      o.line(hex16(x) + " " + hex16(SplitMix.mix(x)));
    }
    o.write(dir.resolve("splitmix.txt"));
  }

  private void varints() throws IOException {
    Out o = new Out();
    o.comment("Unsigned LEB128 varints in shortest form (spec/README.md).\n"
        + "Columns: value (unsigned decimal), encoding (hex). Every varint field of Cairn holds a value < 2^63.");
    long[] values = {0, 1, 2, 127, 128, 129, 255, 256, 300, 16383, 16384, 2097151, 2097152, 268435455, 268435456,
        Integer.MAX_VALUE, 0xFFFFFFFFL, 1L << 32, (1L << 35) - 1, 1L << 35, 1L << 42, 1L << 49, (1L << 56) - 1,
        1L << 56, 1L << 62, Long.MAX_VALUE};
    for (long v : values) {
      o.line(v + " " + HEX.formatHex(new ByteWriter().varint(v).toByteArray()));
    }
    o.write(dir.resolve("varint.txt"));

    Out bad = new Out();
    bad.comment("Byte strings a reader must reject where a varint field is expected (spec/README.md).\n"
        + "hex: the bytes; reason: why.");
    bad.kv("name", "zero-continuation").hex("hex", HEX.parseHex("8000")).kv("reason", "not shortest form (0 written in two bytes)").blank();
    bad.kv("name", "trailing-zero-group").hex("hex", HEX.parseHex("ff00")).kv("reason", "not shortest form (127 written in two bytes)").blank();
    bad.kv("name", "long-zero").hex("hex", HEX.parseHex("808080808000")).kv("reason", "not shortest form").blank();
    bad.kv("name", "truncated").hex("hex", HEX.parseHex("80")).kv("reason", "ends inside the varint").blank();
    bad.kv("name", "truncated-empty").hex("hex", new byte[0]).kv("reason", "no byte at all").blank();
    bad.kv("name", "overflow-64").hex("hex", HEX.parseHex("ffffffffffffffffff02")).kv("reason", "more than 64 bits").blank();
    bad.kv("name", "eleven-bytes").hex("hex", HEX.parseHex("ffffffffffffffffff8101")).kv("reason", "longer than 10 bytes").blank();
    bad.kv("name", "two-to-the-63").hex("hex", HEX.parseHex("80808080808080808001")).kv("reason", "value 2^63 exceeds 2^63-1").blank();
    bad.kv("name", "two-to-the-63-plus-5").hex("hex", HEX.parseHex("85808080808080808001")).kv("reason", "value 2^63+5 exceeds 2^63-1").blank();
    bad.kv("name", "max-u64").hex("hex", HEX.parseHex("ffffffffffffffffff01")).kv("reason", "value 2^64-1 exceeds 2^63-1").blank();
    bad.write(dir.resolve("varint-invalid.txt"));
  }

  // ---------------------------------------------------------------- ids

  private static final String[][] BLAKE3_OFFICIAL = {
      {"0", "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"},
      {"1", "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213"},
      {"1023", "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11"},
      {"1024", "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7"},
      {"1025", "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444"},
      {"2048", "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a"},
      {"2049", "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030"},
      {"3072", "b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2"},
      {"3073", "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3"},
      {"4096", "015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e969"},
      {"4097", "9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995"},
      {"5121", "628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff"},
      {"7169", "a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e7817"},
  };

  private void ids() throws IOException {
    check(sha(new byte[0]).hex().equals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "sha256('')");
    check(sha("abc").hex().equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), "sha256('abc')");
    Out o = new Out();
    o.comment("Object ids: the hash of the exact bytes, in each object format (spec/objects.md).\n"
        + "input: a content expression (vectors/README.md). The pattern251 inputs are those of BLAKE3's\n"
        + "official test vectors; their blake3 values equal the first 32 bytes of the official 'hash' outputs.");
    List<String> inputs = new ArrayList<>(List.of("text \"\"", "text abc", "text Cairn%0A"));
    for (String[] v : BLAKE3_OFFICIAL) {
      inputs.add("pattern251 " + v[0]);
    }
    inputs.addAll(List.of("splitmix64 0x1 55", "splitmix64 0x1 56", "splitmix64 0x1 64", "splitmix64 0x2 1048577",
        "zeros 100000"));
    for (String in : inputs) {
      byte[] b = Inputs.content(in);
      String b3 = HashAlgorithm.BLAKE3.hash(b).hex();
      if (in.startsWith("pattern251 ")) {
        for (String[] v : BLAKE3_OFFICIAL) {
          if (in.equals("pattern251 " + v[0])) {
            check(b3.equals(v[1]), "official BLAKE3 vector for length " + v[0]);
          }
        }
      }
      o.kv("input", in).kv("length", b.length).kv("sha256", sha(b).hex()).kv("blake3", b3).blank();
    }
    o.write(dir.resolve("ids.txt"));
  }

  // ---------------------------------------------------------------- chunking

  private static List<Integer> cut(ChunkerParams p, byte[] data) {
    FastCdcChunker c = new FastCdcChunker(p);
    List<Integer> sizes = new ArrayList<>();
    int off = 0;
    while (off < data.length) {
      int n = c.cut(data, off, data.length - off);
      sizes.add(n);
      off += n;
    }
    return sizes;
  }

  private void chunking() throws IOException {
    Out o = new Out();
    o.comment("FastCDC chunk boundaries (spec/chunking.md).\n"
        + "params: minSize avgSize maxSize normalization. mask-small / mask-large: the masks used before and\n"
        + "from avgSize. input: a content expression; overwrite: OFFSET EXPR replaces bytes from OFFSET.\n"
        + "input-sha256 checks the generated input. sizes: the chunk lengths in order (lines join).");
    ChunkerParams a = SAMPLE_PARAMS;
    ChunkerParams b = new ChunkerParams(1024, 4096, 16384, 1);
    ChunkerParams c0 = new ChunkerParams(512, 2048, 8192, 0);
    ChunkerParams c2 = new ChunkerParams(512, 2048, 8192, 2);
    ChunkerParams c3 = new ChunkerParams(512, 2048, 8192, 3);
    ChunkerParams minIsAvg = new ChunkerParams(256, 256, 4096, 1);
    Object[][] cases = {
        {"a-empty", a, "hex", null},
        {"a-min", a, "splitmix64 0x1 64", null},
        {"a-min-plus-one", a, "splitmix64 0x1 65", null},
        {"a-random", a, "splitmix64 0x1 100000", null},
        {"a-random-edited", a, "splitmix64 0x1 100000", "50000 splitmix64 0x2 100"},
        {"a-zeros", a, "zeros 5000", null},
        {"a-csv", a, "csv 120", null},
        {"b-random", b, "splitmix64 0x3 200000", null},
        {"c-level0", c0, "splitmix64 0x4 100000", null},
        {"c-level2", c2, "splitmix64 0x4 100000", null},
        {"c-level3", c3, "splitmix64 0x4 100000", null},
        {"min-equals-avg", minIsAvg, "splitmix64 0x5 50000", null},
        {"one-mib-params", new ChunkerParams(262144, 1048576, 4194304, 1), "splitmix64 0x6 12582912", null},
        {"default-params", ChunkerParams.DEFAULT, "splitmix64 0x6 12582912", null},
    };
    for (Object[] cs : cases) {
      ChunkerParams p = (ChunkerParams) cs[1];
      byte[] data = Inputs.content((String) cs[2]);
      if (cs[3] != null) {
        data = Inputs.overwrite(data, List.of((String) cs[3]));
      }
      FastCdcChunker ch = new FastCdcChunker(p);
      List<Integer> sizes = cut(p, data);
      // The reader path must agree with the direct cut.
      ChunkReader r = new ChunkReader(ch, new ByteArrayInputStream(data));
      List<Integer> viaReader = new ArrayList<>();
      for (byte[] chunk = r.next(); chunk != null; chunk = r.next()) {
        viaReader.add(chunk.length);
      }
      check(viaReader.equals(sizes), "ChunkReader agrees for " + cs[0]);
      o.kv("name", cs[0]).kv("params", params(p)).kv("mask-small", hex16(ch.maskSmall())).kv("mask-large", hex16(ch.maskLarge()));
      o.kv("input", cs[2]);
      if (cs[3] != null) {
        o.kv("overwrite", cs[3]);
      }
      o.kv("input-sha256", sha(data).hex()).kv("chunks", sizes.size()).list("sizes", sizes).blank();
    }
    o.write(dir.resolve("chunking.txt"));
  }

  // ---------------------------------------------------------------- sample dataset: files

  private record SampleFile(String path, String content, boolean executable) {}

  private static final List<SampleFile> SAMPLE_FILES = List.of(
      new SampleFile("README.md", "text Cairn%20golden%20vectors:%20a%20tiny%20dataset.%0A", false),
      new SampleFile("bin/run.sh", "text #!/bin/sh%0Aecho%20hello%0A", true),
      new SampleFile("data/labels.csv", "csv 120", false),
      new SampleFile("empty.txt", "text \"\"", false),
      new SampleFile("x/\uFF21.txt", "text fullwidth%20A%0A", false),
      new SampleFile("x/\uD83D\uDE00.txt", "text smile%0A", false),
      new SampleFile("\u00FCn\u00EFc\u00F8d\u00E9/\u65E5\u672C\u8A9E.txt", "text \u3053\u3093\u306B\u3061\u306F%0A", false));

  private final Map<String, FileContent> sampleContent = new TreeMap<>();

  private void files() throws IOException {
    Out o = new Out();
    o.comment("Files as stored (spec/objects.md): content expression -> chunks -> file object.\n"
        + "chunker: the FastCDC parameters. digest: hash of the whole content. chunk: SIZE ID per chunk.\n"
        + "file-object: the encoding of the file object (only for two or more chunks); content-id: what a\n"
        + "manifest entry names (the file object's id, or the single chunk's id = digest, or for an empty\n"
        + "file the digest of no bytes, with no object stored).");
    List<Object[]> cases = new ArrayList<>();
    for (SampleFile f : SAMPLE_FILES) {
      cases.add(new Object[] {f.path(), HashAlgorithm.SHA256, SAMPLE_PARAMS, f.content()});
    }
    cases.add(new Object[] {"data/labels.csv", HashAlgorithm.BLAKE3, SAMPLE_PARAMS, "csv 120"});
    cases.add(new Object[] {"random.bin", HashAlgorithm.SHA256, new ChunkerParams(1024, 4096, 16384, 1), "splitmix64 0x5eed 20000"});
    for (Object[] cs : cases) {
      String path = (String) cs[0];
      HashAlgorithm alg = (HashAlgorithm) cs[1];
      ChunkerParams p = (ChunkerParams) cs[2];
      byte[] data = Inputs.content((String) cs[3]);
      InMemoryObjectDatabase db = new InMemoryObjectDatabase(alg, p);
      FileContent fc;
      try (ObjectInserter ins = db.newInserter()) {
        fc = ins.insertFile(new ByteArrayInputStream(data));
        ins.flush();
      }
      o.kv("name", escape(path) + (alg == HashAlgorithm.BLAKE3 ? " (blake3)" : "")).kv("algorithm", alg.configName());
      o.kv("chunker", params(p)).kv("content", cs[3]).kv("size", data.length).kv("digest", alg.hash(data).hex());
      List<Integer> sizes = cut(p, data);
      List<ChunkRef> refs = new ArrayList<>();
      int off = 0;
      for (int n : sizes) {
        ObjectId id = alg.hash(data, off, n);
        refs.add(new ChunkRef(id, n));
        o.kv("chunk", n + " " + id.hex());
        if (alg == HashAlgorithm.SHA256 && !path.equals("random.bin")) {
          sampleObjects.put(id, Arrays.copyOfRange(data, off, off + n));
          sampleTypes.put(id, ObjectType.CHUNK);
          if (path.equals("data/labels.csv")) {
            csvChunks.add(id);
          }
        }
        off += n;
      }
      if (refs.size() >= 2) {
        byte[] enc = FileObjectFormat.encode(new FileObject(data.length, alg.hash(data), refs));
        o.hex("file-object", enc);
        check(alg.hash(enc).equals(fc.content()), "file object id");
        if (alg == HashAlgorithm.SHA256 && !path.equals("random.bin")) {
          sampleObjects.put(fc.content(), enc);
          sampleTypes.put(fc.content(), ObjectType.FILE);
        }
      } else {
        check(fc.content().equals(alg.hash(data)), "single-chunk content id is the digest");
      }
      o.kv("content-id", fc.content().hex()).kv("objects-stored", db.size()).blank();
      if (alg == HashAlgorithm.SHA256) {
        sampleContent.put(path, fc);
      }
    }
    o.write(dir.resolve("files.txt"));
  }

  // ---------------------------------------------------------------- tree nodes

  static final String LINK_PATH = "external/imagenet.tar";
  static final String LINK_URI = "s3://datasets/imagenet.tar";

  private List<FileEntry> sampleEntries() {
    List<FileEntry> out = new ArrayList<>();
    for (SampleFile f : SAMPLE_FILES) {
      out.add(FileEntry.file(f.path(), sampleContent.get(f.path()), f.executable()));
    }
    out.add(FileEntry.link(LINK_PATH, LINK_URI, 1_000_000, sha("imagenet.tar placeholder")));
    out.sort(Comparator.comparing(FileEntry::path, dev.cairn.manifest.DatasetPaths::compare));
    return out;
  }

  private static String entryLine(FileEntry e) {
    return escape(e.path()) + " " + e.kind().name().toLowerCase(Locale.ROOT) + " " + (e.executable() ? 1 : 0)
        + " " + e.size() + " " + e.digest().hex() + " " + (e.content() == null ? "-" : e.content().hex()) + " "
        + escape(e.uri());
  }

  private static String childLine(ChildRef c) {
    return escape(c.firstKey()) + " " + c.id().hex() + " " + c.endLevel() + " " + c.entryCount() + " " + c.totalBytes();
  }

  private void treeNodes() throws IOException {
    Out o = new Out();
    o.comment("Manifest tree nodes (spec/manifest.md).\n"
        + "entry: PATH KIND EXECUTABLE SIZE DIGEST CONTENT URI (KIND file|link; CONTENT/URI '-' when absent;\n"
        + "PATH and URI escaped). child: FIRSTKEY ID ENDLEVEL ENTRYCOUNT TOTALBYTES. id: sha256 of the encoding.");
    List<FileEntry> entries = sampleEntries();
    for (FileEntry e : entries) {
      check(KeyLevel.of(e.path()) == 0, "sample path " + e.path() + " has level 0");
    }
    byte[] leaf = TreeFormat.encodeLeaf(entries);
    sampleLeaf = sha(leaf);
    sampleObjects.put(sampleLeaf, leaf);
    sampleTypes.put(sampleLeaf, ObjectType.TREE);
    o.kv("name", "sample-leaf").kv("level", 0);
    entries.forEach(e -> o.kv("entry", entryLine(e)));
    o.hex("encoding", leaf).kv("id", sampleLeaf.hex()).blank();

    byte[] empty = TreeFormat.encodeLeaf(List.of());
    emptyLeaf = sha(empty);
    sampleObjects.put(emptyLeaf, empty);
    sampleTypes.put(emptyLeaf, ObjectType.TREE);
    o.kv("name", "empty-leaf").kv("level", 0).hex("encoding", empty).kv("id", emptyLeaf.hex()).blank();

    List<ChildRef> children = List.of(
        new ChildRef("images/000001.jpg", sha("leaf 0"), 1, 61, 1_234_567),
        new ChildRef("images/000063.jpg", sha("leaf 1"), 1, 70, 2_000_000),
        new ChildRef("labels/\u00E9t\u00E9.csv", sha("leaf 2"), 2, 3, 300));
    byte[] inner = TreeFormat.encodeInner(1, children);
    o.kv("name", "inner-level-1").kv("level", 1);
    children.forEach(c -> o.kv("child", childLine(c)));
    o.hex("encoding", inner).kv("id", sha(inner).hex()).blank();

    List<ChildRef> children2 = List.of(
        new ChildRef("a", sha("node 0"), 2, 4100, 1L << 40),
        new ChildRef("m/n", sha("node 1"), 0, 1, 0));
    byte[] inner2 = TreeFormat.encodeInner(2, children2);
    o.kv("name", "inner-level-2").kv("level", 2);
    children2.forEach(c -> o.kv("child", childLine(c)));
    o.hex("encoding", inner2).kv("id", sha(inner2).hex()).blank();
    o.write(dir.resolve("tree-nodes.txt"));
  }

  // ---------------------------------------------------------------- key levels

  private void keyLevels() throws IOException {
    Out o = new Out();
    o.comment("Key hashes and levels of paths (spec/manifest.md): hash = splitmix64-mix(FNV-1a-64(UTF-8(path))),\n"
        + "level = trailing zero bits of hash / 6. Columns: hash (hex), level, path (escaped).");
    List<String> paths = new ArrayList<>();
    sampleEntries().forEach(e -> paths.add(e.path()));
    paths.addAll(List.of("a", "images/train/000000.json", "labels/000002.jpg", "a b/c d.txt"));
    int[] found = new int[5];
    for (int i = 0; found[4] < 1 && i < 100_000_000; i++) {
      String p = "k/" + i;
      int level = KeyLevel.of(p);
      if (level >= 1 && level <= 4 && found[level] < 2) {
        found[level]++;
        paths.add(p);
      }
    }
    for (String p : paths) {
      long h = KeyLevel.hash(p.getBytes(StandardCharsets.UTF_8));
      o.line(hex16(h) + " " + KeyLevel.of(p) + " " + escape(p));
    }
    o.write(dir.resolve("key-levels.txt"));
  }

  // ---------------------------------------------------------------- versions

  private void versions() throws IOException {
    Out o = new Out();
    o.comment("Version objects (spec/objects.md). parent: in order. created: milliseconds since 1970.\n"
        + "property: KEY VALUE (escaped), listed in canonical order (UTF-8 byte order of keys).");
    Version v1 = new Version(emptyLeaf, List.of(), 1_700_000_000_000L, Map.of());
    Map<String, String> props = new LinkedHashMap<>();
    props.put("version", "1.0.0");
    props.put("\uD83D\uDE00", "smile \u2713");
    props.put("\uFF21", "fullwidth");
    props.put("note", "");
    props.put("dataset.name", "tiny");
    props.put("dataset.id", "d-0001");
    ObjectId v1id = writeVersion(o, "v1-initial", v1);
    Version v2 = new Version(sampleLeaf, List.of(v1id), 1_700_000_123_456L, props);
    ObjectId v2id = writeVersion(o, "v2-with-parent-and-properties", v2);
    Version v3 = new Version(sampleLeaf, List.of(v2id, v1id), 1_700_000_200_000L, Map.of("message", "merge of v2 and v1"));
    writeVersion(o, "v3-merge", v3);
    o.write(dir.resolve("versions.txt"));
  }

  private ObjectId writeVersion(Out o, String name, Version v) {
    byte[] enc = VersionFormat.encode(v);
    ObjectId id = sha(enc);
    o.kv("name", name).kv("root", v.root().hex());
    v.parents().forEach(p -> o.kv("parent", p.hex()));
    o.kv("created", v.createdMillis());
    v.properties().forEach((k, val) -> o.kv("property", escape(k) + " " + escape(val)));
    o.hex("encoding", enc).kv("id", id.hex()).blank();
    versions.add(id);
    sampleObjects.put(id, enc);
    sampleTypes.put(id, ObjectType.VERSION);
    return id;
  }

  // ---------------------------------------------------------------- manifests

  private void manifests() throws IOException {
    Out o = new Out();
    o.comment("Manifest trees built from path sets (spec/manifest.md). paths: a path-set expression; each path\n"
        + "gets the entry of vectors/README.md. node: DEPTH LEVEL COUNT ID FIRSTKEY for every node, depth first\n"
        + "(children in order), the root at depth 0.\n"
        + "Edit records: base paths, edits in order (put PATH SIZE | remove PATH), the resulting root (equal to\n"
        + "a full rebuild) and the diff from base to result in path order.");
    List<String> level2 = new ArrayList<>();
    for (int i = 0; level2.size() < 1; i++) {
      if (KeyLevel.of("z/" + i) >= 2) {
        level2.add("z/" + i);
      }
    }
    String[][] builds = {
        {"empty", "none"},
        {"unwrap-chain", "list a b " + escape(level2.get(0))},
        {"files-1000", "files 1000"},
        {"forced-split", "level0 1500"},
        {"files-20000", "files 20000"},
    };
    for (String[] b : builds) {
      InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, SAMPLE_PARAMS);
      List<FileEntry> entries = Inputs.entries(Inputs.paths(b[1]));
      ObjectId root;
      try (ObjectInserter ins = db.newInserter()) {
        root = Manifest.build(ins, entries);
        ins.flush();
      }
      try (ObjectReader r = db.newReader()) {
        NodeLoader loader = new NodeLoader(r, 1024);
        TreeNode rn = loader.load(root);
        o.kv("name", b[0]).kv("paths", b[1]).kv("root", root.hex()).kv("entry-count", rn.entryCount())
            .kv("total-bytes", rn.totalBytes());
        List<String> nodes = new ArrayList<>();
        listNodes(loader, root, 0, entries.isEmpty() ? "\"\"" : escape(entries.get(0).path()), nodes);
        o.kv("node-count", nodes.size());
        nodes.forEach(n -> o.kv("node", n));
        o.blank();
      }
    }
    edit(o, "edit-files-3000", "files 3000", List.of(
        "remove images/train/000000.json",
        "put images/val/000001.jpg 5",
        "put images/train/000004.jpg 4",
        "put new/file.bin 10",
        "put labels/000002.jpg.bak 7",
        "remove meta/000003.jpg",
        "remove meta/does-not-exist"));
    edit(o, "edit-files-20000-one-file", "files 20000", List.of("put labels/010002.jpg 1"));
    o.write(dir.resolve("manifests.txt"));
  }

  private void listNodes(NodeLoader loader, ObjectId id, int depth, String firstKey, List<String> out) throws IOException {
    TreeNode n = loader.load(id);
    out.add(depth + " " + n.level() + " " + n.size() + " " + id.hex() + " " + firstKey);
    if (n instanceof TreeNode.Inner in) {
      for (ChildRef c : in.children()) {
        listNodes(loader, c.id(), depth + 1, escape(c.firstKey()), out);
      }
    }
  }

  private void edit(Out o, String name, String base, List<String> edits) throws IOException {
    InMemoryObjectDatabase db = new InMemoryObjectDatabase(HashAlgorithm.SHA256, SAMPLE_PARAMS);
    List<FileEntry> entries = Inputs.entries(Inputs.paths(base));
    TreeMap<String, FileEntry> after = new TreeMap<>(dev.cairn.manifest.DatasetPaths::compare);
    entries.forEach(e -> after.put(e.path(), e));
    List<ManifestEditor.Edit> list = new ArrayList<>();
    for (String e : edits) {
      String[] p = e.split(" ");
      if (p[0].equals("remove")) {
        list.add(ManifestEditor.Edit.remove(VectorFile.unescape(p[1])));
        after.remove(VectorFile.unescape(p[1]));
      } else {
        FileEntry fe = Inputs.entry(VectorFile.unescape(p[1]), Long.parseLong(p[2]));
        list.add(ManifestEditor.Edit.put(fe));
        after.put(fe.path(), fe);
      }
    }
    try (ObjectInserter ins = db.newInserter(); ObjectReader r = db.newReader()) {
      ObjectId baseRoot = Manifest.build(ins, entries);
      ins.flush();
      NodeLoader loader = new NodeLoader(r, 1024);
      ObjectId edited = new ManifestEditor(loader, ins).apply(baseRoot, list);
      ObjectId rebuilt = Manifest.build(ins, after.values());
      ins.flush();
      check(edited.equals(rebuilt), "edit equals rebuild for " + name);
      o.kv("name", name).kv("base", base).kv("base-root", baseRoot.hex());
      edits.forEach(e -> o.kv("edit", e));
      o.kv("root", edited.hex());
      for (DiffEntry d : new ManifestDiff(loader).diff(baseRoot, edited)) {
        o.kv("diff", d.type() + " " + escape(d.path()));
      }
      o.blank();
    }
  }

  // ---------------------------------------------------------------- pack

  private void pack() throws IOException {
    Path tmp = Files.createTempDirectory("cairn-vectors");
    Path packs = Files.createDirectories(tmp.resolve("packs"));
    Path tmpDir = Files.createDirectories(tmp.resolve("tmp"));
    BlockCodec codec = new BlockCodec();
    List<List<ObjectId>> groups = new ArrayList<>();
    List<ObjectId> smallChunks = new ArrayList<>();
    List<ObjectId> meta = new ArrayList<>();
    ObjectId readme = sampleContent.get("README.md").content();
    for (Map.Entry<ObjectId, ObjectType> e : sampleTypes.entrySet()) {
      ObjectId id = e.getKey();
      if (e.getValue() != ObjectType.CHUNK) {
        meta.add(id);
      } else if (id.equals(readme)) {
        continue;
      } else if (!csvChunks.contains(id)) {
        smallChunks.add(id);
      }
    }
    check(csvChunks.size() >= 2, "csv chunks found");
    groups.add(csvChunks);
    groups.add(List.of(readme));
    groups.add(smallChunks);
    groups.add(meta);
    int[] levels = {3, 0, 0, 0};
    Out dump = new Out();
    dump.comment("The golden pack (spec/pack.md) as an annotated hex dump: OFFSET (decimal): bytes.\n"
        + "Its expected structure is in golden-pack.txt.");
    List<String> blockLines = new ArrayList<>();
    PackInfo info;
    try (PackWriter w = new PackWriter(HashAlgorithm.SHA256, packs, tmpDir)) {
      for (int g = 0; g < groups.size(); g++) {
        ByteWriter raw = new ByteWriter();
        List<PackWriter.Member> members = new ArrayList<>();
        for (ObjectId id : groups.get(g)) {
          byte[] b = sampleObjects.get(id);
          members.add(new PackWriter.Member(id, sampleTypes.get(id), raw.length(), b.length));
          raw.bytes(b);
        }
        byte[] block = codec.encode(raw.toByteArray(), 0, raw.length(), levels[g]);
        check((block[0] == PackFormat.CODEC_ZSTD) == (levels[g] != 0), "block " + g + " codec");
        long offset = w.appendBlock(block, members);
        blockLines.add(offset + " " + block.length + " " + (block[0] & 0xFF) + " " + raw.length() + " "
            + HEX.formatHex(block, 9, 13));
      }
      info = w.finish();
    }
    codec.close();
    byte[] pack = Files.readAllBytes(info.path());
    long indexOffset = Bytes.u64(pack, pack.length - PackFormat.TRAILER_SIZE);
    // annotated dump
    dump.comment("header: 'CRNP' version=1 objectFormat=1 (sha256) reserved=0");
    dumpRange(dump, pack, 0, PackFormat.HEADER_SIZE);
    for (String bl : blockLines) {
      String[] p = bl.split(" ");
      int off = Integer.parseInt(p[0]);
      int len = Integer.parseInt(p[1]);
      dump.comment("block at " + off + ": codec=" + p[2] + (p[2].equals("1") ? " (zstd)" : " (stored)") + " storedLength="
          + (len - PackFormat.BLOCK_HEADER_SIZE) + " rawLength=" + p[3] + " crc32c=" + p[4]);
      dumpRange(dump, pack, off, off + len);
    }
    dump.comment("index: 'CRNI' count=" + info.entries().size() + ", then " + PackFormat.ENTRY_SIZE + "-byte entries sorted by id");
    dumpRange(dump, pack, (int) indexOffset, (int) indexOffset + PackFormat.INDEX_HEADER_SIZE);
    for (int i = 0; i < info.entries().size(); i++) {
      PackEntry e = info.entries().get(i);
      int at = (int) indexOffset + PackFormat.INDEX_HEADER_SIZE + i * PackFormat.ENTRY_SIZE;
      dump.comment("entry " + i + ": " + e.type() + " blockOffset=" + e.blockOffset() + " blockLength=" + e.blockLength()
          + " offsetInBlock=" + e.offsetInBlock() + " length=" + e.length());
      dumpRange(dump, pack, at, at + PackFormat.ENTRY_SIZE);
    }
    dump.comment("trailer: indexOffset indexCrc32c packCrc32c 'CRNE'");
    dumpRange(dump, pack, pack.length - PackFormat.TRAILER_SIZE, pack.length);
    dump.write(dir.resolve("pack/golden.pack.hex"));

    Out o = new Out();
    o.comment("Expected structure of pack/golden.pack.hex (spec/pack.md).\n"
        + "file-name: the published file name (pack- + sha256 of the index section + .pack).\n"
        + "block: OFFSET LENGTH CODEC RAWLENGTH CRC32C (LENGTH includes the 13-byte block header).\n"
        + "entry: ID TYPE BLOCKOFFSET BLOCKLENGTH OFFSETINBLOCK LENGTH, in index order.\n"
        + "The objects are those of files.txt (sha256), tree-nodes.txt (sample-leaf, empty-leaf) and versions.txt.");
    o.kv("name", info.name()).kv("file-name", PackFormat.fileName(info.name())).kv("object-format", "sha256")
        .kv("length", pack.length).kv("index-offset", indexOffset)
        .kv("index-crc32c", HEX.formatHex(pack, pack.length - 12, pack.length - 8))
        .kv("pack-crc32c", HEX.formatHex(pack, pack.length - 8, pack.length - 4));
    blockLines.forEach(bl -> o.kv("block", bl));
    for (PackEntry e : info.entries()) {
      o.kv("entry", e.id().hex() + " " + e.type().name().toLowerCase(Locale.ROOT) + " " + e.blockOffset() + " "
          + e.blockLength() + " " + e.offsetInBlock() + " " + e.length());
    }
    o.write(dir.resolve("pack/golden-pack.txt"));
    mutations(pack, indexOffset, blockLines, info.entries().size());
    Files.delete(info.path());
  }

  private static void dumpRange(Out o, byte[] b, int from, int to) {
    for (int i = from; i < to; i += 32) {
      int end = Math.min(to, i + 32);
      o.line(i + ": " + HEX.formatHex(b, i, end));
    }
  }

  private void mutations(byte[] pack, long indexOffset, List<String> blocks, int count) throws IOException {
    Out o = new Out();
    o.comment("Damaged copies of pack/golden.pack.hex and what a reader must report (spec/pack.md).\n"
        + "mutate (applied in order): set OFFSET HEX | xor OFFSET HEXBYTE | truncate LENGTH | swap-entries I J |\n"
        + "fix-crcs (recompute the index and pack crc32c as a writer would) | fix-block-crc OFFSET (recompute the\n"
        + "CRC-32C of the block at OFFSET).\n"
        + "open: ok, unsupported-version, or the CorruptObjectException reason of opening (header, trailer,\n"
        + "index checksum). entries: ok or the reason of reading the index entries. verify: ok or the reason\n"
        + "of the whole-file checksum. bad-block: offsets of blocks whose own checks fail (others decode).\n"
        + "hash-mismatch-block: offsets of blocks that decode but whose bytes do not hash to their ids.");
    int[] offs = blocks.stream().mapToInt(s -> Integer.parseInt(s.split(" ")[0])).toArray();
    int[] lens = blocks.stream().mapToInt(s -> Integer.parseInt(s.split(" ")[1])).toArray();
    long len = pack.length;
    int firstEntry = (int) indexOffset + PackFormat.INDEX_HEADER_SIZE;
    o.kv("name", "intact").kv("open", "ok").kv("entries", "ok").kv("verify", "ok").blank();
    o.kv("name", "stored-block-byte-flipped").kv("mutate", "xor " + (offs[1] + 20) + " 01").kv("open", "ok")
        .kv("entries", "ok").kv("verify", "CHECKSUM_MISMATCH").kv("bad-block", offs[1]).blank();
    o.kv("name", "zstd-block-byte-flipped").kv("mutate", "xor " + (offs[0] + 30) + " 40").kv("open", "ok")
        .kv("entries", "ok").kv("verify", "CHECKSUM_MISMATCH").kv("bad-block", offs[0]).blank();
    o.kv("name", "block-raw-length-changed").kv("mutate", "xor " + (offs[2] + 8) + " 01").kv("open", "ok")
        .kv("entries", "ok").kv("verify", "CHECKSUM_MISMATCH").kv("bad-block", offs[2]).blank();
    o.kv("name", "block-rewritten-with-valid-crc-but-wrong-content").kv("mutate", "xor " + (offs[3] + 13) + " 01")
        .kv("mutate", "fix-block-crc " + offs[3]).kv("mutate", "fix-crcs").kv("open", "ok").kv("entries", "ok")
        .kv("verify", "ok").kv("hash-mismatch-block", offs[3]).blank();
    o.kv("name", "bad-magic").kv("mutate", "xor 0 01").kv("open", "MALFORMED").blank();
    o.kv("name", "future-version").kv("mutate", "set 4 02").kv("open", "unsupported-version").blank();
    o.kv("name", "unknown-object-format").kv("mutate", "set 5 09").kv("open", "MALFORMED").blank();
    o.kv("name", "reserved-not-zero").kv("mutate", "set 7 01").kv("open", "MALFORMED").blank();
    o.kv("name", "truncated-by-one").kv("mutate", "truncate " + (len - 1)).kv("open", "TRUNCATED").blank();
    o.kv("name", "too-short").kv("mutate", "truncate 35").kv("open", "TRUNCATED").blank();
    o.kv("name", "index-byte-flipped").kv("mutate", "xor " + (firstEntry + 40) + " 01").kv("open", "CHECKSUM_MISMATCH").blank();
    o.kv("name", "index-crc-flipped").kv("mutate", "xor " + (len - 12) + " 80").kv("open", "CHECKSUM_MISMATCH").blank();
    o.kv("name", "pack-crc-flipped").kv("mutate", "xor " + (len - 8) + " 01").kv("open", "ok").kv("entries", "ok")
        .kv("verify", "CHECKSUM_MISMATCH").blank();
    o.kv("name", "end-magic-damaged").kv("mutate", "xor " + (len - 1) + " 01").kv("open", "TRUNCATED").blank();
    o.kv("name", "index-offset-out-of-range").kv("mutate", "set " + (len - 20) + " 0000000000000004").kv("open", "MALFORMED").blank();
    o.kv("name", "index-offset-misaligned").kv("mutate", "set " + (len - 20) + " " + HEX.toHexDigits(indexOffset + 1))
        .kv("open", "MALFORMED").blank();
    o.kv("name", "index-count-wrong").kv("mutate", "set " + (indexOffset + 4) + " " + HEX.toHexDigits(count + 1))
        .kv("mutate", "fix-crcs").kv("open", "MALFORMED").blank();
    o.kv("name", "index-magic-wrong").kv("mutate", "set " + indexOffset + " 43524e58").kv("mutate", "fix-crcs")
        .kv("open", "MALFORMED").blank();
    o.kv("name", "entries-unsorted").kv("mutate", "swap-entries 0 1").kv("mutate", "fix-crcs").kv("open", "ok")
        .kv("entries", "MALFORMED").kv("verify", "ok").blank();
    o.kv("name", "entry-unknown-type").kv("mutate", "set " + (firstEntry + 32) + " 09").kv("mutate", "fix-crcs")
        .kv("open", "ok").kv("entries", "MALFORMED").kv("verify", "ok").blank();
    o.kv("name", "entry-block-past-index").kv("mutate", "set " + (firstEntry + 33) + " " + HEX.toHexDigits(indexOffset))
        .kv("mutate", "fix-crcs").kv("open", "ok").kv("entries", "MALFORMED").kv("verify", "ok").blank();
    o.kv("name", "entry-block-in-header").kv("mutate", "set " + (firstEntry + 33) + " 0000000000000004")
        .kv("mutate", "fix-crcs").kv("open", "ok").kv("entries", "MALFORMED").kv("verify", "ok").blank();
    o.write(dir.resolve("pack/mutations.txt"));
    check(lens.length == 4, "four blocks");
  }

  // ---------------------------------------------------------------- configs

  private void configs() throws IOException {
    Files.writeString(dir.resolve("config/default.config"), RepositoryConfig.DEFAULT.format(), StandardCharsets.UTF_8);
    String example = String.join("\n",
        "# An example repository config (spec/repository.md).",
        "core.formatVersion = 1",
        "core.objectFormat = blake3",
        "",
        "# Fixed at creation: chunk boundaries, hence chunk ids, depend on these.",
        "chunker.minSize = 65536",
        "chunker.avgSize = 262144",
        "chunker.maxSize = 1048576",
        "chunker.normalization = 1",
        "",
        "   pack.targetSize=134217728   ",
        "pack.blockSize = 2097152",
        "pack.smallObjectLimit = 262144",
        "pack.zstdLevel = 3",
        "remote.origin.url = s3://bucket/cairn?region=eu-west-1 # not a comment",
        "");
    Files.writeString(dir.resolve("config/example.config"), example, StandardCharsets.UTF_8);
    RepositoryConfig ex = RepositoryConfig.parse(example);
    Out o = new Out();
    o.comment("Config files and how they parse (spec/repository.md).\n"
        + "file: a file in this directory. chunker: min avg max normalization. pack: targetSize blockSize\n"
        + "smallObjectLimit zstdLevel. extra: KEY VALUE (escaped) for keys this build does not interpret.\n"
        + "formats-to: the file that format() of the parsed config writes byte for byte.");
    RepositoryConfig d = RepositoryConfig.DEFAULT;
    o.kv("file", "default.config").kv("object-format", d.objectFormat().configName()).kv("chunker", params(d.chunker()))
        .kv("pack", packLine(d)).kv("index-map-size", d.indexMapSizeBytes()).kv("formats-to", "default.config").blank();
    o.kv("file", "example.config").kv("object-format", ex.objectFormat().configName()).kv("chunker", params(ex.chunker()))
        .kv("pack", packLine(ex)).kv("index-map-size", ex.indexMapSizeBytes());
    ex.extra().forEach((k, v) -> o.kv("extra", escape(k) + " " + escape(v)));
    o.blank();
    o.write(dir.resolve("config/configs.txt"));

    Out bad = new Out();
    bad.comment("Config texts a reader must refuse (InvalidConfigException). line: one line of the text, as is\n"
        + "(not escaped); the lines join with LF.");
    String base = "core.formatVersion = 1\ncore.objectFormat = sha256\n";
    String[][] cases = {
        {"missing-format-version", "core.objectFormat = sha256\n"},
        {"future-format-version", "core.formatVersion = 2\ncore.objectFormat = sha256\n"},
        {"missing-object-format", "core.formatVersion = 1\n"},
        {"unknown-object-format", "core.formatVersion = 1\ncore.objectFormat = md5\n"},
        {"line-without-equals", base + "chunker.minSize 65536\n"},
        {"empty-key", base + "= 5\n"},
        {"not-a-number", base + "chunker.avgSize = 1M\n"},
        {"avg-not-power-of-two", base + "chunker.avgSize = 1000000\n"},
        {"min-above-avg", base + "chunker.minSize = 2097152\n"},
        {"max-below-avg", base + "chunker.maxSize = 4096\n"},
        {"normalization-4", base + "chunker.normalization = 4\n"},
        {"int-overflow", base + "chunker.maxSize = 4294967296\n"},
        {"map-size-too-small", base + "index.mapSize = 1000\n"},
        {"block-size-too-small", base + "pack.blockSize = 100\n"},
        {"small-limit-above-block", base + "pack.smallObjectLimit = 2097152\n"},
        {"zstd-level-23", base + "pack.zstdLevel = 23\n"},
    };
    for (String[] c : cases) {
      bad.kv("name", c[0]);
      for (String l : c[1].split("\n")) {
        bad.kv("line", l);
      }
      bad.blank();
      boolean rejected;
      try {
        RepositoryConfig.parse(c[1]);
        rejected = false;
      } catch (dev.cairn.errors.InvalidConfigException e) {
        rejected = true;
      }
      check(rejected, "config " + c[0] + " is rejected");
    }
    bad.write(dir.resolve("config/invalid.txt"));
  }

  private static String packLine(RepositoryConfig c) {
    return c.pack().packTargetBytes() + " " + c.pack().blockTargetBytes() + " " + c.pack().smallObjectLimit() + " "
        + c.pack().zstdLevel();
  }

  // ---------------------------------------------------------------- invalid objects

  private static final byte[] TWO_TO_63_PLUS_1 = HEX.parseHex("81808080808080808001");
  private static final byte[] NEGATIVE_ONE_INT = HEX.parseHex("ffffffff8f8080808001");

  private void invalidObjects() throws IOException {
    Out o = new Out();
    o.comment("Encodings a decoder must reject with a corrupt-object error, or (expect: accept) must accept\n"
        + "(spec/objects.md, spec/manifest.md). format: file | version | tree. error: unsupported-version for a\n"
        + "version byte this format does not know (not a corrupt object); absent, a corrupt object.\n"
        + "known-core-bug: core does not behave as specified yet (see the report); the test skips instead of\n"
        + "failing while that lasts.");
    ObjectId d = sha("digest");
    ObjectId c1 = sha("chunk 1");
    ObjectId c2 = sha("chunk 2");
    // ---- file objects
    bad(o, "file-bad-magic", "file", fileObj("CRNX", 1, 10, d, 2, new long[] {4, 6}, c1, c2), "magic is not 'CRNF'", null);
    unsupported(o, "file-unknown-version", "file", fileObj("CRNF", 2, 10, d, 2, new long[] {4, 6}, c1, c2), "version 2 is unknown", null);
    bad(o, "file-one-chunk", "file", fileObj("CRNF", 1, 10, d, 1, new long[] {10}, c1), "a file object lists at least two chunks", null);
    bad(o, "file-no-chunks", "file", fileObj("CRNF", 1, 0, d, 0, new long[] {}), "a file object lists at least two chunks", null);
    bad(o, "file-sizes-do-not-add-up", "file", fileObj("CRNF", 1, 11, d, 2, new long[] {4, 6}, c1, c2), "4 + 6 != 11", null);
    bad(o, "file-empty-chunk", "file", fileObj("CRNF", 1, 10, d, 3, new long[] {4, 0, 6}, c1, c2, c1), "chunk of size 0", null);
    byte[] good = fileObj("CRNF", 1, 10, d, 2, new long[] {4, 6}, c1, c2);
    bad(o, "file-trailing-byte", "file", concat(good, new byte[] {0}), "one byte after the last chunk", null);
    bad(o, "file-truncated", "file", Arrays.copyOf(good, good.length - 1), "ends inside the last chunk id", null);
    bad(o, "file-size-not-shortest", "file", concat(HEX.parseHex("43524e4601"), HEX.parseHex("8a00"),
        Arrays.copyOfRange(good, 6, good.length)), "size 10 written as 8a 00", null);
    bad(o, "file-count-beyond-data", "file", fileObj("CRNF", 1, 10, d, 200, new long[] {4, 6}, c1, c2), "count 200 but two chunks follow", null);
    {
      ByteWriter w = new ByteWriter().ascii("CRNF").u8(1).varint(10).id(d).varint(2);
      w.bytes(concat(HEX.parseHex("84808080808080808001"))).id(c1).varint(6).id(c2);
      bad(o, "file-chunk-size-aliased", "file", w.toByteArray(), "chunk size 2^63+4: exceeds 2^63-1 (an alias of 4)",
          "ByteReader.varintInt truncates to int: decodes as chunk size 4, so a second encoding of the same object is accepted");
    }
    {
      ByteWriter w = new ByteWriter().ascii("CRNF").u8(1).varint(10).id(d).varint(2);
      w.bytes(NEGATIVE_ONE_INT).id(c1).varint(6).id(c2);
      bad(o, "file-chunk-size-negative", "file", w.toByteArray(), "chunk size 2^63+2^32-1 exceeds 2^63-1",
          "ByteReader.varintInt returns -1; ChunkRef throws IllegalArgumentException instead of CorruptObjectException");
    }
    {
      List<ChunkRef> many = new ArrayList<>();
      for (int i = 0; i < 41; i++) {
        many.add(new ChunkRef(sha("chunk " + i), 100));
      }
      byte[] enc = FileObjectFormat.encode(new FileObject(4100, d, many));
      o.kv("name", "file-41-small-chunks").kv("format", "file").hex("hex", enc).kv("expect", "accept")
          .kv("reason", "a valid file object of 41 chunks of 100 bytes")
          .blank();
    }
    // ---- versions
    ObjectId root = sha("root");
    unsupported(o, "version-unknown-version", "version", version(2, root, List.of(), 5, new String[][] {}), "version 2 is unknown", null);
    bad(o, "version-properties-unsorted", "version", version(1, root, List.of(), 5, new String[][] {{"b", "1"}, {"a", "2"}}),
        "keys not in UTF-8 byte order", null);
    bad(o, "version-properties-utf16-order", "version",
        version(1, root, List.of(), 5, new String[][] {{"\uD83D\uDE00", "1"}, {"\uFF21", "2"}}),
        "U+1F600 before U+FF21 is UTF-16 order, not UTF-8 byte order", null);
    bad(o, "version-duplicate-key", "version", version(1, root, List.of(), 5, new String[][] {{"a", "1"}, {"a", "2"}}),
        "duplicate property key", null);
    bad(o, "version-empty-key", "version", version(1, root, List.of(), 5, new String[][] {{"", "1"}}), "empty property key", null);
    {
      byte[] v = version(1, root, List.of(), 5, new String[][] {{"k", "xy"}});
      v[v.length - 2] = (byte) 0xC0;
      v[v.length - 1] = (byte) 0xAF;
      bad(o, "version-invalid-utf8", "version", v, "overlong UTF-8 (c0 af) in a value", null);
    }
    bad(o, "version-trailing-byte", "version", concat(version(1, root, List.of(), 5, new String[][] {}), new byte[] {0}),
        "a byte after the last property", null);
    bad(o, "version-created-too-large", "version", concat(HEX.parseHex("43524e5601"), root.toBytes(), HEX.parseHex("00"),
        HEX.parseHex("80808080808080808001"), HEX.parseHex("00")), "created time 2^63 exceeds 2^63-1", null);
    bad(o, "version-parent-count-beyond-data", "version", concat(HEX.parseHex("43524e5601"), root.toBytes(), HEX.parseHex("05"),
        HEX.parseHex("0500")), "5 parents announced, none present", null);
    bad(o, "version-parent-count-aliased", "version", concat(HEX.parseHex("43524e5601"), root.toBytes(), TWO_TO_63_PLUS_1,
        sha("parent").toBytes(), HEX.parseHex("0500")), "parent count 2^63+1 exceeds 2^63-1 (an alias of 1)",
        "ByteReader.varintInt truncates to int: decodes as one parent");
    // ---- tree nodes
    ObjectId x = sha("x");
    ObjectId y = sha("y");
    unsupported(o, "tree-unknown-version", "tree", HEX.parseHex("43524e54020000"), "version 2 is unknown", null);
    bad(o, "tree-keys-unsorted", "tree", leaf(new String[] {"b", "a"}, null), "'a' after 'b'", null);
    bad(o, "tree-keys-duplicate", "tree", leaf(new String[] {"a", "a"}, null), "'a' twice", null);
    bad(o, "tree-keys-utf16-order", "tree", leaf(new String[] {"x/\uD83D\uDE00", "x/\uFF21"}, null),
        "U+1F600 before U+FF21 is UTF-16 order, not UTF-8 byte order", null);
    bad(o, "tree-prefix-not-maximal", "tree", leafRaw(new Object[][] {{0, "ab"}, {1, "bc"}}),
        "second key 'abc' shares 'ab' with 'ab' but the encoding says 1", null);
    bad(o, "tree-shared-beyond-previous", "tree", leafRaw(new Object[][] {{0, "ab"}, {3, "c"}}), "shared 3 > length of 'ab'", null);
    bad(o, "tree-empty-suffix", "tree", leafRaw(new Object[][] {{0, "ab"}, {2, ""}}), "second key equals the first: empty suffix", null);
    bad(o, "tree-first-key-empty", "tree", leafRaw(new Object[][] {{0, ""}}), "empty path", null);
    bad(o, "tree-path-dotdot", "tree", leaf(new String[] {"a/../b"}, null), "'..' segment", null);
    bad(o, "tree-path-dot", "tree", leaf(new String[] {"./a"}, null), "'.' segment", null);
    bad(o, "tree-path-absolute", "tree", leaf(new String[] {"/a"}, null), "absolute path", null);
    bad(o, "tree-path-trailing-slash", "tree", leaf(new String[] {"a/"}, null), "ends with '/'", null);
    bad(o, "tree-path-double-slash", "tree", leaf(new String[] {"a//b"}, null), "empty segment", null);
    bad(o, "tree-path-backslash", "tree", leaf(new String[] {"a\\b"}, null), "backslash", null);
    bad(o, "tree-path-nul", "tree", leaf(new String[] {"a\u0000b"}, null), "NUL", null);
    bad(o, "tree-path-control", "tree", leaf(new String[] {"a\nb"}, null), "control character", null);
    bad(o, "tree-path-del", "tree", leaf(new String[] {"a\u007Fb"}, null), "DEL", null);
    bad(o, "tree-path-segment-too-long", "tree", leaf(new String[] {"d/" + "n".repeat(256)}, null), "segment of 256 bytes", null);
    {
      byte[] l = leafRaw(new Object[][] {{0, "aXY"}});
      int at = indexOf(l, "XY".getBytes(StandardCharsets.US_ASCII));
      l[at] = (byte) 0xC0;
      l[at + 1] = (byte) 0xAF;
      bad(o, "tree-path-overlong-utf8", "tree", l, "c0 af is an overlong '/'", null);
      byte[] s = leafRaw(new Object[][] {{0, "aXYZ"}});
      at = indexOf(s, "XYZ".getBytes(StandardCharsets.US_ASCII));
      s[at] = (byte) 0xED;
      s[at + 1] = (byte) 0xA0;
      s[at + 2] = (byte) 0x80;
      bad(o, "tree-path-surrogate-utf8", "tree", s, "ed a0 80 encodes the surrogate U+D800", null);
    }
    bad(o, "tree-unknown-kind", "tree", leafItem("a", 3, 0, 1, x, null, null), "kind 3", null);
    bad(o, "tree-unknown-flag", "tree", leafItem("a", 1, 4, 1, x, null, null), "flag bit 2", null);
    bad(o, "tree-chunked-content-is-digest", "tree", leafItem("a", 1, 2, 1, x, x, null), "chunked entry whose content is its digest", null);
    bad(o, "tree-chunked-empty-file", "tree", leafItem("a", 1, 2, 0, x, y, null), "chunked flag on an empty file", null);
    bad(o, "tree-chunked-link", "tree", leafItem("a", 2, 2, 1, x, y, "s3://b/a"), "chunked flag on a link", null);
    good(o, "tree-empty-file", "tree", leafItem("a", 1, 0, 0, x, null, null), "an empty file: size 0, content = digest");
    good(o, "tree-executable-link", "tree", leafItem("a", 2, 1, 1, x, null, ""),
        "a link with the executable flag and an empty URI: allowed by version 1");
    bad(o, "tree-link-without-uri", "tree", Arrays.copyOf(leafItem("a", 2, 0, 1, x, null, "u"),
        leafItem("a", 2, 0, 1, x, null, "u").length - 2), "link entry ends before its URI", null);
    bad(o, "tree-inner-without-children", "tree", HEX.parseHex("43524e54010100"), "inner node with no child", null);
    bad(o, "tree-count-above-1024", "tree", concat(HEX.parseHex("43524e5401008108"), new byte[0]), "count 1025", null);
    bad(o, "tree-trailing-byte", "tree", concat(leaf(new String[] {"a"}, null), new byte[] {0}), "a byte after the last entry", null);
    bad(o, "tree-truncated-inner", "tree", Arrays.copyOf(inner("a", x), inner("a", x).length - 1), "ends inside the last child", null);
    {
      byte[] l = leaf(new String[] {"a"}, null);
      bad(o, "tree-count-aliased", "tree", concat(Arrays.copyOf(l, 6), TWO_TO_63_PLUS_1,
          Arrays.copyOfRange(l, 7, l.length)), "count 2^63+1 exceeds 2^63-1 (an alias of 1)",
          "ByteReader.varintInt truncates to int: decodes as the one-entry leaf, a second encoding of the same node");
      bad(o, "tree-count-negative", "tree", concat(Arrays.copyOf(l, 6), NEGATIVE_ONE_INT,
          Arrays.copyOfRange(l, 7, l.length)), "count 2^63+2^32-1 exceeds 2^63-1",
          "ByteReader.varintInt returns -1; new ArrayList<>(-1) throws IllegalArgumentException");
      byte[] two = leafRaw(new Object[][] {{0, "a"}, {0, "b"}});
      int second = indexOf(two, new byte[] {0, 1, 'b'});
      bad(o, "tree-shared-negative", "tree", concat(Arrays.copyOf(two, second), NEGATIVE_ONE_INT,
          Arrays.copyOfRange(two, second + 1, two.length)), "shared 2^63+2^32-1 exceeds 2^63-1",
          "ByteReader.varintInt returns -1; System.arraycopy throws IndexOutOfBoundsException");
    }
    o.write(dir.resolve("objects-invalid.txt"));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("not found");
  }

  private void good(Out o, String name, String format, byte[] bytes, String reason) {
    o.kv("name", name).kv("format", format).hex("hex", bytes).kv("expect", "accept").kv("reason", reason).blank();
  }

  private void unsupported(Out o, String name, String format, byte[] bytes, String reason, String knownBug) {
    o.kv("name", name).kv("format", format).hex("hex", bytes).kv("expect", "reject").kv("reason", reason)
        .kv("error", "unsupported-version");
    if (knownBug != null && KEEP_KNOWN_BUGS) {
      o.kv("known-core-bug", knownBug);
    }
    o.blank();
  }

  private void bad(Out o, String name, String format, byte[] bytes, String reason, String knownBug) {
    o.kv("name", name).kv("format", format).hex("hex", bytes).kv("expect", "reject").kv("reason", reason);
    if (knownBug != null && KEEP_KNOWN_BUGS) {
      o.kv("known-core-bug", knownBug);
    }
    o.blank();
  }

  private static byte[] concat(byte[]... parts) {
    return Inputs.concat(List.of(parts));
  }

  private static byte[] fileObj(String magic, int version, long size, ObjectId digest, long count, long[] sizes, ObjectId... ids) {
    ByteWriter w = new ByteWriter().ascii(magic).u8(version).varint(size).id(digest).varint(count);
    for (int i = 0; i < sizes.length; i++) {
      w.varint(sizes[i]).id(ids[i]);
    }
    return w.toByteArray();
  }

  private static byte[] version(int v, ObjectId root, List<ObjectId> parents, long created, String[][] props) {
    ByteWriter w = new ByteWriter().ascii("CRNV").u8(v).id(root).varint(parents.size());
    parents.forEach(w::id);
    w.varint(created).varint(props.length);
    for (String[] p : props) {
      w.string(p[0]).string(p[1]);
    }
    return w.toByteArray();
  }

  /** A leaf of non-chunked, non-executable files of size 1, keys prefix-compressed properly. */
  private static byte[] leaf(String[] paths, ObjectId digest) {
    ByteWriter w = new ByteWriter().ascii("CRNT").u8(1).u8(0).varint(paths.length);
    byte[] prev = new byte[0];
    ObjectId dg = digest != null ? digest : sha("x");
    for (String p : paths) {
      byte[] k = p.getBytes(StandardCharsets.UTF_8);
      int shared = 0;
      while (shared < Math.min(prev.length, k.length) && prev[shared] == k[shared]) {
        shared++;
      }
      w.varint(shared).varint(k.length - shared).bytes(k, shared, k.length - shared);
      w.u8(1).u8(0).varint(1).id(dg);
      prev = k;
    }
    return w.toByteArray();
  }

  /** A leaf whose keys are given as (shared, suffix) pairs, each a file of size 1. */
  private static byte[] leafRaw(Object[][] keys) {
    ByteWriter w = new ByteWriter().ascii("CRNT").u8(1).u8(0).varint(keys.length);
    for (Object[] k : keys) {
      byte[] suffix = ((String) k[1]).getBytes(StandardCharsets.UTF_8);
      w.varint((Integer) k[0]).varint(suffix.length).bytes(suffix);
      w.u8(1).u8(0).varint(1).id(sha("x"));
    }
    return w.toByteArray();
  }

  private static byte[] leafItem(String path, int kind, int flags, long size, ObjectId digest, ObjectId content, String uri) {
    ByteWriter w = new ByteWriter().ascii("CRNT").u8(1).u8(0).varint(1);
    byte[] k = path.getBytes(StandardCharsets.UTF_8);
    w.varint(0).varint(k.length).bytes(k).u8(kind).u8(flags).varint(size).id(digest);
    if (content != null) {
      w.id(content);
    }
    if (uri != null) {
      w.string(uri);
    }
    return w.toByteArray();
  }

  private static byte[] inner(String key, ObjectId child) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return new ByteWriter().ascii("CRNT").u8(1).u8(1).varint(1).varint(0).varint(k.length).bytes(k).id(child).u8(0)
        .varint(1).varint(1).toByteArray();
  }

}
