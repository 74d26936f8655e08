package dev.cairn.chunk;

/**
 * Sizes that shape content-defined chunking, stored in the repository config. Chunk boundaries are
 * a pure function of the bytes and these parameters, so two repositories with the same parameters
 * cut the same file into the same chunks.
 *
 * @param minSize no chunk is shorter, except the last one of a file
 * @param avgSize the target average; a power of two
 * @param maxSize no chunk is longer
 * @param normalization FastCDC's normalization level (0-3): how strongly sizes gather at the average
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize, int normalization) {
  /** Smallest average allowed. */
  public static final int MIN_AVG = 256;
  /** Largest chunk allowed; keeps one chunk comfortably in memory. */
  public static final int MAX_MAX = 64 << 20;

  /** The defaults chosen from the chunk-size sweep in {@code benchmarks/RESULTS.md}. */
  public static final ChunkerParams DEFAULT = new ChunkerParams(64 << 10, 256 << 10, 1 << 20, 1);

  public ChunkerParams {
    if (Integer.bitCount(avgSize) != 1 || avgSize < MIN_AVG) {
      throw new IllegalArgumentException("chunker average size must be a power of two >= " + MIN_AVG + ": " + avgSize);
    }
    if (minSize < 64 || minSize > avgSize) {
      throw new IllegalArgumentException("chunker min size must be in [64, avg]: " + minSize);
    }
    if (maxSize < avgSize || maxSize > MAX_MAX) {
      throw new IllegalArgumentException("chunker max size must be in [avg, 64 MiB]: " + maxSize);
    }
    int bits = Integer.numberOfTrailingZeros(avgSize);
    if (normalization < 0 || normalization > 3 || bits - normalization < 1 || bits + normalization > 63) {
      throw new IllegalArgumentException("chunker normalization must be 0-3: " + normalization);
    }
  }

  /** Parameters with min = avg/4, max = avg*4 and normalization 1 (level 2 resynchronises worse after an edit; see spec/chunking.md). */
  public static ChunkerParams ofAverage(int avgSize) {
    return new ChunkerParams(Math.max(64, avgSize / 4), avgSize, avgSize * 4, 1);
  }

  @Override
  public String toString() {
    return "min=" + minSize + " avg=" + avgSize + " max=" + maxSize + " normalization=" + normalization;
  }
}
