package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.errors.InvalidInputException;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writable copy that the disk cannot hold is refused before a byte is written. */
class CopyRoomTest {
  @TempDir Path tmp;

  @Test
  void moreThanIsFreeIsRefusedAndAFileSystemThatReportsNoSizeIsNotJudged() throws Exception {
    Path target = tmp.resolve("copy");
    assertThatThrownBy(() -> LocalCopies.requireRoom(target, 3L << 30, 1L << 30, 100L << 30)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Cannot copy into " + target + ": its files need 3.0 GiB, and the disk there has 1.0 GiB free; free some room, or copy"
            + " a part of the version (Selection.part, Selection.filtered)")
        .satisfies(e -> assertThat(((InvalidInputException) e).commandLineMessage()).endsWith("(--part, --filter)"));
    LocalCopies.requireRoom(target, 1L << 30, 1L << 30, 100L << 30); // exactly what is free
    LocalCopies.requireRoom(target, 3L << 30, 0, 0); // no size reported
  }

  @Test
  void aCopyIntoASmallDiskIsRefusedBeforeAnythingIsWritten() throws Exception {
    Path small = tmp.resolve("small");
    Files.createDirectories(small);
    // A real small file system: a 1 MiB tmpfs, where this machine lets the tests mount one (as root).
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()).redirectErrorStream(true).start();
    assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0, "a tmpfs can be mounted here");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Path src = tmp.resolve("src");
      Files.createDirectories(src);
      byte[] data = new byte[3 << 20];
      new Random(7).nextBytes(data);
      Files.write(src.resolve("big.bin"), data);
      Files.writeString(src.resolve("small.txt"), "fits");
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "room").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      Path target = small.resolve("copy");
      assertThatThrownBy(() -> ds.getMutableLocalCopy(target, false)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("its files need 3.0 MiB, and the disk there has");
      try (var left = Files.list(small)) {
        assertThat(left).as("nothing written").isEmpty();
      }
      // A part that fits is copied.
      Path part = ds.getMutableLocalCopy(target, false, Selection.filtered("small.txt"), Progress.NONE);
      assertThat(part.resolve("small.txt")).hasContent("fits");
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
