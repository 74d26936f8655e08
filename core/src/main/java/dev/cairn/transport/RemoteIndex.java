package dev.cairn.transport;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.internal.io.Bytes;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.object.ObjectType;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * What objects a remote holds and where: read from the index sections at the end of its packs
 * (two ranged reads per pack), cached locally by pack name since packs never change.
 *
 * <p>Held compactly, for remotes of millions of objects under a small heap: each pack's section
 * as read (entries sorted by id, {@link PackFormat#ENTRY_SIZE} bytes each) and one array of
 * {@code long}s naming every distinct id's entry in id order, about 61 bytes an object, where
 * objects and maps of them took about 170. Lookups are binary searches.
 */
final class RemoteIndex {
  /** An object's place on the remote. */
  record Location(String pack, PackEntry entry) {}

  /** One pack's index section: {@code count} entries sorted by id. */
  private static final class PackIndex {
    final String name;
    final byte[] section;
    final int count;
    /** Entry numbers in block order, made on the first {@link RemoteIndex#block} call. */
    int[] byBlock;

    PackIndex(String name, byte[] section) {
      this.name = name;
      this.section = section;
      this.count = (section.length - PackFormat.INDEX_HEADER_SIZE) / PackFormat.ENTRY_SIZE;
    }

    long blockOffset(int i) {
      return Bytes.u64(section, PackFormat.entryOffset(i) + PackFormat.ENTRY_BLOCK_OFFSET);
    }

    PackEntry entry(int i) {
      int p = PackFormat.entryOffset(i);
      return new PackEntry(ObjectId.fromBytes(section, p), ObjectType.fromCode(section[p + PackFormat.ENTRY_TYPE] & 0xFF),
          Bytes.u64(section, p + PackFormat.ENTRY_BLOCK_OFFSET), (int) Bytes.u32(section, p + PackFormat.ENTRY_BLOCK_LENGTH),
          (int) Bytes.u32(section, p + PackFormat.ENTRY_OFFSET_IN_BLOCK), (int) Bytes.u32(section, p + PackFormat.ENTRY_LENGTH));
    }
  }

  private final List<PackIndex> packs = new ArrayList<>();
  private final Map<String, PackIndex> packsByName = new HashMap<>();
  private final Map<String, Long> packSizes = new HashMap<>();
  /** Every distinct id of the loaded packs once, in id order: pack number << 32 | entry number. */
  private long[] sorted = new long[0];
  /** Objects of the packs uploaded since the load and not in a loaded one. */
  private final Map<ObjectId, Location> uploaded = new HashMap<>();
  /** Packs whose index section cannot be read (cut short, overwritten), with what is wrong. */
  private final Map<String, String> damaged = new TreeMap<>();
  /** Of damaged packs, the sections cached before the damage: where their objects lay. */
  private final Map<String, byte[]> cachedOnly = new HashMap<>();

  private RemoteIndex() {}

  /**
   * Loads the index of every pack on {@code storage}, reading only packs not cached in
   * {@code cacheDir} (a cached section counts only if it hashes, with the remote's {@code algorithm},
   * to its pack's name, as the pack's own does: one changed in the cache would make pushes skip
   * objects the remote lacks).
   */
  static RemoteIndex load(RemoteStorage storage, HashAlgorithm algorithm, Path cacheDir) throws IOException {
    Files.createDirectories(cacheDir);
    RemoteIndex idx = new RemoteIndex();
    for (RemoteFile f : storage.list(RemoteLayout.PACKS)) {
      String name = RemoteLayout.packName(f.name());
      if (name == null || idx.packsByName.containsKey(name)) {
        continue;
      }
      idx.packSizes.put(name, f.size());
      try {
        idx.add(name, cachedSection(storage, algorithm, f, name, cacheDir), f.name(), f.size());
      } catch (CorruptObjectException e) {
        CorruptObjectException why = e;
        Path cachedFile = cacheDir.resolve(name + ".idx");
        byte[] kept = Files.exists(cachedFile) ? Files.readAllBytes(cachedFile) : null;
        if (kept != null) {
          Files.delete(cachedFile);
          try { // perhaps the cached copy that is damaged: the pack's own section, read once more
            idx.add(name, cachedSection(storage, algorithm, f, name, cacheDir), f.name(), f.size());
            continue;
          } catch (CorruptObjectException again) {
            why = again;
            if (wellFormed(kept)) {
              // The pack is what is damaged (cut short, say): the cached section stays, the best map
              // left of where its objects lay, for a repair to salvage what is still there.
              Path tmp = cacheDir.resolve(AtomicFiles.tempName(name + ".idx.") + ".tmp");
              Files.write(tmp, kept);
              Files.move(tmp, cachedFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
              idx.cachedOnly.put(name, kept);
            }
          }
        }
        // Its objects count as absent: what other packs hold stays readable, pushes send it again.
        idx.damaged.put(name, why.getMessage().replaceFirst("^Cannot read (data|object \\p{XDigit}+): ", "").replace(" (" + f.name() + ")", ""));
      }
    }
    idx.sortIds();
    forgetGonePacks(cacheDir, idx.packSizes.keySet());
    return idx;
  }

  /**
   * Deletes the cached indexes of packs no longer on the remote (a collection there deleted them,
   * perhaps from another repository), so that the cache does not grow with every collection. A
   * pack published after the listing loses at most its cached index, read again next time.
   */
  private static void forgetGonePacks(Path cacheDir, Set<String> listed) throws IOException {
    try (var files = Files.list(cacheDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String file = p.getFileName().toString();
        if (file.endsWith(".idx") && !listed.contains(file.substring(0, file.length() - 4))) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static byte[] cachedSection(RemoteStorage storage, HashAlgorithm algorithm, RemoteFile f, String name, Path cacheDir)
      throws IOException {
    Path cached = cacheDir.resolve(name + ".idx");
    try {
      byte[] section = Files.readAllBytes(cached);
      if (wellFormed(section) && algorithm.hash(section).hex().equals(name)) {
        return section;
      }
      Files.deleteIfExists(cached); // cut short by a crash while it was written, or changed: read it again
    } catch (NoSuchFileException e) {
      // fetch below
    }
    if (f.size() < PackFormat.HEADER_SIZE + PackFormat.INDEX_HEADER_SIZE + PackFormat.TRAILER_SIZE) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.TRUNCATED, f.name(), "remote pack too short");
    }
    byte[] trailer = storage.read(f.name(), f.size() - PackFormat.TRAILER_SIZE, PackFormat.TRAILER_SIZE);
    // Neither the end magic nor the header is read: the section's CRC vouches for the map, which
    // stays usable (to fetch from, and for a repair to salvage by) when only those bytes are
    // damaged; every object read is checked by its block's CRC and its hash, and fsck reads packs whole.
    long indexOffset = Bytes.u64(trailer, 0);
    long indexLength = f.size() - PackFormat.TRAILER_SIZE - indexOffset;
    if (indexOffset < PackFormat.HEADER_SIZE || indexLength < PackFormat.INDEX_HEADER_SIZE || indexLength > PackFormat.MAX_INDEX_LENGTH) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, f.name(), "bad index offset");
    }
    byte[] section = storage.read(f.name(), indexOffset, (int) indexLength);
    CRC32C crc = new CRC32C();
    crc.update(section);
    if (crc.getValue() != Bytes.u32(trailer, 8)) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.CHECKSUM_MISMATCH, f.name(), "remote pack index checksum mismatch");
    }
    if (!algorithm.hash(section).hex().equals(name)) { // pack.md, "Name": what a cached copy is checked against too
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, f.name(), "pack name does not match its index");
    }
    // A name of its own for each writer: two threads of one process (the daemon) may cache the same section.
    Path tmp = cacheDir.resolve(AtomicFiles.tempName(name + ".idx.") + ".tmp");
    Files.write(tmp, section);
    Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return section;
  }

  /**
   * Whether a pack index section cached in {@code cacheDir} lists {@code id}: the remote held the
   * object when it was last read from here. No remote is read; a cached section not well formed
   * lists nothing.
   */
  static boolean cachedLists(Path cacheDir, ObjectId id) throws IOException {
    if (!Files.isDirectory(cacheDir)) {
      return false;
    }
    byte[] raw = id.toBytes();
    try (var files = Files.list(cacheDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (!p.getFileName().toString().endsWith(".idx")) {
          continue;
        }
        byte[] section;
        try {
          section = Files.readAllBytes(p);
        } catch (NoSuchFileException forgotten) {
          continue; // a load of the remote found its pack gone meanwhile
        }
        if (wellFormed(section) && sectionLists(section, raw)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Binary search of a well-formed section's entries, sorted by id, for the raw id {@code raw}. */
  private static boolean sectionLists(byte[] section, byte[] raw) {
    int lo = 0;
    int hi = (section.length - PackFormat.INDEX_HEADER_SIZE) / PackFormat.ENTRY_SIZE - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = ObjectId.compareRaw(section, PackFormat.entryOffset(mid), raw, 0);
      if (c == 0) {
        return true;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return false;
  }

  /** Whether a cached index section has its magic and as many entries as it says. */
  private static boolean wellFormed(byte[] section) {
    return section.length >= PackFormat.INDEX_HEADER_SIZE && section[0] == 'C' && section[1] == 'R' && section[2] == 'N' && section[3] == 'I'
        && Bytes.u32(section, 4) * PackFormat.ENTRY_SIZE == section.length - PackFormat.INDEX_HEADER_SIZE;
  }

  /**
   * Checks a pack's section entry by entry: its types known, its ids strictly increasing, its
   * blocks within the pack's {@code size} as listed now (a cached section outlives a pack cut short).
   */
  private void add(String pack, byte[] section, String where, long size) throws CorruptObjectException {
    if (section.length < PackFormat.INDEX_HEADER_SIZE || section[0] != 'C' || section[1] != 'R' || section[2] != 'N' || section[3] != 'I') {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, where, "bad remote index");
    }
    long count = Bytes.u32(section, 4);
    if (count * PackFormat.ENTRY_SIZE != section.length - PackFormat.INDEX_HEADER_SIZE) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, where, "remote index count mismatch");
    }
    for (int i = 0; i < count; i++) {
      int p = PackFormat.entryOffset(i);
      if (ObjectType.fromCode(section[p + PackFormat.ENTRY_TYPE] & 0xFF) == null) {
        throw new CorruptObjectException(ObjectId.fromBytes(section, p), CorruptObjectException.Reason.MALFORMED, where, "unknown type");
      }
      long blockOffset = Bytes.u64(section, p + PackFormat.ENTRY_BLOCK_OFFSET);
      long blockLength = Bytes.u32(section, p + PackFormat.ENTRY_BLOCK_LENGTH);
      long offsetInBlock = Bytes.u32(section, p + PackFormat.ENTRY_OFFSET_IN_BLOCK);
      long length = Bytes.u32(section, p + PackFormat.ENTRY_LENGTH);
      // The checks pack.md makes of a local pack's entries, against no end: a map the section's CRC
      // vouches for can still be a writer's mistake, and a push would trust it.
      if (!PackFormat.entryInBounds(blockOffset, blockLength, offsetInBlock, length, Long.MAX_VALUE)) {
        throw new CorruptObjectException(ObjectId.fromBytes(section, p), CorruptObjectException.Reason.MALFORMED, where,
            "entry points outside the pack");
      }
      if (blockOffset > size - PackFormat.TRAILER_SIZE - section.length - blockLength) {
        throw new CorruptObjectException(null, CorruptObjectException.Reason.TRUNCATED, where, "pack shorter than its index says");
      }
      if (i > 0 && ObjectId.compareRaw(section, p - PackFormat.ENTRY_SIZE, section, p) >= 0) {
        throw new CorruptObjectException(ObjectId.fromBytes(section, p), CorruptObjectException.Reason.MALFORMED, where, "remote index not sorted");
      }
    }
    PackIndex pi = new PackIndex(pack, section);
    packs.add(pi);
    packsByName.put(pack, pi);
  }

  /**
   * Merges the packs' sorted sections into {@link #sorted}; of an id in several packs, the first
   * pack listed keeps it.
   */
  private void sortIds() {
    long total = 0;
    for (PackIndex p : packs) {
      total += p.count;
    }
    long[] out = new long[(int) Math.min(Integer.MAX_VALUE - 8, total)];
    int n = 0;
    // Heads of the packs' sections as {pack, entry}; of equal ids, the earlier pack's comes first.
    PriorityQueue<int[]> heads = new PriorityQueue<>((a, b) -> {
      int c = compare(ref(a[0], a[1]), ref(b[0], b[1]));
      return c != 0 ? c : Integer.compare(a[0], b[0]);
    });
    for (int k = 0; k < packs.size(); k++) {
      if (packs.get(k).count > 0) {
        heads.add(new int[] {k, 0});
      }
    }
    while (!heads.isEmpty()) {
      int[] h = heads.poll();
      long ref = ref(h[0], h[1]);
      if (n == 0 || compare(out[n - 1], ref) != 0) {
        out[n++] = ref;
      }
      if (++h[1] < packs.get(h[0]).count) {
        heads.add(h);
      }
    }
    sorted = Arrays.copyOf(out, n);
  }

  /** Names entry {@code entry} of pack number {@code pack}, as {@link #sorted} holds it. */
  private static long ref(int pack, int entry) {
    return (long) pack << 32 | entry;
  }

  private int compare(long a, long b) {
    return ObjectId.compareRaw(packs.get((int) (a >>> 32)).section, PackFormat.entryOffset((int) a),
        packs.get((int) (b >>> 32)).section, PackFormat.entryOffset((int) b));
  }

  /** The position of {@code id} in {@link #sorted}, or -1. */
  private int find(ObjectId id) {
    byte[] raw = id.toBytes();
    int lo = 0;
    int hi = sorted.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long ref = sorted[mid];
      int c = ObjectId.compareRaw(packs.get((int) (ref >>> 32)).section, PackFormat.entryOffset((int) ref), raw, 0);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** Every object stored in the block at {@code offset} of {@code pack} (a loaded pack). */
  List<PackEntry> block(String pack, long offset) {
    PackIndex p = packsByName.get(pack);
    if (p == null) {
      return List.of();
    }
    int[] order = byBlock(p);
    int lo = 0;
    int hi = order.length;
    while (lo < hi) { // the first entry whose block is at offset or later
      int mid = (lo + hi) >>> 1;
      if (p.blockOffset(order[mid]) < offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    List<PackEntry> out = new ArrayList<>();
    for (int i = lo; i < order.length && p.blockOffset(order[i]) == offset; i++) {
      out.add(p.entry(order[i]));
    }
    return out;
  }

  private static synchronized int[] byBlock(PackIndex p) {
    if (p.byBlock == null) {
      p.byBlock = IntStream.range(0, p.count).boxed()
          .sorted(Comparator.comparingLong(p::blockOffset)).mapToInt(Integer::intValue).toArray();
    }
    return p.byBlock;
  }

  boolean has(ObjectId id) {
    return find(id) >= 0 || uploaded.containsKey(id);
  }

  Location locate(ObjectId id) {
    int at = find(id);
    if (at < 0) {
      return uploaded.get(id);
    }
    long ref = sorted[at];
    PackIndex p = packs.get((int) (ref >>> 32));
    return new Location(p.name, p.entry((int) ref));
  }

  /** Marks objects of a pack just uploaded as present. */
  void addUploaded(String pack, List<PackEntry> entries) {
    for (PackEntry e : entries) {
      if (find(e.id()) < 0) {
        uploaded.putIfAbsent(e.id(), new Location(pack, e));
      }
    }
  }

  int size() {
    return sorted.length + uploaded.size();
  }

  /** Names of the packs loaded, with their entries. */
  Map<String, List<PackEntry>> packs() {
    Map<String, List<PackEntry>> out = new TreeMap<>();
    for (PackIndex p : packs) {
      List<PackEntry> all = new ArrayList<>(p.count);
      for (int i = 0; i < p.count; i++) {
        all.add(p.entry(i));
      }
      out.put(p.name, all);
    }
    return out;
  }

  /** Packs left out because their index section is damaged, with what is wrong; sorted by name. */
  Map<String, String> damaged() {
    return Collections.unmodifiableMap(damaged);
  }

  /**
   * A note for a missing object's message when damaged packs were left out: the object may be in
   * one of them. Empty when there are none.
   */
  String damageNote(String uri) {
    return damaged.isEmpty() ? "" : " (" + describeDamage() + "; check it with cairn fsck --storage " + uri + ")";
  }

  /** "pack P is damaged: what" or "3 packs are damaged, P first: what"; only when some are. */
  String describeDamage() {
    String first = damaged.keySet().iterator().next();
    return (damaged.size() == 1 ? "pack " + first + " is damaged" : damaged.size() + " packs are damaged, " + first + " first") + ": "
        + damaged.get(first);
  }

  /**
   * The entries of a loaded pack; of a damaged one, those of the section cached before the damage
   * (not checked against the pack: a repair checks each object it salvages); else an empty list.
   */
  List<PackEntry> entries(String pack) {
    PackIndex p = packsByName.get(pack);
    if (p == null && cachedOnly.containsKey(pack)) {
      p = new PackIndex(pack, cachedOnly.get(pack));
    }
    if (p == null) {
      return List.of();
    }
    List<PackEntry> all = new ArrayList<>(p.count);
    for (int i = 0; i < p.count; i++) {
      all.add(p.entry(i));
    }
    return all;
  }

  /** Size of a pack in bytes, as listed. */
  long packSize(String pack) {
    return packSizes.getOrDefault(pack, 0L);
  }
}
