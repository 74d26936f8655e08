package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.RepositoryConfig;
import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which version a dataset page's compare form starts from. */
class DatasetPageCompareTest {
  @TempDir Path tmp;

  @Test
  void theNewestVersionIsComparedWithItsParentElseTheNewestClosedBeforeIt() throws IOException {
    Path files = Files.createDirectories(tmp.resolve("files"));
    Files.writeString(files.resolve("a.txt"), "a");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), RepositoryConfig.DEFAULT)) {
      Dataset first = closed(repo, files, List.of());
      Dataset draft = Dataset.create(repo, CreateOptions.of("p", "d").parents(first.id()).build()); // never closed
      Files.writeString(files.resolve("b.txt"), "b");
      Dataset child = closed(repo, files, List.of(first.id())); // a sibling of the draft, shown after it
      assertThat(DatasetPage.compareSource(records(first, draft, child))).as("its parent, not the draft above it").isEqualTo(first.id());
      Dataset loose = closed(repo, files, List.of()); // no parent shown
      assertThat(DatasetPage.compareSource(records(first, draft, child, loose))).as("the newest closed before it")
          .isEqualTo(child.id());
      assertThat(DatasetPage.compareSource(records(draft, loose))).as("only a draft before it").isEqualTo(draft.id());
      assertThat(DatasetPage.compareSource(records(loose))).isNull();
    }
  }

  private static Dataset closed(DatasetRepository repo, Path files, List<String> parents) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").parents(parents.toArray(String[]::new)).build());
    ds.addFiles(AddOptions.of(files));
    ds.close();
    return ds;
  }

  private static List<DatasetRecord> records(Dataset... versions) throws IOException {
    List<DatasetRecord> out = new java.util.ArrayList<>();
    for (Dataset v : versions) {
      out.add(v.record());
    }
    return out;
  }
}
