package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.id.ObjectId;
import dev.cairn.object.Version;
import dev.cairn.object.VersionFormat;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader rebuilding a version object from its record (spec/datasets.md, "Version objects") takes
 * the log entries timed no later than {@code closed}: the close's own entry is timed so, and every
 * entry a later command adds after it.
 */
class CloseLogTest {
  @TempDir Path tmp;

  /** The version object's id rebuilt from {@code r} as the spec tells a reader to. */
  private static ObjectId rebuilt(DatasetRepository repo, DatasetRecord r) throws IOException {
    List<ObjectId> parents = new ArrayList<>();
    for (String p : r.parents()) {
      parents.add(repo.catalog().read(p).versionObject());
    }
    List<LogEntry> atClose = r.log().stream().filter(e -> e.timeMillis() <= r.closedMillis()).toList();
    DatasetRecord asClosed = r.toBuilder().log(atClose).build();
    Version v = new Version(r.root(), parents, r.closedMillis(), VersionLifecycle.versionProperties(asClosed, r.summary()));
    return repo.repository().objects().algorithm().hash(VersionFormat.encode(v));
  }

  @Test
  void theEntriesTimedNoLaterThanTheCloseAreThoseOfTheVersionObject() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(folder.resolve("a.txt"), "a");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset parent = Dataset.create(repo, CreateOptions.of("p", "n").build());
      parent.addFiles(AddOptions.of(folder));
      parent.close();
      // A command right after the close, within its millisecond as often as not (one that changes
      // no field the version object holds: a tag, say, changes its tags).
      parent.publish();
      DatasetRecord closed = repo.catalog().read(parent.id());
      assertThat(closed.log()).extracting(LogEntry::command).containsExactly("create", "add", "close", "publish");
      assertThat(rebuilt(repo, closed)).isEqualTo(closed.versionObject());

      // A run that closes what it made logs one entry, timed before the close.
      Files.writeString(folder.resolve("b.txt"), "b");
      Dataset child = Dataset.create(repo, CreateOptions.of("p", "n").parents(List.of(parent.id())).build())
          .invokedAs("sync", List.of("--folder", folder.toString()));
      child.syncFolder(SyncOptions.of(folder), Progress.NONE);
      child.close();
      repo.get(child.id()).publish(); // not through the sync's handle, which logs all it does as the sync
      DatasetRecord synced = repo.catalog().read(child.id());
      assertThat(synced.log()).extracting(LogEntry::command).endsWith("sync", "publish");
      assertThat(rebuilt(repo, synced)).isEqualTo(synced.versionObject());
    }
  }

  private static final ObjectId ROOT = ObjectId.fromHex("ab".repeat(32));

  /** A closed record, at 1000 ms, with an empty log. */
  private static DatasetRecord repoLessRecord() {
    return new DatasetRecord.Builder().id("0123456789abcdef0123456789abcdef").project("p").name("n").version("1.0.0")
        .state(DatasetState.FINAL).createdMillis(500).closedMillis(1_000).base(ROOT).root(ROOT).build();
  }

  @Test
  void aCloseAfterTheClockWasSetBackIsTimedNoEarlierThanTheDraftsLog() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset v = Dataset.create(repo, CreateOptions.of("p", "n").build());
      // An entry made before the clock went back an hour.
      long ahead = System.currentTimeMillis() + 3_600_000;
      DatasetRecord r = v.record();
      repo.catalog().write(r.toBuilder().log(List.of(r.log().get(0), new LogEntry(ahead, "add", List.of(), ChangeSummary.EMPTY, 0))).build());
      v.close();
      DatasetRecord closed = repo.catalog().read(v.id());
      assertThat(closed.closedMillis()).isGreaterThanOrEqualTo(ahead);
      assertThat(rebuilt(repo, closed)).isEqualTo(closed.versionObject());
      v.publish();
      DatasetRecord published = repo.catalog().read(v.id());
      assertThat(published.publishedMillis()).isGreaterThan(closed.closedMillis())
          .isEqualTo(published.log().get(published.log().size() - 1).timeMillis());
    }
  }

  @Test
  void anEntryAddedAfterTheCloseIsTimedAfterItWhateverTheClock() {
    DatasetRecord.Builder b = repoLessRecord().toBuilder();
    b.appendLog(new LogEntry(400, "tags", List.of(), ChangeSummary.EMPTY, 0)); // a clock set back
    b.appendLog(new LogEntry(1_000, "publish", List.of(), ChangeSummary.EMPTY, 0));
    b.appendLog(new LogEntry(5_000, "upload", List.of(), ChangeSummary.EMPTY, 0));
    assertThat(b.build().log()).extracting(LogEntry::timeMillis).containsExactly(1_001L, 1_001L, 5_000L);
  }
}
