package dev.cairn.chunk;

/** The SplitMix64 finalizer (Steele, Lea, Flood 2014), used to derive tables and key hashes. */
public final class SplitMix {
  private SplitMix() {}

  /** Mixes 64 bits into 64 well-distributed bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
