package dev.cairn.gc;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.internal.pack.PackFormat;
import dev.cairn.internal.pack.PackSalvage;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads objects straight from the packs a {@link PackScan} found intact, without the LMDB index,
 * so that checks and repairs work when the index itself is damaged. Not thread-safe.
 */
final class ScanReader implements ObjectReader {
  private final PackScan scan;
  private final Path packDir;
  private final Map<String, PackFile> open = new HashMap<>();

  ScanReader(PackScan scan, Path packDir) {
    this.scan = scan;
    this.packDir = packDir;
  }

  @Override
  public ObjectLoader open(ObjectId id) throws IOException {
    PackScan.Place p = scan.intact.get(id);
    if (p == null) {
      if (scan.damaged.contains(id)) {
        throw new CorruptObjectException(id, CorruptObjectException.Reason.HASH_MISMATCH, "packs", "damaged in every pack holding it");
      }
      throw new MissingObjectException(id);
    }
    PackFile pack = open.get(p.pack());
    if (pack == null) {
      Path file = packDir.resolve(PackFormat.fileName(p.pack()));
      try {
        pack = PackFile.open(file);
      } catch (CorruptObjectException | UnsupportedFormatVersionException damagedIndex) {
        // An object the scan salvaged from a pack whose index or header is damaged: read where that index said.
        PackSalvage.Found found = PackSalvage.open(file, scan.algorithm);
        if (found == null) {
          throw damagedIndex;
        }
        pack = found.pack();
      }
      open.put(p.pack(), pack);
    }
    byte[] raw;
    try {
      raw = BlockCodec.local().decode(pack.readBlock(p.entry().blockOffset(), p.entry().blockLength()));
    } catch (BlockCodec.BlockException e) {
      throw new CorruptObjectException(id, e.reason(), pack.path().toString(), e.getMessage());
    }
    byte[] bytes = Arrays.copyOfRange(raw, p.entry().offsetInBlock(), p.entry().offsetInBlock() + p.entry().length());
    return new ObjectLoader(id, p.entry().type(), bytes);
  }

  @Override
  public boolean has(ObjectId id) {
    return scan.intact.containsKey(id);
  }

  @Override
  public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) {
    return scan.intact.keySet().stream().filter(prefix::matches).sorted().limit(limit).toList();
  }

  @Override
  public void close() throws IOException {
    for (PackFile p : open.values()) {
      p.close();
    }
    open.clear();
  }
}
