package dev.cairn.id;

import java.nio.ByteBuffer;

/**
 * An incremental hash in one {@link HashAlgorithm}. Not thread-safe: each thread takes its own
 * from {@link HashAlgorithm#newHasher()}. After {@link #digest()} the hasher is reset and can be
 * reused.
 */
public interface Hasher {
  /** Feeds {@code len} bytes of {@code b} from {@code off}. */
  void update(byte[] b, int off, int len);

  /** Feeds the remaining bytes of {@code buf}, advancing its position. */
  default void update(ByteBuffer buf) {
    if (buf.hasArray()) {
      update(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
      buf.position(buf.limit());
    } else {
      byte[] tmp = new byte[Math.min(buf.remaining(), 64 * 1024)];
      while (buf.hasRemaining()) {
        int n = Math.min(tmp.length, buf.remaining());
        buf.get(tmp, 0, n);
        update(tmp, 0, n);
      }
    }
  }

  /** Feeds all of {@code b}. */
  default void update(byte[] b) {
    update(b, 0, b.length);
  }

  /** Finishes the hash, returns it as an id and resets this hasher. */
  ObjectId digest();

  /** The algorithm this hasher computes. */
  HashAlgorithm algorithm();
}
