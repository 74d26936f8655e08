package dev.cairn.transport;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.id.AbbreviatedObjectId;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.BlockCodec;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.store.ObjectLoader;
import dev.cairn.store.ObjectReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads objects straight from a remote's packs by ranged reads of their blocks, checking each
 * object's hash; keeps the most recent blocks. Used to walk a remote's manifests without copying
 * them into a local repository. Not thread-safe.
 */
final class RemoteObjectReader implements ObjectReader {
  private final RemoteStorage storage;
  private final RemoteIndex index;
  private final HashAlgorithm algorithm;
  private final Map<String, byte[]> blocks = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
      return size() > 64;
    }
  };

  RemoteObjectReader(RemoteStorage storage, RemoteIndex index, HashAlgorithm algorithm) {
    this.storage = storage;
    this.index = index;
    this.algorithm = algorithm;
  }

  @Override
  public ObjectLoader open(ObjectId id) throws IOException {
    RemoteIndex.Location loc = index.locate(id);
    if (loc == null) {
      throw new MissingObjectException(id, "object on " + storage.uri());
    }
    String key = loc.pack() + "@" + loc.entry().blockOffset();
    byte[] raw = blocks.get(key);
    String where = storage.uri() + "/" + RemoteLayout.pack(loc.pack());
    if (raw == null) {
      byte[] block = storage.read(RemoteLayout.pack(loc.pack()), loc.entry().blockOffset(), loc.entry().blockLength());
      try {
        raw = BlockCodec.local().decode(block);
      } catch (BlockCodec.BlockException e) {
        throw new CorruptObjectException(id, e.reason(), where, e.getMessage());
      }
      blocks.put(key, raw);
    }
    int off = loc.entry().offsetInBlock();
    int len = loc.entry().length();
    if ((long) off + len > raw.length || !algorithm.hash(raw, off, len).equals(id)) {
      throw new CorruptObjectException(id, CorruptObjectException.Reason.HASH_MISMATCH, where, null);
    }
    return new ObjectLoader(id, loc.entry().type(), Arrays.copyOfRange(raw, off, off + len));
  }

  @Override
  public boolean has(ObjectId id) {
    return index.has(id);
  }

  @Override
  public List<ObjectId> resolve(AbbreviatedObjectId prefix, int limit) {
    return List.of();
  }

  @Override
  public void close() {
    blocks.clear();
  }
}
