package dev.cairn.object;

import dev.cairn.id.ObjectId;
import dev.cairn.internal.io.Text;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable snapshot: the root of its manifest tree, its parents (ordered: on a path the
 * parents changed differently, the later parent wins), when it was made, and string
 * properties (dataset id, project, name, version string, ...). Its id is the hash of its encoding,
 * so a version names its whole history.
 */
public record Version(ObjectId root, List<ObjectId> parents, long createdMillis, Map<String, String> properties) {
  public Version {
    Objects.requireNonNull(root, "root");
    parents = List.copyOf(parents);
    if (createdMillis < 0) {
      throw new IllegalArgumentException("created time before 1970: " + createdMillis);
    }
    TreeMap<String, String> sorted = new TreeMap<>(Version::compareUtf8);
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getKey().isEmpty()) {
        throw new IllegalArgumentException("empty property name");
      }
      Text.check("property name", e.getKey(), VersionFormat.MAX_STRING);
      Text.check("property " + e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()), VersionFormat.MAX_STRING);
      sorted.put(e.getKey(), Objects.requireNonNull(e.getValue(), e.getKey()));
    }
    properties = Collections.unmodifiableMap(sorted);
  }

  /** A property's value, or null. */
  public String property(String key) {
    return properties.get(key);
  }

  /** Orders strings by their UTF-8 bytes, which is code point order. */
  static int compareUtf8(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
