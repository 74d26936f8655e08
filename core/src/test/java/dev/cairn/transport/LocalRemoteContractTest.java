package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.errors.MissingObjectException;
import dev.cairn.gc.GarbageCollector;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalRemoteContractTest extends AbstractRemoteContractTest {
  @Override
  protected String newLocation(String testName) {
    return tmp.resolve("remote-" + testName).toString();
  }

  @Test
  void aChildUploadedAfterItsParentWasDeletedAndCollectedHereGoesWithoutItsChangeSetSayingSo() throws Exception {
    DatasetRepository a = repo("a");
    Path src = folder("gone", Map.of("a.bin", TestRepos.random(7, 50_000), "b.bin", TestRepos.random(8, 50_000)));
    Dataset parent = version(a, "gone", src);
    Dataset child = Dataset.create(a, dev.cairn.dataset.CreateOptions.of("contract", "gone").parents(parent.id()).build());
    child.removeFiles("a.bin");
    child.close();
    parent.delete(true);
    new GarbageCollector(a, 0, 0, Progress.NONE).run(); // a.bin's data goes: only the child's base named it
    List<String> warnings = new ArrayList<>();
    child.upload(location, null, new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    assertThat(warnings).containsExactly("the change-set of " + child.id().substring(0, 8) + " is not sent to "
        + Path.of(location).toUri().toString().replaceFirst("/$", "") + ": part of what its parents held is no longer here (a parent"
        + " deleted, or fetched in part), so a copy got from there holds its files but cannot list what it changed");
    DatasetRepository b = repo("b");
    Dataset got = Dataset.get(b, child.id(), location);
    assertThat(snapshot(got.getLocalCopy())).containsOnlyKeys("b.bin");
    assertThatThrownBy(got::changes).isInstanceOf(MissingObjectException.class).hasMessageContaining("its remote lacks it, as an"
        + " upload made after a parent's data was deleted leaves it out, so its change-set cannot be shown; its files can");
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
