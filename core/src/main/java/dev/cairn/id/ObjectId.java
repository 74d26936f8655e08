package dev.cairn.id;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The name of a stored object: 32 bytes, the hash of the object's canonical bytes in the
 * repository's {@link HashAlgorithm}. Immutable; held as four big-endian {@code long}s so that
 * equality, hashing and ordering cost a few machine instructions.
 *
 * <p>Ids order as unsigned byte strings, which is the order of their hex form and the order of
 * every sorted table on disk.
 */
public final class ObjectId implements Comparable<ObjectId> {
  /** Length of an id in bytes. */
  public static final int LENGTH = 32;
  /** Length of an id in hex digits. */
  public static final int HEX_LENGTH = 2 * LENGTH;

  private static final HexFormat HEX = HexFormat.of();

  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;

  private ObjectId(long w0, long w1, long w2, long w3) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /** Reads an id from {@code LENGTH} bytes of {@code src} starting at {@code offset}. */
  public static ObjectId fromBytes(byte[] src, int offset) {
    if (offset < 0 || src.length - offset < LENGTH) {
      throw new IllegalArgumentException("need " + LENGTH + " bytes at offset " + offset);
    }
    return new ObjectId(
        readLong(src, offset),
        readLong(src, offset + 8),
        readLong(src, offset + 16),
        readLong(src, offset + 24));
  }

  /** Reads an id from a 32-byte array. */
  public static ObjectId fromBytes(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("an object id has " + LENGTH + " bytes, not " + raw.length);
    }
    return fromBytes(raw, 0);
  }

  /**
   * Parses the 64-digit hex form (either case).
   *
   * @throws IllegalArgumentException if {@code hex} is not 64 hex digits
   */
  public static ObjectId fromHex(String hex) {
    if (hex.length() != HEX_LENGTH || !isHex(hex)) {
      throw new IllegalArgumentException("not a full object id (64 hex digits): " + hex);
    }
    return fromBytes(HEX.parseHex(hex));
  }

  /** Whether {@code s} is 64 hex digits. */
  public static boolean isId(String s) {
    return s.length() == HEX_LENGTH && isHex(s);
  }

  /** Whether every character of {@code s} is an ASCII hex digit. */
  public static boolean isHex(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** A new array holding the 32 bytes of this id. */
  public byte[] toBytes() {
    byte[] out = new byte[LENGTH];
    copyTo(out, 0);
    return out;
  }

  /** Writes the 32 bytes of this id into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    writeLong(dst, offset, w0);
    writeLong(dst, offset + 8, w1);
    writeLong(dst, offset + 16, w2);
    writeLong(dst, offset + 24, w3);
  }

  /** The 64-digit lower-case hex form. */
  public String hex() {
    return HEX.toHexDigits(w0) + HEX.toHexDigits(w1) + HEX.toHexDigits(w2) + HEX.toHexDigits(w3);
  }

  /** The first {@code digits} hex digits, for display. */
  public String abbreviate(int digits) {
    return hex().substring(0, Math.min(HEX_LENGTH, Math.max(1, digits)));
  }

  /** The first byte, as an unsigned value (0-255). */
  public int firstByte() {
    return (int) (w0 >>> 56);
  }

  /** The first eight bytes as a big-endian long; uniformly distributed, so a good hash key. */
  public long firstLong() {
    return w0;
  }

  /** Whether this id, in hex, starts with the given digits. */
  public boolean startsWith(AbbreviatedObjectId prefix) {
    return prefix.matches(this);
  }

  @Override
  public int compareTo(ObjectId o) {
    int c = Long.compareUnsigned(w0, o.w0);
    if (c == 0) {
      c = Long.compareUnsigned(w1, o.w1);
    }
    if (c == 0) {
      c = Long.compareUnsigned(w2, o.w2);
    }
    if (c == 0) {
      c = Long.compareUnsigned(w3, o.w3);
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectId other
        && w0 == other.w0
        && w1 == other.w1
        && w2 == other.w2
        && w3 == other.w3;
  }

  @Override
  public int hashCode() {
    return (int) (w0 >>> 32);
  }

  @Override
  public String toString() {
    return hex();
  }

  static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static void writeLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  /** Byte-wise unsigned comparison of two raw ids; used by on-disk sorted tables. */
  public static int compareRaw(byte[] a, int aOff, byte[] b, int bOff) {
    return Arrays.compareUnsigned(a, aOff, aOff + LENGTH, b, bOff, bOff + LENGTH);
  }
}
