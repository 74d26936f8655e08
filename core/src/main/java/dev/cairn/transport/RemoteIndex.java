package dev.cairn.transport;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.id.ObjectId;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What objects a remote holds and where: read from the index sections at the end of its packs
 * (two ranged reads per pack), cached locally by pack name since packs never change.
 */
final class RemoteIndex {
  /** An object's place on the remote. */
  record Location(String pack, PackEntry entry) {}

  private final Map<ObjectId, Location> objects = new HashMap<>();
  /** pack → block offset → the objects in that block. */
  private final Map<String, Map<Long, List<PackEntry>>> blocks = new HashMap<>();
  private final Map<String, Long> packSizes = new HashMap<>();

  private RemoteIndex() {}

  /**
   * Loads the index of every pack on {@code storage}, reading only packs not cached in
   * {@code cacheDir}.
   */
  static RemoteIndex load(RemoteStorage storage, Path cacheDir) throws IOException {
    Files.createDirectories(cacheDir);
    RemoteIndex idx = new RemoteIndex();
    for (RemoteFile f : storage.list(RemoteLayout.PACKS)) {
      String name = RemoteLayout.packName(f.name());
      if (name == null) {
        continue;
      }
      idx.packSizes.put(name, f.size());
      byte[] section = cachedSection(storage, f, name, cacheDir);
      idx.add(name, section, f.name());
    }
    forgetGonePacks(cacheDir, idx.packSizes.keySet());
    return idx;
  }

  /**
   * Deletes the cached indexes of packs no longer on the remote (a collection there deleted them,
   * perhaps from another repository), so that the cache does not grow with every collection. A
   * pack published after the listing loses at most its cached index, read again next time.
   */
  private static void forgetGonePacks(Path cacheDir, java.util.Set<String> listed) throws IOException {
    try (var files = Files.list(cacheDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String file = p.getFileName().toString();
        if (file.endsWith(".idx") && !listed.contains(file.substring(0, file.length() - 4))) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static byte[] cachedSection(RemoteStorage storage, RemoteFile f, String name, Path cacheDir) throws IOException {
    Path cached = cacheDir.resolve(name + ".idx");
    try {
      byte[] section = Files.readAllBytes(cached);
      if (wellFormed(section)) {
        return section;
      }
      Files.deleteIfExists(cached); // cut short by a crash while it was written: read it again
    } catch (NoSuchFileException e) {
      // fetch below
    }
    if (f.size() < PackFormat.HEADER_SIZE + PackFormat.INDEX_HEADER_SIZE + PackFormat.TRAILER_SIZE) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.TRUNCATED, f.name(), "remote pack too short");
    }
    byte[] trailer = storage.read(f.name(), f.size() - PackFormat.TRAILER_SIZE, PackFormat.TRAILER_SIZE);
    long indexOffset = Bytes.u64(trailer, 0);
    long indexLength = f.size() - PackFormat.TRAILER_SIZE - indexOffset;
    if (indexOffset < PackFormat.HEADER_SIZE || indexLength < PackFormat.INDEX_HEADER_SIZE || indexLength > Integer.MAX_VALUE) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, f.name(), "bad index offset");
    }
    byte[] section = storage.read(f.name(), indexOffset, (int) indexLength);
    CRC32C crc = new CRC32C();
    crc.update(section);
    if (crc.getValue() != Bytes.u32(trailer, 8)) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.CHECKSUM_MISMATCH, f.name(), "remote pack index checksum mismatch");
    }
    Path tmp = cacheDir.resolve(name + ".idx." + ProcessHandle.current().pid() + ".tmp");
    Files.write(tmp, section);
    Files.move(tmp, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return section;
  }

  /** Whether a cached index section has its magic and as many entries as it says. */
  private static boolean wellFormed(byte[] section) {
    return section.length >= PackFormat.INDEX_HEADER_SIZE && section[0] == 'C' && section[1] == 'R' && section[2] == 'N' && section[3] == 'I'
        && Bytes.u32(section, 4) * PackFormat.ENTRY_SIZE == section.length - PackFormat.INDEX_HEADER_SIZE;
  }

  private void add(String pack, byte[] section, String where) throws CorruptObjectException {
    if (section.length < PackFormat.INDEX_HEADER_SIZE || section[0] != 'C' || section[1] != 'R' || section[2] != 'N' || section[3] != 'I') {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, where, "bad remote index");
    }
    long count = Bytes.u32(section, 4);
    if (count * PackFormat.ENTRY_SIZE != section.length - PackFormat.INDEX_HEADER_SIZE) {
      throw new CorruptObjectException(null, CorruptObjectException.Reason.MALFORMED, where, "remote index count mismatch");
    }
    for (int i = 0; i < count; i++) {
      int p = PackFormat.INDEX_HEADER_SIZE + i * PackFormat.ENTRY_SIZE;
      ObjectId id = ObjectId.fromBytes(section, p);
      ObjectType type = ObjectType.fromCode(section[p + 32] & 0xFF);
      if (type == null) {
        throw new CorruptObjectException(id, CorruptObjectException.Reason.MALFORMED, where, "unknown type");
      }
      PackEntry e = new PackEntry(id, type, Bytes.u64(section, p + 33), (int) Bytes.u32(section, p + 41),
          (int) Bytes.u32(section, p + 45), (int) Bytes.u32(section, p + 49));
      objects.putIfAbsent(id, new Location(pack, e));
      blocks.computeIfAbsent(pack, k -> new HashMap<>()).computeIfAbsent(e.blockOffset(), k -> new java.util.ArrayList<>()).add(e);
    }
  }

  /** Every object stored in the block at {@code offset} of {@code pack}. */
  List<PackEntry> block(String pack, long offset) {
    return blocks.getOrDefault(pack, Map.of()).getOrDefault(offset, List.of());
  }

  boolean has(ObjectId id) {
    return objects.containsKey(id);
  }

  Location locate(ObjectId id) {
    return objects.get(id);
  }

  /** Marks objects of a pack just uploaded as present. */
  void addUploaded(String pack, List<PackEntry> entries) {
    for (PackEntry e : entries) {
      objects.putIfAbsent(e.id(), new Location(pack, e));
    }
  }

  int size() {
    return objects.size();
  }

  /** Names of the packs indexed, with their entries. */
  Map<String, List<PackEntry>> packs() {
    Map<String, List<PackEntry>> out = new java.util.TreeMap<>();
    blocks.forEach((pack, byOffset) -> {
      List<PackEntry> all = new java.util.ArrayList<>();
      byOffset.values().forEach(all::addAll);
      out.put(pack, all);
    });
    return out;
  }

  /** Size of a pack in bytes, as listed. */
  long packSize(String pack) {
    return packSizes.getOrDefault(pack, 0L);
  }
}
