package dev.cairn.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.Main;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident daemon and its client as the launcher runs them: a real JVM and the real Perl
 * client ({@code bin/cairn-client}) talking over a real Unix socket, against a real repository. What the daemon serves prints and exits exactly as the
 * command run in-process does; what it cannot run exactly so it declines, and nothing runs.
 */
class DaemonTest {
  private static final String STAMP = "1764583200.123456";
  private static final String UMASK = "0022";
  /** The client script, from the module's folder (where the build runs the tests). */
  private static final Path CLIENT = Path.of("..", "bin", "cairn-client").toAbsolutePath().normalize();

  @TempDir Path work;
  private Path socket;
  private Process daemon;
  private long daemonStart;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void startDaemon() throws Exception {
    socket = work.resolve("d.sock");
    Files.createDirectories(work.resolve("data/sub"));
    for (int i = 0; i < 40; i++) {
      Files.writeString(work.resolve("data/sub/f" + i + ".csv"), "row," + i + "\n".repeat(i));
    }
    Files.writeString(work.resolve("data/a.txt"), "alpha\n");
    daemonStart = System.currentTimeMillis() - 1000;
    startDaemonIn(work);
  }

  private void startDaemonIn(Path folder) throws Exception {
    startDaemonIn(folder, Map.of());
  }

