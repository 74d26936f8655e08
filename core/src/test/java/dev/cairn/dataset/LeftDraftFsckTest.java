package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gc.Fsck;
import dev.cairn.testing.TestRepos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fsck tells of a draft that a sync left when it was interrupted, which nothing else would ever remove. */
class LeftDraftFsckTest {
  @TempDir Path tmp;

  @Test
  void aDraftAnInterruptedSyncLeftIsWarnedOfAndOneALiveProcessFillsIsNot() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      List<String> argv = List.of("--project", "p", "--name", "d", "--folder", tmp.toString());
      Dataset left = VersionLifecycle.create(repo, CreateOptions.of("p", "d").build(), "sync", argv);
      Dataset live = VersionLifecycle.create(repo, CreateOptions.of("p", "e").build(), "sync", argv);
      Dataset.create(repo, CreateOptions.of("p", "f").build()); // a draft of create: no owner
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      repo.catalog().write(left.record().toBuilder().owner(gone.pid() + "@" + VersionLocks.hostName() + " " + Catalog.newId()).build());
      Fsck.Report r = new Fsck(repo, Progress.NONE).check();
      assertThat(r.problems()).singleElement().satisfies(p -> {
        assertThat(p.what()).isEqualTo(left.id());
        assertThat(p.message()).startsWith("draft 1.0.0 of p/d was left by a sync that was interrupted (its process ended)")
            .endsWith("cairn delete --id " + left.id().substring(0, 8) + " removes it");
      });
      assertThat(live.record().owner()).isNotNull();
      // Owned by a process of another pid namespace: never taken, said so.
      String me = dev.cairn.internal.proc.ProcessIdentity.current();
      repo.catalog().write(left.record().toBuilder().owner(gone.pid() + "@" + VersionLocks.hostName() + " " + Catalog.newId() + " "
          + me.substring(0, me.indexOf('.')) + ".1.12345").build());
      assertThat(new Fsck(repo, Progress.NONE).check().problems()).singleElement().satisfies(p -> assertThat(p.message())
          .contains("is being filled by a sync of another container (or of this one before it restarted)"));
    }
  }
}
