package dev.cairn.store;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.CorruptObjectException.Reason;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/** Streams a file's chunks in order, one chunk in memory at a time. Not thread-safe. */
final class ContentInputStream extends InputStream {
  private final ObjectReader reader;
  private final FileContent content;
  private List<ChunkRef> chunks;
  private int nextChunk;
  private byte[] current = new byte[0];
  private int pos;
  private long delivered;

  ContentInputStream(ObjectReader reader, FileContent content) {
    this.reader = reader;
    this.content = content;
  }

  private boolean advance() throws IOException {
    if (chunks == null) {
      chunks = chunks(reader, content);
    }
    if (nextChunk >= chunks.size()) {
      return false;
    }
    ChunkRef ref = chunks.get(nextChunk++);
    current = reader.open(ref.id()).bytes();
    pos = 0;
    checkChunk(ref, current.length, delivered, content);
    return true;
  }

  /** The chunks holding {@code content}, in order; a file object must agree with the manifest. */
  static List<ChunkRef> chunks(ObjectReader reader, FileContent content) throws IOException {
    if (content.size() == 0) {
      return List.of();
    }
    if (!content.chunked()) {
      return List.of(new ChunkRef(content.content(), (int) Math.min(Integer.MAX_VALUE, content.size())));
    }
    FileObject f = FileObjectFormat.decode(reader.open(content.content()).bytes(), content.content());
    if (f.size() != content.size() || !f.digest().equals(content.digest())) {
      throw new CorruptObjectException(content.content(), Reason.MALFORMED, null,
          "file object (" + f.size() + " bytes, digest " + f.digest().abbreviate(16) + ") does not match the manifest ("
          + content.size() + " bytes, digest " + content.digest().abbreviate(16) + ")");
    }
    return f.chunks();
  }

  /** Checks a chunk read after {@code delivered} bytes of {@code content}. */
  private static void checkChunk(ChunkRef ref, int length, long delivered, FileContent content) throws CorruptObjectException {
    if (length != ref.size() || delivered + length > content.size()) {
      throw new CorruptObjectException(ref.id(), Reason.MALFORMED, null, "chunk has " + length + " bytes, expected " + ref.size());
    }
  }

  private static CorruptObjectException truncated(FileContent content, long delivered) {
    return new CorruptObjectException(content.content(), Reason.TRUNCATED, null,
        "content ended after " + delivered + " of " + content.size() + " bytes");
  }

  /** {@link ObjectReader#copyContent}: each chunk through {@link ObjectReader#openTransient}. */
  static long copy(ObjectReader reader, FileContent content, WritableByteChannel out) throws IOException {
    long written = 0;
    for (ChunkRef ref : chunks(reader, content)) {
      ByteBuffer bytes = reader.openTransient(ref.id());
      checkChunk(ref, bytes.remaining(), written, content);
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      written += ref.size();
    }
    if (written != content.size()) {
      throw truncated(content, written);
    }
    return written;
  }

  /** Writes the rest of the content to {@code out} a whole chunk at a time, without copying. */
  @Override
  public long transferTo(OutputStream out) throws IOException {
    long n = 0;
    while (true) {
      if (pos < current.length) {
        int len = current.length - pos;
        out.write(current, pos, len);
        pos += len;
        delivered += len;
        n += len;
      }
      if (!advance()) {
        if (delivered != content.size()) {
          throw truncated(content, delivered);
        }
        return n;
      }
    }
  }

  /** Skips whole chunks unread (a download resumed at an offset reads only from the chunk holding it). */
  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n) {
      if (pos < current.length) {
        int k = (int) Math.min(n - skipped, current.length - pos);
        pos += k;
        delivered += k;
        skipped += k;
        continue;
      }
      if (chunks == null) {
        chunks = chunks(reader, content);
      }
      while (nextChunk < chunks.size() && chunks.get(nextChunk).size() <= n - skipped) {
        int size = chunks.get(nextChunk++).size();
        delivered += size;
        skipped += size;
      }
      if (skipped == n || !advance()) {
        break;
      }
    }
    return skipped;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos >= current.length) {
      if (!advance()) {
        if (delivered != content.size()) {
          throw truncated(content, delivered);
        }
        return -1;
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    delivered += n;
    return n;
  }
}
