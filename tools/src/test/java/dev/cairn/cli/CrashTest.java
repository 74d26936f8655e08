package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.gc.Fsck;
import dev.cairn.gc.Problem;
import dev.cairn.id.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the real CLI with SIGKILL at random moments during add, sync, close, upload and gc. After
 * every kill: fsck finds no damage, every closed version reads back byte for byte, every version on
 * the remote is complete, and the interrupted command runs again to completion.
 *
 * <p>{@code -Dcairn.crash.rounds=N} runs N rounds of five kills (default 24: 120 kills); a longer
 * soak is {@code -Dcairn.crash.rounds=400}. Each run draws a new seed, so runs add up to more kill
 * points than one run makes; a failure names its seed, which {@code -Dcairn.crash.seed=S} replays as
 * closely as timing allows (the kills land by the clock). To keep each check cheap as the repository grows, every
 * check compares the newest closed version and two random older ones byte for byte, and the last
 * check compares all of them.
 */
class CrashTest {
  @TempDir Path tmp;
  private final long seed = Long.getLong("cairn.crash.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private final Map<String, Map<String, String>> closed = new HashMap<>();
  private Path repo;
  private Path remote;
  private int kills;
  private final Map<String, Long> durations = new HashMap<>();

  /** Names the seed in any failure, so that it can be replayed. */
  @org.junit.jupiter.api.extension.RegisterExtension
  final org.junit.jupiter.api.extension.TestExecutionExceptionHandler seedInFailures = (context, failure) -> {
    if (failure instanceof org.opentest4j.TestAbortedException) {
      throw failure; // a skip stays one
    }
    throw new AssertionError("(seed " + seed + ", -Dcairn.crash.seed to replay) " + failure.getMessage(), failure);
  };

  @Test
  void killedCommandsLeaveNothingBroken() throws Exception {
    repo = tmp.resolve("repo");
    remote = tmp.resolve("remote");
    Cli cli = new Cli(repo);
    int rounds = Integer.getInteger("cairn.crash.rounds", 24);
    Path src = tmp.resolve("src");
    String previous = null;
    for (int round = 0; round < rounds; round++) {
      writeFolder(src, round);
      List<String> create = new ArrayList<>(List.of("create", "--project", "crash", "--name", "d", "--json"));
      if (previous != null) {
        create.addAll(List.of("--parents", previous));
      }
      String id = (String) cli.ok(create.toArray(String[]::new)).obj().get("id");

      killDuring("add", "add", "--id", id, "--files", src.resolve("a").toString(), "--dataset-folder", "a");
      mutate(src, round);
      killDuring("sync", "sync", "--id", id, "--folder", src.toString(), "--skip-close");
      killDuring("close", "close", "--id", id, "--disable-upload");
      closed.put(id, snapshot(src));
      killDuring("upload", "upload", "--id", id, "--storage", remote.toString());
      if (round % 4 == 3 && previous != null) {
        // Delete an old version, then collect it while being killed.
        String old = oldestNonParent(cli, id, previous);
        if (old != null) {
          cli.ok("delete", "--id", old, "--force");
          closed.remove(old);
        }
      }
      killDuring("gc", "gc", "--grace", "0s");
      previous = id;
      newest = id;
    }
    assertThat(kills).isEqualTo(rounds * 5);
    checkAll = true;
    checkConsistent("at the end");
  }

  /**
   * {@code sync --project --name} killed at random moments, then run again with the same
   * arguments: the re-run finishes the draft the killed run left (if it had made one), so no draft
   * is ever left behind and each change of the folder makes one version.
   */
  @Test
  void aKilledSyncOfANewVersionIsFinishedByItsRerun() throws Exception {
    repo = tmp.resolve("repo");
    Path src = tmp.resolve("src");
    Cli cli = new Cli(repo);
    // The same arguments each time: a re-run is the same command line.
    String[] sync = {"sync", "--project", "crash", "--name", "s", "--folder", src.toString(), "--json"};
    cli.ok("init"); // a run killed at once would leave no repository for the checks to open
    int rounds = Math.max(4, Integer.getInteger("cairn.crash.rounds", 24) / 5);
    int draftsLeft = 0;
    for (int round = 0; round < rounds; round++) {
      writeFolder(src, round);
      mutate(src, round);
      long recordsBefore = records();
      Process p = start(sync);
      if (round % 2 == 0) {
        // At a random moment.
        long delay = (long) (random.nextDouble() * durations.getOrDefault("sync-new", 1500L));
        long t0 = System.nanoTime();
        if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor();
        } else {
          durations.put("sync-new", Math.max(200, (System.nanoTime() - t0) / 1_000_000));
        }
      } else {
        // As soon as its draft's record appears, while it fills the draft.
        while (p.isAlive() && records() == recordsBefore) {
          Thread.sleep(2);
        }
        p.destroyForcibly().waitFor();
      }
      List<Map<String, Object>> versions = cli.ok("search", "--project", "crash", "--not-only-completed", "--json").array();
      List<Object> drafts = versions.stream().filter(v -> "draft".equals(v.get("state"))).map(v -> v.get("id")).toList();
      assertThat(drafts).as("round " + round + ": at most the killed run's draft").hasSizeLessThanOrEqualTo(1);
      draftsLeft += drafts.size();
      Map<String, Object> done = cli.ok(sync).obj();
      assertThat(done.get("resumed")).as("round " + round + ": the draft left is the one finished").isEqualTo(drafts.isEmpty() ? null : drafts.get(0));
      versions = cli.ok("search", "--project", "crash", "--not-only-completed", "--json").array();
      assertThat(versions).as("round " + round + ": no draft left").allSatisfy(v -> assertThat(v).containsEntry("state", "final"));
      assertThat(versions).as("round " + round + ": one version per change of the folder").hasSize(round + 1);
      String latest = (String) versions.get(versions.size() - 1).get("id");
      try (DatasetRepository r = DatasetRepository.open(repo)) {
        assertThat(snapshot(r.get(latest).getLocalCopy())).as("round " + round).isEqualTo(snapshot(src));
      }
    }
    System.out.printf("CrashTest: %d of %d killed syncs had left a draft; each re-run finished it%n", draftsLeft, rounds);
    assertThat(draftsLeft).as("kills that left a draft for the re-run to finish").isPositive();
  }

