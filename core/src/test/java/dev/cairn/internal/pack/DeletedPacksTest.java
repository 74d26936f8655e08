package dev.cairn.internal.pack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long-running process lets go of the packs another process's gc deleted. */
class DeletedPacksTest {
  @TempDir Path tmp;

  @AfterEach
  void restoreGrace() {
    PackObjectDatabase.deletedPackGraceNanos = 30_000_000_000L;
  }

  private Dataset version(DatasetRepository repo, String name, String content) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src-" + name));
    Files.write(src.resolve("f.bin"), TestRepos.random(content.hashCode(), 200_000));
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", name).build());
    ds.addFiles(AddOptions.of(src));
    return ds.close();
  }

  @Test
  void packsAnotherProcessDeletedAreClosedOnceUnused() throws Exception {
    PackObjectDatabase.deletedPackGraceNanos = 0;
    Path dir = tmp.resolve("repo");
    try (DatasetRepository server = DatasetRepository.open(dir, TestRepos.SMALL);
        DatasetRepository other = DatasetRepository.open(dir, TestRepos.SMALL)) {
      Dataset old = version(other, "old", "old");
      Files.readAllBytes(server.get(old.id()).getMutableLocalCopy(tmp.resolve("c1"), false).resolve("f.bin"));
      PackObjectDatabase packs = server.repository().packs();
      assertThat(packs.openPackNames()).isNotEmpty();
      java.util.Set<String> before = packs.openPackNames();
      // The other process deletes the version and collects its packs.
      other.get(old.id()).delete(true);
      TestRepos.collect(other, 0);
      // The server next opens a pack (a new version's): the deleted ones go.
      Dataset next = version(other, "next", "next");
      Files.readAllBytes(server.get(next.id()).getMutableLocalCopy(tmp.resolve("c2"), false).resolve("f.bin"));
      java.util.List<String> deleted = before.stream()
          .filter(name -> !Files.exists(dir.resolve("packs").resolve(PackFormat.fileName(name)))).toList();
      assertThat(deleted).as("the test deleted a pack the server had open").isNotEmpty();
      assertThat(packs.openPackNames()).doesNotContainAnyElementsOf(deleted);
    }
  }
}
