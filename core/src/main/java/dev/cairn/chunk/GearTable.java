package dev.cairn.chunk;

/**
 * The 256 random 64-bit values of the gear hash. They are generated, not listed: SplitMix64
 * started at {@link #SEED}, one output per byte value in order (see {@code spec/chunking.md}).
 */
public final class GearTable {
  /** "CAIRNGEA" in ASCII. */
  public static final long SEED = 0x434149524E474541L;

  private static final long[] TABLE = generate();

  private GearTable() {}

  private static long[] generate() {
    long[] t = new long[256];
    long state = SEED;
    for (int i = 0; i < 256; i++) {
      state += 0x9E3779B97F4A7C15L;
      t[i] = SplitMix.mix(state);
    }
    return t;
  }

  /** A copy of the table. */
  public static long[] values() {
    return TABLE.clone();
  }

  static long[] shared() {
    return TABLE;
  }
}
