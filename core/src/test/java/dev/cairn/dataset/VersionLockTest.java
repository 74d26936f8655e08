package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.errors.DatasetLockedException;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Threads of one process change a version in turn, however long each takes. */
class VersionLockTest {
  @TempDir Path tmp;

  @Test
  void aThreadWaitsForAnotherOfItsProcessPastTheWaitForOtherProcesses() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.write(src.resolve("a.bin"), TestRepos.random(1, 10_000));
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL.with(VersionLocks.LOCK_WAIT_KEY, "1000"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      SlowStart slow = new SlowStart(3_000); // longer than a process waits for another
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Dataset.Change> add = pool.submit(() -> ds.addFiles(AddOptions.of(src), slow));
        assertThat(slow.started.await(30, TimeUnit.SECONDS)).isTrue();
        Future<?> tag = pool.submit(() -> {
          ds.addTags(List.of("gold"));
          return null;
        });
        tag.get(2, TimeUnit.MINUTES);
        assertThat(add.get()).isNotNull();
      } finally {
        pool.shutdownNow();
      }
      assertThat(ds.tags()).containsExactly("gold");
      assertThat(ds.listFiles()).extracting(e -> e.path()).containsExactly("a.bin");
    }
  }

  @Test
  void locksThatEndedProcessesOfThisHostLeftAreBrokenWhenTheRepositoryOpens() throws Exception {
    Path dir = tmp.resolve("r");
    DatasetRepository.open(dir, TestRepos.SMALL).close();
    Path locks = dir.resolve("refs/locks");
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    // A command killed between taking a new version's lock and writing its record: nothing
    // locks that id again, and the lock stayed for good (fsck warned of it every time).
    String stale = ended.pid() + "@" + VersionLocks.processName().split("@", 2)[1] + " token";
    Files.writeString(locks.resolve("0123456789abcdef0123456789abcdef.lock"), stale);
    String live = VersionLocks.processToken();
    Files.writeString(locks.resolve("fedcba9876543210fedcba9876543210.lock"), live);
    Files.writeString(locks.resolve("00000000000000000000000000000000.lock"), "1@another-host token");
    DatasetRepository.open(dir, TestRepos.SMALL).close();
    try (var list = Files.list(locks)) {
      assertThat(list.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("00000000000000000000000000000000.lock", "fedcba9876543210fedcba9876543210.lock");
    }
  }

  @Test
  void anotherProcessKeepingTheLockPastTheConfiguredWaitFailsTheChangeNamingIt() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL.with(VersionLocks.LOCK_WAIT_KEY, "300"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      // A process of another host: this one cannot tell whether it still runs, so it waits.
      Files.writeString(tmp.resolve("r/refs/locks/" + ds.id() + ".lock"), "77@another-host token");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> tag = pool.submit(() -> {
          ds.addTags(List.of("gold"));
          return null;
        });
        // Well before the default wait of 30 s: the configured one is what it waited.
        assertThatThrownBy(() -> tag.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(DatasetLockedException.class)
            .cause().hasMessageContaining("process 77@another-host is changing it");
      } finally {
        pool.shutdownNow();
      }
      assertThat(ds.tags()).isEmpty();
    }
  }

  /**
   * On a file system without hard links a lock is created, then filled: an empty lock is a writer
   * between the two (or one that died there), broken only once older than that can take.
   */
  @Test
  void anEmptyLockIsBrokenOnlyOnceOlderThanItsWriterCanTake() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      Path lock = tmp.resolve("r/refs/locks/" + ds.id() + ".lock");
      Files.writeString(lock, "");
      assertThat(repo.catalog().tryLock(ds.id())).as("a lock being written is held").isNull();
      assertThat(repo.catalog().breakStaleLocks()).isEmpty();
      assertThat(lock).exists();
      Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() - VersionLocks.EMPTY_LOCK_STALE_MILLIS - 5_000));
      try (VersionLocks.Lock taken = repo.catalog().tryLock(ds.id())) {
        assertThat(taken).as("one left empty long ago is stale").isNotNull();
      }
    }
  }

  /**
   * Breakers of one stale lock take turns through a guard: while one breaks it, another waits
   * (else the second could remove the fresh lock a third process took after the first broke it),
   * however long the first takes; the guard of a breaker that dies goes with it.
   */
  @Test
  void aStaleLockIsBrokenByOneBreakerAtATimeHoweverLongABreakerTakes() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL.with(VersionLocks.LOCK_WAIT_KEY, "200"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      Process ended = new ProcessBuilder("true").start();
      ended.waitFor();
      Path lock = tmp.resolve("r/refs/locks/" + ds.id() + ".lock");
      Files.writeString(lock, ended.pid() + "@" + VersionLocks.hostName() + " token");
      // Another process breaking a lock, stalled there (for longer than any timeout would allow):
      // it holds the guard, a lock of the operating system on tmp/lock-break.lock.
      Path guard = tmp.resolve("r/tmp/" + VersionLocks.BREAK_LOCK_FILE);
      Path holder = tmp.resolve("Hold.java");
      Files.writeString(holder, """
          import java.nio.channels.FileChannel;
          import java.nio.file.*;
          class Hold {
            public static void main(String[] a) throws Exception {
              try (FileChannel ch = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.lock();
                System.out.println("held");
                System.in.read();
              }
            }
          }
          """);
      Process breaker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), holder.toString(),
          guard.toString()).redirectErrorStream(true).start();
      try {
        assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(breaker.getInputStream())).readLine()).isEqualTo("held");
        Files.setLastModifiedTime(guard, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        assertThat(repo.catalog().tryLock(ds.id())).as("another process is breaking it").isNull();
        assertThat(repo.catalog().breakStaleLocks()).isEmpty();
        assertThat(lock).exists();
        assertThatThrownBy(() -> ds.addTags(List.of("x"))).isInstanceOf(DatasetLockedException.class)
            .hasMessageContaining("its lock, left by process " + ended.pid() + "@").hasMessageContaining(", which has ended, is being"
                + " broken by another process (which holds " + guard);
      } finally {
        breaker.destroyForcibly().waitFor(); // killed as it breaks: the system releases its guard
      }
      try (VersionLocks.Lock taken = repo.catalog().tryLock(ds.id())) {
        assertThat(taken).isNotNull();
        assertThat(Files.readString(lock)).startsWith(ProcessHandle.current().pid() + "@");
      }
      assertThat(lock).doesNotExist();
      assertThat(guard).as("the guard's file stays, and is no leftover").exists();
      assertThat(DatasetRepository.isLockFileOfTmp(guard.getFileName().toString())).isTrue();
    }
  }

  /**
   * A lock of another pid namespace of this boot (another container of this host name) names a pid
   * of another table: it is judged by its lease, which its holder renews, not by that pid.
   */
  @Test
  void aLockOfAnotherContainerIsHeldWhileRenewedAndBrokenOnceItsLeaseLapsed() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL.with(VersionLocks.LOCK_WAIT_KEY, "100"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      Process ended = new ProcessBuilder("true").start();
      ended.waitFor();
      String me = dev.cairn.internal.proc.ProcessIdentity.current();
      String otherContainer = ended.pid() + "@" + VersionLocks.hostName() + " token " + me.substring(0, me.indexOf('.')) + ".1.12345";
      Path lock = tmp.resolve("r/refs/locks/" + ds.id() + ".lock");
      Files.writeString(lock, otherContainer);
      assertThat(repo.catalog().tryLock(ds.id())).as("its pid ran no process here, which says nothing of it there").isNull();
      assertThat(repo.catalog().breakStaleLocks()).isEmpty();
      assertThatThrownBy(() -> ds.addTags(List.of("x"))).isInstanceOf(DatasetLockedException.class)
          .hasMessageContaining(" of another container (or of this one before it restarted) is changing it; its lock is taken for a"
              + " dead process's once not renewed for 10 min");
      long longAgo = System.currentTimeMillis() - VersionLocks.LOCK_LEASE_MILLIS - 60_000;
      Files.setLastModifiedTime(lock, FileTime.fromMillis(longAgo));
      // Its holder renewed its lease lately: held, however old the lock.
      Path lease = VersionLocks.leaseOf(lock);
      Files.createFile(lease);
      assertThat(repo.catalog().tryLock(ds.id())).as("renewed lately").isNull();
      Files.setLastModifiedTime(lease, FileTime.fromMillis(longAgo));
      try (VersionLocks.Lock taken = repo.catalog().tryLock(ds.id())) {
        assertThat(taken).as("not renewed for longer than its lease").isNotNull();
        assertThat(lease).as("broken with its lock").doesNotExist();
        // This process renews what it holds: its lease, not the lock, whose time a gc keeps what it wrote since.
        Files.setLastModifiedTime(lock, FileTime.fromMillis(longAgo));
        VersionLocks.renewHeldLocks();
        assertThat(System.currentTimeMillis() - Files.getLastModifiedTime(lease).toMillis()).isLessThan(VersionLocks.LOCK_LEASE_MILLIS / 2);
        assertThat(Files.getLastModifiedTime(lock).toMillis()).isEqualTo(longAgo);
        assertThat(repo.catalog().oldestLiveLockMillis()).isEqualTo(longAgo);
      }
      assertThat(lease).as("released with its lock").doesNotExist();
      // Released, no longer renewed: a lock file of that name someone else wrote is left alone.
      Files.writeString(lock, otherContainer);
      VersionLocks.renewHeldLocks();
      assertThat(lease).doesNotExist();
    }
  }

  /** A wait too long to add to the clock is a wait for ever, not none. */
  @Test
  void theLongestLockWaitWaits() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL.with(VersionLocks.LOCK_WAIT_KEY, String.valueOf(Long.MAX_VALUE)))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      Path lock = tmp.resolve("r/refs/locks/" + ds.id() + ".lock");
      Files.writeString(lock, "77@another-host token");
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> tag = pool.submit(() -> {
          ds.addTags(List.of("gold"));
          return null;
        });
        Thread.sleep(500);
        assertThat(tag.isDone()).as("still waiting").isFalse();
        Files.delete(lock);
        tag.get(30, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(ds.tags()).containsExactly("gold");
    }
  }

  @Test
  void anEmptyLockHeldPastTheWaitIsSaidToBeOne() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL.with(VersionLocks.LOCK_WAIT_KEY, "200"))) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      Files.writeString(tmp.resolve("r/refs/locks/" + ds.id() + ".lock"), "");
      assertThatThrownBy(() -> ds.addTags(List.of("gold"))).isInstanceOf(DatasetLockedException.class)
          .hasMessageContaining(": another process is taking its lock (an empty lock, stale once 10 s old)");
    }
  }

  @Test
  void aLockWaitThatIsNotANumberIsRefusedNamingTheKey() throws Exception {
    DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL).close();
    Path config = tmp.resolve("r/config");
    Files.writeString(config, Files.readString(config) + VersionLocks.LOCK_WAIT_KEY + " = 30s\n");
    assertThatThrownBy(() -> DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL))
        .isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
        .hasMessage("Cannot read config: lock.waitMillis = 30s is not a whole number of 0 or more");
  }

  @Test
  void aChangeFromWithinAChangeOfTheSameVersionFailsAtOnce() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.write(src.resolve("a.bin"), TestRepos.random(2, 10_000));
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      Throwable[] inner = new Throwable[1];
      long[] took = new long[1];
      ds.addFiles(AddOptions.of(src), new Progress() {
        @Override
        public void start(String task, long totalBytes) {
          long t = System.nanoTime();
          try {
            ds.setMetadata(Map.of("k", "v"));
          } catch (Throwable e) {
            inner[0] = e;
          }
          took[0] = System.nanoTime() - t;
        }
      });
      assertThat(inner[0]).isInstanceOf(DatasetLockedException.class).hasMessageContaining("while this thread is changing it already");
      assertThat(TimeUnit.NANOSECONDS.toMillis(took[0])).as("not after the wait for another process").isLessThan(VersionLocks.LOCK_WAIT_MILLIS);
      assertThat(ds.listFiles()).hasSize(1);
    }
  }

  /** The same from a callback on one of the change's workers: refused at once, not waited for without end. */
  @Test
  void aChangeFromACallbackOnAWorkerOfAChangeOfTheSameVersionFailsAtOnce() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    for (int i = 0; i < 64; i++) {
      Files.write(src.resolve("f" + i + ".bin"), TestRepos.random(10 + i, 20_000));
    }
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<Throwable> inner = new CopyOnWriteArrayList<>();
      Thread caller = Thread.currentThread();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        pool.submit(() -> ds.addFiles(AddOptions.of(src), new Progress() {
          @Override
          public void advance(long bytes) {
            threads.add(Thread.currentThread().getName());
            if (inner.size() < 3) {
              try {
                ds.setMetadata(Map.of("k", "v"));
              } catch (Throwable e) {
                inner.add(e);
              }
            }
          }
        })).get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(threads).as("callbacks ran on the add's workers").anyMatch(n -> !n.equals(caller.getName()) && n.startsWith("cairn-"));
      assertThat(inner).isNotEmpty().allSatisfy(e -> assertThat(e).isInstanceOf(DatasetLockedException.class)
          .hasMessageContaining("while this thread is changing it already"));
      assertThat(ds.listFiles()).hasSize(64);
      assertThat(ds.metadata()).isEmpty();
    }
  }

  @Test
  void aLongRunningProcessKeepsNoEntryForALockNoThreadHoldsOrWaitsFor() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Catalog catalog = repo.catalog();
      int before = VersionLocks.inProcessLocks();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> all = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
          all.add(pool.submit(() -> {
            for (int i = 0; i < 200; i++) {
              try (VersionLocks.Lock shared = catalog.lock("shared"); VersionLocks.Lock own = catalog.holdWrites()) {
                assertThat(VersionLocks.inProcessLocks()).isGreaterThanOrEqualTo(before + 2);
              }
              VersionLocks.Lock maybe = catalog.tryLock("shared" + (i % 3));
              if (maybe != null) {
                maybe.close();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : all) {
          f.get(2, TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(VersionLocks.inProcessLocks()).isEqualTo(before);
      // The entry of a lock still counts its holder after another thread's failed try.
      try (VersionLocks.Lock held = catalog.lock("kept")) {
        Future<VersionLocks.Lock> other = Executors.newSingleThreadExecutor().submit(() -> catalog.tryLock("kept"));
        assertThat(other.get(1, TimeUnit.MINUTES)).isNull();
        assertThat(VersionLocks.inProcessLocks()).isEqualTo(before + 1);
        assertThatThrownBy(() -> catalog.lock("kept")).isInstanceOf(DatasetLockedException.class);
        assertThat(VersionLocks.inProcessLocks()).isEqualTo(before + 1);
      }
      assertThat(VersionLocks.inProcessLocks()).isEqualTo(before);
    }
  }

  @Test
  void aLockIsReleasedOnceAndOnlyByItsThread() throws Exception {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "n").build());
      VersionLocks.Lock lock = repo.catalog().lock(ds.id());
      Thread other = new Thread(() -> assertThatThrownBy(lock::close).isInstanceOf(IllegalStateException.class));
      other.start();
      other.join();
      lock.close();
      lock.close(); // a second close does nothing
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        pool.submit(() -> {
          ds.addTags(List.of("after"));
          return null;
        }).get(30, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(ds.tags()).containsExactly("after");
    }
  }

  @Test
  void aDraftMadeOnAVersionWhileItsDatasetIsDeletedKeepsItsParentOrIsNotMade() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.write(src.resolve("a.bin"), TestRepos.random(3, 10_000));
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("r"), TestRepos.SMALL)) {
      Dataset v1 = Dataset.create(repo, CreateOptions.of("p", "gone").build());
      v1.syncFolder(src);
      v1.close();
      Dataset v2 = Dataset.create(repo, CreateOptions.of("p", "gone").parents(v1.id()).build()).close();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<List<Dataset.Deletion>> deleting;
        Future<Dataset> child;
        try (VersionLocks.Lock held = repo.catalog().lock(v2.id())) { // the delete waits for it
          deleting = pool.submit(() -> Dataset.deleteDataset(repo, "p", "gone", true));
          Thread.sleep(300);
          child = pool.submit(() -> Dataset.create(repo, CreateOptions.of("p", "other").parents(v1.id()).build()));
          Thread.sleep(300);
        }
        Throwable deleteFailure = null;
        try {
          deleting.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          deleteFailure = e.getCause();
        }
        Dataset draft = null;
        try {
          draft = child.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertThat(e.getCause()).hasMessageContaining("deleted");
        }
        if (draft != null) {
          assertThat(repo.catalog().exists(v1.id())).as("a draft's parent is never deleted under it").isTrue();
          assertThat(deleteFailure).as("the delete was refused, deleting nothing").isInstanceOf(dev.cairn.errors.DatasetStateException.class);
          assertThat(repo.catalog().exists(v2.id())).isTrue();
        } else {
          assertThat(deleteFailure).isNull();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
