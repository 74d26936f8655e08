package dev.cairn.store;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.CorruptObjectException.Reason;
import dev.cairn.object.ChunkRef;
import dev.cairn.object.FileObject;
import dev.cairn.object.FileObjectFormat;
import java.io.IOException;
import java.io.InputStream;
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
    if (content.size() == 0) {
      return false;
    }
    if (chunks == null) {
      if (content.chunked()) {
        FileObject f = FileObjectFormat.decode(reader.open(content.content()).bytes(), content.content());
        if (f.size() != content.size() || !f.digest().equals(content.digest())) {
          throw new CorruptObjectException(content.content(), Reason.MALFORMED, null,
              "file object (" + f.size() + " bytes, digest " + f.digest().abbreviate(16) + ") does not match the manifest ("
              + content.size() + " bytes, digest " + content.digest().abbreviate(16) + ")");
        }
        chunks = f.chunks();
      } else {
        chunks = List.of(new ChunkRef(content.content(), (int) Math.min(Integer.MAX_VALUE, content.size())));
      }
    }
    if (nextChunk >= chunks.size()) {
      return false;
    }
    ChunkRef ref = chunks.get(nextChunk++);
    current = reader.open(ref.id()).bytes();
    pos = 0;
    if (current.length != ref.size() || delivered + current.length > content.size()) {
      throw new CorruptObjectException(ref.id(), Reason.MALFORMED, null,
          "chunk has " + current.length + " bytes, expected " + ref.size());
    }
    return true;
  }

  /** Writes the rest of the content to {@code out} a whole chunk at a time, without copying. */
  @Override
  public long transferTo(java.io.OutputStream out) throws IOException {
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
          throw new CorruptObjectException(content.content(), Reason.TRUNCATED, null,
              "content ended after " + delivered + " of " + content.size() + " bytes");
        }
        return n;
      }
    }
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
          throw new CorruptObjectException(content.content(), Reason.TRUNCATED, null,
              "content ended after " + delivered + " of " + content.size() + " bytes");
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
