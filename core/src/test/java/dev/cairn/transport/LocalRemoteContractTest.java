package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalRemoteContractTest extends AbstractRemoteContractTest {
  @Override
  protected String newLocation(String testName) {
    return tmp.resolve("remote-" + testName).toString();
  }

  @Test
  void aCollectionAskedForNoGraceKeepsTheTemporaryFilesOfTheLastMinute() throws Exception {
    DatasetRepository a = repo("a");
    version(a, "temps", folder("temps", Map.of("t.bin", TestRepos.random(5, 1_000)))).upload(location, null, Progress.NONE);
    Path tmpDir = Files.createDirectories(Path.of(location).resolve(".tmp"));
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    // Both of a process that has ended; one just written (an upload taking its lock, say).
    Path young = tmpDir.resolve("p" + ended.pid() + "-" + UUID.randomUUID() + ".tmp");
    Path old = tmpDir.resolve("p" + ended.pid() + "-" + UUID.randomUUID() + ".tmp");
    Files.write(young, new byte[10]);
    Files.write(old, new byte[10]);
    Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 2 * RemoteGarbageCollector.MIN_TEMPORARY_AGE_MILLIS));
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(new RemoteGarbageCollector(r, a.repository(), 0, Progress.NONE).run().temporaryFilesRemoved()).isEqualTo(1);
    }
    assertThat(young).exists();
    assertThat(old).doesNotExist();
  }
}
