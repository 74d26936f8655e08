package dev.cairn.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder remote holding files this process may not read or write: each refusal is a permanent
 * {@link StorageException} that names the remote (not retried, not a bare path), and records
 * refused one by one still leave the others readable. The operations run in a JVM of their own,
 * which, when the tests run as root (who reads anything), is started without root's power over
 * file permissions ({@code setpriv}).
 */
class LocalStorageDeniedTest {
  @TempDir Path tmp;

  /** Runs each operation on the remote {@code args[0]} and prints one line for each: its name, then what it threw or "ok". */
  public static void main(String[] args) throws IOException {
    LocalStorage s = new LocalStorage(Path.of(args[0]));
    Path staged = Files.writeString(Path.of(args[1]), "staged");
    List<Op> ops = List.of(
        new Op("read", () -> s.read("cairn-remote", 0, 1)),
        new Op("open", () -> s.open("cairn-remote").close()),
        new Op("size", () -> s.size("locked/record.json")),
        new Op("list", () -> s.list("locked/")),
        new Op("publish", () -> s.publish("locked/new.pack", staged)),
        new Op("createIfAbsent", () -> s.createIfAbsent("locked/new.json", new byte[] {1})),
        new Op("delete", () -> s.delete("locked/record.json")));
    for (Op op : ops) {
      try {
        op.run().call();
        System.out.println(op.name() + " ok");
      } catch (StorageException e) {
        System.out.println(op.name() + " StorageException transient=" + e.isTransient() + " denied=" + StorageException.isAccessDenied(e)
            + " " + e.getMessage());
      } catch (IOException e) {
        System.out.println(op.name() + " " + e.getClass().getSimpleName() + " " + e.getMessage());
      }
    }
  }

  private record Op(String name, Call run) {}

  @FunctionalInterface
  private interface Call {
    void call() throws IOException;
  }

  @Test
  void aFileThisProcessMayNotUseIsAPermanentErrorNamingTheRemote() throws Exception {
    Path remote = tmp.resolve("remote");
    Files.createDirectories(remote.resolve("locked"));
    Files.writeString(remote.resolve("cairn-remote"), "marker");
    Files.writeString(remote.resolve("locked/record.json"), "{}");
    Files.setPosixFilePermissions(remote.resolve("cairn-remote"), PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(remote.resolve("locked"), PosixFilePermissions.fromString("---------"));
    try {
      List<String> command = new ArrayList<>();
      if (Files.isReadable(remote.resolve("cairn-remote"))) { // root: drop its power over permissions
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is installed");
        command.addAll(List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search"));
      }
      command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
          LocalStorageDeniedTest.class.getName(), remote.toString(), tmp.resolve("staged").toString()));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      String uri = LocalStorage.uriOf(remote).toString();
      assertThat(lines).hasSize(7).allSatisfy(l -> assertThat(l).contains(" StorageException transient=false denied=true Cannot use remote "
          + uri + ": permission denied (" + remote));
      assertThat(lines.get(0)).endsWith("(" + remote.resolve("cairn-remote") + ")");
    } finally {
      Files.setPosixFilePermissions(remote.resolve("cairn-remote"), PosixFilePermissions.fromString("rw-------"));
      Files.setPosixFilePermissions(remote.resolve("locked"), PosixFilePermissions.fromString("rwx------"));
    }
  }
}
