package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the API hands back: listings that read projects as clearml does, and collections no caller can change. */
class ApiResultsTest {
  @TempDir Path tmp;

  private Dataset closed(DatasetRepository repo, String project, String name) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src-" + project.replace('/', '_') + "-" + name));
    Files.writeString(src.resolve("a.txt"), project + "/" + name);
    Dataset ds = Dataset.create(repo, CreateOptions.of(project, name).build());
    ds.addFiles(AddOptions.of(src));
    return ds.close();
  }

  @Test
  void aListingByProjectTakesSubprojectsWhenAskedAndEmptyMeansNoProject() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      closed(repo, "p", "top");
      closed(repo, "p/sub", "under");
      closed(repo, "pp", "beside");
      closed(repo, "", "loose");
      assertThat(Dataset.list(repo, "p", null, null, true)).extracting(DatasetRecord::name).containsExactly("top", "under");
      assertThat(Dataset.list(repo, "p/", null, null, true)).extracting(DatasetRecord::name).containsExactly("top", "under");
      assertThat(Dataset.list(repo, "p", null, null, false)).extracting(DatasetRecord::name).containsExactly("top");
      assertThat(Dataset.list(repo, "", null, null, true)).extracting(DatasetRecord::name).containsExactly("loose");
      assertThat(Dataset.list(repo, null, null, null, true)).hasSize(4);
      // The exact listing stays as documented: empty is any project.
      assertThat(Dataset.list(repo, "", null, null)).hasSize(4);
      assertThat(Dataset.list(repo, "p", null, null)).extracting(DatasetRecord::name).containsExactly("top");
    }
  }

  @Test
  void collectionsHandedBackCannotBeChanged() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset parent = closed(repo, "p", "d");
      Path more = Files.createDirectories(tmp.resolve("more"));
      Files.writeString(more.resolve("b.txt"), "b");
      Dataset child = Dataset.create(repo, CreateOptions.of("p", "d").parents(parent.id()).build());
      child.addFiles(AddOptions.of(more));
      child.close();
      List<Object> results = List.of(child.listFiles(), child.listFiles(List.of("*.txt")), child.changes(), child.compare(parent),
          child.fileOrigins(List.of()), child.fileOriginRecords(List.of()), child.dependencyGraph(),
          child.dependencyGraph().get(child.id()), child.verify(), child.verifySizes(), child.parentsMergedAsUnion(),
          child.mergeBasesNotHere(), child.conflictsResolvedByDeletion(), child.conflictsChangedSinceMerge(),
          child.changedCachedFolders(), child.listAddedFiles(), child.tags(), child.metadata(), child.fileEntries());
      for (Object r : results) {
        if (r instanceof java.util.Collection<?> c) {
          assertThatThrownBy(c::clear).as("%s", r).isInstanceOf(UnsupportedOperationException.class);
        } else {
          assertThatThrownBy(((java.util.Map<?, ?>) r)::clear).as("%s", r).isInstanceOf(UnsupportedOperationException.class);
        }
      }
      assertThat(child.listFiles()).hasSize(2);
    }
  }
}
