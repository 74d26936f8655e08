package dev.cairn.gc;

import dev.cairn.dataset.Progress;
import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Text;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackEntry;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.internal.pack.PackSalvage;
import dev.cairn.object.ObjectType;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads every pack in full: checksums, names, every block and every object's hash. Records where
 * each intact object is, which objects are damaged, and what is wrong.
 */
final class PackScan {
  /** An intact object and the pack holding it. */
  record Place(String pack, PackEntry entry) {}

  final Map<ObjectId, Place> intact = new HashMap<>();
  final Set<ObjectId> damaged = new HashSet<>();
  /** Packs that fail whole-file checks, with the objects they still hold intact. */
  final Map<String, List<PackEntry>> damagedPacks = new TreeMap<>();
  /** The object format the packs were checked against (null before the first). */
  HashAlgorithm algorithm;
  /** Packs whose header names another object format than the repository's. */
  final Map<String, HashAlgorithm> foreignPacks = new TreeMap<>();
  final List<Problem> problems = new ArrayList<>();
  long packs;
  long bytes;

  static PackScan run(Path packDir, HashAlgorithm algorithm, Progress progress) throws IOException {
    PackScan scan = new PackScan();
    List<Path> files;
    try (Stream<Path> s = Files.list(packDir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    progress.start("checking " + Text.count(files.size(), "pack"), total);
    try {
      for (Path f : files) {
        String name = PackFormat.nameOf(f.getFileName().toString());
        if (name == null) {
          scan.problems.add(Problem.warning(null, f.toString(), "file in packs/ that is not a pack"));
          continue;
        }
        scan.packs++;
        scan.bytes += Files.size(f);
        scan.check(f, name, algorithm, f.toString());
        progress.advance(Files.size(f));
      }
    } finally {
      progress.finish();
    }
    return scan;
  }

  /** Checks one pack; {@code where} names it in problems. */
  void check(Path file, String name, HashAlgorithm algorithm, String where) throws IOException {
    this.algorithm = algorithm;
    List<PackEntry> entries;
    try (PackFile pack = PackFile.open(file)) {
      if (pack.algorithm() != algorithm) {
        problems.add(Problem.error(null, where, "pack uses object format " + pack.algorithm().configName()));
        damagedPacks.put(name, List.of());
        foreignPacks.put(name, pack.algorithm());
        return;
      }
      entries = pack.entries();
      boolean whole = true;
      try {
        pack.verifyChecksum();
      } catch (CorruptObjectException e) {
        whole = false;
        problems.add(Problem.error(null, where, "pack checksum mismatch"));
      }
      if (!algorithm.hash(pack.indexSection()).hex().equals(name)) {
        whole = false;
        problems.add(Problem.error(null, where, "pack name does not match its index"));
      }
      List<PackEntry> good = checkObjects(pack, entries, name, where, algorithm);
      if (!whole || good.size() != entries.size()) {
        damagedPacks.put(name, good);
      }
    } catch (UnsupportedFormatVersionException e) {
      newerOrDamaged(file, name, algorithm, where, e);
    } catch (CorruptObjectException e) {
      problems.add(Problem.error(null, where, "pack unreadable: " + e.getMessage()));
      damagedPacks.put(name, salvage(file, name, algorithm, where));
    }
  }

  /**
   * A pack whose version byte this build does not read: one a newer release wrote (its whole-pack
   * checksum, where this version puts it, holds over the byte) is left as it is, as is one of which
   * nothing can be read as this version's; one whose byte was damaged (the checksum fails) has its
   * intact objects salvaged, as a pack with a damaged header does.
   */
  private void newerOrDamaged(Path file, String name, HashAlgorithm algorithm, String where, UnsupportedFormatVersionException e)
      throws IOException {
    if (PackFile.checksumHolds(file)) {
      problems.add(Problem.error(null, where, e.getMessage() + ": left as it is (a newer Cairn reads it)"));
      return;
    }
    List<PackEntry> good = salvage(file, name, algorithm, where);
    if (good.isEmpty()) {
      problems.add(Problem.error(null, where, e.getMessage() + ", and nothing in it reads as this version's: left as it is"));
    } else {
      problems.add(Problem.error(null, where, "pack header damaged (" + e.getMessage() + ", and the pack checksum fails)"));
      damagedPacks.put(name, good);
    }
  }

  /**
   * The intact objects of a pack that does not open (its index or header damaged), by the entries
   * its index still lists: each is kept only if its block's checksum holds and it hashes to its id.
   */
  private List<PackEntry> salvage(Path file, String name, HashAlgorithm algorithm, String where) throws IOException {
    PackSalvage.Found found;
    try {
      found = PackSalvage.open(file, algorithm);
    } catch (CorruptObjectException unreadable) {
      return List.of();
    }
    if (found == null) {
      return List.of();
    }
    try (PackFile pack = found.pack()) {
      return checkObjects(pack, found.entries(), name, where, algorithm);
    }
  }

  private List<PackEntry> checkObjects(PackFile pack, List<PackEntry> entries, String name, String where, HashAlgorithm algorithm)
      throws IOException {
    Map<Long, List<PackEntry>> byBlock = new TreeMap<>();
    for (PackEntry e : entries) {
      byBlock.computeIfAbsent(e.blockOffset(), k -> new ArrayList<>()).add(e);
    }
    List<PackEntry> good = new ArrayList<>();
    for (Map.Entry<Long, List<PackEntry>> b : byBlock.entrySet()) {
      List<PackEntry> members = b.getValue();
      byte[] raw = null;
      String failure = null;
      try {
        raw = BlockCodec.local().decode(pack.readBlock(b.getKey(), members.get(0).blockLength()));
      } catch (BlockCodec.BlockException e) {
        failure = e.getMessage();
      } catch (CorruptObjectException e) {
        failure = e.getMessage();
      }
      for (PackEntry e : members) {
        String why = failure;
        if (why == null && (long) e.offsetInBlock() + e.length() > raw.length) {
          why = "object extends past its block";
        }
        if (why == null && !algorithm.hash(raw, e.offsetInBlock(), e.length()).equals(e.id())) {
          why = "content does not hash to its id";
        }
        if (why != null) {
          damaged.add(e.id());
          problems.add(Problem.error(e.id().hex(), where + " block " + b.getKey(), "damaged " + e.type().name().toLowerCase(Locale.ROOT) + ": " + why));
        } else {
          good.add(e);
          intact.putIfAbsent(e.id(), new Place(name, e));
        }
      }
    }
    return good;
  }

  /** Objects damaged everywhere: no intact copy in another pack. */
  Set<ObjectId> lost() {
    Set<ObjectId> out = new HashSet<>(damaged);
    out.removeAll(intact.keySet());
    return out;
  }
  /** The intact version objects that decode, by id (one that does not is reported as corrupt elsewhere). */
  Map<ObjectId, Version> versions(ObjectReader reader) throws IOException {
    Map<ObjectId, Version> out = new TreeMap<>();
    for (Map.Entry<ObjectId, Place> e : intact.entrySet()) {
      if (e.getValue().entry().type() == ObjectType.VERSION) {
        try {
          out.put(e.getKey(), VersionFormat.decode(reader.open(e.getKey()).bytes(), e.getKey()));
        } catch (IOException bad) {
          if (Fsck.packRemoved(bad)) {
            throw bad; // a gc took its pack meanwhile: the check starts again
          }
          // left out
        }
      }
    }
    return out;
  }
}
