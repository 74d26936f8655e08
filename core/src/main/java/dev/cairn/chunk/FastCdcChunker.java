package dev.cairn.chunk;

/**
 * FastCDC (Xia et al., USENIX ATC 2016) with normalized chunking: a gear hash
 * {@code h = (h << 1) + GEAR[b]} rolled from {@code minSize} bytes into the chunk; a boundary
 * follows the first byte where {@code h & mask == 0}, with a stricter mask (more bits) before
 * {@code avgSize} and a looser one after it, which gathers sizes near the average. Masks take the
 * top bits of {@code h}, which depend on the last 64 bytes only.
 */
public final class FastCdcChunker implements Chunker {
  private final ChunkerParams params;
  private final long maskSmall;
  private final long maskLarge;
  private final long[] gear = GearTable.shared();

  public FastCdcChunker(ChunkerParams params) {
    this.params = params;
    int bits = Integer.numberOfTrailingZeros(params.avgSize());
    this.maskSmall = topBits(bits + params.normalization());
    this.maskLarge = topBits(bits - params.normalization());
  }

  /** A mask of the {@code n} most significant bits. */
  static long topBits(int n) {
    return n == 0 ? 0 : -1L << (64 - n);
  }

  /** The mask used before the average size. */
  public long maskSmall() {
    return maskSmall;
  }

  /** The mask used from the average size on. */
  public long maskLarge() {
    return maskLarge;
  }

  @Override
  public ChunkerParams params() {
    return params;
  }

  @Override
  public boolean endsAt(byte[] buf, int off, int len) {
    if (len == params.maxSize()) {
      return true;
    }
    if (len <= params.minSize() || len > params.maxSize()) {
      return false;
    }
    // The hash after byte i holds the gear values of the last 64 bytes only (older ones are
    // shifted out), counted from minSize: rolled again from there, it is the same.
    int last = off + len - 1;
    long h = 0;
    for (int i = Math.max(off + params.minSize(), last - 63); i <= last; i++) {
      h = (h << 1) + gear[buf[i] & 0xFF];
    }
    return (h & (len - 1 < params.avgSize() ? maskSmall : maskLarge)) == 0;
  }

  @Override
  public int cut(byte[] buf, int off, int len) {
    int n = Math.min(len, params.maxSize());
    if (n <= params.minSize()) {
      return n;
    }
    int normal = Math.min(n, params.avgSize());
    long h = 0;
    int i = off + params.minSize();
    int stop = off + normal;
    final long[] g = gear;
    for (; i < stop; i++) {
      h = (h << 1) + g[buf[i] & 0xFF];
      if ((h & maskSmall) == 0) {
        return i + 1 - off;
      }
    }
    stop = off + n;
    for (; i < stop; i++) {
      h = (h << 1) + g[buf[i] & 0xFF];
      if ((h & maskLarge) == 0) {
        return i + 1 - off;
      }
    }
    return n;
  }
}
