package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lookup by name that finds nothing says what was probably meant, as git's "did you mean". */
class NameSuggestionTest {
  @TempDir Path tmp;

  @Test
  void aTypoAnotherProjectOrAMissingVersionIsAnsweredWithTheClosestThere() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset.create(repo, CreateOptions.of("vision", "pets").build()).close();
      Dataset.create(repo, CreateOptions.of("vision", "pets").build()).close();
      Dataset.create(repo, CreateOptions.of("audio", "clips").build()).close();
      Dataset.create(repo, CreateOptions.of("audio", "petz").build()).close();
      assertThatThrownBy(() -> repo.get("vision", "pest", null, false)).isInstanceOf(DatasetNotFoundException.class)
          .hasMessage("Cannot find dataset version: no dataset vision/pest here; did you mean vision/pets?");
      assertThatThrownBy(() -> repo.get("visoin", "pets", null, false))
          .hasMessageEndingWith("no dataset visoin/pets here; did you mean vision/pets?");
      assertThatThrownBy(() -> repo.get(null, "Clips", null, false)).hasMessageEndingWith("; did you mean audio/clips?");
      assertThatThrownBy(() -> repo.get("vision", "pets", "9.9.9", false))
          .hasMessageEndingWith("no dataset vision/pets version 9.9.9 here; the highest version of vision/pets is 1.0.1");
      // The very name in a project far from the one typed still comes before a typo of it elsewhere.
      Dataset.create(repo, CreateOptions.of("vision", "pets2").build()).close();
      assertThatThrownBy(() -> repo.get("nope", "pets", null, false)).hasMessageEndingWith("no dataset nope/pets here; did you mean vision/pets?");
      // As close as a typo, a name cut short comes first: cat is cats before it is cut (of a project sorted first).
      Dataset.create(repo, CreateOptions.of("zoo", "cats").build()).close();
      Dataset.create(repo, CreateOptions.of("t", "cut").build()).close();
      assertThatThrownBy(() -> repo.get(null, "cat", null, false)).hasMessageEndingWith("no dataset cat here; did you mean zoo/cats?");
      // Nothing close: nothing guessed.
      assertThatThrownBy(() -> repo.get("vision", "weather", null, false)).hasMessageEndingWith("no dataset vision/weather here");
    }
  }

  @Test
  void distanceCountsASwapOfNeighboursAsOneEdit() {
    assertThat(NameSuggestion.distance("pets", "pest")).isEqualTo(1);
    assertThat(NameSuggestion.distance("pets", "pet")).isEqualTo(1);
    assertThat(NameSuggestion.distance("pets", "bats")).isEqualTo(2);
    assertThat(NameSuggestion.distance("", "abc")).isEqualTo(3);
  }
}
