package dev.cairn.gc;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Versions with known content, and byte-for-byte checks of them. */
final class GcFixtures {
  private GcFixtures() {}

  static Path folder(Path dir, long seed, int files, int size) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < files; i++) {
      Files.write(dir.resolve("f" + i + ".bin"), TestRepos.random(seed * 1000 + i, size + i * 100));
    }
    return dir;
  }

  static Dataset version(DatasetRepository repo, String name, Path src, String... parents) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("gc", name).parents(parents).build());
    ds.syncFolder(src);
    return ds.close();
  }

  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), HashAlgorithm.SHA256.hash(Files.readAllBytes(p)).hex());
      }
    }
    return m;
  }

  static void add(Dataset ds, Path src) throws IOException {
    ds.addFiles(AddOptions.of(src));
  }
}