  private long records() throws IOException {
    Path dir = repo.resolve("refs/datasets");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  private String newest;
  private boolean checkAll;
  private DatasetRepository remoteChecker;

  @org.junit.jupiter.api.AfterEach
  void closeChecker() throws IOException {
    if (remoteChecker != null) {
      remoteChecker.close();
    }
  }

  private String oldestNonParent(Cli cli, String newest, String parentOfNewest) {
    for (Map<String, Object> v : cli.ok("search", "--json").array()) {
      String id = (String) v.get("id");
      if (!id.equals(newest) && !id.equals(parentOfNewest) && closed.containsKey(id)) {
        return id;
      }
    }
    return null;
  }

  /** Runs the command in a child JVM, kills it at a random moment, checks, then re-runs it. */
  private void killDuring(String kind, String... args) throws Exception {
    long typical = durations.getOrDefault(kind, 1500L);
    Process p = start(args);
    long delay = (long) (random.nextDouble() * typical);
    long t0 = System.nanoTime();
    if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor();
    } else {
      // Finished before the kill: learn how long it takes, to aim better next time.
      durations.put(kind, Math.max(200, (System.nanoTime() - t0) / 1_000_000));
    }
    kills++;
    checkConsistent(kind + " killed after " + delay + " ms");
    rerun(kind, args);
  }

  private Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--repo", repo.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
  }

  private void rerun(String kind, String... args) throws IOException {
    Cli cli = new Cli(repo);
    Cli.Result r = cli.run(args);
    if (r.exit() == 0) {
      return;
    }
    // A close that completed before the kill cannot run twice; anything else must succeed.
    if (kind.equals("close") && r.err().contains("is final")) {
      return;
    }
    fail("re-running " + String.join(" ", args) + " failed: " + r.err() + "\nchild log: " + Files.readString(tmp.resolve("child.log")));
  }

  private void checkConsistent(String when) throws IOException {
    try (DatasetRepository r = DatasetRepository.open(repo)) {
      Fsck.Report report = new Fsck(r, Progress.NONE).check();
      List<Problem> errors = report.errors();
      if (!errors.isEmpty()) {
        fail(when + ": fsck found " + errors);
      }
      List<String> ids = new ArrayList<>(closed.keySet());
      Collections.sort(ids);
      List<String> sample = new ArrayList<>();
      if (checkAll) {
        sample.addAll(ids);
      } else if (!ids.isEmpty()) {
        sample.add(ids.get(random.nextInt(ids.size())));
        sample.add(ids.get(random.nextInt(ids.size())));
        if (newest != null && closed.containsKey(newest)) {
          sample.add(newest);
        }
      }
      for (String id : sample) {
        Map.Entry<String, Map<String, String>> e = Map.entry(id, closed.get(id));
        Dataset ds = r.get(e.getKey());
        DatasetRecord rec = ds.record();
        if (rec.isDraft()) {
          continue; // the kill hit close before it committed
        }
        assertThat(snapshot(ds.getLocalCopy())).as(when + ": version " + e.getKey()).isEqualTo(e.getValue());
      }
    }
    if (Files.exists(remote)) {
      // One checking repository for the whole test: what it fetched once is not fetched again, and
      // every record the remote publishes must be fetchable in full.
      if (remoteChecker == null) {
        remoteChecker = DatasetRepository.open(tmp.resolve("remote-checker"));
      }
      try (var rem = remoteChecker.openRemote(remote.toString())) {
        for (DatasetRecord rec : rem.records()) {
          if (!remoteChecker.catalog().exists(rec.id()) || checkAll) {
            Dataset ds = remoteChecker.fetch(rec.id(), Selection.ALL, rem, Progress.NONE);
            if (!ds.verify().isEmpty()) {
              fail(when + ": remote version " + rec.id() + " is incomplete");
            }
          }
        }
      }
    }
  }

  private static void writeFolder(Path src, int round) throws IOException {
    Random r = new Random(round);
    for (int i = 0; i < 60; i++) {
      byte[] b = new byte[200 + r.nextInt(4000)];
      r.nextBytes(b);
      write(src.resolve("a/small/f" + (round * 7 + i) % 90 + ".bin"), b);
    }
    byte[] big = new byte[(3 << 20) / 2];
    r.nextBytes(big);
    write(src.resolve("a/big-" + round % 3 + ".bin"), big);
  }

  private static void mutate(Path src, int round) throws IOException {
    Random r = new Random(1000 + round);
    byte[] b = new byte[50_000];
    r.nextBytes(b);
    write(src.resolve("b/new-" + round + ".bin"), b);
    try (Stream<Path> s = Files.list(src.resolve("a/small"))) {
      List<Path> files = s.sorted().toList();
      Files.delete(files.get(r.nextInt(files.size())));
    }
  }

  private static void write(Path p, byte[] b) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, b);
  }

  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(root.relativize(p).toString(), HashAlgorithm.SHA256.hash(Files.readAllBytes(p)).hex());
      }
    }
    return m;
  }
}
