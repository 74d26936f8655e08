package dev.cairn.internal.io;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.CorruptObjectException.Reason;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.ObjectId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader over a canonical encoding. Every failure (short input, overlong varint,
 * bad UTF-8) is a {@link CorruptObjectException} naming the object being decoded.
 */
public final class ByteReader {
  private final byte[] buf;
  private final int end;
  private int pos;
  private final ObjectId subject;

  public ByteReader(byte[] buf, ObjectId subject) {
    this(buf, 0, buf.length, subject);
  }

  public ByteReader(byte[] buf, int off, int len, ObjectId subject) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
    this.subject = subject;
  }

  public CorruptObjectException malformed(String detail) {
    return new CorruptObjectException(subject, Reason.MALFORMED, null, detail);
  }

  private void need(int n) throws CorruptObjectException {
    if (n < 0 || end - pos < n) {
      throw malformed("encoding ends early at byte " + pos);
    }
  }

  public int u8() throws CorruptObjectException {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public long u32() throws CorruptObjectException {
    need(4);
    long v = Bytes.u32(buf, pos);
    pos += 4;
    return v;
  }

  public long u64() throws CorruptObjectException {
    need(8);
    long v = Bytes.u64(buf, pos);
    pos += 8;
    return v;
  }

  /** Reads a canonical (shortest-form) unsigned LEB128 value. */
  public long varint() throws CorruptObjectException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = u8();
      if (shift == 63 && (b & 0xFE) != 0) {
        throw malformed("varint overflows 64 bits");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw malformed("varint is not in shortest form");
        }
        return v;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  /** A varint that must fit an int and be at most {@code max}. */
  public int varintInt(int max) throws CorruptObjectException {
    long v = varint();
    if (v < 0 || v > max) {
      throw malformed("value " + Long.toUnsignedString(v) + " exceeds " + max);
    }
    return (int) v;
  }

  /** A non-negative varint that fits a signed long. */
  public long varintLong() throws CorruptObjectException {
    long v = varint();
    if (v < 0) {
      throw malformed("value exceeds 2^63-1");
    }
    return v;
  }

  public ObjectId id() throws CorruptObjectException {
    need(ObjectId.LENGTH);
    ObjectId id = ObjectId.fromBytes(buf, pos);
    pos += ObjectId.LENGTH;
    return id;
  }

  public byte[] bytes(int n) throws CorruptObjectException {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Copies {@code n} bytes into {@code dst} at {@code off}. */
  public void bytesInto(byte[] dst, int off, int n) throws CorruptObjectException {
    need(n);
    System.arraycopy(buf, pos, dst, off, n);
    pos += n;
  }

  public void expectMagic(String magic) throws CorruptObjectException {
    for (int i = 0; i < magic.length(); i++) {
      if (u8() != magic.charAt(i)) {
        throw malformed("does not start with '" + magic + "'");
      }
    }
  }

  /**
   * Reads an object's header, its magic then its format version byte (objects.md).
   *
   * @param what the kind of object, as an error names it ("tree node")
   * @throws CorruptObjectException if the magic is not {@code magic}
   * @throws UnsupportedFormatVersionException if the version is not {@code supported}: a later
   *     format, which this build does not read
   */
  public void expectHeader(String magic, int supported, String what) throws CorruptObjectException, UnsupportedFormatVersionException {
    expectMagic(magic);
    int version = u8();
    if (version != supported) {
      throw new UnsupportedFormatVersionException(what, version, subject == null ? "?" : subject.hex());
    }
  }

  /** A varint length (at most {@code maxBytes}) followed by strict UTF-8. */
  public String string(int maxBytes) throws CorruptObjectException {
    int n = varintInt(maxBytes);
    need(n);
    String s = utf8(buf, pos, n);
    pos += n;
    return s;
  }

  /** Decodes strict UTF-8, rejecting malformed input. */
  public String utf8(byte[] b, int off, int n) throws CorruptObjectException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, off, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw malformed("invalid UTF-8");
    }
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public int position() {
    return pos;
  }

  /** Fails unless every byte was consumed: canonical encodings have no trailing bytes. */
  public void expectEnd() throws CorruptObjectException {
    if (pos != end) {
      throw malformed((end - pos) + " trailing bytes");
    }
  }
}
