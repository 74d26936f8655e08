package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.internal.fs.AtomicFiles;
import dev.cairn.storage.local.LocalStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.UUID;
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
      Path dead = tmpDir.resolve("p" + ended.pid() + "-" + UUID.randomUUID() + ".tmp");
      Path live = AtomicFiles.tempPath(tmpDir, "");
      Path young = tmpDir.resolve("p" + ended.pid() + "-" + UUID.randomUUID() + ".tmp");
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
      // A file Cairn did not name is someone's: never removed, and a glance sees it.
      Path mine = tmpDir.resolve("notes.txt");
      Files.write(mine, new byte[10]);
      Files.setLastModifiedTime(mine, old);
      assertThat(s.removeStaleTemporaryFiles(3_600_000)).isZero();
      assertThat(mine).exists();
      assertThat(s.list("")).extracting(RemoteFile::name).containsExactly("x");
      assertThat(s.list("", 64)).extracting(RemoteFile::name).containsExactlyInAnyOrder("x", ".tmp/notes.txt");
      // One an ended process of this machine named (its pid table's tag): nobody renames it, young or old.
      String ours = AtomicFiles.tempPath(tmpDir, "").getFileName().toString();
      Path killed = tmpDir.resolve(ours.replaceFirst("^p\\d+t", "p" + ended.pid() + "t"));
      Files.write(killed, new byte[32]);
      if (AtomicFiles.madeByEndedProcessHere(killed.getFileName().toString())) { // where /proc tells the tag
        assertThat(s.removeStaleTemporaryFiles(3_600_000)).isEqualTo(1);
        assertThat(killed).doesNotExist();
        assertThat(young).exists();
      }
    }
  }

  @Test
  void aFileOnTheSameFileSystemIsPublishedByALinkNotACopy() throws Exception {
    Path staged = tmp.resolve("staged.pack");
    Files.write(staged, new byte[] {1, 2, 3});
    try (RemoteStorage s = new LocalStorage(tmp.resolve("remote-link"))) {
      s.publish("packs/p.pack", staged);
      assertThat(Files.getAttribute(staged, "unix:nlink")).isEqualTo(2);
      Files.delete(staged); // as a push does once the pack is up
      assertThat(s.read("packs/p.pack", 0, 3)).containsExactly(1, 2, 3);
      assertThat(tmp.resolve("remote-link/.tmp")).doesNotExist(); // nothing staged on the remote's side

      Path other = tmp.resolve("other.pack");
      Files.write(other, new byte[] {9});
      s.publish("packs/p.pack", other); // the name exists: left alone
      assertThat(s.read("packs/p.pack", 0, 3)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aFileOnAnotherFileSystemIsCopied() throws Exception {
    Path shm = Path.of("/dev/shm");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm)
        && !Files.getFileStore(shm).equals(Files.getFileStore(tmp)), "needs /dev/shm on another file system");
    Path staged = Files.createTempFile(shm, "cairn-test", ".pack");
    try (RemoteStorage s = new LocalStorage(tmp.resolve("remote-copy"))) {
      Files.write(staged, new byte[] {4, 5});
      s.publish("packs/q.pack", staged);
      assertThat(Files.getAttribute(staged, "unix:nlink")).isEqualTo(1);
      assertThat(s.read("packs/q.pack", 0, 2)).containsExactly(4, 5);
    } finally {
      Files.deleteIfExists(staged);
    }
  }
}
