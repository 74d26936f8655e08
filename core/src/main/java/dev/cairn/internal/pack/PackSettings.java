package dev.cairn.internal.pack;

/**
 * How objects are laid out in packs.
 *
 * @param packTargetBytes a pack is closed once it reaches this size
 * @param blockTargetBytes small objects are grouped into one compressed block up to this raw size
 * @param smallObjectLimit objects shorter than this are grouped; longer ones get a block each
 * @param zstdLevel zstd level for blocks (0 = store without compressing)
 */
public record PackSettings(long packTargetBytes, int blockTargetBytes, int smallObjectLimit, int zstdLevel) {
  public static final PackSettings DEFAULT = new PackSettings(64L << 20, 1 << 20, 128 << 10, 1);

  public PackSettings {
    if (packTargetBytes < 1024) {
      throw new IllegalArgumentException("pack target size too small: " + packTargetBytes);
    }
    if (blockTargetBytes < 1024 || blockTargetBytes > (64 << 20)) {
      throw new IllegalArgumentException("block target size must be 1 KiB-64 MiB: " + blockTargetBytes);
    }
    if (smallObjectLimit < 0 || smallObjectLimit > blockTargetBytes) {
      throw new IllegalArgumentException("small object limit must be in [0, block size]: " + smallObjectLimit);
    }
    if (zstdLevel < -7 || zstdLevel > 22) {
      throw new IllegalArgumentException("zstd level must be in [-7, 22]: " + zstdLevel);
    }
  }
}
