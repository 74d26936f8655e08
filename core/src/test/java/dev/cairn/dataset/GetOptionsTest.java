package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.DatasetNotFoundException;
import dev.cairn.manifest.FileEntry;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dataset#get(DatasetRepository, GetOptions)}: clearml's {@code Dataset.get} keyword arguments. */
class GetOptionsTest {
  @TempDir Path tmp;
  DatasetRepository repo;
  Dataset published;
  Dataset closed;
  Dataset draft;

  @BeforeEach
  void threeVersions() throws IOException {
    repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL);
    published = version(null, "a.txt", "one", "gold");
    published.close().publish();
    closed = version(published.id(), "b.txt", "two", "raw");
    closed.close();
    draft = version(closed.id(), "c.txt", "three", "raw");
  }

  @AfterEach
  void closeRepo() throws IOException {
    repo.close();
  }

  /** A version of p/n (a draft) adding one file, tagged. */
  private Dataset version(String parent, String file, String content, String tag) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").parents(parent == null ? new String[0] : new String[] {parent})
        .tags(tag).build());
    Path dir = tmp.resolve("src-" + file);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), content);
    ds.addFiles(AddOptions.of(dir));
    return ds;
  }

  @Test
  void theNewestVersionOfEachStateIsTaken() throws IOException {
    assertThat(Dataset.get(repo, GetOptions.of("p", "n").build())).isEqualTo(draft);
    assertThat(Dataset.get(repo, GetOptions.of("p", "n").onlyClosed(true).build())).isEqualTo(closed);
    assertThat(Dataset.get(repo, GetOptions.of("p", "n").onlyPublished(true).build())).isEqualTo(published);
    assertThat(Dataset.get(repo, GetOptions.of(null, "n").onlyPublished(true).build())).isEqualTo(published);
    assertThat(Dataset.get(repo, GetOptions.of("p", "n").version("1.0.1").build())).isEqualTo(closed);
  }

  @Test
  void aVersionNamedByIdThatTheStateFilterExcludesIsNotFoundAndTheMessageSaysWhy() throws IOException {
    assertThatThrownBy(() -> Dataset.get(repo, GetOptions.id(draft.id()).onlyClosed(true).build()))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessage("Cannot get version " + draft.id() + " (p/n 1.0.2): it is a draft, and only closed versions were asked for");
    assertThatThrownBy(() -> Dataset.get(repo, GetOptions.id(closed.id().substring(0, 10)).onlyPublished(true).build()))
        .isInstanceOf(DatasetNotFoundException.class).hasMessageContaining("it is closed, not published");
    assertThat(Dataset.get(repo, GetOptions.id(closed.id()).onlyClosed(true).build())).isEqualTo(closed);
  }

  @Test
  void nothingOfTheStateAskedForIsNotFoundNamingTheNewest() throws IOException {
    assertThatThrownBy(() -> Dataset.get(repo, GetOptions.of("p", "n").tags("raw").onlyPublished(true).build()))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessage("Cannot find dataset version: no dataset p/n tagged any of [raw] here is published (the newest, p/n 1.0.2 ("
            + draft.id() + "), is a draft)");
    assertThatThrownBy(() -> Dataset.get(repo, GetOptions.of("p", "other").onlyPublished(true).build()))
        .isInstanceOf(DatasetNotFoundException.class).hasMessage("Cannot find dataset version: no dataset p/other here");
  }

  @Test
  void tagsChooseAmongVersionsOfANameOrOfAnyDataset() throws IOException {
    assertThat(Dataset.get(repo, GetOptions.of("p", "n").tags("gold").build())).isEqualTo(published);
    assertThat(Dataset.get(repo, GetOptions.of("p", "n").tags("raw").onlyClosed(true).build())).isEqualTo(closed);
    Dataset elsewhere = Dataset.create(repo, CreateOptions.of("q", "other").tags("gold").build());
    assertThat(Dataset.get(repo, GetOptions.tagged("gold").build())).isEqualTo(elsewhere);
    assertThat(Dataset.get(repo, GetOptions.tagged("gold").onlyPublished(true).build())).isEqualTo(published);
    assertThatThrownBy(() -> Dataset.get(repo, GetOptions.tagged("__$all", "gold", "raw").build()))
        .isInstanceOf(DatasetNotFoundException.class).hasMessage("Cannot find dataset version: no version tagged all of [gold, raw] here");
  }

  @Test
  void autoCreateMakesTheDraftThatIsNotFoundAndOnlyThen() throws IOException {
    Dataset made = Dataset.get(repo, GetOptions.of("q", "fresh").version("2.0.0").tags("new", "-old").autoCreate(true).build());
    DatasetRecord r = made.record();
    assertThat(r.isDraft()).isTrue();
    assertThat(r.project()).isEqualTo("q");
    assertThat(r.name()).isEqualTo("fresh");
    assertThat(r.version()).isEqualTo("2.0.0");
    assertThat(r.tags()).containsExactly("new");
    assertThat(r.parents()).isEmpty();
    assertThat(Dataset.get(repo, GetOptions.of("q", "fresh").autoCreate(true).build())).isEqualTo(made);
    assertThat(Dataset.get(repo, GetOptions.of("p", "n").onlyPublished(true).autoCreate(true).build())).isEqualTo(published);
    // Without a project, the draft joins the one project that holds the name.
    Dataset next = Dataset.get(repo, GetOptions.of(null, "n").tags("none").autoCreate(true).build());
    assertThat(next.record().project()).isEqualTo("p");
    assertThat(next.record().version()).isEqualTo("1.0.3");
    assertThat(Dataset.get(repo, GetOptions.of(null, "brand-new").autoCreate(true).build()).record().project()).isEmpty();
  }

  @Test
  void aWritableCopyIsANewDraftChildOfTheVersionFound() throws IOException {
    Dataset copy = Dataset.get(repo, GetOptions.of("p", "n").onlyClosed(true).writableCopy(true).build());
    DatasetRecord r = copy.record();
    assertThat(r.isDraft()).isTrue();
    assertThat(r.parents()).containsExactly(closed.id());
    assertThat(r.project() + "/" + r.name()).isEqualTo("p/n");
    assertThat(r.version()).isEqualTo("1.0.3");
    assertThat(copy.fileEntries().keySet()).containsExactly("a.txt", "b.txt");
  }

  @Test
  void fileEntriesAreKeyedByPathInPathOrder() throws IOException {
    Map<String, FileEntry> entries = draft.fileEntries();
    assertThat(entries.keySet()).containsExactly("a.txt", "b.txt", "c.txt");
    assertThat(entries.get("c.txt").size()).isEqualTo(5);
    assertThat(entries).isUnmodifiable();
  }

  @Test
  void aDraftWithChangesAndAVersionMadeForARemoteNotUploadedThereAreDirty() throws IOException {
    Path remote = tmp.resolve("remote");
    assertThat(closed.isDirty()).as("closed, no remote").isFalse();
    assertThat(draft.isDirty()).as("a draft with a file added").isTrue();
    Dataset forRemote = Dataset.create(repo, CreateOptions.of("p", "up").storage(remote.toString()).build());
    assertThat(forRemote.isDirty()).as("a draft without changes").isFalse();
    forRemote.close();
    assertThat(forRemote.isDirty()).as("closed, not uploaded to its remote").isTrue();
    forRemote.upload(remote.toString(), null, Progress.NONE);
    assertThat(forRemote.isDirty()).isFalse();
  }

  @Test
  void aNameSeveralProjectsHoldIsRefusedBeforeAnyFilterAndNothingIsCreated() throws IOException {
    Dataset other = Dataset.create(repo, CreateOptions.of("q", "n").build());
    other.close();
    int before = repo.list(null, null, null).size();
    for (GetOptions o : new GetOptions[] {GetOptions.of(null, "n").onlyPublished(true).build(),
        GetOptions.of(null, "n").tags("raw").onlyClosed(true).build(), GetOptions.of(null, "n").onlyPublished(true).autoCreate(true).build()}) {
      assertThatThrownBy(() -> Dataset.get(repo, o)).isInstanceOf(dev.cairn.errors.InvalidInputException.class)
          .hasMessage("Cannot tell which dataset 'n' is meant: projects 'p', 'q' each hold one; give the project too");
    }
    assertThat(repo.list(null, null, null)).hasSize(before);
  }

  @Test
  void emptyTagsAreRefusedAsNoTags() {
    for (String[] tags : new String[][] {{""}, {"__$all"}}) {
      assertThatThrownBy(() -> Dataset.get(repo, GetOptions.tagged(tags).build())).isInstanceOf(dev.cairn.errors.InvalidInputException.class)
          .hasMessage("Cannot find a version by its tags: give at least one tag");
    }
  }

  @Test
  void autoCreateDoesNotGuessTheProjectOfANameSeveralHold() throws IOException {
    Dataset.create(repo, CreateOptions.of("q", "n").build());
    int before = repo.list(null, null, null).size();
    assertThatThrownBy(() -> Dataset.get(repo, GetOptions.of(null, "n").version("9.0.0").autoCreate(true).build()))
        .isInstanceOf(dev.cairn.errors.InvalidInputException.class).hasMessageContaining("projects 'p', 'q' each hold one");
    assertThat(repo.list(null, null, null)).hasSize(before);
  }

  @Test
  void autoCreateOnANewRemoteMakesItAndTakesTheProjectARemoteHolds() throws IOException {
    Path fresh = tmp.resolve("fresh-remote");
    Dataset made = Dataset.get(repo, GetOptions.of("a", "new").storage(fresh.toString()).autoCreate(true).build());
    assertThat(made.record().isDraft()).isTrue();
    assertThat(fresh.resolve("cairn-remote")).exists();
    published.upload(fresh.toString(), null, Progress.NONE);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset draftThere = Dataset.get(b, GetOptions.of(null, "n").tags("nope").storage(fresh.toString()).autoCreate(true).build());
      assertThat(draftThere.record().project()).as("the remote's p/n").isEqualTo("p");
      assertThat(draftThere.record().version()).isEqualTo("1.0.1");
    }
  }

  @Test
  void aVersionStringHeldByAVersionTheFiltersLeaveOutIsNotCreatedAgain() throws IOException {
    assertThatThrownBy(() -> Dataset.get(repo, GetOptions.of("p", "n").version("1.0.2").onlyClosed(true).autoCreate(true).build()))
        .isInstanceOf(DatasetNotFoundException.class).hasMessageContaining("is a draft");
  }

  @Test
  void theStateAndTagsFilterTheVersionsOfARemote() throws IOException {
    Path remote = tmp.resolve("remote");
    published.upload(remote.toString(), null, Progress.NONE);
    closed.upload(remote.toString(), null, Progress.NONE);
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      String storage = remote.toString();
      assertThat(Dataset.get(b, GetOptions.of("p", "n").storage(storage).build()).id()).isEqualTo(closed.id());
      Dataset got = Dataset.get(b, GetOptions.of("p", "n").onlyPublished(true).storage(storage).build(), Progress.NONE);
      assertThat(got.id()).isEqualTo(published.id());
      assertThat(Files.readString(got.getLocalCopy().resolve("a.txt"))).isEqualTo("one");
      assertThat(Dataset.get(b, GetOptions.tagged("raw").storage(storage).build()).id()).isEqualTo(closed.id());
      assertThatThrownBy(() -> Dataset.get(b, GetOptions.tagged("none").storage(storage).build()))
          .isInstanceOf(DatasetNotFoundException.class).hasMessage("Cannot find dataset version: no version tagged any of [none] on " + storage);
      Dataset child = Dataset.get(b, GetOptions.id(published.id()).storage(storage).writableCopy(true).build());
      assertThat(child.record().parents()).containsExactly(published.id());
      assertThat(child.record().version()).isEqualTo("1.0.2"); // the remote's next: the draft's 1.0.2 in the other repository is not there
    }
  }

  @Test
  void optionsThatNameNothingOrTwoThingsAreRefused() {
    assertThatThrownBy(() -> new GetOptions("0123456789", "p", "n", null, null, false, false, null, false, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("by its id and by name or tags at once");
    assertThatThrownBy(() -> new GetOptions(null, "p", null, null, null, false, false, null, false, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without an id, a name or tags");
    assertThatThrownBy(() -> GetOptions.tagged("t").version("1.0.0").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GetOptions.tagged("t").autoCreate(true).build()).isInstanceOf(IllegalArgumentException.class);
  }
}
