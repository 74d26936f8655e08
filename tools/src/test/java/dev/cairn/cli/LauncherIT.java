package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.VersionLocks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/cairn}, the launcher a user runs, on the jar the package phase built (this class runs
 * in the integration-test phase): what it does itself (the daemon's start, status and stop, its
 * help, the locale) and that it hands everything else to the command line.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "bin", "cairn").toAbsolutePath().normalize();
  private static final Path JAR = Path.of("target", "cairn.jar").toAbsolutePath();

  @TempDir Path work;
  private Path runtime;

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void prepare() throws IOException {
    assertThat(JAR).as("the package phase builds the jar before this test").exists();
    runtime = Files.createDirectories(work.resolve("runtime"));
  }

  @Test
  void theDaemonsHelpAndStatusAreTheLaunchersAfterGlobalOptionsToo() throws Exception {
    Result help = run(Map.of(), "help", "daemon");
    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: cairn daemon [-h] start|stop|status [--json]").contains("exit 3 if not");

    String folder = work.toRealPath().toString();
    Result status = run(Map.of(), "--repo", work.resolve("repo").toString(), "daemon", "status");
    assertThat(status.exit()).isEqualTo(3);
    assertThat(status.out().strip()).isEqualTo("cairn daemon: not running for " + folder);

    Result json = run(Map.of(), "--repo=" + work.resolve("repo"), "--debug", "daemon", "status", "--json");
    assertThat(json.exit()).isEqualTo(3);
    assertThat(json.out().strip()).isEqualTo("{\"running\":false,\"folder\":\"" + folder + "\"}");

    // A folder whose name holds a quote, a backslash and a newline: still one valid JSON string.
    Path odd = Files.createDirectories(work.resolve("q\"b\\s\nl"));
    Path oddOut = Files.createTempFile(work, "out", ".txt");
    Process inOdd = launcher(Map.of(), "daemon", "status", "--json").directory(odd.toFile()).redirectOutput(oddOut.toFile()).start();
    assertThat(inOdd.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.readString(oddOut).strip())
        .isEqualTo("{\"running\":false,\"folder\":\"" + folder + "/q\\\"b\\\\s\\u000al\"}");

    Result unknown = run(Map.of(), "daemon", "restart");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("cairn: daemon: unknown action 'restart': give start, stop or status");
    assertThat(work.resolve("repo")).as("the daemon's commands make no repository").doesNotExist();
  }

  @Test
  void handsOtherCommandsToTheCommandLineWithItsExitCodes() throws Exception {
    Result version = run(Map.of(), "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("cairn ");

    Result missingValue = run(Map.of(), "--repo");
    assertThat(missingValue.exit()).isEqualTo(2);
    assertThat(missingValue.err()).startsWith("cairn: ");

    Result noRepository = run(Map.of(), "--repo", work.resolve("none").toString(), "list");
    assertThat(noRepository.exit()).isEqualTo(1);
    assertThat(noRepository.err().lines()).singleElement().asString().startsWith("cairn: ").contains("no Cairn repository");
  }

  @Test
  void namesOutsideAsciiSurviveTheCLocale() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Files.writeString(data.resolve("café.txt"), "au lait\n");
    Map<String, String> posix = Map.of("LC_ALL", "C", "LANG", "C");
    Result sync = run(posix, "--repo", work.resolve("repo").toString(), "sync", "--project", "p", "--name", "n", "--folder", data.toString());
    assertThat(sync.exit()).as(sync.err()).isZero();
    Result list = run(posix, "--repo", work.resolve("repo").toString(), "list", "--project", "p", "--name", "n");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("café.txt");
    // Output lost (a full disk) is the command's failure, not a success that printed nothing.
    Result full = runToFullDisk(Map.of(), "--repo", work.resolve("repo").toString(), "list", "--project", "p", "--name", "n", "--json");
    assertThat(full.exit()).isEqualTo(1);
    assertThat(full.err()).isEqualTo("cairn: " + Main.OUTPUT_LOST + "\n");
    Result helpLost = runToFullDisk(Map.of(), "help");
    assertThat(helpLost.exit()).as("help, which no command checks, too").isEqualTo(1);
  }

  @Test
  void aDaemonServesTheCommandsRunFromItsFolderUntilStopped() throws Exception {
    assumePerl();
    Map<String, String> daemon = DAEMON;
    Result start = run(daemon, "daemon", "start");
    try {
      assertThat(start.exit()).as(start.err()).isZero();
      assertThat(start.out()).startsWith("cairn daemon: serving " + work.toRealPath());

      Result status = run(daemon, "daemon", "status", "--json");
      assertThat(status.exit()).isZero();
      assertThat(status.out()).startsWith("{\"running\":true,\"pid\":");
      Path log = Path.of(status.out().replaceAll("(?s).*\"log\":\"([^\"]*)\".*", "$1"));

      Path data = Files.createDirectories(work.resolve("data"));
      Files.writeString(data.resolve("a.csv"), "x,y\n1,2\n");
      Result sync = run(daemon, "--repo", "repo", "sync", "--project", "p", "--name", "n", "--folder", "data");
      assertThat(sync.exit()).as(sync.err()).isZero();
      assertThat(sync.out()).contains("Closed version");
      assertThat(work.resolve("repo/config")).as("a relative --repo means the client's folder").exists();
      for (int i = 0; i < 200 && !Files.readString(log).contains("sync exit 0"); i++) {
        Thread.sleep(50); // the daemon logs a command after its client has the exit code
      }
      assertThat(Files.readString(log)).as("the daemon ran it").contains("sync exit 0");

      // A locale the system lacks: the daemon declines (another environment), and Perl, its
      // client, says nothing of it.
      Result otherLocale = run(Map.of("CAIRN_DAEMON", "", "LC_ALL", "", "LANG", "xx_XX.UTF-8"), "--version");
      assertThat(otherLocale.exit()).isZero();
      assertThat(otherLocale.err()).doesNotContain("perl");

      // CAIRN_DAEMON=off, or false, no, 0, runs the command in a JVM of its own.
      for (String off : List.of("off", "OFF", "false", "no", "0")) {
        assertThat(run(Map.of("CAIRN_DAEMON", off), "--repo", "repo", "log", "--project", "p", "--name", "n").exit()).isZero();
      }
      assertThat(Files.readString(log)).as("none reached the daemon").doesNotContain("log exit");

      Result full = runToFullDisk(daemon, "--repo", "repo", "list", "--project", "p", "--name", "n");
      assertThat(full.exit()).isEqualTo(1);
      assertThat(full.err()).isEqualTo("cairn: " + Main.OUTPUT_LOST + "\n");

      Result missing = run(daemon, "--repo", "repo", "get", "--id", "deadbeefdeadbeef");
      assertThat(missing.exit()).isEqualTo(1);
      assertThat(missing.err().lines()).singleElement().asString().startsWith("cairn: ");
    } finally {
      Result stop = run(daemon, "daemon", "stop");
      assertThat(stop.exit()).as(stop.err()).isZero();
    }
    assertThat(run(daemon, "daemon", "status").exit()).isEqualTo(3);
  }

  @Test
  void aLauncherKilledOutrightTakesTheDaemonsCommandWithIt() throws Exception {
    assumePerl();
    Map<String, String> daemon = DAEMON;
    Path data = Files.createDirectories(work.resolve("data"));
    Files.writeString(data.resolve("a.csv"), "a\n");
    run(Map.of(), "--repo", "repo", "create", "--project", "p", "--name", "n");
    String draft = run(Map.of(), "--repo", "repo", "show", "--json").out().replaceAll("(?s).*\"id\": ?\"([0-9a-f]{32})\".*", "$1");
    assertThat(run(daemon, "daemon", "start").exit()).isZero();
    Path log = Path.of(run(daemon, "daemon", "status", "--json").out().replaceAll("(?s).*\"log\":\"([^\"]*)\".*", "$1"));
    try (DatasetRepository repo = DatasetRepository.open(work.resolve("repo"));
        VersionLocks.Lock held = repo.catalog().lock(draft)) {
      // The add waits in the daemon for the draft's lock; its launcher is killed (SIGKILL: no trap sees it).
      Process add = start(daemon, "--repo", "repo", "add", "--id", draft, "--files", data.toString());
      Thread.sleep(2000); // reached the daemon, and waits there (for 30 s, lock.waitMillis)
      add.destroyForcibly().waitFor();
      for (int i = 0; i < 200 && !Files.readString(log).contains("the client went away"); i++) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(log)).as("the orphaned client went away, and the daemon stopped the command").contains("the client went away");
    } finally {
      run(daemon, "daemon", "stop");
    }
    assertThat(run(Map.of(), "--repo", "repo", "list", "--id", draft).out()).doesNotContain("a.csv");
  }

  @Test
  void aStopDuringAStartStopsTheDaemonThatStartStarts() throws Exception {
    assumePerl();
    Map<String, String> daemon = DAEMON;
    Process start = start(daemon, "daemon", "start");
    try {
      Thread.sleep(500); // warming up: no pid file yet
      Result stop = run(daemon, "daemon", "stop");
      assertThat(start.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(stop.exit()).isZero();
      assertThat(stop.out()).startsWith("cairn daemon: stopped (pid ");
      assertThat(run(daemon, "daemon", "status").exit()).isEqualTo(3);
    } finally {
      start.waitFor(2, TimeUnit.MINUTES);
      run(daemon, "daemon", "stop"); // whatever the outcome, no daemon outlives the test
    }
  }

  /** The environment that lets bin/cairn hand commands to a daemon (the others set CAIRN_DAEMON=off). */
  private static final Map<String, String> DAEMON = Map.of("CAIRN_DAEMON", "");

  @Test
  void aNewTeammatesFirstSearchOrListOfTheTeamRemoteMakesTheRepository() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a\n");
    String remote = work.resolve("remote").toString();
    assertThat(run(Map.of(), "--repo", work.resolve("first").toString(), "sync", "--project", "p", "--name", "team", "--folder",
        data.toString(), "--storage", remote).exit()).isZero();
    Map<String, String> team = Map.of("CAIRN_STORAGE", remote);
    Path fresh = work.resolve("fresh");
    Result search = run(team, "--repo", fresh.toString(), "search");
    assertThat(search.exit()).as(search.err()).isZero();
    assertThat(search.out()).contains("team");
    Path other = work.resolve("other");
    Result list = run(team, "--repo", other.toString(), "list", "--project", "p", "--name", "team");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("a.txt");
    // A team remote with nothing there makes no repository.
    Path none = work.resolve("none");
    Result empty = run(Map.of("CAIRN_STORAGE", work.resolve("nothing").toString()), "--repo", none.toString(), "search");
    assertThat(empty.exit()).isEqualTo(1);
    assertThat(none).doesNotExist();
  }

  @Test
  void aCopyWithOverwriteNeverDeletesTheFolderItIsRunFromButMayRefillIt() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a\n");
    String repo = work.resolve("repo").toString();
    assertThat(run(Map.of(), "--repo", repo, "sync", "--project", "p", "--name", "n", "--folder", data.toString()).exit()).isZero();
    Path target = Files.createDirectories(work.resolve("jobs"));
    Path here = Files.createDirectories(target.resolve("here"));
    Files.writeString(here.resolve("mine.txt"), "mine\n");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = launcher(Map.of(), "--repo", repo, "get", "--project", "p", "--name", "n", "--copy", "..", "--overwrite")
        .directory(here.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readString(err)).isEqualTo("cairn: Cannot copy into .. with --overwrite: the current folder, " + here.toRealPath()
        + ", is inside it and would be deleted; give another folder, or run from elsewhere\n");
    assertThat(here.resolve("mine.txt")).hasContent("mine\n");
    // The current folder itself keeps its place: its contents are replaced.
    p = launcher(Map.of(), "--repo", repo, "get", "--project", "p", "--name", "n", "--copy", ".", "--overwrite").directory(here.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(here.resolve("a.txt")).hasContent("a\n");
    assertThat(here.resolve("mine.txt")).doesNotExist();
  }

  @Test
  void aLinkNeverReplacesTheFolderItIsRunFrom() throws Exception {
    Path data = Files.createDirectories(work.resolve("data"));
    Files.writeString(data.resolve("a.txt"), "a\n");
    String repo = work.resolve("repo").toString();
    assertThat(run(Map.of(), "--repo", repo, "sync", "--project", "p", "--name", "n", "--folder", data.toString()).exit()).isZero();
    Path here = Files.createDirectories(work.resolve("jobs/here"));
    Files.writeString(here.resolve("mine.txt"), "mine\n");
    for (String link : List.of(".", here.toString(), here.getParent().toString())) {
      Path err = Files.createTempFile(work, "err", ".txt");
      Process p = launcher(Map.of(), "--repo", repo, "get", "--project", "p", "--name", "n", "--link", link, "--overwrite")
          .directory(here.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(Files.readString(err)).isEqualTo("cairn: Cannot link " + link + ": it is the current folder or holds it; give a"
          + " folder outside it, or run from elsewhere\n");
      assertThat(here.resolve("mine.txt")).as(link).hasContent("mine\n");
    }
    // An empty one, which a link replaces without --overwrite, neither.
    Path empty = Files.createDirectories(work.resolve("jobs/empty"));
    Process p = launcher(Map.of(), "--repo", repo, "get", "--project", "p", "--name", "n", "--link", ".").directory(empty.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(empty).isDirectory().isEmptyDirectory();
  }

  /** Skips a daemon test where perl, which its client needs, is missing. */
  private static void assumePerl() throws Exception {
    assumeTrue(new ProcessBuilder("perl", "-e", "1").start().waitFor() == 0, "the daemon's client needs perl");
  }

  /** Runs the launcher from {@link #work}, on the built jar, with its own home and daemon folder. */
  private Result run(Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process process = launcher(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("bin/cairn %s finishes", String.join(" ", args)).isTrue();
    Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  /** As {@link #run}, with standard output on {@code /dev/full}, where every write fails (ENOSPC). */
  private Result runToFullDisk(Map<String, String> env, String... args) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "a Linux /dev/full");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process process = launcher(env, args).redirectOutput(new java.io.File("/dev/full")).redirectError(err.toFile()).start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("bin/cairn %s finishes", String.join(" ", args)).isTrue();
    Result result = new Result(process.exitValue(), "", Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(err);
    return result;
  }

  /** Starts the launcher as {@link #run} does, its output discarded, without waiting for it. */
  private Process start(Map<String, String> env, String... args) throws IOException {
    return launcher(env, args).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private ProcessBuilder launcher(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
    Map<String, String> environment = pb.environment();
    environment.put("HOME", work.toString());
    environment.remove("CAIRN_HOME");
    environment.put("XDG_RUNTIME_DIR", runtime.toString());
    environment.put("CAIRN_NO_BUILD", "1");
    environment.put("CAIRN_DAEMON", "off");
    environment.putAll(env);
    return pb;
  }
}
