package dev.cairn.internal.index;

import dev.cairn.errors.InvalidConfigException;
import java.nio.Buffer;

/**
 * Whether this JVM lets Cairn's native libraries read direct buffers: LMDB (through lmdbjava)
 * reads a buffer's address by reflection, which {@code java.base} allows only when the JVM opens
 * {@code java.nio}. Without it, the first write fails with an {@code ExceptionInInitializerError},
 * and every later one with a {@code NoClassDefFoundError}; this says so at once, in words.
 */
public final class NioAccess {
  private NioAccess() {}

  /** The flags an embedding JVM is started with. */
  public static final String FLAGS = "--add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED";

  /** @throws InvalidConfigException if {@code java.nio} is not open to Cairn */
  public static void require() throws InvalidConfigException {
    if (!Buffer.class.getModule().isOpen("java.nio", NioAccess.class.getModule())) {
      throw new InvalidConfigException("Cannot use a Cairn repository in this JVM: start it with " + FLAGS
          + " (LMDB and zstd-jni read direct buffers)");
    }
  }
}
