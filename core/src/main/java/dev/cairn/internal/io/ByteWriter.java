package dev.cairn.internal.io;

import dev.cairn.id.ObjectId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for building canonical encodings. Not thread-safe. */
public final class ByteWriter {
  private byte[] buf;
  private int len;

  public ByteWriter() {
    this(256);
  }

  public ByteWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + extra, buf.length * 2));
    }
  }

  public ByteWriter u8(int v) {
    ensure(1);
    buf[len++] = (byte) v;
    return this;
  }

  public ByteWriter u16(int v) {
    ensure(2);
    Bytes.putU16(buf, len, v);
    len += 2;
    return this;
  }

  public ByteWriter u32(long v) {
    ensure(4);
    Bytes.putU32(buf, len, v);
    len += 4;
    return this;
  }

  public ByteWriter u64(long v) {
    ensure(8);
    Bytes.putU64(buf, len, v);
    len += 8;
    return this;
  }

  /** Unsigned LEB128: seven bits a byte, least significant group first, high bit = more. */
  public ByteWriter varint(long v) {
    if (v < 0) {
      throw new IllegalArgumentException("varints are unsigned: " + v);
    }
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
    return this;
  }

  public ByteWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public ByteWriter bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  public ByteWriter id(ObjectId id) {
    ensure(ObjectId.LENGTH);
    id.copyTo(buf, len);
    len += ObjectId.LENGTH;
    return this;
  }

  public ByteWriter ascii(String magic) {
    return bytes(magic.getBytes(StandardCharsets.US_ASCII));
  }

  /** A varint length followed by the UTF-8 bytes. */
  public ByteWriter string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(b.length);
    return bytes(b);
  }

  public int length() {
    return len;
  }

  /** The bytes written so far, as a new array. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** The internal array; valid up to {@link #length()} until the next write. */
  public byte[] array() {
    return buf;
  }

  public void reset() {
    len = 0;
  }
}
