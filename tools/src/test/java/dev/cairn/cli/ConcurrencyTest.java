package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.Progress;
import dev.cairn.gc.Fsck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight processes create, close and upload versions of one dataset in one local repository and one
 * remote at the same time: no version lost, none duplicated, version strings unique.
 */
class ConcurrencyTest {
  @TempDir Path tmp;

  @Test
  void twoInitsAtOnceBothSucceedOneMakingTheRepository() throws Exception {
    for (int round = 0; round < 20; round++) {
      Cli cli = new Cli(tmp.resolve("init-" + round));
      List<Object> created = new ArrayList<>();
      for (Cli.Result r : twiceAtOnce(cli, "init", "--json")) {
        assertThat(r.exit()).as("round %d: %s", round, r.err()).isZero();
        created.add(r.obj().get("created"));
      }
      assertThat(created).as("round %d", round).containsOnlyOnce(true);
    }
  }

  /** {@code args} run twice on {@code cli}'s repository by two threads released at once; their results. */
  private static List<Cli.Result> twiceAtOnce(Cli cli, String... args) throws Exception {
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
    List<java.util.concurrent.CompletableFuture<Cli.Result>> both = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      both.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return cli.run(args);
      }));
    }
    List<Cli.Result> results = new ArrayList<>();
    for (var f : both) {
      results.add(f.get(120, TimeUnit.SECONDS));
    }
    return results;
  }

  /** The same sync started twice at once (overlapping scheduled jobs): one new version, the other run finding no change. */
  @Test
  void twoRunsOfOneSyncAtOnceMakeOneVersion() throws Exception {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path folder = tmp.resolve("data");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("a.txt"), "first");
    cli.ok("sync", "--project", "p", "--name", "n", "--folder", folder.toString());
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 40; i++) {
        Files.writeString(folder.resolve("r" + round + "-" + i + ".txt"), "round " + round + " file " + i);
      }
      List<Object> made = new ArrayList<>();
      for (Cli.Result r : twiceAtOnce(cli, "sync", "--project", "p", "--name", "n", "--folder", folder.toString(), "--json")) {
        assertThat(r.exit()).as("round %d: %s", round, r.err()).isZero();
        made.add(r.obj().get("id"));
      }
      assertThat(made).as("round %d: one run made the version, the other found it", round).containsOnlyOnce((Object) null);
    }
    List<Map<String, Object>> versions = cli.ok("search", "--name", "^n$", "--json").array();
    assertThat(versions).extracting(m -> m.get("version")).containsExactly("1.0.0", "1.0.1", "1.0.2", "1.0.3");
  }

  @Test
  void eightProcessesShareOneRepositoryAndOneRemote() throws Exception {
    Path repo = tmp.resolve("repo");
    Path remote = tmp.resolve("remote");
    new Cli(repo).ok("init");
    int writers = 8;
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"), ConcurrentCliMain.class.getName(),
          repo.toString(), remote.toString(), String.valueOf(i), tmp.toString()));
      ps.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("w" + i + ".log").toFile()).start());
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < writers; i++) {
      assertThat(ps.get(i).waitFor(180, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(tmp.resolve("w" + i + ".log"));
      assertThat(ps.get(i).exitValue()).as(log).isZero();
      ids.add(log.strip().lines().reduce((a, b) -> b).orElseThrow());
    }
    assertThat(ids).hasSize(writers);
    Cli cli = new Cli(repo);
    List<Map<String, Object>> local = cli.ok("search", "--name", "^ds$", "--json").array();
    assertThat(local).extracting(m -> m.get("id")).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(local).extracting(m -> m.get("version")).doesNotHaveDuplicates()
        .containsExactlyInAnyOrder("1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.0.5", "1.0.6", "1.0.7");
    assertThat(local).allMatch(m -> m.get("state").equals("final"));
    List<Map<String, Object>> onRemote = new Cli(tmp.resolve("other")).ok("search", "--storage", remote.toString(), "--json").array();
    assertThat(onRemote).extracting(m -> m.get("id")).containsExactlyInAnyOrderElementsOf(ids);
    try (DatasetRepository r = DatasetRepository.open(repo)) {
      assertThat(new Fsck(r, Progress.NONE).check().errors()).isEmpty();
      for (DatasetRecord rec : r.list(null, "^ds$", null)) {
        assertThat(r.get(rec.id()).verify()).isEmpty();
      }
    }
    Cli other = new Cli(tmp.resolve("other"));
    for (String id : ids) {
      Path copy = Path.of(other.ok("get", "--id", id, "--storage", remote.toString()).lastLine());
      try (var s = Files.list(copy)) {
        assertThat(s.count()).isEqualTo(1);
      }
    }
  }
}
