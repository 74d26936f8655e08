package dev.cairn.manifest;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.ByteReader;
import dev.cairn.internal.io.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Canonical encoding of a manifest tree node (spec/manifest.md). Keys are prefix-compressed against
 * the previous key of the node, always with the longest shared prefix:
 * <pre>
 *   node   'CRNT' uint8(version=1) uint8(level) varint(count) count * item
 *   key    varint(shared) varint(suffixLength) suffix
 *   leaf item   key uint8(kind) uint8(flags) varint(size) digest[32]
 *               [content[32] if flags &amp; CHUNKED] [varint(uriLength) uri if kind = LINK]
 *   inner item  key child[32] uint8(endLevel) varint(entryCount) varint(totalBytes)
 * </pre>
 * Flags: bit 0 executable, bit 1 chunked; other bits zero. Keys strictly increase in UTF-8 byte
 * order.
 */
public final class TreeFormat {
  static final String MAGIC = "CRNT";
  static final int VERSION = 1;
  static final int FLAG_EXECUTABLE = 1;
  static final int FLAG_CHUNKED = 2;
  /** Longest URI of a link entry, in UTF-8 bytes. */
  static final int MAX_URI_BYTES = 64 << 10;

  private TreeFormat() {}

  /** Encodes a leaf holding {@code entries}, which must be sorted and unique. */
  public static byte[] encodeLeaf(List<FileEntry> entries) {
    ByteWriter w = new ByteWriter(64 + entries.size() * 64);
    w.ascii(MAGIC).u8(VERSION).u8(0).varint(entries.size());
    byte[] prev = new byte[0];
    for (FileEntry e : entries) {
      byte[] key = e.path().getBytes(StandardCharsets.UTF_8);
      writeKey(w, prev, key);
      prev = key;
      int flags = (e.executable() ? FLAG_EXECUTABLE : 0) | (e.chunked() ? FLAG_CHUNKED : 0);
      w.u8(e.kind().code()).u8(flags).varint(e.size()).id(e.digest());
      if (e.chunked()) {
        w.id(e.content());
      }
      if (e.kind() == EntryKind.LINK) {
        w.string(e.uri());
      }
    }
    return w.toByteArray();
  }

  /** Encodes an inner node of the given level. */
  public static byte[] encodeInner(int level, List<ChildRef> children) {
    ByteWriter w = new ByteWriter(64 + children.size() * 80);
    w.ascii(MAGIC).u8(VERSION).u8(level).varint(children.size());
    byte[] prev = new byte[0];
    for (ChildRef c : children) {
      byte[] key = c.firstKey().getBytes(StandardCharsets.UTF_8);
      writeKey(w, prev, key);
      prev = key;
      w.id(c.id()).u8(Math.min(255, c.endLevel())).varint(c.entryCount()).varint(c.totalBytes());
    }
    return w.toByteArray();
  }

  private static void writeKey(ByteWriter w, byte[] prev, byte[] key) {
    int shared = 0;
    int max = Math.min(prev.length, key.length);
    while (shared < max && prev[shared] == key[shared]) {
      shared++;
    }
    w.varint(shared).varint(key.length - shared).bytes(key, shared, key.length - shared);
  }

  /**
   * Decodes a node, checking that it is canonical.
   *
   * @throws CorruptObjectException if it is not
   * @throws UnsupportedFormatVersionException if it is of a later format than this build reads
   */
  public static TreeNode decode(byte[] data, ObjectId id) throws CorruptObjectException, UnsupportedFormatVersionException {
    ByteReader r = new ByteReader(data, id);
    r.expectHeader(MAGIC, VERSION, "tree node");
    int level = r.u8();
    int count = r.varintInt(KeyLevel.MAX_NODE_ENTRIES);
    byte[] prev = new byte[0];
    byte[] keyBuf = new byte[DatasetPaths.MAX_PATH_BYTES];
    List<FileEntry> entries = level == 0 ? new ArrayList<>(count) : null;
    List<ChildRef> children = level == 0 ? null : new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int shared = r.varintInt(prev.length);
      int suffix = r.varintInt(DatasetPaths.MAX_PATH_BYTES - shared);
      if (suffix == 0) {
        throw r.malformed("empty key suffix");
      }
      System.arraycopy(prev, 0, keyBuf, 0, shared);
      r.bytesInto(keyBuf, shared, suffix);
      int keyLen = shared + suffix;
      if (shared < prev.length && keyBuf[shared] == prev[shared]) {
        throw r.malformed("key prefix not maximal");
      }
      byte[] key = Arrays.copyOf(keyBuf, keyLen);
      if (i > 0 && Arrays.compareUnsigned(prev, key) >= 0) {
        throw r.malformed("keys not sorted and unique");
      }
      prev = key;
      String path = r.utf8(key, 0, key.length);
      String problem = DatasetPaths.problem(path);
      if (problem != null) {
        throw r.malformed("invalid path: " + problem);
      }
      if (level == 0) {
        entries.add(readEntry(r, path));
      } else {
        ObjectId child = r.id();
        int endLevel = r.u8();
        long entryCount = r.varintLong();
        long totalBytes = r.varintLong();
        children.add(new ChildRef(path, child, endLevel, entryCount, totalBytes));
      }
    }
    r.expectEnd();
    if (level == 0) {
      return new TreeNode.Leaf(entries);
    }
    if (count == 0) {
      throw r.malformed("inner node without children");
    }
    return new TreeNode.Inner(level, children);
  }

  private static FileEntry readEntry(ByteReader r, String path) throws CorruptObjectException {
    EntryKind kind = EntryKind.fromCode(r.u8());
    if (kind == null) {
      throw r.malformed("unknown entry kind");
    }
    int flags = r.u8();
    if ((flags & ~(FLAG_EXECUTABLE | FLAG_CHUNKED)) != 0) {
      throw r.malformed("unknown entry flags " + flags);
    }
    long size = r.varintLong();
    ObjectId digest = r.id();
    ObjectId content = kind == EntryKind.FILE ? digest : null;
    if ((flags & FLAG_CHUNKED) != 0) {
      if (kind != EntryKind.FILE || size == 0) {
        throw r.malformed("chunked flag on an entry that cannot be chunked");
      }
      content = r.id();
      if (content.equals(digest)) {
        throw r.malformed("chunked entry names its digest as content");
      }
    }
    String uri = kind == EntryKind.LINK ? r.string(MAX_URI_BYTES) : null;
    try {
      return new FileEntry(path, kind, (flags & FLAG_EXECUTABLE) != 0, size, digest, content, uri);
    } catch (IllegalArgumentException e) {
      throw r.malformed(e.getMessage());
    }
  }
}
