package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.gc.Fsck;
import dev.cairn.gc.Repair;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delete killed between removing its record and giving back its version string leaves nothing taken for good. */
class KilledDeleteTest {
  @TempDir Path tmp;

  @Test
  void theVersionStringOfAVersionDeletedPartWayIsFoundAndGivenBack() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(repo, CreateOptions.of("p", "n").version("3.0").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      repo.catalog().delete(v.id(), java.util.List.of()); // the record goes, marked deleted; the process dies before the string is given back
      assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("p", "n").version("3.0").build()))
          .hasMessageContaining("already exists");
      assertThat(new Fsck(repo, Progress.NONE).check().problems())
          .anyMatch(p -> p.message().contains("still reserved for deleted version " + v.id()));
      assertThat(new Repair(repo, Progress.NONE).run()).contains("released version string 3.0 of deleted version " + v.id());
      assertThat(Dataset.create(repo, CreateOptions.of("p", "n").version("3.0").build()).version()).isEqualTo("3.0");
    }
  }
}
