package dev.cairn.object;

import dev.cairn.errors.CorruptObjectException;
import dev.cairn.errors.UnsupportedFormatVersionException;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.ByteReader;
import dev.cairn.internal.io.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canonical encoding of a {@link Version} (spec/objects.md):
 * <pre>
 *   'CRNV' uint8(version=1) root[32]
 *   varint(parentCount) parentCount * parent[32]
 *   varint(createdMillis)
 *   varint(propertyCount) propertyCount * ( string(key) string(value) )   keys sorted by UTF-8 bytes, unique
 * </pre>
 * where {@code string} is a varint byte length followed by UTF-8.
 */
public final class VersionFormat {
  static final String MAGIC = "CRNV";
  static final int VERSION = 1;
  /** Longest property name or value, in UTF-8 bytes. */
  static final int MAX_STRING = 1 << 24;

  private VersionFormat() {}

  public static byte[] encode(Version v) {
    ByteWriter w = new ByteWriter(128);
    w.ascii(MAGIC).u8(VERSION).id(v.root()).varint(v.parents().size());
    for (ObjectId p : v.parents()) {
      w.id(p);
    }
    w.varint(v.createdMillis()).varint(v.properties().size());
    for (Map.Entry<String, String> e : v.properties().entrySet()) {
      w.string(e.getKey()).string(e.getValue());
    }
    return w.toByteArray();
  }

  /**
   * Decodes a version.
   *
   * @throws CorruptObjectException if the bytes are not a canonical version
   * @throws UnsupportedFormatVersionException if it is of a later format than this build reads
   */
  public static Version decode(byte[] data, ObjectId id) throws CorruptObjectException, UnsupportedFormatVersionException {
    ByteReader r = new ByteReader(data, id);
    r.expectHeader(MAGIC, VERSION, "version object");
    ObjectId root = r.id();
    int parentCount = r.varintInt(data.length / ObjectId.LENGTH);
    List<ObjectId> parents = new ArrayList<>(parentCount);
    for (int i = 0; i < parentCount; i++) {
      parents.add(r.id());
    }
    long created = r.varintLong();
    int propCount = r.varintInt(data.length / 2);
    Map<String, String> props = new LinkedHashMap<>();
    byte[] previous = null;
    for (int i = 0; i < propCount; i++) {
      String key = r.string(MAX_STRING);
      String value = r.string(MAX_STRING);
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      if (k.length == 0 || (previous != null && Arrays.compareUnsigned(previous, k) >= 0)) {
        throw r.malformed("property names not sorted and unique");
      }
      previous = k;
      props.put(key, value);
    }
    r.expectEnd();
    return new Version(root, parents, created, props);
  }
}
