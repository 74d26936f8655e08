package dev.cairn.internal.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.VersionLocks;
import dev.cairn.internal.proc.ProcessIdentity.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Telling a lock's holder gone only on evidence: this boot, this pid namespace, this process. */
class ProcessIdentityTest {
  private static final long SELF = ProcessHandle.current().pid();
  private String me;
  private String table;
  private long start;

  @BeforeEach
  void linux() {
    Assumptions.assumeTrue(Files.isRegularFile(Path.of("/proc/self/stat")), "a system with /proc");
    me = ProcessIdentity.current();
    table = me.substring(0, me.lastIndexOf('.'));
    start = Long.parseLong(me.substring(me.lastIndexOf('.') + 1));
  }

  @Test
  void thisProcessRunsAndIsToldApartFromAnotherOfItsPid() {
    assertThat(me.split("\\.")).hasSize(3).doesNotContain("-");
    assertThat(ProcessIdentity.of(SELF, me)).isEqualTo(Verdict.RUNS);
    assertThat(ProcessIdentity.isCurrent(me)).isTrue();
    // The same pid in this boot and pid namespace, started at another time: the pid was used again.
    assertThat(ProcessIdentity.of(SELF, table + "." + (start + 7))).isEqualTo(Verdict.GONE);
    // Another boot: whatever runs under that pid now, it is not the process that took the lock.
    assertThat(ProcessIdentity.of(SELF, "00000000." + me.split("\\.")[1] + "." + start)).isEqualTo(Verdict.GONE);
    // Another pid namespace of this boot (a container): its pids are not ours, nothing can be told.
    assertThat(ProcessIdentity.of(SELF, me.split("\\.")[0] + ".1." + start)).isEqualTo(Verdict.ELSEWHERE);
    // An older release's lock, or one that does not parse: the pid alone.
    assertThat(ProcessIdentity.of(SELF, null)).isEqualTo(Verdict.RUNS);
    assertThat(ProcessIdentity.of(SELF, "garbage")).isEqualTo(Verdict.RUNS);
  }

  @Test
  void theHostNameIsTheKernelsWithoutALookup() throws Exception {
    Assumptions.assumeTrue(System.getenv("HOSTNAME") == null || System.getenv("HOSTNAME").isBlank(), "no $HOSTNAME");
    assertThat(VersionLocks.hostName()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
  }

  @Test
  void aProcessThatEndedIsGone() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessIdentity.of(p.pid(), table + ".12345")).isEqualTo(Verdict.GONE);
    assertThat(ProcessIdentity.of(p.pid(), me.split("\\.")[0] + ".1.12345")).as("no pid of ours tells").isEqualTo(Verdict.ELSEWHERE);
    assertThat(ProcessIdentity.of(p.pid(), null)).isEqualTo(Verdict.GONE);
  }

  @Test
  void aZombieIsGone() throws Exception {
    // A child that ends under a parent that never waits for it stays a zombie, as a killed
    // command does under a container's init that reaps nothing; the JDK calls it alive.
    // The child sleeps a second: a shell that is bash reaps it itself if it is still running when the child ends.
    Process parent = new ProcessBuilder("sh", "-c", "sleep 1 & echo $!; exec sleep 60").start();
    try {
      long child = Long.parseLong(parent.inputReader().readLine().strip());
      Path stat = Path.of("/proc", Long.toString(child), "stat");
      String ticks = Files.readString(stat).substring(Files.readString(stat).lastIndexOf(')') + 2).split(" ")[19];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(stat).contains(") Z ") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Files.readString(stat)).contains(") Z ");
      assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).as("what the JDK says").hasValue(true);
      assertThat(ProcessIdentity.of(child, table + "." + ticks)).isEqualTo(Verdict.GONE);
      assertThat(ProcessIdentity.of(child, null)).isEqualTo(Verdict.GONE);
      assertThat(VersionLocks.isStale(child + "@" + VersionLocks.hostName() + " token " + table + "." + ticks)).isTrue();
    } finally {
      parent.destroyForcibly();
    }
  }

  @Test
  void aProcessWhoseMainThreadEndedWhileAnotherGoesOnStillRuns() throws Exception {
    // Its main thread shows Z at once; another thread may still be finishing a write.
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3, to end a main thread alone");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import threading, time, ctypes, os\n"
        + "threading.Thread(target=time.sleep, args=(60,)).start()\n"
        + "print(os.getpid(), flush=True)\n"
        + "ctypes.CDLL(None).pthread_exit(None)\n").start();
    try {
      long pid = Long.parseLong(p.inputReader().readLine().strip());
      Path stat = Path.of("/proc", Long.toString(pid), "stat");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.readString(stat).contains(") Z ") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Files.readString(stat)).as("its main thread ended").contains(") Z ");
      assertThat(ProcessIdentity.runs(pid)).isTrue();
      assertThat(ProcessIdentity.of(pid, null)).isEqualTo(Verdict.RUNS);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void locksAreStaleOnlyWhenTheirProcessIsGone() throws Exception {
    String token = VersionLocks.processToken();
    String[] words = token.split(" ");
    assertThat(words).hasSize(3);
    assertThat(words[0]).isEqualTo(SELF + "@" + VersionLocks.hostName());
    assertThat(words[2]).isEqualTo(me);
    assertThat(VersionLocks.isStale(token)).isFalse();
    assertThat(VersionLocks.isStale(words[0] + " " + words[1] + " " + table + "." + (start + 7))).as("pid used again").isTrue();
    assertThat(VersionLocks.isStale(words[0] + " " + words[1] + " 00000000.1.1")).as("taken before a restart of the machine").isTrue();
    assertThat(VersionLocks.isStale(words[0] + " " + words[1])).as("an older release's lock, its process alive").isFalse();
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(VersionLocks.isStale(p.pid() + "@" + VersionLocks.hostName() + " " + words[1])).isTrue();
    assertThat(VersionLocks.isStale(p.pid() + "@another-host " + words[1] + " " + me)).as("another host's lock is never broken").isFalse();
    assertThat(VersionLocks.isStale(p.pid() + "@" + VersionLocks.hostName() + " " + words[1] + " " + me.split("\\.")[0] + ".1.12345"))
        .as("another container's, of a pid not running here: not judged by the pid").isFalse();
  }
}
