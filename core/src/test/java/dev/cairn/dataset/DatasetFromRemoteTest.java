package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API's counterpart of clearml's {@code Dataset.get(...).get_local_copy()}: a version known
 * only from a remote is found there, and its data is fetched when a copy is asked for, once.
 */
class DatasetFromRemoteTest {
  @TempDir Path tmp;
  Path remote;
  Path src;
  String id;

  @BeforeEach
  void uploadAVersion() throws IOException {
    remote = tmp.resolve("remote");
    src = tmp.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Files.write(src.resolve("big.bin"), TestRepos.random(1, 600_000));
    Files.write(src.resolve("sub/small.bin"), TestRepos.random(2, 900));
    Files.writeString(src.resolve("a.txt"), "alpha\n");
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "n").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      v.upload(remote.toString(), null, Progress.NONE);
      id = v.id();
    }
  }

  @Test
  void aVersionOnlyOnTheRemoteIsFoundThereAndItsFilesFetchedOnce() throws IOException {
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      assertThatThrownBy(() -> Dataset.get(b, id, null)).isInstanceOf(DatasetNotFoundException.class);
      Dataset ds = Dataset.get(b, id.substring(0, 8), remote.toString());
      assertThat(ds.id()).isEqualTo(id);
      assertThat(ds.listFiles()).extracting(dev.cairn.manifest.FileEntry::path).containsExactly("a.txt", "big.bin", "sub/small.bin");
      assertThat(ds.verify()).as("only the manifest is here yet").allMatch(p -> p.kind() == VerifyProblem.Kind.NOT_FETCHED).isNotEmpty();

      assertThat(snapshot(ds.getLocalCopy())).isEqualTo(snapshot(src));
      assertThat(ds.verify()).isEmpty();
      // Here now: the remote is not needed again.
      try (Stream<Path> all = Files.walk(remote)) {
        for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      assertThat(snapshot(Dataset.get(b, id, remote.toString()).getLocalCopy())).isEqualTo(snapshot(src));
      assertThat(snapshot(ds.getMutableLocalCopy(tmp.resolve("copy"), false))).isEqualTo(snapshot(src));
    }
  }

  @Test
  void aVersionFetchedInPartGetsTheRestWhenACopyNeedsIt() throws IOException {
    try (DatasetRepository c = DatasetRepository.open(tmp.resolve("c"), TestRepos.SMALL)) {
      Dataset part = c.fetch(id, new Selection(0, 1, java.util.List.of(Glob.of("a.txt"))), remote.toString(), null, Progress.NONE);
      assertThat(part.verify()).extracting(VerifyProblem::path).containsExactlyInAnyOrder("big.bin", "sub/small.bin");
      assertThat(snapshot(part.getMutableLocalCopy(tmp.resolve("copy"), false))).isEqualTo(snapshot(src));
      assertThat(part.verify()).isEmpty();
    }
    try (DatasetRepository d = DatasetRepository.open(tmp.resolve("d"), TestRepos.SMALL)) {
      Dataset highest = Dataset.get(d, "p", "n", null, remote.toString());
      assertThat(highest.id()).isEqualTo(id);
      assertThat(snapshot(highest.getLocalCopy(Selection.part(0, 1), Progress.NONE))).isEqualTo(snapshot(src));
    }
  }

  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), dev.cairn.id.HashAlgorithm.SHA256.hash(Files.readAllBytes(p)).hex());
      }
    }
    return m;
  }
}
