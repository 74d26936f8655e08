package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#fileOrigins}: which version brought each file, through chains and merges. */
class FileOriginsTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  int folders;

  @BeforeEach
  void open() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
  }

  @AfterEach
  void close() throws IOException {
    repo.close();
  }

  /** A closed child of {@code parents} that adds or replaces {@code files} and removes {@code removed}. */
  Dataset version(Map<String, String> files, List<String> removed, String... parents) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "d").parents(parents).build());
    if (!files.isEmpty()) {
      Path dir = tmp.resolve("src" + folders++);
      for (Map.Entry<String, String> e : files.entrySet()) {
        Path f = dir.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
      }
      ds.addFiles(AddOptions.of(dir));
    }
    for (String r : removed) {
      ds.removeFiles(r);
    }
    return ds.close();
  }

  @Test
  void aFileComesFromTheVersionThatLastChangedIt() throws IOException {
    Dataset v1 = version(Map.of("a", "1", "b", "1", "c", "1", "sub/s", "1"), List.of());
    Dataset v2 = version(Map.of("b", "2", "d", "2"), List.of(), v1.id());
    Dataset v3 = version(Map.of("e", "3"), List.of("c", "a"), v2.id());
    // Added again with the bytes v1 had: the version that added it back brought it.
    Dataset v4 = version(Map.of("a", "1"), List.of(), v3.id());

    assertThat(v4.fileOrigins(List.of())).containsExactly(entry("a", v4.id()), entry("b", v2.id()), entry("d", v2.id()),
        entry("e", v3.id()), entry("sub/s", v1.id()));
    assertThat(v2.fileOrigins(List.of("sub/", "c"))).containsExactly(entry("c", v1.id()), entry("sub/s", v1.id()));
    assertThat(v1.fileOrigins(List.of())).containsOnlyKeys("a", "b", "c", "sub/s").allSatisfy((p, id) -> assertThat(id).isEqualTo(v1.id()));
  }

  @Test
  void throughAMergeAFileComesFromTheParentThatHoldsItAlikeTheLaterFirst() throws IOException {
    Dataset base = version(Map.of("a", "0", "b", "0"), List.of());
    Dataset left = version(Map.of("a", "left", "same", "z"), List.of(), base.id());
    Dataset right = version(Map.of("c", "right", "same", "z"), List.of(), base.id());
    Dataset merge = Dataset.create(repo, CreateOptions.of("p", "d").parents(left.id(), right.id()).build());
    Path own = tmp.resolve("own");
    Files.createDirectories(own);
    Files.writeString(own.resolve("m"), "merge's own");
    merge.addFiles(AddOptions.of(own));

    // A draft too: its files so far.
    assertThat(merge.fileOrigins(List.of())).containsExactly(entry("a", left.id()), entry("b", base.id()), entry("c", right.id()),
        entry("m", merge.id()), entry("same", right.id()));
  }

  @Test
  void aDeletedAncestorEndsTheLineage() throws IOException {
    Dataset v1 = version(Map.of("a", "1"), List.of());
    Dataset v2 = version(Map.of("b", "2"), List.of(), v1.id());
    v1.delete(true);
    assertThat(v2.fileOrigins(List.of())).containsExactly(entry("a", null), entry("b", v2.id()));
  }

  @Test
  void aFileKeptAlongALineageComesFromItsFirstVersion() throws IOException {
    Dataset first = version(Map.of("kept", "k"), List.of());
    Dataset last = first;
    for (int i = 0; i < 60; i++) {
      Dataset child = Dataset.create(repo, CreateOptions.of("p", "d").parents(last.id()).build());
      last = child.close();
    }
    assertThat(last.fileOrigins(List.of())).containsExactly(entry("kept", first.id()));
  }
}
