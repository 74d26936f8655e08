package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A get stopped part way keeps the packs it had finished: run again, it fetches only the rest. */
class FetchResumeTest {
  @TempDir Path tmp;

  /** Counts the bytes a fetch announces, and stops it after {@code stopAfter} bytes came. */
  private static final class Download implements Progress {
    final long stopAfter;
    long announced;
    long came;

    Download(long stopAfter) {
      this.stopAfter = stopAfter;
    }

    @Override
    public void start(String task, long totalBytes) {
      if (task.startsWith("downloading")) {
        announced += totalBytes;
      }
    }

    @Override
    public void advance(long bytes) {
      came += bytes;
      if (came > stopAfter) {
        throw new IllegalStateException("stopped");
      }
    }
  }

  @Test
  void aFetchStoppedWhileItCopiesRecordsLeavesNoRecordWithoutItsAncestors() throws Exception {
    Path remote = tmp.resolve("remote");
    java.util.List<String> ids = new java.util.ArrayList<>();
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      for (int i = 0; i < 3; i++) {
        Dataset v = Dataset.create(a, CreateOptions.of("p", "n").parents(ids.isEmpty() ? java.util.List.of() : java.util.List.of(ids.get(i - 1))).build());
        v.addFiles(AddOptions.of(Files.writeString(Files.createDirectories(tmp.resolve("s" + i)).resolve("f" + i), "v" + i)));
        ids.add(v.close().id());
        v.upload(remote.toString(), null, Progress.NONE);
      }
    }
    String oldest = ids.get(0);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      // The remote fails when the oldest version's record is read: the fetch of the newest stops.
      dev.cairn.storage.RemoteStorage failing = new dev.cairn.storage.ForwardingStorage(new dev.cairn.storage.local.LocalStorage(remote)) {
        @Override
        public java.util.List<dev.cairn.storage.RemoteFile> list(String prefix) throws java.io.IOException {
          if (prefix.contains(oldest)) {
            throw new java.io.IOException("stopped");
          }
          return super.list(prefix);
        }
      };
      try (Remote r = new Remote(failing, b.repository())) {
        assertThatThrownBy(() -> b.fetch(ids.get(2), Selection.ALL, r, Progress.NONE)).hasMessageContaining("stopped");
      }
      assertThat(b.catalog().exists(ids.get(1))).as("not before its parent").isFalse();
      b.fetch(ids.get(2), Selection.ALL, remote.toString(), null, Progress.NONE);
      for (String id : ids) {
        assertThat(b.catalog().exists(id)).as(id).isTrue();
      }
    }
  }

  @Test
  void recordsAreImportedParentsFirst() {
    // d's parents are c and x; c's is b; x's is y, whose parent b is also c's grandparent.
    java.util.Map<String, dev.cairn.dataset.DatasetRecord> records = new java.util.LinkedHashMap<>();
    String[][] graph = {{"c", "b"}, {"x", "y"}, {"b"}, {"y", "b"}};
    for (String[] g : graph) {
      records.put(g[0], record(g[0], java.util.List.of(g).subList(1, g.length)));
    }
    java.util.List<String> order = Fetcher.parentsFirst(records).stream().map(dev.cairn.dataset.DatasetRecord::id).toList();
    assertThat(order).containsExactlyInAnyOrder("b", "c", "x", "y");
    assertThat(order.indexOf("b")).isLessThan(order.indexOf("c"));
    assertThat(order.indexOf("b")).isLessThan(order.indexOf("y"));
    assertThat(order.indexOf("y")).isLessThan(order.indexOf("x"));
  }

  private static dev.cairn.dataset.DatasetRecord record(String id, java.util.List<String> parents) {
    dev.cairn.id.ObjectId empty = dev.cairn.id.HashAlgorithm.SHA256.hash(new byte[0]);
    return new dev.cairn.dataset.DatasetRecord.Builder().id(id).project("p").name("n").version("1.0.0")
        .state(dev.cairn.dataset.DatasetState.FINAL).parents(parents).base(empty).root(empty).build();
  }

  @Test
  void aFetchStoppedPartWayIsResumedNotStartedOver() throws Exception {
    Path remote = tmp.resolve("remote");
    Path src = tmp.resolve("src");
    Files.createDirectories(src);
    for (int i = 0; i < 6; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(40 + i, 400_000));
    }
    String id;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(a, CreateOptions.of("p", "n").build());
      v.addFiles(AddOptions.of(src));
      id = v.close().id();
      v.upload(remote.toString(), null, Progress.NONE);
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Download first = new Download(1_500_000); // packs of 256 KiB here: several are finished by then
      assertThatThrownBy(() -> b.fetch(id, Selection.ALL, remote.toString(), null, first)).hasMessageContaining("stopped");
      Download second = new Download(Long.MAX_VALUE);
      b.fetch(id, Selection.ALL, remote.toString(), null, second);
      assertThat(second.announced).as("only what the first did not keep").isLessThan(first.announced - 1_000_000);
      assertThat(b.get(id).verify()).isEmpty();
    }
  }
}
