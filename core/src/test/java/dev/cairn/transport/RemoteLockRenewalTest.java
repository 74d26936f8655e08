package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.CairnException;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.Storages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload or a collection that runs for hours keeps its remote lock alive, and checks it before it publishes or deletes. */
class RemoteLockRenewalTest {
  @TempDir Path tmp;

  @AfterEach
  void restore() {
    RemoteLocks.renewMillis = 600_000;
  }

  private RemoteStorage storage() throws Exception {
    return Storages.open(Storages.parse(tmp.resolve("remote").toString()), Map.of());
  }

  private static String[] body(RemoteStorage st, RemoteFile f) throws Exception {
    return new String(st.read(f.name(), 0, (int) f.size()), StandardCharsets.US_ASCII).trim().split(" ");
  }

  @Test
  void theRenewingThreadEndsOnceNoLockIsHeld() throws Exception {
    RemoteLocks.renewMillis = 100;
    try (RemoteStorage st = storage()) {
      try (RemoteLocks.Held push = RemoteLocks.push(st, 0)) {
        long until = System.currentTimeMillis() + 10_000;
        while (!renewerRuns() && System.currentTimeMillis() < until) {
          Thread.sleep(20);
        }
        assertThat(renewerRuns()).as("renewing while held").isTrue();
      }
      long until = System.currentTimeMillis() + 30_000;
      while (renewerRuns() && System.currentTimeMillis() < until) {
        Thread.sleep(50);
      }
      assertThat(renewerRuns()).as("no thread left once released").isFalse();
    }
  }

  private static boolean renewerRuns() {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(RemoteLocks.RENEWAL_THREAD) && t.isAlive());
  }

  @Test
  void aHeldLockIsRenewedByANewFileAndOnlyOneIsEverLeft() throws Exception {
    RemoteLocks.renewMillis = 100;
    try (RemoteStorage st = storage()) {
      String first;
      long taken;
      try (RemoteLocks.Held push = RemoteLocks.push(st, 0)) {
        first = push.name();
        taken = Long.parseLong(body(st, st.list("locks/push-").get(0))[4]);
        long until = System.currentTimeMillis() + 10_000;
        while (push.name().equals(first) && System.currentTimeMillis() < until) {
          Thread.sleep(20);
        }
        Thread.sleep(300); // a few more turns
        assertThat(push.name()).isNotEqualTo(first);
        List<RemoteFile> locks = st.list("locks/push-");
        for (int i = 0; i < 100 && locks.size() != 1; i++) { // listed between a renewal's create and its delete
          Thread.sleep(5);
          locks = st.list("locks/push-");
        }
        assertThat(locks).as("the renewed file replaced the first").hasSize(1).extracting(RemoteFile::name).doesNotContain(first);
        String[] now = null;
        for (int i = 0; i < 100 && now == null; i++) {
          try {
            now = body(st, locks.get(0));
          } catch (java.io.IOException renewedMeanwhile) { // listed, then replaced before it was read
            Thread.sleep(5);
            locks = st.list("locks/push-");
          }
        }
        assertThat(now).as("a lock file read whole").isNotNull();
        assertThat(Long.parseLong(now[4])).as("first taken").isEqualTo(taken);
        assertThat(Long.parseLong(now[0])).as("renewed").isGreaterThan(taken);
        push.requireHeld("publish");
        // A collection sees it held all along.
        assertThatThrownBy(() -> RemoteLocks.gc(st)).isInstanceOf(CairnException.class).hasMessageContaining("an upload holds locks/push-");
      }
      assertThat(st.list("locks/")).isEmpty();
    }
  }

  @Test
  void aLockTakenLongAgoButRenewedIsHeldAndOneNotRenewedForAnHourIsStale() throws Exception {
    try (RemoteStorage st = storage()) {
      long now = System.currentTimeMillis();
      long twoHoursAgo = now - 7_200_000;
      String host = dev.cairn.dataset.VersionLocks.hostName();
      st.createIfAbsent("locks/push-renewed", (now + " 1 " + host + " - " + twoHoursAgo + "\n").getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> RemoteLocks.gc(st)).isInstanceOf(CairnException.class)
          .hasMessageContaining("an upload holds locks/push-renewed, taken 120 min ago");
      st.delete("locks/push-renewed");
      st.createIfAbsent("locks/push-dead", (twoHoursAgo + " 1 " + host + " - " + twoHoursAgo + "\n").getBytes(StandardCharsets.US_ASCII));
      RemoteLocks.gc(st).close(); // stale: passed over
    }
  }

  @Test
  void aLockThatCannotBeReadCountsAsHeld() throws Exception {
    try (RemoteStorage st = storage()) {
      st.createIfAbsent("locks/push-garbled", "not a lock\n".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> RemoteLocks.gc(st)).isInstanceOf(CairnException.class)
          .hasMessageEndingWith("a lock that cannot be read, locks/push-garbled (it does not hold a lock's line), may be held;"
              + " it never goes stale by itself: delete it if nothing runs");
      // An upload does not wait on a collection lock that never goes stale: it says so at once.
      st.delete("locks/push-garbled");
      st.createIfAbsent("locks/gc-garbled", "not a lock\n".getBytes(StandardCharsets.US_ASCII));
      List<String> waited = new java.util.ArrayList<>();
      assertThatThrownBy(() -> RemoteLocks.push(st, 600_000, waited::add)).isInstanceOf(CairnException.class)
          .hasMessageContaining("locks/gc-garbled").hasMessageContaining("never goes stale by itself");
      assertThat(waited).as("no wait").isEmpty();
      assertThat(st.list("locks/push-")).isEmpty();
    }
  }

  @Test
  void aHolderWhoseLockWasDeletedPublishesAndDeletesNothing() throws Exception {
    try (RemoteStorage st = storage(); RemoteLocks.Held gc = RemoteLocks.gc(st)) {
      st.delete(gc.name()); // by hand, or by another host that judged it stale
      assertThatThrownBy(() -> RemoteLocks.beginSweep(gc, st)).isInstanceOf(CairnException.class)
          .hasMessage("Cannot delete packs on " + st.uri() + ": its lock " + gc.name() + " was deleted meanwhile; nothing was deleted,"
              + " run the collection again");
      assertThat(st.size(RemoteLocks.SWEEPING)).isNegative();
    }
  }

  /** A lock deleted under its holder (unlock --remove-all) stays lost: its next renewal brings no file back, nor trust. */
  @Test
  void aLockDeletedUnderItsHolderIsNotBroughtBackByARenewal() throws Exception {
    RemoteLocks.renewMillis = 50;
    try (RemoteStorage st = storage(); RemoteLocks.Held push = RemoteLocks.push(st, 0)) {
      st.delete(push.name());
      Thread.sleep(500); // several turns of renewal
      assertThat(st.list("locks/push-")).as("no lock made again").isEmpty();
      // A collection may have run meanwhile: the upload publishes nothing.
      try (RemoteLocks.Held gc = RemoteLocks.gc(st)) {
        assertThat(gc.name()).startsWith("locks/gc-");
      }
      assertThatThrownBy(() -> push.requireHeld("publish")).isInstanceOf(CairnException.class)
          .hasMessageContaining("was deleted meanwhile (cairn unlock --remove-all?); nothing was published, run the upload again");
    }
  }
}
