package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two datasets whose names differ only by Unicode normalization (composed against decomposed)
 * would look the same in every listing: a new one so named, by create or rename, is refused.
 */
class LookalikeNamesTest {
  private static final String COMPOSED = "caf\u00e9";
  private static final String DECOMPOSED = "cafe\u0301";

  @TempDir Path tmp;

  @Test
  void aDatasetSpeltInTheOtherFormOfAnExistingOneIsRefused() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset.create(repo, CreateOptions.of("w", COMPOSED).build()).close();
      assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of("w", DECOMPOSED).build()))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("Cannot create version: 'w/" + DECOMPOSED + "' (decomposed) looks the same as the dataset 'w/" + COMPOSED
              + "' (composed) here, spelt in another Unicode form; name that one as it is spelt (cairn search lists it), or pick another name");
      // The project counts as the name does; another project, or the same spelling, is another matter.
      Dataset.create(repo, CreateOptions.of(COMPOSED, "x").build());
      assertThatThrownBy(() -> Dataset.create(repo, CreateOptions.of(DECOMPOSED, "x").build())).isInstanceOf(InvalidInputException.class);
      assertThat(Dataset.create(repo, CreateOptions.of("other", DECOMPOSED).build()).name()).isEqualTo(DECOMPOSED);
      assertThat(Dataset.create(repo, CreateOptions.of("w", COMPOSED).build()).version()).isEqualTo("1.0.1");

      // A rename onto such a name is refused too; the dataset itself may be respelt.
      Dataset tea = Dataset.create(repo, CreateOptions.of("w", "tea").build());
      assertThatThrownBy(() -> tea.rename(DECOMPOSED)).isInstanceOf(InvalidInputException.class)
          .hasMessageStartingWith("Cannot rename tea to " + DECOMPOSED + ": 'w/" + DECOMPOSED + "' (decomposed) looks the same");
      Dataset cafe = repo.get("w", COMPOSED, null);
      assertThat(cafe.rename(DECOMPOSED)).isEqualTo(2);
      assertThat(repo.get("w", DECOMPOSED, null).version()).isEqualTo("1.0.1");
    }
  }

  @Test
  void twoLookalikesAnOlderReleaseMadeEachGetTheirNextVersion() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset made = Dataset.create(repo, CreateOptions.of("w", COMPOSED).build());
      made.close();
      // The twin as an older release (or a teammate's fetched version) left it: its record beside the first.
      DatasetRecord r = made.record();
      repo.catalog().create(r.toBuilder().id("0123456789abcdef0123456789abcdef").name(DECOMPOSED).build());
      assertThat(Dataset.create(repo, CreateOptions.of("w", DECOMPOSED).build()).name()).isEqualTo(DECOMPOSED);
      assertThat(Dataset.create(repo, CreateOptions.of("w", COMPOSED).build()).version()).isEqualTo("1.0.1");
    }
  }

  @Test
  void aPathSpeltInTheOtherFormIsRemovedAsThatPathBeforeAsAPattern() throws IOException {
    java.nio.file.Path src = java.nio.file.Files.createDirectories(tmp.resolve("br"));
    java.nio.file.Files.writeString(src.resolve("[e\u0301].jpg"), "bracketed");
    java.nio.file.Files.writeString(src.resolve("e\u0301.jpg"), "plain");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(repo, CreateOptions.of("w", "br").build());
      v.addFiles(AddOptions.of(src));
      v.removeFiles(new RemoveOptions(List.of("[\u00e9].jpg"), true, false), Progress.NONE); // typed composed
      assertThat(v.listFiles()).extracting(FileEntry::path).containsExactly("e\u0301.jpg");
    }
  }

  @Test
  void aFolderHoldingAFileSpeltInTheOtherFormSaysSoOfBothNames() throws IOException {
    java.nio.file.Path src = java.nio.file.Files.createDirectories(tmp.resolve("src"));
    java.nio.file.Files.writeString(src.resolve(DECOMPOSED + ".txt"), "menu");
    java.nio.file.Files.writeString(src.resolve("plain.txt"), "p");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(repo, CreateOptions.of("w", "menus").build());
      v.addFiles(AddOptions.of(src));
      v.close();
      // The folder as a copy through a system that recomposes names leaves it.
      java.nio.file.Files.move(src.resolve(DECOMPOSED + ".txt"), src.resolve(COMPOSED + ".txt"));
      assertThat(v.verify(src)).extracting(VerifyProblem::path, VerifyProblem::kind, VerifyProblem::detail).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple(DECOMPOSED + ".txt", VerifyProblem.Kind.MISSING,
              "not in the folder, which holds it as '" + COMPOSED + ".txt' (composed)"),
          org.assertj.core.groups.Tuple.tuple(COMPOSED + ".txt", VerifyProblem.Kind.UNEXPECTED,
              "not in the version, which holds it as '" + DECOMPOSED + ".txt' (decomposed)"));
    }
  }
}