  private void startDaemonIn(Path folder, Map<String, String> env) throws Exception {
    Files.deleteIfExists(Path.of(socket + ".pid"));
    ProcessBuilder pb = new ProcessBuilder(java(List.of(DaemonServer.class.getName(), "--socket", socket.toString(), "--stamp", STAMP,
        "--umask", UMASK, "--idle-minutes", "10")))
        .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("daemon.log").toFile());
    pb.environment().putAll(env);
    daemon = pb.start();
    for (int i = 0; i < 400 && !(Files.exists(socket) && Files.exists(Path.of(socket + ".pid"))); i++) {
      Thread.sleep(25);
    }
    assertThat(socket).as(log()).exists();
    assertThat(Files.readAllLines(Path.of(socket + ".pid"))).containsExactly(Long.toString(daemon.pid()), STAMP);
  }

  @AfterEach
  void stopDaemon() throws Exception {
    daemon.destroy();
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theWarmUpNeverReachesTheRemoteTheUserNamed() throws Exception {
    stopDaemon();
    Path remote = work.resolve("team-remote");
    startDaemonIn(work, Map.of("CAIRN_STORAGE", remote.toString()));
    assertThat(log()).contains("warmed up: ").doesNotContain("warmed up: 0 commands"); // one round at least: a sync, a search, a get
    assertThat(remote).as("the warm-up uploaded nothing, made no remote").doesNotExist();
    // The user's commands still take it.
    Result sync = client(Map.of("CAIRN_STORAGE", remote.toString()), "--repo", "repo", "sync", "--project", "p", "--name", "n",
        "--folder", "data");
    assertThat(sync.exit()).as(sync.err()).isZero();
    assertThat(remote.resolve("cairn-remote")).exists();
  }

  @Test
  void servesCommandsAsTheirOwnJvmWould() throws Exception {
    Result sync = client(Map.of(), "--repo", "repo", "sync", "--project", "p", "--name", "n", "--folder", "data");
    assertThat(sync.exit()).as(sync.err()).isZero();
    assertThat(sync.out()).contains("41 files added, 0 modified, 0 removed").contains("Closed version");
    assertThat(sync.err()).isEmpty();

    // Relative paths mean the client's folder: the repository was made there.
    Path repo = work.resolve("repo");
    assertThat(repo.resolve("config")).exists();
    Result list = client(Map.of(), "--repo", "repo", "list", "--project", "p", "--name", "n");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).isEqualTo(inProcess("--repo", repo.toString(), "list", "--project", "p", "--name", "n").out());
    assertThat(list.out()).contains("sub/f39.csv");

    Result unchanged = client(Map.of(), "--repo", "repo", "sync", "--project", "p", "--name", "n", "--folder", "data");
    assertThat(unchanged.exit()).isZero();
    assertThat(unchanged.out()).contains("No change");

    Result missing = client(Map.of(), "--repo", "repo", "get", "--id", "deadbeefdeadbeef");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err().strip().lines()).hasSize(1).allMatch(l -> l.startsWith("cairn: "));
    assertThat(missing.err()).isEqualTo(inProcess("--repo", repo.toString(), "get", "--id", "deadbeefdeadbeef").err());

    Result usage = client(Map.of(), "--repo", "repo", "list", "--no-such-flag");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).startsWith("cairn: ");

    assertThat(log()).contains("warmed up: ").contains("sync exit 0").contains("list exit 0").contains("get exit 1");
    try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(tmp.filter(p -> p.getFileName().toString().startsWith("cairn-daemon-warmup"))
          .filter(p -> p.toFile().lastModified() > daemonStart)).as("the warm-up's folder is deleted").isEmpty();
    }
    assertThat(daemon.isAlive()).isTrue();
  }

  @Test
  void passesArgumentsThroughByteForByte() throws Exception {
    daemon.destroy();
    daemon.waitFor(30, TimeUnit.SECONDS);
    Map<String, String> utf8 = Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8");
    startDaemonIn(work, utf8);
    Path repo = work.resolve("repo");
    String name = "Été 2026 \"q\" 'x' $HOME end";
    // Through a script of UTF-8 bytes: this JVM would encode a process's arguments in its own locale.
    List<String> argv = List.of("perl", CLIENT.toString(), socket.toString(), STAMP, UMASK, work.toRealPath().toString(),
        "--repo", repo.toString(), "create", "--project", "p", "--name", name, "--tags", "a b", "ü");
    Path script = work.resolve("client.sh");
    Files.writeString(script, "exec " + String.join(" ", argv.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList()) + "\n",
        StandardCharsets.UTF_8);
    Result create = run(List.of("sh", script.toString()), work, utf8);
    assertThat(create.exit()).as(create.err()).isZero();
    Result search = inProcess("--repo", repo.toString(), "search", "--not-only-completed", "--json");
    assertThat(search.out()).contains("Été 2026 \\\"q\\\" 'x' $HOME end").contains("\"a b\"").contains("\"ü\"");
    // Declined when only the client is in another locale: its arguments would decode otherwise.
    assertNotServed(client(Map.of("LANG", "C.UTF-8"), "--version"));
  }

  @Test
  void relaysLargeOutputWhole() throws Exception {
    for (int i = 0; i < 3000; i++) {
      Files.writeString(work.resolve("data/sub/many-" + i + ".txt"), "x" + i);
    }
    Path repo = work.resolve("repo");
    assertThat(client(Map.of(), "--repo", repo.toString(), "sync", "--project", "p", "--name", "big", "--folder", "data").exit()).isZero();
    Result list = client(Map.of(), "--repo", repo.toString(), "list", "--project", "p", "--name", "big", "--json");
    assertThat(list.exit()).isZero();
    assertThat(list.out().length()).isGreaterThan(200_000);
    assertThat(list.out()).isEqualTo(inProcess("--repo", repo.toString(), "list", "--project", "p", "--name", "big", "--json").out());
  }

  @Test
  void declinesWhatItCannotRunExactlySoAndRunsNothing() throws Exception {
    Path repo = work.resolve("repo");
    String[] create = {"--repo", repo.toString(), "create", "--project", "p", "--name", "declined"};

    assertNotServed(client(Map.of("CAIRN_STORAGE", work.resolve("remote").toString()), create));
    assertNotServed(client(work.resolve("data"), UMASK, STAMP, Map.of(), create));
    assertNotServed(client(work, "0077", STAMP, Map.of(), create));
    assertNotServed(client(Map.of(), "serve", "--port", "0"));
    // Files that are the client's own streams: the daemon's would be opened instead.
    assertNotServed(client(Map.of(), "--repo", repo.toString(), "lock", "--run", "r", "--output", "/dev/stdout"));
    assertNotServed(client(Map.of(), "--repo", repo.toString(), "get", "--lock=/dev/stdin"));
    assertNotServed(client(Map.of(), "--repo", repo.toString(), "get", "--lock", "-"));
    assertNotServed(client(Map.of(), "--repo", repo.toString(), "export", "--output", "/proc/self/fd/1"));
    assertThat(repo).doesNotExist();
    assertThat(log()).doesNotContain(" exit ");

    // The variables that only steer the launcher do not count.
    assertThat(client(Map.of("CAIRN_TIMING", "1", "CAIRN_DAEMON_DEBUG", "1"), "--version").exit()).isZero();

    // A request from another build: declined, and the daemon makes way for that build's own.
    assertNotServed(client(work, UMASK, "1764583299.999", Map.of(), create));
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as(log()).isTrue();
    assertThat(socket).doesNotExist();
    assertThat(Path.of(socket + ".pid")).doesNotExist();
    assertThat(repo).doesNotExist();
  }

  @Test
  void aFolderMadeAgainUnderTheSameNameStopsTheDaemon() throws Exception {
    Path folder = work.resolve("served");
    Files.createDirectories(folder);
    daemon.destroy();
    daemon.waitFor(30, TimeUnit.SECONDS);
    startDaemonIn(folder);
    assertThat(client(folder, UMASK, STAMP, Map.of(), "--version").exit()).isZero();
    Files.delete(folder);
    Files.createDirectories(folder);
    // Relative paths would now name files in the deleted folder: declined, and the daemon stops.
    assertNotServed(client(folder, UMASK, STAMP, Map.of(), "--version"));
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as(log()).isTrue();
    assertThat(log()).contains("the folder was replaced");
  }

  @Test
  void aClientThatGoesAwayStopsTheDaemonAndItsCommand() throws Exception {
    // Enough files that the sync outlasts the daemon's wait for a busy slot (300 ms) on a fast
    // machine: 2,000 no longer did once small files were stored without handing chunks to workers.
    for (int i = 0; i < 12_000; i++) {
      Files.write(work.resolve("data/sub/blob-" + i + ".bin"), new byte[4096 + i]);
    }
    Path repo = work.resolve("repo");
    try (SocketChannel ch = request("--repo", repo.toString(), "sync", "--project", "p", "--name", "n", "--folder", "data")) {
      assertThat(answer(ch)).isEqualTo(DaemonProtocol.ACCEPTED);
      // One command at a time: a second request meanwhile is declined, and nothing runs for it.
      try (SocketChannel second = request("--repo", repo.toString(), "create", "--project", "p", "--name", "other")) {
        assertThat(answer(second)).isEqualTo(DaemonProtocol.DECLINED);
      }
    } // Ctrl-C: the client's end closes while the command runs
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as(log()).isTrue();
    assertThat(daemon.exitValue()).isEqualTo(130);
    assertThat(log()).contains("the client went away").doesNotContain("create exit");
    assertThat(socket).doesNotExist();

    // Whatever the interrupted sync left, the repository is sound and the sync can be run again.
    // On a slow machine the sync may be stopped while it makes the repository, before its config
    // (fsync'ed) is published: then there is no repository yet, and the sync makes one.
    Result checked = inProcess("--repo", repo.toString(), "fsck");
    if (Files.exists(repo.resolve("config"))) {
      assertThat(checked.exit()).as(checked.out() + checked.err()).isZero();
    } else {
      assertThat(checked.err()).as(checked.out() + checked.err()).contains("no Cairn repository at " + repo);
    }
    Result again = inProcess("--repo", repo.toString(), "sync", "--project", "p", "--name", "n", "--folder", work.resolve("data").toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(inProcess("--repo", repo.toString(), "verify", "--project", "p", "--name", "n", "--folder", work.resolve("data").toString()).exit())
        .isZero();
  }

  @Test
  void aCommandCutOffByTheDaemonsStopSaysSo() throws Exception {
    for (int i = 0; i < 12_000; i++) {
      Files.write(work.resolve("data/sub/blob-" + i + ".bin"), new byte[4096 + i]);
    }
    Path repo = work.resolve("repo");
    assertThat(inProcess("--repo", repo.toString(), "sync", "--project", "p", "--name", "n", "--folder", work.resolve("data").toString())
        .exit()).isZero();
    StringBuilder err = new StringBuilder();
    Integer exit = null;
    try (SocketChannel ch = request("--repo", repo.toString(), "get", "--project", "p", "--name", "n", "--copy", "copy")) {
      assertThat(answer(ch)).isEqualTo(DaemonProtocol.ACCEPTED);
      Thread.sleep(300);
      daemon.destroy(); // cairn daemon stop: a SIGTERM
      DataInputStream in = new DataInputStream(DaemonProtocol.input(ch));
      try {
        while (exit == null) {
          byte type = in.readByte();
          int n = in.readInt();
          if (type == DaemonProtocol.EXIT) {
            exit = n;
          } else {
            byte[] b = in.readNBytes(n);
            if (type == DaemonProtocol.STDERR) {
              err.append(new String(b, StandardCharsets.UTF_8));
            }
          }
        }
      } catch (java.io.EOFException gone) {
        // the JVM ended before its reply did: the client says the daemon stopped
      }
    }
    assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
    if (exit != null && exit != 0) {
      // An exit code came: the reason with it (it was a bare exit 1).
      assertThat(err.toString()).as(log()).contains("cairn: interrupted (the daemon was stopped); nothing half-written is visible, ");
    }
  }

  @Test
  void relaysWhatAnInterruptionShouldSuggest() throws Exception {
    Path repo = work.resolve("repo");
    Path remote = work.resolve("remote");
    String storage = remote.toUri().toString();
    Hints run = hintsOf("--repo", repo.toString(), "sync", "--project", "p", "--name", "n", "--folder",
        work.resolve("data").toString(), "--storage", storage);
    List<String> hints = run.hints();
    int exit = run.exit();
    assertThat(exit).as(log()).isZero();
    // First what any command suggests, then, once the version is closed and its upload begins,
    // the upload that finishes the job (running the sync again would find no change).
    assertThat(hints).hasSize(2);
    assertThat(hints.get(0)).isEqualTo(Main.DEFAULT_HINT);
    assertThat(hints.get(1)).matches("but (\\p{XDigit}{8}) is closed: run 'cairn upload --id \\1 --storage "
        + Pattern.quote(storage) + "' to finish uploading it");
  }

  @Test
  void relaysThatACopyStandsOnceItIsCommitted() throws Exception {
    Path repo = work.resolve("repo");
    assertThat(inProcess("--repo", repo.toString(), "sync", "--project", "p", "--name", "n", "--folder", work.resolve("data").toString())
        .exit()).isZero();
    Path into = Files.createDirectories(work.resolve("into"));
    Files.writeString(into.resolve("old.txt"), "old");
    Hints run = hintsOf("--repo", repo.toString(), "get", "--project", "p", "--name", "n", "--copy", into.toString(), "--overwrite");
    assertThat(run.exit()).as(log()).isZero();
    // A Ctrl-C while the old contents are deleted must not ask for the copy to be made again.
    assertThat(run.hints()).containsExactly(Main.DEFAULT_HINT, "but the copy in " + into + " is complete: there is nothing to run again");
    assertThat(into.resolve("a.txt")).hasContent("alpha\n");
    assertThat(into.resolve("old.txt")).doesNotExist();
    // With an alias to record once the copy is made, the copy is not the command's end.
    Hints aliased = hintsOf("--repo", repo.toString(), "get", "--project", "p", "--name", "n", "--copy", into.toString(), "--overwrite",
        "--alias", "train", "--run", "r1");
    assertThat(aliased.exit()).as(log()).isZero();
    assertThat(aliased.hints()).containsExactly(Main.DEFAULT_HINT);
  }

  /** The hints a command relayed, in order, and its exit code. */
  private record Hints(List<String> hints, int exit) {}

  private Hints hintsOf(String... args) throws IOException {
    List<String> hints = new ArrayList<>();
    try (SocketChannel ch = request(args)) {
      assertThat(answer(ch)).isEqualTo(DaemonProtocol.ACCEPTED);
      DataInputStream in = new DataInputStream(DaemonProtocol.input(ch));
      while (true) {
        byte type = in.readByte();
        int n = in.readInt();
        if (type == DaemonProtocol.EXIT) {
          return new Hints(hints, n);
        }
        byte[] b = in.readNBytes(n);
        if (type == DaemonProtocol.HINT) {
          hints.add(new String(b, StandardCharsets.UTF_8));
        }
      }
    }
  }

  /** Sends a request as the client does, from this JVM (same user, folder, environment). */
  private SocketChannel request(String... args) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    DataOutputStream out = new DataOutputStream(DaemonProtocol.output(ch));
    out.writeInt(DaemonProtocol.MAGIC);
    for (String s : List.of(STAMP, work.toRealPath().toString(), UMASK)) {
      writeString(out, s);
    }
    out.writeBoolean(false);
    out.writeInt(System.getenv().size());
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      writeString(out, e.getKey() + "=" + e.getValue());
    }
    out.writeInt(args.length);
    for (String a : args) {
      writeString(out, a);
    }
    return ch;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte answer(SocketChannel ch) throws IOException {
    ByteBuffer answer = ByteBuffer.allocate(1);
    assertThat(ch.read(answer)).isEqualTo(1);
    return answer.get(0);
  }

  private static void assertNotServed(Result r) {
    assertThat(r.exit()).as(r.err()).isEqualTo(DaemonProtocol.NOT_SERVED);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).doesNotContain("cairn: ");
  }

  private Result client(Map<String, String> env, String... args) throws Exception {
    return client(work, UMASK, STAMP, env, args);
  }

  private Result client(Path cwd, String umask, String stamp, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("perl", CLIENT.toString(), socket.toString(), stamp, umask, cwd.toRealPath().toString()));
    cmd.addAll(List.of(args));
    return run(cmd, cwd, env);
  }

  private Result run(List<String> cmd, Path cwd, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Result inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static List<String> java(List<String> mainAndArgs) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Dcairn.daemon.warmupMillis=300",
        "-cp", System.getProperty("java.class.path")));
    cmd.addAll(mainAndArgs);
    return cmd;
  }

  private String log() throws IOException {
    Path l = work.resolve("daemon.log");
    return Files.exists(l) ? Files.readString(l) : "";
  }
}
