package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.ConflictException;
import dev.cairn.testing.TestRepos;
import dev.cairn.transport.Pusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two repositories change one uploaded version's record at once: the one whose upload is refused
 * makes its change again on top of the other's, and both stand on the remote.
 */
class RecordRebaseTest {
  @TempDir Path tmp;

  /** A closed version of {@code repo} with one file, tagged {@code old}. */
  private Dataset closedVersion(DatasetRepository repo) throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("a.txt"), "a");
    Dataset v = Dataset.create(repo, CreateOptions.of("p", "n").tags("old").build());
    v.addFiles(AddOptions.of(src));
    v.close();
    return v;
  }

  @Test
  void aChangeMadeWhileApartIsMadeAgainOnTopOfTheTeammates() throws IOException {
    String remote = tmp.resolve("remote").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.setMetadata(Map.of("gone", "1", "kept", "1"));
      v.upload(remote, null, Progress.NONE);
      Dataset bobs = Dataset.get(bob, v.id(), remote);
      // Bob's change, made here (offline, say); alice's reaches the remote first.
      bobs.addTags(List.of("mine"));
      bobs.removeTags(List.of("old"));
      bobs.setMetadata(java.util.Collections.singletonMap("gone", null));
      bobs.setDescription("bob's words");
      v.addTags(List.of("hers"));
      v.setMetadata(Map.of("kept", "2"));
      v.publish();
      v.upload(remote, null, Progress.NONE);

      Pusher.Result pushed = bobs.upload(remote, null, Progress.NONE);
      assertThat(pushed.merged()).singleElement().asString().contains("changed here (tags, metadata, set-description)")
          .contains("(tags, metadata, publish)").contains("made again on top of the remote's").doesNotContain("wins");
      assertThat(bobs.record().tags()).containsExactly("hers", "mine");
      DatasetRecord there = Dataset.get(DatasetRepository.open(tmp.resolve("carol"), TestRepos.SMALL), v.id(), remote).record();
      assertThat(there.tags()).containsExactly("hers", "mine");
      assertThat(there.metadata()).isEqualTo(Map.of("kept", "2"));
      assertThat(there.description()).isEqualTo("bob's words");
      assertThat(there.state()).isEqualTo(DatasetState.PUBLISHED);
      assertThat(tmp.resolve("bob/refs/agreed")).as("the two agree again: nothing kept").isEmptyDirectory();
      // Alice takes it without a conflict: hers is a part of it. Her copy keeps the remote's order
      // of changes (bob's, older, after hers), so that her next change extends the remote's record.
      assertThat(alice.catchUp(v.id(), remote)).isTrue();
      assertThat(alice.get(v.id()).record().tags()).containsExactly("hers", "mine");
      alice.get(v.id()).addTags(List.of("later"));
      alice.get(v.id()).upload(remote, null, Progress.NONE);
      assertThat(Dataset.get(DatasetRepository.open(tmp.resolve("dave"), TestRepos.SMALL), v.id(), remote).record().tags())
          .containsExactly("hers", "mine", "later");
    }
  }

  @Test
  void aCatchUpMakesTheChangeHereAgainOnTopAndKeepsTheCopiesOnOtherRemotes() throws IOException {
    String remote = tmp.resolve("remote").toString();
    String other = tmp.resolve("other").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.upload(remote, null, Progress.NONE);
      Dataset bobs = Dataset.get(bob, v.id(), remote);
      bobs.upload(other, null, Progress.NONE); // a copy of bob's own
      bobs.addTags(List.of("mine"));
      v.rename("renamed");
      v.upload(remote, null, Progress.NONE);

      List<String> notes = new java.util.ArrayList<>();
      bob.catchUpOrNote(v.id(), remote, notes::add);
      assertThat(notes).singleElement().asString().startsWith("the record of " + v.shortId() + " was changed here (tags) and on file://"
          + remote + " (rename) since the two last agreed: the change made here is made again on top of the remote's");
      DatasetRecord now = bobs.record();
      assertThat(now.tags()).containsExactly("old", "mine");
      assertThat(now.name()).as("the teammate's rename taken").isEqualTo("renamed");
      assertThat(now.uploadedTo()).hasSize(2);
      // The string moved along with the name: a new version of the old name starts afresh, and one
      // of the new name does not take the string the version holds.
      assertThat(Dataset.create(bob, CreateOptions.of("p", "n").build()).record().version()).isEqualTo(now.version());
      assertThat(Dataset.create(bob, CreateOptions.of("p", "renamed").build()).record().version()).isNotEqualTo(now.version());
      bobs.upload(remote, null, Progress.NONE);
      assertThat(Dataset.get(DatasetRepository.open(tmp.resolve("carol"), TestRepos.SMALL), v.id(), remote).record().tags())
          .containsExactly("old", "mine");
    }
  }

  @Test
  void copiesTakenFromOneRemoteAndChangedApartMergeOnAnother() throws IOException {
    String remote = tmp.resolve("remote").toString();
    String second = tmp.resolve("second").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL);
        DatasetRepository carol = DatasetRepository.open(tmp.resolve("carol"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.upload(remote, null, Progress.NONE);
      Dataset bobs = Dataset.get(bob, v.id(), remote);
      Dataset carols = Dataset.get(carol, v.id(), remote);
      bobs.addTags(List.of("bob"));
      carols.addTags(List.of("carol"));
      carols.upload(second, null, Progress.NONE);
      // Bob's record never agreed with the second remote, but both copies extend what he and the
      // first remote agreed on: the start his change is made again from.
      assertThat(bobs.upload(second, null, Progress.NONE).merged()).hasSize(1);
      assertThat(Dataset.get(DatasetRepository.open(tmp.resolve("dave"), TestRepos.SMALL), v.id(), second).record().tags())
          .containsExactly("old", "carol", "bob");
    }
  }

  /**
   * Two remotes that each merged the same two changes, in other orders, hold the same changes: a
   * later change goes to both (compared in order, the logs had parted for good).
   */
  @Test
  void remotesThatMergedTheSameChangesInOtherOrdersStillTakeLaterChanges() throws IOException {
    String one = tmp.resolve("one").toString();
    String two = tmp.resolve("two").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL);
        DatasetRepository carol = DatasetRepository.open(tmp.resolve("carol"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.upload(one, null, Progress.NONE);
      v.upload(two, null, Progress.NONE);
      Dataset carols = Dataset.get(carol, v.id(), two);
      v.addTags(List.of("a1"));
      v.upload(one, null, Progress.NONE); // the second remote out of reach
      carols.addTags(List.of("c1"));
      carols.upload(two, null, Progress.NONE); // the first out of reach
      assertThat(v.upload(two, null, Progress.NONE).merged()).hasSize(1);
      assertThat(carols.upload(one, null, Progress.NONE).merged()).hasSize(1);
      Dataset bobs = Dataset.get(bob, v.id(), one);
      bobs.addTags(List.of("b1"));
      bobs.upload(one, null, Progress.NONE);
      bobs.upload(two, null, Progress.NONE);
      v.addTags(List.of("a2"));
      v.upload(one, null, Progress.NONE);
      v.upload(two, null, Progress.NONE);
      for (String remote : List.of(one, two)) {
        DatasetRecord there = Dataset.get(DatasetRepository.open(tmp.resolve("dave-" + remote.hashCode()), TestRepos.SMALL), v.id(), remote)
            .record();
        assertThat(there.tags()).as(remote).containsExactlyInAnyOrder("old", "a1", "c1", "b1", "a2");
      }
    }
  }

  @Test
  void whatBothSidesChangedEachTheirOwnWayIsNamedAndTheValueSetHereWins() throws IOException {
    String remote = tmp.resolve("remote").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.setMetadata(Map.of("split", "dev", "same", "0", "other", "0"));
      v.upload(remote, null, Progress.NONE);
      Dataset bobs = Dataset.get(bob, v.id(), remote);
      bobs.setMetadata(Map.of("split", "train", "same", "1"));
      bobs.setDescription("bob's words");
      v.setMetadata(Map.of("split", "test", "same", "1", "other", "1"));
      v.setDescription("alice's words");
      v.upload(remote, null, Progress.NONE);

      Pusher.Result pushed = bobs.upload(remote, null, Progress.NONE);
      // "same" was set to one value on both sides, "other" by alice alone: neither is a clash.
      assertThat(pushed.merged()).singleElement().asString()
          .endsWith("the value set here wins (metadata split, the description)");
      DatasetRecord there = Dataset.get(DatasetRepository.open(tmp.resolve("carol"), TestRepos.SMALL), v.id(), remote).record();
      assertThat(there.metadata()).isEqualTo(Map.of("split", "train", "same", "1", "other", "1"));
      assertThat(there.description()).isEqualTo("bob's words");
    }
  }

  @Test
  void withoutTheRecordAgreedOnTheChangeIsMadeAgainFromTheOneGiven() throws IOException {
    String remote = tmp.resolve("remote").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.upload(remote, null, Progress.NONE);
      Dataset bobs = Dataset.get(bob, v.id(), remote);
      DatasetRecord agreed = bobs.record();
      bobs.addTags(List.of("mine"));
      v.addTags(List.of("hers"));
      v.upload(remote, null, Progress.NONE);
      deleteTree(tmp.resolve("bob/refs/agreed")); // lost (a repository of an older release kept none)
      assertThatThrownBy(() -> bobs.upload(remote, null, Progress.NONE)).isInstanceOf(ConflictException.class);

      RecordMerge onto = bob.rebaseRecordChange(v.id(), remote, agreed);
      assertThat(onto).isNotNull();
      assertThat(onto.theirs().tags()).containsExactly("old", "hers");
      assertThat(onto.merged().tags()).containsExactly("old", "hers", "mine");
      bobs.upload(remote, null, Progress.NONE);
      assertThat(Dataset.get(DatasetRepository.open(tmp.resolve("carol"), TestRepos.SMALL), v.id(), remote).record().tags())
          .containsExactly("old", "hers", "mine");
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aRenameHereIsMadeAgainOnTopOfATeammatesTag() throws IOException {
    String remote = tmp.resolve("remote").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.upload(remote, null, Progress.NONE);
      Dataset bobs = Dataset.get(bob, v.id(), remote);
      bobs.rename("m");
      v.addTags(List.of("hers"));
      v.upload(remote, null, Progress.NONE);
      assertThat(bobs.upload(remote, null, Progress.NONE).merged()).singleElement().asString().contains("changed here (rename)");
      DatasetRecord there = Dataset.get(DatasetRepository.open(tmp.resolve("carol"), TestRepos.SMALL), v.id(), remote).record();
      assertThat(there.name()).isEqualTo("m");
      assertThat(there.tags()).containsExactly("old", "hers");
    }
  }

  @Test
  void aRenameOnBothSidesIsNotMadeAgain() throws IOException {
    String remote = tmp.resolve("remote").toString();
    try (DatasetRepository alice = DatasetRepository.open(tmp.resolve("alice"), TestRepos.SMALL);
        DatasetRepository bob = DatasetRepository.open(tmp.resolve("bob"), TestRepos.SMALL)) {
      Dataset v = closedVersion(alice);
      v.upload(remote, null, Progress.NONE);
      Dataset bobs = Dataset.get(bob, v.id(), remote);
      DatasetRecord agreed = bobs.record();
      bobs.rename("m");
      v.rename("k");
      v.upload(remote, null, Progress.NONE);
      assertThatThrownBy(() -> bobs.upload(remote, null, Progress.NONE)).isInstanceOf(ConflictException.class);
      assertThat(bob.rebaseRecordChange(v.id(), remote, agreed)).isNull();
      assertThat(bob.get(v.id()).record().name()).as("left as it was").isEqualTo("m");
    }
  }
}
