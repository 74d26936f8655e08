package dev.cairn.internal.pack;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.ByteWriter;
import dev.cairn.object.ObjectType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes objects, in the order given, into packs in a staging folder: small objects grouped into
 * blocks, a new pack whenever one reaches the target size or {@link #cut()} is called. The order
 * matters to uploads: a pack only holds objects whose dependencies are in it or in earlier packs.
 * Not thread-safe.
 */
public final class PackAssembler implements AutoCloseable {
  private final HashAlgorithm algorithm;
  private final Path dir;
  private final Path tmpDir;
  private final PackSettings settings;
  private final List<PackInfo> finished = new ArrayList<>();
  private PackWriter writer;
  private ByteWriter group = new ByteWriter(1 << 16);
  private List<PackWriter.Member> members = new ArrayList<>();
  private final Listener listener;

  /** Receives each pack as soon as it is finished, on the thread that adds objects. */
  @FunctionalInterface
  public interface Listener {
    void finished(PackInfo pack) throws IOException;
  }

  /** Packs are written in {@code tmpDir} and published into {@code dir}. */
  public PackAssembler(HashAlgorithm algorithm, Path dir, Path tmpDir, PackSettings settings) {
    this(algorithm, dir, tmpDir, settings, pack -> {});
  }

  /** As above, telling {@code listener} of each pack as soon as it is finished. */
  public PackAssembler(HashAlgorithm algorithm, Path dir, Path tmpDir, PackSettings settings, Listener listener) {
    this.algorithm = algorithm;
    this.dir = dir;
    this.tmpDir = tmpDir;
    this.settings = settings;
    this.listener = listener;
  }

  /** Adds an object; objects are never split between packs. */
  public void add(ObjectId id, ObjectType type, byte[] data) throws IOException {
    if (data.length >= settings.smallObjectLimit()) {
      append(BlockCodec.local().encode(data, 0, data.length, settings.zstdLevel()), List.of(new PackWriter.Member(id, type, 0, data.length)));
      return;
    }
    members.add(new PackWriter.Member(id, type, group.length(), data.length));
    group.bytes(data);
    int target = type == ObjectType.CHUNK ? settings.blockTargetBytes() : Math.min(settings.blockTargetBytes(), PackInserter.METADATA_BLOCK_BYTES);
    if (group.length() >= target) {
      flushGroup();
    }
  }

  /**
   * Adds a block as it is stored in another pack (checked with {@link BlockCodec#check}), holding
   * the given objects; a block need not be listed whole.
   */
  public void addBlock(byte[] block, List<PackWriter.Member> objects) throws IOException {
    append(block, objects);
  }

  private void flushGroup() throws IOException {
    if (members.isEmpty()) {
      return;
    }
    byte[] raw = group.toByteArray();
    List<PackWriter.Member> m = members;
    group = new ByteWriter(1 << 16);
    members = new ArrayList<>();
    append(BlockCodec.local().encode(raw, 0, raw.length, settings.zstdLevel()), m);
  }

  private void append(byte[] block, List<PackWriter.Member> m) throws IOException {
    if (writer == null) {
      writer = new PackWriter(algorithm, dir, tmpDir);
    }
    writer.appendBlock(block, m);
    if (writer.size() >= settings.packTargetBytes()) {
      finishPack();
    }
  }

  private void finishPack() throws IOException {
    if (writer != null) {
      PackInfo info = writer.finish();
      writer = null;
      if (info != null) {
        finished.add(info);
        listener.finished(info);
      }
    }
  }

  /** Ends the current pack, so that objects added later go to a later pack. */
  public void cut() throws IOException {
    flushGroup();
    finishPack();
  }

  /** Ends the last pack and returns every pack written, in order. */
  public List<PackInfo> finish() throws IOException {
    cut();
    return finished;
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
