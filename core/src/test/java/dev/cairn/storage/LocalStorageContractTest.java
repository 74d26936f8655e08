package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.storage.local.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;

class LocalStorageContractTest extends AbstractRemoteStorageContractTest {
  @Override
  protected RemoteStorage newStorage() throws Exception {
    return new LocalStorage(tmp.resolve("remote"));
  }

  @Test
  void openingCreatesNothing() throws Exception {
    Path typo = tmp.resolve("typo");
    try (RemoteStorage s = new LocalStorage(typo)) {
      assertThat(s.list("")).isEmpty();
      assertThat(s.size("cairn-remote")).isEqualTo(-1);
    }
    assertThat(typo).doesNotExist();
  }

  @Test
  void temporaryFilesOfDeadWritersGoOnceOld() throws Exception {
    Path root = tmp.resolve("remote-tmp");
    try (RemoteStorage s = new LocalStorage(root)) {
      s.createIfAbsent("x", new byte[] {1});
      Path tmpDir = root.resolve(".tmp");
      Process ended = new ProcessBuilder("true").start();
      ended.waitFor();
      Path dead = tmpDir.resolve("p" + ended.pid() + "-" + java.util.UUID.randomUUID() + ".tmp");
      Path live = AtomicFiles.tempPath(tmpDir, "");
      Path young = tmpDir.resolve("p" + ended.pid() + "-" + java.util.UUID.randomUUID() + ".tmp");
      for (Path p : new Path[] {dead, live, young}) {
        Files.write(p, new byte[100]);
      }
      FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 7_200_000);
      Files.setLastModifiedTime(dead, old);
      Files.setLastModifiedTime(live, old);
      assertThat(s.removeStaleTemporaryFiles(3_600_000)).isEqualTo(1);
      assertThat(dead).doesNotExist();
      assertThat(live).exists();
      assertThat(young).exists();
      assertThat(s.list("")).extracting(RemoteFile::name).containsExactly("x");
    }
  }
}
