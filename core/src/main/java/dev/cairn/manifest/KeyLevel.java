package dev.cairn.manifest;

import dev.cairn.chunk.SplitMix;
import java.nio.charset.StandardCharsets;

/**
 * The level of a path: how many tree levels close a node after it. A path's 64-bit key hash is
 * FNV-1a over its UTF-8 bytes, finished with the SplitMix64 mixer; its level is the number of
 * trailing zero bits of that hash divided by {@link #FANOUT_BITS}. A path has level >= 1 with
 * probability 1/64, so nodes average 64 entries, and the shape of the tree depends only on the set
 * of paths: the same paths always give the same nodes (spec/manifest.md).
 */
public final class KeyLevel {
  /** log2 of the average fanout. */
  public static final int FANOUT_BITS = 6;
  /** A node closes at this many entries even if no path ends it. */
  public static final int MAX_NODE_ENTRIES = 1024;

  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private KeyLevel() {}

  /** The 64-bit key hash of a path. */
  public static long hash(byte[] utf8) {
    long h = FNV_OFFSET;
    for (byte b : utf8) {
      h ^= b & 0xFF;
      h *= FNV_PRIME;
    }
    return SplitMix.mix(h);
  }

  /** The level of a path. */
  public static int of(String path) {
    return ofHash(hash(path.getBytes(StandardCharsets.UTF_8)));
  }

  static int ofHash(long h) {
    return Long.numberOfTrailingZeros(h) / FANOUT_BITS;
  }
}
