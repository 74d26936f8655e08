package dev.cairn.internal.proc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.dataset.Catalog;
import dev.cairn.internal.proc.ProcessIdentity.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Telling a lock's holder gone only on evidence: same host, same process table, same process. */
class ProcessIdentityTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void thisProcessRunsAndIsToldApartFromAnotherOfItsPid() {
    String me = ProcessIdentity.current();
    assertThat(me.split("\\.")).hasSize(3).doesNotContain("-"); // Linux tells all three
    assertThat(ProcessIdentity.of(SELF, me)).isEqualTo(Verdict.RUNS);
    String table = me.substring(0, me.lastIndexOf('.'));
    long start = Long.parseLong(me.substring(me.lastIndexOf('.') + 1));
    // The same pid in the same table, started at another time: the pid was used again.
    assertThat(ProcessIdentity.of(SELF, table + "." + (start - 5_000))).isEqualTo(Verdict.GONE);
    // Another pid namespace or boot under this host name: a container, about which nothing is known.
    assertThat(ProcessIdentity.of(SELF, "00000000.1." + start)).isEqualTo(Verdict.ELSEWHERE);
    assertThat(ProcessIdentity.of(SELF, "garbage")).isEqualTo(Verdict.ELSEWHERE);
    // An older release's lock: the pid alone.
    assertThat(ProcessIdentity.of(SELF, null)).isEqualTo(Verdict.RUNS);
  }

  @Test
  void aProcessThatEndedIsGoneInItsTableOnly() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String me = ProcessIdentity.current();
    String table = me.substring(0, me.lastIndexOf('.'));
    assertThat(ProcessIdentity.of(p.pid(), table + ".12345")).isEqualTo(Verdict.GONE);
    assertThat(ProcessIdentity.of(p.pid(), null)).isEqualTo(Verdict.GONE);
    assertThat(ProcessIdentity.of(p.pid(), "00000000.1.12345")).isEqualTo(Verdict.ELSEWHERE);
  }

  @Test
  void locksAreStaleOnlyWhenTheirProcessIsGoneFromThisTable() throws Exception {
    String token = Catalog.processToken();
    String[] words = token.split(" ");
    assertThat(words).hasSize(3);
    assertThat(words[0]).isEqualTo(SELF + "@" + Catalog.hostName());
    assertThat(Catalog.isStale(token)).isFalse();
    String me = ProcessIdentity.current();
    String table = me.substring(0, me.lastIndexOf('.'));
    assertThat(Catalog.isStale(words[0] + " " + words[1] + " " + table + ".1")).as("pid used again").isTrue();
    assertThat(Catalog.isStale(words[0] + " " + words[1] + " 00000000.1.1")).as("a container of this host name").isFalse();
    assertThat(Catalog.isStale(words[0] + " " + words[1])).as("an older release's lock, its process alive").isFalse();
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Catalog.isStale(p.pid() + "@" + Catalog.hostName() + " " + words[1])).isTrue();
    assertThat(Catalog.isStale(p.pid() + "@another-host " + words[1] + " " + me)).isFalse();
  }
}
