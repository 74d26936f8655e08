package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rename that meets a version changed since it listed it never leaves two versions one string. */
class RenameRaceTest {
  @TempDir Path tmp;

  @Test
  void aRenameRacingSetVersionLeavesEveryVersionStringToOneVersion() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("x.txt"), "hello");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "a").build());
      v1.addFiles(AddOptions.of(data));
      v1.close();
      Thread setVersion;
      Thread rename;
      try (VersionLocks.Lock held = repo.catalog().lock(v1.id())) {
        // set-version waits for the lock first; the rename lists the version (1.0.0), reserves
        // b/1.0.0, then waits too; set-version then makes it 2.0.0 before the rename writes.
        setVersion = new Thread(() -> run(() -> v1.setVersion("2.0.0")));
        setVersion.start();
        Thread.sleep(300);
        rename = new Thread(() -> run(() -> v1.rename("b")));
        rename.start();
        Thread.sleep(300);
      }
      setVersion.join();
      rename.join();
      DatasetRecord now = v1.record();
      // Whichever came first, the record's string is held for it, under its name.
      assertThat(repo.catalog().reservationHolder(now.project(), now.name(), now.version())).isEqualTo(v1.id());
      Dataset other;
      try {
        other = Dataset.create(repo, CreateOptions.of("p", "b").version("2.0.0").build());
      } catch (dev.cairn.errors.InvalidInputException taken) {
        other = null; // the rename came first: b 2.0.0 is v1's
      }
      Set<String> seen = new HashSet<>();
      for (DatasetRecord r : repo.list(null, null, List.of())) {
        assertThat(seen.add(r.project() + "/" + r.name() + " " + r.version())).as("one version per string: %s", r).isTrue();
      }
      if (other != null) {
        assertThat(now.name()).as("b 2.0.0 was free: the version kept its name").isEqualTo("a");
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void run(Step s) {
    try {
      s.run();
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
