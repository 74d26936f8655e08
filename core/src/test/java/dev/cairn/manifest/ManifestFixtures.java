package dev.cairn.manifest;

import dev.cairn.id.HashAlgorithm;
import dev.cairn.id.ObjectId;
import dev.cairn.store.FileContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Seeded manifests for tests. */
final class ManifestFixtures {
  private ManifestFixtures() {}

  static FileEntry entry(String path, long seed) {
    byte[] content = (path + "#" + seed).getBytes(StandardCharsets.UTF_8);
    ObjectId digest = HashAlgorithm.SHA256.hash(content);
    boolean chunked = seed % 7 == 0;
    ObjectId contentId = chunked ? HashAlgorithm.SHA256.hash(digest.toBytes()) : digest;
    return FileEntry.file(path, new FileContent(content.length + seed % 1000, digest, contentId), seed % 11 == 0);
  }

  /** {@code n} entries spread over nested folders, sorted. */
  static List<FileEntry> entries(long seed, int n) {
    Random r = new Random(seed);
    TreeMap<String, FileEntry> m = new TreeMap<>(DatasetPaths::compare);
    String[] dirs = {"images", "images/train", "images/val", "labels", "csv", "ünï cødé", "a b", "z"};
    while (m.size() < n) {
      String p = dirs[r.nextInt(dirs.length)] + "/f" + r.nextInt(n * 10) + (r.nextBoolean() ? ".jpg" : ".txt");
      m.put(p, entry(p, r.nextLong() & 0xFFFF));
    }
    return new ArrayList<>(m.values());
  }

  static TreeMap<String, FileEntry> map(List<FileEntry> entries) {
    TreeMap<String, FileEntry> m = new TreeMap<>(DatasetPaths::compare);
    entries.forEach(e -> m.put(e.path(), e));
    return m;
  }
}
