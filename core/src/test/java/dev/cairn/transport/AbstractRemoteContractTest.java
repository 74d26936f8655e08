package dev.cairn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.cairn.dataset.AddOptions;
import dev.cairn.dataset.CreateOptions;
import dev.cairn.dataset.Dataset;
import dev.cairn.dataset.DatasetRecord;
import dev.cairn.dataset.DatasetRepository;
import dev.cairn.dataset.LogEntry;
import dev.cairn.dataset.Progress;
import dev.cairn.dataset.Selection;
import dev.cairn.gc.Fsck;
import dev.cairn.id.HashAlgorithm;
import dev.cairn.storage.CountingStorage;
import dev.cairn.storage.RemoteFile;
import dev.cairn.storage.RemoteStorage;
import dev.cairn.storage.Storages;
import dev.cairn.storage.wrap.FaultInjectingStorage;
import dev.cairn.storage.wrap.RetryingStorage;
import dev.cairn.testing.ChildJvm;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What pushing to and fetching from a remote must do, whatever the backend; one subclass per backend
 * (a local folder here, HDFS, S3 and Azure in storage-hadoop).
 */
public abstract class AbstractRemoteContractTest {
  @TempDir protected Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  protected String location;

  /** A location for a fresh, empty remote, unique to {@code testName}. */
  protected abstract String newLocation(String testName) throws Exception;

  /**
   * Whether the tests of core's own logic run on this backend: a push stopped at each pack, a
   * collection stopped part way, publishers sharing one local repository, a parent deleted on the
   * remote. They check the order of core's writes and its local locking more than the backend; the
   * slowest emulators (Azurite, MiniDFSCluster) leave them to the others to keep the suite short.
   */
  protected boolean runsCoreLogicTests() {
    return true;
  }

  /**
   * Whether eight processes sharing one local repository publish to this backend. The test is of
   * the local repository's locking; the backend's own concurrency is covered by publishers with a
   * repository each, on every backend. The object-store emulators (S3Proxy, the GCS fake), where it
   * takes 20-50 s, leave it to the local and Hadoop-local folders.
   */
  protected boolean runsSharedLocalRepositoryTest() {
    return runsCoreLogicTests();
  }

  /** Settings the backend needs (endpoint, credentials); none by default. */
  protected Map<String, String> conf() {
    return Map.of();
  }

  @BeforeEach
  void setUpRemote(org.junit.jupiter.api.TestInfo info) throws Exception {
    location = newLocation(info.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  protected DatasetRepository repo(String name) throws IOException {
    DatasetRepository r = DatasetRepository.open(tmp.resolve(name), TestRepos.SMALL);
    r.setStorageConf(conf());
    toClose.add(r);
    return r;
  }

  protected RemoteStorage openStorage() throws IOException {
    return Storages.open(Storages.parse(location), conf());
  }

  protected Path folder(String name, Map<String, byte[]> files) throws IOException {
    Path dir = tmp.resolve(name);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue());
    }
    return dir;
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

  protected Dataset version(DatasetRepository repo, String name, Path src, String... parents) throws IOException {
    Dataset ds = Dataset.create(repo, CreateOptions.of("contract", name).parents(parents).build());
    if (src != null) {
      ds.syncFolder(src);
    }
    return ds.close();
  }

  private long remoteBytes() throws IOException {
    try (RemoteStorage s = openStorage()) {
      return s.list("").stream().mapToLong(f -> f.size()).sum();
    }
  }

  @Test
  void aRemoteIsNotMadeInsideAnother() throws IOException {
    DatasetRepository a = repo("a");
    Dataset v = version(a, "outer", folder("src", Map.of("a.txt", TestRepos.text(5, 100))));
    v.upload(location, null, Progress.NONE);
    Dataset w = version(a, "inner", folder("src2", Map.of("b.txt", TestRepos.text(6, 100))));
    for (String inside : List.of(location + "/packs", location + "/team/data")) {
      assertThatThrownBy(() -> w.upload(inside, null, Progress.NONE)).as(inside)
          .isInstanceOf(dev.cairn.errors.InvalidInputException.class)
          .hasMessageContaining("inside remote ").hasMessageEndingWith("give a location outside it");
    }
    try (RemoteStorage s = openStorage()) {
      assertThat(s.list("team/")).isEmpty();
    }
    assertThat(a.listRemote(location, null)).extracting(DatasetRecord::id).containsExactly(v.id());
  }

  @Test
  void anUploadRemovesTheLocksUploadsOfThisHostLeftWhenKilled() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.cairn.internal.proc.ProcessIdentity.pidTable() != null, "a host with /proc");
    DatasetRepository a = repo("a");
    Dataset v = version(a, "locks", folder("src", Map.of("a.txt", TestRepos.text(7, 100))));
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    String mine = "locks/push-" + UUID.randomUUID();
    String elsewhere = "locks/push-" + UUID.randomUUID();
    try (RemoteStorage st = openStorage()) {
      st.createIfAbsent(RemoteLayout.MARKER, ("format = 1\nobjectFormat = " + a.repository().config().objectFormat().configName() + "\n")
          .getBytes(StandardCharsets.US_ASCII));
      // A kill -9 of an upload here: passed over at once, but another host would wait an hour for it.
      st.createIfAbsent(mine, (System.currentTimeMillis() + " " + ended.pid() + " " + dev.cairn.dataset.VersionLocks.hostName() + " "
          + dev.cairn.internal.proc.ProcessIdentity.pidTable() + ".12345\n").getBytes(StandardCharsets.US_ASCII));
      st.createIfAbsent(elsewhere, (System.currentTimeMillis() + " 1 another-host x.1\n").getBytes(StandardCharsets.US_ASCII));
    }
    v.upload(location, null, Progress.NONE);
    try (RemoteStorage st = openStorage()) {
      assertThat(st.list("locks/")).extracting(RemoteFile::name).containsExactly(elsewhere);
    }
  }

  @Test
  void roundTripBetweenTwoFreshRepositories() throws IOException {
    DatasetRepository a = repo("a");
    Path src = folder("src", Map.of("x/a.bin", TestRepos.random(1, 200_000), "b.txt", TestRepos.text(2, 5000),
        "ünï cødé.txt", "ü".getBytes(StandardCharsets.UTF_8), "empty", new byte[0]));
    Dataset v1 = version(a, "rt", src);
    Path src2 = folder("src2", Map.of("c.bin", TestRepos.random(3, 70_000)));
    Dataset v2 = Dataset.create(a, CreateOptions.of("contract", "rt").parents(v1.id()).build());
    v2.addFiles(AddOptions.of(src2));
    v2.close();
    v2.upload(location, null, Progress.NONE);
    assertThat(a.listRemote(location, null)).extracting(DatasetRecord::id).containsExactly(v1.id(), v2.id());

    DatasetRepository b = repo("b");
    Dataset got = b.fetch(v2.id().substring(0, 10), Selection.ALL, location, null, Progress.NONE);
    assertThat(got.id()).isEqualTo(v2.id());
    Path copy = got.getLocalCopy();
    Map<String, String> expected = new TreeMap<>(snapshot(src));
    expected.putAll(snapshot(src2));
    assertThat(snapshot(copy)).isEqualTo(expected);
    assertThat(got.record().parents()).containsExactly(v1.id());
    assertThat(b.catalog().exists(v1.id())).as("the parent's record comes along").isTrue();
    assertThat(got.verify()).isEmpty();
    assertThat(got.dependencyGraph()).containsKeys(v1.id(), v2.id());
    // The change-set reads against the base, which comes along.
    assertThat(got.changes()).extracting(dev.cairn.manifest.DiffEntry::path).containsExactly("c.bin");
    // A repository filled from a remote is healthy, though it holds the parent's record alone.
    assertThat(new dev.cairn.gc.Fsck(b, Progress.NONE).check().problems()).isEmpty();
  }

  @Test
  void childUploadsOnlyItsChangeSet() throws IOException {
    DatasetRepository a = repo("a");
    Path src = folder("src", Map.of("big.bin", TestRepos.random(10, 2_000_000), "small.txt", TestRepos.text(11, 3000)));
    Dataset v1 = version(a, "delta", src);
    v1.upload(location, null, Progress.NONE);
    long afterFirst = remoteBytes();
    Files.write(src.resolve("new.txt"), TestRepos.text(12, 2000));
    Dataset v2 = version(a, "delta", src, v1.id());
    v2.upload(location, null, Progress.NONE);
    long growth = remoteBytes() - afterFirst;
    assertThat(afterFirst).isGreaterThan(2_000_000);
    assertThat(growth).as("bytes the child added to the remote").isLessThan(32 << 10);
  }

  @Test
  void aCheckBesideAnUploadAndACollectionReportsNoDamageThatIsNot() throws IOException {
    DatasetRepository a = repo("a");
    version(a, "first", folder("f", Map.of("f.txt", TestRepos.text(1, 5000)))).upload(location, null, Progress.NONE);
    Dataset doomed = version(a, "doomed", folder("d", Map.of("d.bin", TestRepos.random(2, 300_000))));
    doomed.upload(location, null, Progress.NONE);
    Dataset later = version(repo("b"), "later", folder("l", Map.of("l.txt", TestRepos.text(3, 5000))));
    try (Remote r = new Remote(openStorage(), a.repository())) {
      r.deleteVersion(doomed.id(), false); // its pack is a collection's to delete
      // Once the check has listed the packs, a collection deletes one it is about to read; once it
      // has read them all, another repository uploads a version, whose packs that listing lacks.
      Progress meanwhile = new Progress() {
        boolean collected;
        boolean uploaded;

        @Override
        public void start(String task, long totalBytes) {
          try {
            if (task.startsWith("reading ") && !collected) {
              collected = true;
              new RemoteGarbageCollector(r, a.repository(), 0, Progress.NONE).run();
            } else if (task.startsWith("checking what") && !uploaded) {
              uploaded = true;
              later.upload(location, null, Progress.NONE);
            }
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };
      RemoteFsck.Outcome checked = new RemoteFsck(r, a.repository(), meanwhile).check(true);
      assertThat(checked.report().errors()).isEmpty();
      assertThat(checked.incomplete()).isEmpty();
      assertThat(checked.report().problems()).extracting(dev.cairn.gc.Problem::message)
          .anySatisfy(m -> assertThat(m).startsWith("removed while this check read it"));
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).check(true).report().problems()).isEmpty();
    }
  }

  @Test
  void aRecordThatCannotBeReadIsLeftOutOfListingsAndReportedByFsck() throws IOException {
    DatasetRepository a = repo("a");
    Dataset hidden = version(a, "hidden", folder("h", Map.of("h.txt", TestRepos.text(1, 100))));
    hidden.upload(location, null, Progress.NONE);
    Dataset shown = version(a, "shown", folder("s", Map.of("s.txt", TestRepos.text(2, 100))));
    shown.upload(location, null, Progress.NONE);
    CountingStorage storage = new CountingStorage(openStorage());
    storage.denied = name -> name.startsWith(RemoteLayout.VERSIONS + hidden.id() + "/");
    try (Remote r = new Remote(storage, a.repository())) {
      dev.cairn.dataset.VersionListing listing = r.readRecords();
      assertThat(listing.records()).extracting(DatasetRecord::name).containsExactly("shown");
      assertThat(listing.unreadable()).containsExactly(hidden.id());
      RemoteFsck.Outcome checked = new RemoteFsck(r, a.repository(), Progress.NONE).check(false);
      assertThat(checked.report().errors()).extracting(dev.cairn.gc.Problem::message)
          .anySatisfy(m -> assertThat(m).startsWith("newest record unreadable"));
      // A collection would take the version for deleted, and its data for dead: it refuses.
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RemoteGarbageCollector(r, a.repository(), 0, Progress.NONE).run())
          .hasMessageContaining("cannot be read");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.deleteVersion(shown.id(), false)).hasMessageContaining("cannot be read");
    }
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.records()).hasSize(2); // nothing was collected or deleted
      new RemoteGarbageCollector(r, a.repository(), 0, Progress.NONE).run();
    }
    repo("b").fetch(hidden.id(), Selection.ALL, location, null, Progress.NONE).verify();
  }

  @Test
  void anExistingRemoteIsTakenAfterTwoCallsToTheStore() throws IOException {
    DatasetRepository a = repo("a");
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.ensureInitialized()).isTrue();
    }
    CountingStorage counting = new CountingStorage(openStorage());
    try (Remote r = new Remote(counting, a.repository())) {
      assertThat(r.ensureInitialized()).isFalse();
    }
    // The marker's size and its bytes: each call to a store that stopped answering waits its timeout.
    assertThat(counting.calls.get()).isEqualTo(2);
  }

  @Test
  void aSecondGetReadsNothingFromTheRemote() throws IOException {
    DatasetRepository a = repo("a");
    Dataset v1 = version(a, "twice", folder("src", Map.of("f.bin", TestRepos.random(20, 300_000))));
    v1.upload(location, null, Progress.NONE);
    DatasetRepository b = repo("b");
    CountingStorage first = new CountingStorage(openStorage());
    try (Remote r = new Remote(first, b.repository())) {
      b.fetch(v1.id(), Selection.ALL, r, Progress.NONE).getLocalCopy();
    }
    assertThat(first.bytesRead.get()).isGreaterThan(300_000);
    CountingStorage second = new CountingStorage(openStorage());
    try (Remote r = new Remote(second, b.repository())) {
      Path copy = b.fetch(v1.id(), Selection.ALL, r, Progress.NONE).getLocalCopy();
      assertThat(Files.size(copy.resolve("f.bin"))).isEqualTo(300_000);
    }
    assertThat(second.calls.get()).isZero();
  }

  @Test
  void aPartialGetReadsOnlyItsPart() throws IOException {
    DatasetRepository a = repo("a");
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      files.put("f" + i + ".bin", TestRepos.random(30 + i, 150_000));
    }
    Dataset v1 = version(a, "parts", folder("src", files));
    v1.upload(location, null, Progress.NONE);
    DatasetRepository b = repo("b");
    CountingStorage counting = new CountingStorage(openStorage());
    Selection part = Selection.part(0, 5);
    try (Remote r = new Remote(counting, b.repository())) {
      Path copy = b.fetch(v1.id(), part, r, Progress.NONE).getLocalCopy(part, Progress.NONE);
      assertThat(snapshot(copy)).hasSize(2);
    }
    assertThat(counting.bytesRead.get()).as("bytes read for a fifth of the files").isLessThan(450_000);
    // Files a part left out are on the remote, not damage.
    assertThat(new dev.cairn.gc.Fsck(b, Progress.NONE).check().problems()).isEmpty();
    // The rest comes later, and the part already here is not read again.
    CountingStorage rest = new CountingStorage(openStorage());
    try (Remote r = new Remote(rest, b.repository())) {
      assertThat(snapshot(b.fetch(v1.id(), Selection.ALL, r, Progress.NONE).getLocalCopy())).hasSize(10);
    }
    assertThat(rest.bytesRead.get()).isLessThan(1_350_000);
  }

  @Test
  void concurrentPublishersLoseNothing() throws Exception {
    publishConcurrently(false);
  }

  @Test
  void concurrentPublishersSharingOneLocalRepositoryLoseNothing() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsSharedLocalRepositoryTest(), "run on the local folders");
    publishConcurrently(true);
  }

  /** Eight processes publish versions of one dataset at once, each with its own or one shared local repository. */
  private void publishConcurrently(boolean sharedLocal) throws Exception {
    int writers = 8;
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      Path local = sharedLocal ? tmp.resolve("shared") : tmp.resolve("w" + i);
      List<String> args = new ArrayList<>(List.of(local.toString(), location, String.valueOf(i)));
      conf().forEach((k, v) -> args.add(k + "=" + v));
      ps.add(ChildJvm.start(RemotePublisherMain.class, tmp.resolve("w" + i + ".log"), args.toArray(String[]::new)));
    }
    Set<String> ids = new HashSet<>();
    Set<String> versions = new HashSet<>();
    for (int i = 0; i < writers; i++) {
      assertThat(ps.get(i).waitFor(180, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(tmp.resolve("w" + i + ".log"));
      assertThat(ps.get(i).exitValue()).as(log).isZero();
      String[] last = log.strip().lines().reduce((x, y) -> y).orElseThrow().split(" ");
      ids.add(last[0]);
      versions.add(last[1]);
    }
    assertThat(ids).hasSize(writers);
    assertThat(versions).as("auto-bumped version strings are unique").hasSize(writers);
    if (sharedLocal) {
      try (DatasetRepository shared = DatasetRepository.open(tmp.resolve("shared"), TestRepos.SMALL)) {
        assertThat(shared.list("shared", "^dataset$", null)).extracting(DatasetRecord::id).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(new dev.cairn.gc.Fsck(shared, Progress.NONE).check().errors()).isEmpty();
      }
    }
    DatasetRepository reader = repo("reader");
    List<DatasetRecord> remote = reader.listRemote(location, null);
    assertThat(remote).extracting(DatasetRecord::id).containsExactlyInAnyOrderElementsOf(ids);
    for (String id : ids) {
      Path copy = reader.fetch(id, Selection.ALL, location, null, Progress.NONE).getLocalCopy();
      try (Stream<Path> s = Files.list(copy)) {
        assertThat(s.count()).isEqualTo(1);
      }
    }
  }

  /** Twelve random files of 40-51 kB, a few packs' worth at the test's pack size. */
  private static Map<String, byte[]> twelveFiles(String prefix, long seed) {
    Map<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < 12; i++) {
      files.put(prefix + i, TestRepos.random(seed + i, 40_000 + i * 1000));
    }
    return files;
  }

  @Test
  void faultsNeverLeaveARecordPointingAtMissingData() throws IOException {
    DatasetRepository a = repo("a");
    Dataset v1 = version(a, "faults", folder("src", twelveFiles("d/f", 40)));
    // Without retries, pushes fail part way; whatever they leave must be consistent.
    int failures = 0;
    for (int attempt = 0; attempt < 40; attempt++) {
      FaultInjectingStorage faulty = FaultInjectingStorage.randomly(openStorage(), attempt + 1, 0.35);
      try (Remote r = new Remote(new RetryingStorage(faulty, new RetryingStorage.Policy(1, 0, 0)), a.repository())) {
        v1.upload(r, Progress.NONE);
        break;
      } catch (IOException expected) {
        failures++;
      }
      assertEveryRecordIsComplete("after failed push " + attempt);
      assertEveryObjectHasWhatItNames("after failed push " + attempt);
    }
    assertThat(failures).as("faults fired").isPositive();
    // With retries, a 20% fault rate still gets through.
    Path more = folder("more", Map.of("g", TestRepos.random(99, 90_000)));
    Dataset v2 = Dataset.create(a, CreateOptions.of("contract", "faults").parents(v1.id()).build());
    v2.addFiles(AddOptions.of(more));
    v2.close();
    FaultInjectingStorage faulty = FaultInjectingStorage.randomly(openStorage(), 7, 0.2);
    try (Remote r = new Remote(new RetryingStorage(faulty, RetryingStorage.Policy.FAST), a.repository())) {
      v2.upload(r, Progress.NONE);
    }
    assertThat(faulty.faults()).isPositive();
    assertEveryRecordIsComplete("after retried push");
    assertEveryObjectHasWhatItNames("after retried push");
    DatasetRepository b = repo("b");
    FaultInjectingStorage faultyRead = FaultInjectingStorage.randomly(openStorage(), 8, 0.2);
    try (Remote r = new Remote(new RetryingStorage(faultyRead, RetryingStorage.Policy.FAST), b.repository())) {
      Path copy = b.fetch(v2.id(), Selection.ALL, r, Progress.NONE).getLocalCopy();
      assertThat(snapshot(copy)).hasSize(13);
    }
    assertThat(faultyRead.faults()).isPositive();
  }

  /**
   * A pack of mostly live objects is left on the remote with its few dead ones (copying it would
   * cost a download and an upload of what it keeps), unless maxUnused(0) asks for every such pack.
   */
  @Test
  void garbageCollectionLeavesPacksMostlyLiveUnlessNoUnusedSpaceIsAllowed() throws IOException {
    DatasetRepository a = repo("a");
    byte[] big = TestRepos.random(70, 3_000_000);
    Dataset first = version(a, "first", folder("first", Map.of("big.bin", big, "small.bin", TestRepos.random(71, 30_000))));
    Path bigOnly = folder("second", Map.of("big.bin", big));
    Dataset second = version(a, "second", bigOnly);
    first.upload(location, null, Progress.NONE);
    second.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.deleteVersion(first.id(), false)).isTrue();
      RemoteGarbageCollector.Result lenient = new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      assertThat(lenient.unusedBytesKept()).as("some of the small file's chunks, sharing packs with the big one's").isPositive()
          .isLessThan(60_000);
      // What stays is chunks alone: no node or file object whose data went. An upload of the
      // deleted version again sends what it needs, and it comes back whole.
      first.upload(location, null, Progress.NONE);
      assertThat(snapshot(repo("c").fetch(first.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy()))
          .isEqualTo(snapshot(folder("first-again", Map.of("big.bin", big, "small.bin", TestRepos.random(71, 30_000)))));
      assertThat(r.deleteVersion(first.id(), false)).isTrue();
      new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      long before = remoteBytes();
      RemoteGarbageCollector.Result strict = new RemoteGarbageCollector(r, a.repository(), Progress.NONE).maxUnused(0).run();
      assertThat(strict.packsWritten()).isPositive();
      assertThat(strict.objectsDeleted()).isPositive();
      assertThat(strict.unusedBytesKept()).isZero();
      assertThat(remoteBytes()).isLessThan(before);
      assertThat(new RemoteGarbageCollector(r, a.repository(), Progress.NONE).maxUnused(0).run().objectsDeleted()).isZero();
    }
    assertEveryRecordIsComplete("after gc");
    assertThat(snapshot(repo("b").fetch(second.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy()))
        .isEqualTo(snapshot(bigOnly));
  }

  @Test
  void garbageCollectionKeepsExactlyWhatVersionsNeed() throws IOException {
    DatasetRepository a = repo("a");
    Path keepSrc = folder("keep", Map.of("k1.bin", TestRepos.random(60, 120_000), "k2.txt", TestRepos.text(61, 20_000)));
    Dataset keep = version(a, "keep", keepSrc);
    Dataset drop = version(a, "drop", folder("drop", Map.of("d1.bin", TestRepos.random(62, 400_000))));
    keep.upload(location, null, Progress.NONE);
    drop.upload(location, null, Progress.NONE);
    // Leftovers of an interrupted push: a pack no record names.
    Dataset orphan = version(a, "orphan", folder("orphan", Map.of("o.bin", TestRepos.random(63, 300_000))));
    DatasetRepository b = repo("b");
    try (Remote r = new Remote(openStorage(), a.repository())) {
      try (Remote partial = new Remote(new PacksOnly(openStorage()), a.repository())) {
        orphan.upload(partial, Progress.NONE);
        fail("the record write should have failed");
      } catch (IOException expected) {
        // packs uploaded, record not
      }
      try (Remote other = new Remote(openStorage(), b.repository())) {
        other.index(); // another client caches the index of every pack, the collected ones too
      }
      assertThat(r.deleteVersion(drop.id(), false)).isTrue();
      assertThat(r.records()).extracting(DatasetRecord::id).containsExactly(keep.id());
      long before = remoteBytes();
      RemoteGarbageCollector.Result result = new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      assertThat(result.objectsDeleted()).isPositive();
      assertThat(remoteBytes()).as("bytes on the remote").isLessThan(before - 650_000);
      // Every live object the remote holds counts as kept, whether its pack was rewritten or not.
      RemoteGarbageCollector.Result again = new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      assertThat(again.objectsDeleted()).isZero();
      assertThat(result.objectsKept()).isPositive().isEqualTo(again.objectsKept());
    }
    try (Remote r = new Remote(openStorage(), b.repository())) {
      r.index();
      Set<String> onRemote = new HashSet<>();
      for (RemoteFile f : r.storage().list(RemoteLayout.PACKS)) {
        onRemote.add(RemoteLayout.packName(f.name()) + ".idx");
      }
      try (Stream<Path> cached = Files.list(r.packIndexCache())) {
        assertThat(cached.map(p -> p.getFileName().toString())).as("cached pack indexes after the collection")
            .containsExactlyInAnyOrderElementsOf(onRemote);
      }
    }
    assertEveryRecordIsComplete("after gc");
    assertThat(snapshot(b.fetch(keep.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy())).isEqualTo(snapshot(keepSrc));
    // The collected version's record is gone; a new push of it uploads everything again.
    drop.upload(location, null, Progress.NONE);
    assertThat(snapshot(repo("c").fetch(drop.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy())).hasSize(1);
  }

  @Test
  void aCachedPackIndexChangedSinceItWasReadIsReadAgainFromThePack() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset first = version(a, "tamper", folder("tamper1", Map.of("a.bin", TestRepos.random(91, 200_000))));
    first.upload(location, null, Progress.NONE);
    Path secondSrc = folder("tamper2", Map.of("b.bin", TestRepos.random(92, 200_000)));
    Dataset second = version(a, "tamper", secondSrc, first.id());
    dev.cairn.id.ObjectId newChunk = second.listFiles().stream().filter(e -> e.path().equals("b.bin")).findFirst().orElseThrow().content();
    try (Remote r = new Remote(openStorage(), a.repository())) {
      r.index();
      // The cache of the remote's only pack now says that pack holds b.bin's content too (one of
      // its entries renamed, the entries sorted again): still well formed, no longer the pack's.
      Path cached;
      try (Stream<Path> files = Files.list(r.packIndexCache())) {
        cached = files.filter(f -> f.toString().endsWith(".idx")).findFirst().orElseThrow();
      }
      byte[] section = Files.readAllBytes(cached);
      int size = dev.cairn.internal.pack.PackFormat.ENTRY_SIZE;
      List<byte[]> entries = new ArrayList<>();
      for (int at = dev.cairn.internal.pack.PackFormat.INDEX_HEADER_SIZE; at < section.length; at += size) {
        entries.add(Arrays.copyOfRange(section, at, at + size));
      }
      System.arraycopy(newChunk.toBytes(), 0, entries.get(0), 0, 32);
      entries.sort((x, y) -> Arrays.compareUnsigned(x, 0, 32, y, 0, 32));
      for (int i = 0; i < entries.size(); i++) {
        System.arraycopy(entries.get(i), 0, section, dev.cairn.internal.pack.PackFormat.entryOffset(i), size);
      }
      Files.write(cached, section);
    }
    second.upload(location, null, Progress.NONE);
    assertEveryRecordIsComplete("after an upload beside a changed cache");
    assertThat(snapshot(repo("c").fetch(second.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy()))
        .isEqualTo(snapshot(secondSrc));
  }

  @Test
  void aFileLostFromAVersionsBaseIsSaidToBeItsParentsNotItsOwn() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Path src = folder("based", Map.of("gone.bin", TestRepos.random(66, 400_000), "kept.txt", TestRepos.text(67, 2_000)));
    Dataset parent = version(a, "based", src);
    dev.cairn.id.ObjectId gone = parent.listFiles().stream().filter(e -> e.path().equals("gone.bin")).findFirst().orElseThrow().content();
    Files.delete(src.resolve("gone.bin"));
    Dataset child = version(a, "based", src, parent.id());
    child.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.deleteVersion(parent.id(), true)).isTrue(); // the child alone reaches gone.bin, through its base
      String pack = r.index().packs().entrySet().stream().filter(e -> e.getValue().stream().anyMatch(x -> x.id().equals(gone)))
          .findFirst().orElseThrow().getKey();
      r.storage().delete(RemoteLayout.pack(pack));
      List<dev.cairn.gc.Problem> problems = new RemoteFsck(r, a.repository(), Progress.NONE).check(false).report().problems();
      assertThat(problems).filteredOn(p -> p.message().endsWith("of gone.bin")).isNotEmpty()
          .allSatisfy(p -> assertThat(p.where()).endsWith(" version " + child.id().substring(0, 8)
              + " (its parents' files, kept for its change-set)"));
    }
  }

  @Test
  void anUploadToARemoteWithADamagedPackSaysSo() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    version(a, "told", folder("told", Map.of("t.bin", TestRepos.random(68, 50_000)))).upload(location, null, Progress.NONE);
    String uri;
    List<String> packs;
    try (RemoteStorage st = openStorage()) {
      uri = st.uri().toString();
      packs = st.list(RemoteLayout.PACKS).stream().map(RemoteFile::name).toList();
    }
    rewrite(packs.get(0), bytes -> bytes[bytes.length - 30] ^= 0x01); // inside the index section, under the trailer
    Dataset other = version(repo("b"), "other", folder("other", Map.of("o.bin", TestRepos.random(69, 50_000))));
    List<String> warnings = new ArrayList<>();
    other.upload(location, null, new Progress() {
      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    assertThat(warnings).singleElement().satisfies(m -> assertThat(m).startsWith(uri + ": pack ").contains(" is damaged")
        .endsWith("other versions there may lack data: check with cairn fsck --storage " + uri));
  }

  /** Writes record number {@code seq} of version {@code id} on the remote as given, as someone editing it there would. */
  private void writeRecordThere(String id, long seq, String text) throws IOException {
    try (RemoteStorage s = openStorage()) {
      assertThat(s.createIfAbsent(RemoteLayout.record(id, seq), text.getBytes(StandardCharsets.UTF_8))).isTrue();
    }
  }

  @Test
  void aRecordRewrittenOnTheRemoteIsRefusedReportedAndSupersededByAnUpload() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset one = version(a, "one", folder("one", Map.of("one.txt", TestRepos.text(90, 1_000))));
    Dataset two = version(a, "two", folder("two", Map.of("two.txt", TestRepos.text(91, 1_000))));
    one.upload(location, null, Progress.NONE);
    two.upload(location, null, Progress.NONE);
    DatasetRepository c = repo("c");
    dev.cairn.id.ObjectId rootInC = Dataset.get(c, two.id(), location).record().root();
    // Someone points two's record at one's files: a newer record (its log ahead), readable, wrong.
    DatasetRecord forged = two.record().toBuilder().root(one.record().root()).storage(null)
        .appendLog(new LogEntry(System.currentTimeMillis(), "tags", List.of("--add", "x"), dev.cairn.dataset.ChangeSummary.EMPTY, 0))
        .build();
    writeRecordThere(two.id(), 2, dev.cairn.dataset.RecordFormat.encode(forged));
    DatasetRepository b = repo("b");
    assertThatThrownBy(() -> Dataset.get(b, two.id(), location).getLocalCopy())
        .isInstanceOf(dev.cairn.errors.CorruptObjectException.class)
        .hasMessageContaining("the record of version " + two.id() + " there was changed: its manifest root");
    assertThat(b.list(null, null, null)).extracting(DatasetRecord::id).doesNotContain(two.id());
    // A repository that holds the version does not take the forged record as a newer one.
    assertThat(Dataset.get(c, two.id(), location).record().root()).isEqualTo(rootInC);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).check(false).report().problems())
          .anySatisfy(p -> assertThat(p.message()).startsWith("the record was changed there: its manifest root"));
    }
    // A root the remote does not hold at all (a digit changed): the same refusal, not "missing".
    DatasetRecord flipped = two.record().toBuilder().root(dev.cairn.id.HashAlgorithm.SHA256.hash(new byte[] {1})).storage(null).build();
    writeRecordThere(two.id(), 3, dev.cairn.dataset.RecordFormat.encode(flipped));
    assertThatThrownBy(() -> Dataset.get(repo("d"), two.id(), location)).isInstanceOf(dev.cairn.errors.CorruptObjectException.class)
        .hasMessageContaining("the record of version " + two.id() + " there was changed: its manifest root");
    // The advice works: an upload from a repository holding the version supersedes the record.
    two.upload(location, null, Progress.NONE);
    assertThat(Dataset.get(b, two.id(), location).getLocalCopy().resolve("two.txt")).exists();
  }

  @Test
  void aRecordOfANewerFormatIsNotCalledDamage() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset v = version(a, "future", folder("future", Map.of("f.txt", TestRepos.text(92, 500))));
    v.upload(location, null, Progress.NONE);
    String text = dev.cairn.dataset.RecordFormat.encode(v.record()).replace("\"format\": 1,", "\"format\": 2,");
    assertThat(text).contains("\"format\": 2,");
    writeRecordThere(v.id(), 2, text);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).check(false).report().problems())
          .anySatisfy(p -> assertThat(p.message()).startsWith("newest record unreadable: ").endsWith("a newer Cairn wrote it, not damage:"
              + " check this remote with that Cairn (upgrade this one)"));
    }
  }

  @Test
  void garbageCollectionStopsWhenAPackOfALiveVersionIsGone() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset v = version(a, "lost", folder("lost", Map.of("big.bin", TestRepos.random(64, 400_000), "s.txt", TestRepos.text(65, 2_000))));
    v.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      // A pack of the version's tree nodes deleted by hand (or a lifecycle rule): the chunks only
      // they named must not look unused.
      Map<String, List<dev.cairn.internal.pack.PackEntry>> packs = r.index().packs();
      String nodes = packs.entrySet().stream()
          .filter(e -> e.getValue().stream().anyMatch(x -> x.type() == dev.cairn.object.ObjectType.TREE)).findFirst().orElseThrow().getKey();
      r.storage().delete(RemoteLayout.pack(nodes));
      Set<String> left = new HashSet<>(packs.keySet());
      left.remove(nodes);
      assertThatThrownBy(() -> new RemoteGarbageCollector(r, a.repository(), 0, Progress.NONE).run())
          .hasMessageContaining("Cannot collect " + r.storage().uri() + ": it lacks object ")
          .hasMessageContaining(" of version " + v.id() + " (lost ").hasMessageContaining("check with cairn fsck --storage");
      Set<String> onRemote = new HashSet<>();
      for (RemoteFile f : r.storage().list(RemoteLayout.PACKS)) {
        onRemote.add(RemoteLayout.packName(f.name()));
      }
      assertThat(onRemote).as("packs after the refused collection").isEqualTo(left);
    }
  }

  @Test
  void uploadingAnUnchangedVersionAgainPublishesNoSecondRecord() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset v = version(a, "again", folder("again", Map.of("a.txt", TestRepos.text(80, 2_000))));
    v.upload(location, null, Progress.NONE);
    assertThat(v.record().log()).extracting(LogEntry::command).endsWith("upload");
    v.upload(location, null, Progress.NONE);
    try (RemoteStorage s = openStorage()) {
      assertThat(s.list(RemoteLayout.VERSIONS + v.id() + "/")).extracting(RemoteFile::name)
          .as("one record: the remote's holds the same upload entry as the local one")
          .containsExactly(RemoteLayout.record(v.id(), 1));
    }
    assertThat(a.listRemote(location, null)).singleElement().satisfies(r -> assertThat(r.log()).isEqualTo(v.record().log()));
    v.setDescription("changed");
    v.upload(location, null, Progress.NONE);
    try (RemoteStorage s = openStorage()) {
      assertThat(s.list(RemoteLayout.VERSIONS + v.id() + "/")).hasSize(2);
    }
  }

  @Test
  void anOlderCopyOfARecordNeverUndoesTheRemotesChangesAndCatchesUpInstead() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset v = version(a, "records", folder("rec", Map.of("r.txt", TestRepos.text(90, 3_000))));
    v.upload(location, null, Progress.NONE);
    DatasetRepository b = repo("b");
    Dataset copy = b.fetch(v.id(), Selection.NONE, location, null, Progress.NONE);
    // Changed where it was made, and uploaded again; b's copy is now older.
    v.rename("records-renamed");
    v.addTags(List.of("gold"));
    v.publish();
    v.upload(location, null, Progress.NONE);
    Supplier<List<String>> recordFiles = () -> {
      try (RemoteStorage s = openStorage()) {
        return s.list(RemoteLayout.VERSIONS + v.id() + "/").stream().map(RemoteFile::name).toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    List<String> before = recordFiles.get();

    Pusher.Result caughtUp = copy.upload(location, null, Progress.NONE);

    assertThat(caughtUp.recordTaken()).isTrue();
    assertThat(caughtUp.versionsPushed()).as("nothing of it published").isZero();
    assertThat(recordFiles.get()).as("nothing published over the newer record").isEqualTo(before);
    assertThat(copy.upload(location, null, Progress.NONE).upToDate()).isTrue();
    assertThat(b.listRemote(location, null)).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("records-renamed");
      assertThat(r.tags()).containsExactly("gold");
    });
    assertThat(copy.record().name()).as("the older copy caught up").isEqualTo("records-renamed");
    assertThat(copy.record().state()).isEqualTo(v.record().state());
    assertThat(b.get("contract", "records-renamed", null).id()).isEqualTo(v.id());

    // Changed on both sides since they last agreed, here a description: made again on top of the
    // remote's record, which then holds both changes.
    copy.setDescription("from b");
    v.setMetadata(Map.of("k", "a"));
    v.upload(location, null, Progress.NONE);
    assertThat(copy.upload(location, null, Progress.NONE).merged()).singleElement().asString()
        .contains("changed here (set-description) and on ").contains(" (metadata) since");
    assertThat(b.listRemote(location, null)).singleElement().satisfies(r -> {
      assertThat(r.description()).isEqualTo("from b");
      assertThat(r.metadata()).containsEntry("k", "a");
    });
    // Here a rename, and there another: not made again, refused, and the remote keeps its record.
    copy.rename("renamed-by-b");
    v.rename("renamed-by-a");
    v.upload(location, null, Progress.NONE);
    List<String> diverged = recordFiles.get();
    assertThatThrownBy(() -> copy.upload(location, null, Progress.NONE)).isInstanceOf(dev.cairn.errors.ConflictException.class)
        .hasMessageContaining("its record was changed here (rename) and on ").hasMessageContaining(" (rename) since")
        .hasMessageContaining("Dataset.get(repo, \"" + v.id().substring(0, 8) + "\", ")
        .extracting(e -> ((dev.cairn.errors.CairnException) e).commandLineMessage()).asString()
        .contains("cairn get --id " + v.id().substring(0, 8) + " --storage ");
    assertThat(recordFiles.get()).isEqualTo(diverged);

    // Uploads to other remotes are no changes of the version: after one, a remote change still
    // fast-forwards the uploading repository instead of conflicting with it.
    Path elsewhere = tmp.resolve("elsewhere-remote");
    v.upload(elsewhere.toString(), null, Progress.NONE);
    DatasetRepository d = repo("d");
    Dataset third = d.fetch(v.id(), Selection.NONE, location, null, Progress.NONE);
    third.addTags(List.of("bronze"));
    third.upload(location, null, Progress.NONE);
    v.upload(location, null, Progress.NONE);
    assertThat(v.tags()).contains("bronze");

    // Deleted there, then pushed from an older copy: it comes back as it was deleted, not older.
    DatasetRepository e = repo("e");
    Dataset stale = e.fetch(v.id(), Selection.NONE, location, null, Progress.NONE);
    v.addTags(List.of("iron"));
    v.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.deleteVersion(v.id(), true)).isTrue();
    }
    stale.upload(location, null, Progress.NONE);
    assertThat(b.listRemote(location, null)).filteredOn(r -> r.id().equals(v.id())).singleElement()
        .satisfies(r -> assertThat(r.tags()).contains("iron"));
    assertThat(stale.tags()).contains("iron");

    // A fetch that brings data takes the remote's newer record too.
    DatasetRepository c = repo("c");
    Dataset early = c.fetch(v.id(), Selection.NONE, location, null, Progress.NONE);
    v.addTags(List.of("silver"));
    v.upload(location, null, Progress.NONE);
    c.fetch(v.id(), Selection.ALL, location, null, Progress.NONE);
    assertThat(early.tags()).containsExactly("gold", "bronze", "iron", "silver");
  }

  @Test
  void aParentDeletedThereStaysDeletedWhenItsChildIsPushedAgain() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset parent = version(a, "lineage", folder("p", Map.of("p.bin", TestRepos.random(70, 90_000))));
    Path childSrc = folder("c", Map.of("p.bin", TestRepos.random(70, 90_000), "c.txt", TestRepos.text(71, 5_000)));
    Dataset child = version(a, "lineage", childSrc, parent.id());
    child.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.records()).extracting(DatasetRecord::id).containsExactlyInAnyOrder(parent.id(), child.id());
      assertThat(r.deleteVersion(parent.id(), true)).isTrue();
      new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
    }
    child.setMetadata(Map.of("k", "v"));
    child.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.records()).extracting(DatasetRecord::id).containsExactly(child.id());
    }
    assertEveryRecordIsComplete("after the child's second push");
    assertThat(snapshot(repo("b").fetch(child.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy()))
        .isEqualTo(snapshot(childSrc));
  }

  @Test
  void aChildFirstPushedAfterItsParentWasDeletedThereBringsNoneOfTheParentsDataBack() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Path src = folder("gone-parent", Map.of("gone.bin", TestRepos.random(72, 400_000), "kept.txt", TestRepos.text(73, 3_000)));
    Dataset parent = version(a, "freed", src);
    parent.upload(location, null, Progress.NONE);
    Files.delete(src.resolve("gone.bin"));
    Dataset child = version(a, "freed", src, parent.id()); // here only: its base is the parent's tree
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.deleteVersion(parent.id(), true)).isTrue();
      assertThat(new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run().bytesFreed()).isGreaterThan(400_000);
    }
    // The base, for a change-set only, would send gone.bin again, and the next collection could not free it.
    assertThat(child.upload(location, null, Progress.NONE).bytesUploaded()).isLessThan(100_000);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.records()).extracting(DatasetRecord::id).containsExactly(child.id());
    }
    assertEveryRecordIsComplete("after the child's push");
    assertThat(snapshot(repo("b").fetch(child.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy()))
        .isEqualTo(snapshot(src));
  }

  @Test
  void anUploadWhoseRemoteLostItsMarkerMeanwhilePublishesNoRecord() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset v = version(a, "unmarked", folder("unmarked", twelveFiles("u", 91)));
    version(a, "first", folder("first", Map.of("f.txt", TestRepos.text(92, 100)))).upload(location, null, Progress.NONE); // the remote, marked
    // The folder wiped (a share unmounted) once the first pack of the next upload is there.
    try (Remote r = new Remote(new LosesMarkerAtFirstPack(openStorage()), a.repository())) {
      assertThatThrownBy(() -> v.upload(r, Progress.NONE)).isInstanceOf(dev.cairn.errors.InvalidConfigException.class)
          .hasMessageContaining("cairn-remote file went while the upload ran").hasMessageContaining("no version was published");
    }
    try (RemoteStorage s = openStorage()) {
      assertThat(s.list("versions/")).extracting(dev.cairn.storage.RemoteFile::name).noneMatch(n -> n.contains(v.id()));
    }
    assertThat(a.get(v.id()).isUploadedTo(location)).isFalse();
  }

  /** Deletes the remote's marker right after the first pack a push publishes. */
  private static final class LosesMarkerAtFirstPack extends dev.cairn.storage.ForwardingStorage {
    private boolean lost;

    LosesMarkerAtFirstPack(RemoteStorage inner) {
      super(inner);
    }

    @Override
    public void publish(String name, Path source) throws IOException {
      super.publish(name, source);
      if (!lost && name.startsWith(RemoteLayout.PACKS)) {
        lost = true;
        delete(RemoteLayout.MARKER);
      }
    }
  }

  /** Lets packs through and fails every other write: a push interrupted before its record. */
  private static final class PacksOnly extends dev.cairn.storage.ForwardingStorage {
    PacksOnly(RemoteStorage inner) {
      super(inner);
    }

    @Override
    public boolean createIfAbsent(String name, byte[] data) throws IOException {
      if (name.startsWith("versions/")) {
        throw new dev.cairn.storage.StorageException("Cannot create " + name + ": injected", false);
      }
      return super.createIfAbsent(name, data);
    }
  }

  @Test
  void aPushStoppedAtAnyPackLeavesNoObjectWithoutWhatItNames() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset v = version(a, "stopped", folder("stopped", twelveFiles("f", 90)));
    String base = location;
    for (int k = 1; ; k++) {
      location = newLocation("stopped" + k);
      // The k-th pack upload fails after the others have had time to land.
      try (Remote r = new Remote(new FailingPublish(openStorage(), k), a.repository())) {
        v.upload(r, Progress.NONE);
        assertThat(k).as("packs uploaded before one failed").isGreaterThan(3);
        break;
      } catch (IOException expected) {
        // stopped at pack k
      }
      assertEveryObjectHasWhatItNames("push stopped at pack " + k);
      v.upload(location, null, Progress.NONE);
      if (k == 1) {
        assertEveryRecordIsComplete("push resumed after pack " + k);
      }
    }
    assertEveryRecordIsComplete("push without a failure");
    location = base;
  }

  /** Fails the {@code n}-th upload of a pack, after a pause that lets uploads running beside it finish. */
  private static final class FailingPublish extends dev.cairn.storage.ForwardingStorage {
    private final AtomicInteger calls = new AtomicInteger();
    private final int n;

    FailingPublish(RemoteStorage inner, int n) {
      super(inner);
      this.n = n;
    }

    @Override
    public void publish(String name, Path source) throws IOException {
      if (name.startsWith(RemoteLayout.PACKS) && calls.incrementAndGet() == n) {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new dev.cairn.storage.StorageException("Cannot publish " + name + ": injected", false);
      }
      super.publish(name, source);
    }
  }

  @Test
  void aCollectionThatStopsPartWayBlocksPushesUntilCollectedAgain() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Dataset keep = version(a, "keep", folder("keep", Map.of("k.bin", TestRepos.random(70, 100_000))));
    keep.upload(location, null, Progress.NONE);
    // Four packs of the dropped version: two of chunks, its file object's, its tree's and its own.
    Dataset drop = version(a, "drop", folder("drop", Map.of("d.bin", TestRepos.random(71, 300_000))));
    drop.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(r.deleteVersion(drop.id(), false)).isTrue();
    }
    // The collection dies after deleting one pack.
    try (Remote r = new Remote(new DeletesOnly(openStorage(), 1), a.repository())) {
      new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      fail("the second delete should have failed");
    } catch (IOException expected) {
      // stopped part way
    }
    // And an upload killed two hours ago left its lock.
    String left = "locks/push-" + UUID.randomUUID();
    try (dev.cairn.storage.RemoteStorage st = openStorage()) {
      st.createIfAbsent(left, ((System.currentTimeMillis() - 7_200_000) + " 1 elsewhere\n").getBytes(StandardCharsets.US_ASCII));
    }
    try (Remote r = new Remote(openStorage(), a.repository())) {
      List<String> warnings = new RemoteFsck(r, a.repository(), Progress.NONE).check(false).report().problems().stream()
          .map(p -> p.where() + ": " + p.message()).toList();
      assertThat(warnings).anyMatch(w -> w.contains("locks/sweeping: packs were deleted without a collection's end"));
      assertThat(warnings).anyMatch(w -> w.contains(left + ": lock taken over an hour ago by a process of another host"));
    }
    Dataset next = version(a, "next", folder("next", Map.of("n.bin", TestRepos.random(80, 50_000))));
    try {
      next.upload(location, null, Progress.NONE);
      fail("a push after an unfinished collection should be refused");
    } catch (IOException refused) {
      assertThat(refused.getMessage()).contains("packs there were deleted by a collection that stopped part way");
    }
    try (Remote r = new Remote(openStorage(), a.repository())) {
      new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      assertThat(r.storage().size(left)).as("its process, elsewhere, may still run: left for the user").isNotNegative();
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).check(false).report().problems()).extracting(p -> p.where())
          .containsExactly(r.storage().uri() + "/" + left);
      r.storage().delete(left);
    }
    next.upload(location, null, Progress.NONE);
    // The dropped version's data is gone, so pushing it again uploads all of it.
    drop.upload(location, null, Progress.NONE);
    assertEveryRecordIsComplete("after the second collection");
    assertEveryObjectHasWhatItNames("after the second collection");
  }

  @Test
  void aDamagedPackIsFoundRepairedAndItsVersionCompletedByUploadingItAgain() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Path hurtSrc = folder("hurt", Map.of("h.bin", TestRepos.random(90, 400_000), "h.txt", TestRepos.text(91, 3000)));
    Damage d = hurtAndFine(a, hurtSrc, 92, bytes -> bytes[bytes.length / 3] ^= 0x40); // one byte inside a chunk's block
    Dataset hurt = d.hurt();
    Dataset fine = d.fine();
    String pack = d.pack();

    RemoteFsck.Outcome quick;
    RemoteFsck.Outcome full;
    try (Remote r = new Remote(openStorage(), a.repository())) {
      quick = new RemoteFsck(r, a.repository(), Progress.NONE).check(false);
      full = new RemoteFsck(r, a.repository(), Progress.NONE).check(true);
    }
    assertThat(quick.report().ok()).as("the indexes and what versions reach are intact: only reading the data finds it").isTrue();
    assertThat(full.report().ok()).isFalse();
    assertThat(full.report().errors()).anySatisfy(p -> assertThat(p.where()).contains(pack));
    assertThat(full.incomplete()).as("the version that needs the damaged block is named").containsExactly(hurt.id());

    RemoteFsck.Outcome repaired;
    try (Remote r = new Remote(openStorage(), a.repository())) {
      repaired = new RemoteFsck(r, a.repository(), Progress.NONE).repair();
    }
    assertThat(repaired.incomplete()).containsExactly(hurt.id());
    assertThat(repaired.repairs()).anySatisfy(x -> assertThat(x).contains("moved damaged pack " + RemoteLayout.packName(pack)));
    assertThat(repaired.repairs()).as("what uploads do meanwhile").anySatisfy(x -> assertThat(x)
        .contains("until the repair, uploads look up every object they would reuse; after it, uploads of new data wait"));
    try (RemoteStorage st = openStorage()) {
      assertThat(st.size(pack)).as("out of packs/").isNegative();
      assertThat(st.list(RemoteLayout.LOST_FOUND)).extracting(RemoteFile::name)
          .anySatisfy(n -> assertThat(n).startsWith(RemoteLayout.LOST_FOUND + "pack-" + RemoteLayout.packName(pack) + "-"));
      assertThat(st.size(RemoteLocks.INCOMPLETE)).as("pushes now look up every object").isNotNegative();
    }
    // The other version is untouched; the damaged one is completed by uploading it again.
    assertThat(snapshot(repo("b").fetch(fine.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy()))
        .containsOnlyKeys("f.bin");
    hurt.upload(location, null, Progress.NONE);
    try (Remote r = new Remote(openStorage(), a.repository())) {
      // Whole again, but still marked so until a repair checks: a warning says so.
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).check(true).report().problems()).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("still marked incomplete"));
      RemoteFsck.Outcome again = new RemoteFsck(r, a.repository(), Progress.NONE).repair();
      assertThat(again.incomplete()).isEmpty();
      // It says that new data still waits for a collection (it said uploads were trusted again).
      assertThat(again.repairs()).anySatisfy(x -> assertThat(x).startsWith("every version there is whole again; uploads of new data are"
          + " refused until a collection runs (cairn gc --storage " + r.storage().uri() + ")"));
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).check(true).report().problems()).singleElement()
          .satisfies(p -> assertThat(p.message()).contains("uploads are refused until cairn gc --storage"));
    }
    try (RemoteStorage st = openStorage()) {
      assertThat(st.size(RemoteLocks.INCOMPLETE)).as("whole again: the mark is gone").isNegative();
    }
    Path copy = repo("c").fetch(hurt.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy();
    assertThat(snapshot(copy)).isEqualTo(snapshot(hurtSrc));
    // Dead objects may still name what the damaged pack held: new data waits for a collection.
    Dataset next = version(a, "next", folder("next", Map.of("n.bin", TestRepos.random(95, 50_000))));
    try {
      next.upload(location, null, Progress.NONE);
      fail("an upload that trusts nodes must wait for a collection after a repair deleted a pack");
    } catch (IOException refused) {
      assertThat(refused.getMessage()).contains("by a collection that stopped part way, or by a repair; run cairn gc --storage ")
          .endsWith(" to finish, then upload again");
    }
    try (Remote r = new Remote(openStorage(), a.repository())) {
      new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
    }
    next.upload(location, null, Progress.NONE);
    assertEveryRecordIsComplete("after the repair and a collection");
    assertEveryObjectHasWhatItNames("after the repair and a collection");
  }

  @Test
  void aPackCutShortHidesOnlyItsOwnObjects() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Damage d = hurtAndFine(a, folder("hurt", Map.of("h.bin", TestRepos.random(93, 400_000))), 94, null);
    Dataset hurt = d.hurt();
    Dataset fine = d.fine();
    String pack = d.pack();

    // A repository that read the pack's index before it was cut short (its cache) sees it too.
    for (DatasetRepository reader : List.of(repo("b"), a)) {
      try (Remote r = new Remote(openStorage(), reader.repository())) {
        Fsck.Report report = new RemoteFsck(r, reader.repository(), Progress.NONE).check(false).report();
        assertThat(report.errors()).anySatisfy(p -> assertThat(p.message()).contains("pack index unreadable"));
        assertThat(report.errors()).anySatisfy(p -> assertThat(p.message()).contains("version lacks"));
      }
    }
    DatasetRepository b = repo("b2");
    assertThat(snapshot(b.fetch(fine.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy())).containsOnlyKeys("f.bin");
    try {
      b.fetch(hurt.id(), Selection.ALL, location, null, Progress.NONE);
      fail("the cut pack's objects are missing");
    } catch (dev.cairn.errors.MissingObjectException e) {
      assertThat(e.getMessage()).contains("is damaged").contains("fsck --storage");
    }
    try (Remote r = new Remote(openStorage(), a.repository())) {
      new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      fail("a collection must not guess what a damaged pack holds");
    } catch (dev.cairn.errors.CairnException e) {
      assertThat(e.getMessage()).contains("--repair");
    }
    // The repair takes the pack out; an upload of the version then sends what it held, though
    // the nodes above it are there.
    try (Remote r = new Remote(openStorage(), a.repository())) {
      RemoteFsck.Outcome repaired = new RemoteFsck(r, a.repository(), Progress.NONE).repair();
      assertThat(repaired.incomplete()).containsExactly(hurt.id());
      // The blocks before the cut, found where the section this repository cached says they lie.
      assertThat(repaired.repairs()).anySatisfy(x -> assertThat(x).startsWith("copied ").contains(RemoteLayout.packName(pack)));
      new RemoteGarbageCollector(r, a.repository(), Progress.NONE).run();
      fail("a collection must not run while versions lack objects");
    } catch (dev.cairn.errors.CairnException e) {
      assertThat(e.getMessage()).contains("lack objects");
    }
    hurt.upload(location, null, Progress.NONE);
    assertThat(snapshot(repo("c").fetch(hurt.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy()))
        .containsOnlyKeys("h.bin");
  }

  @Test
  void aPackWhoseMagicOrIndexIsDamagedIsFoundAndItsObjectsKept() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsCoreLogicTests(), "run on the faster backends");
    DatasetRepository a = repo("a");
    Path src = folder("src", Map.of("m.bin", TestRepos.random(96, 300_000)));
    Dataset v = version(a, "magic", src);
    v.upload(location, null, Progress.NONE); // a's cache now holds the packs' index sections
    String pack = largestPack();
    rewrite(pack, bytes -> bytes[bytes.length - 30] ^= 0x01); // inside the index section, under the trailer
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).check(false).report().ok())
          .as("read from the remote, not from the cached section").isFalse();
    }
    rewrite(pack, bytes -> {
      bytes[bytes.length - 30] ^= 0x01; // the index as it was
      bytes[0] ^= 0x01; // the magic: the pack no longer opens, though every block is intact
    });
    RemoteFsck.Outcome repaired;
    try (Remote r = new Remote(openStorage(), a.repository())) {
      repaired = new RemoteFsck(r, a.repository(), Progress.NONE).repair();
    }
    assertThat(repaired.repairs()).anySatisfy(x -> assertThat(x).startsWith("copied ").contains("of damaged pack " + RemoteLayout.packName(pack)));
    assertThat(repaired.incomplete()).isEmpty();
    assertThat(snapshot(repo("b").fetch(v.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy())).isEqualTo(snapshot(src));
    // The last byte of every pack: a pack of one object, salvaged, is the same pack under the same name.
    List<String> all;
    try (RemoteStorage st = openStorage()) {
      all = st.list(RemoteLayout.PACKS).stream().map(RemoteFile::name).toList();
    }
    for (String p : all) {
      rewrite(p, bytes -> bytes[bytes.length - 1] ^= 0x01);
    }
    try (Remote r = new Remote(openStorage(), a.repository())) {
      assertThat(new RemoteFsck(r, a.repository(), Progress.NONE).repair().incomplete()).isEmpty();
    }
    assertThat(snapshot(repo("c").fetch(v.id(), Selection.ALL, location, null, Progress.NONE).getLocalCopy())).isEqualTo(snapshot(src));
  }

  /** Two versions on the remote, and the largest pack of the first, damaged after both were uploaded. */
  private record Damage(Dataset hurt, Dataset fine, String pack) {}

  /** See {@link Damage}; {@code damage} as {@link #rewrite} takes it. */
  private Damage hurtAndFine(DatasetRepository a, Path hurtSrc, long fineSeed, Consumer<byte[]> damage)
      throws IOException {
    Dataset hurt = version(a, "hurt", hurtSrc);
    hurt.upload(location, null, Progress.NONE);
    String pack = largestPack();
    Dataset fine = version(a, "fine", folder("fine", Map.of("f.bin", TestRepos.random(fineSeed, 300_000))));
    fine.upload(location, null, Progress.NONE);
    rewrite(pack, damage);
    return new Damage(hurt, fine, pack);
  }

  /** The name (a remote path) of the largest pack on the remote. */
  private String largestPack() throws IOException {
    try (RemoteStorage st = openStorage()) {
      return st.list(RemoteLayout.PACKS).stream().max(Comparator.comparingLong(RemoteFile::size)).orElseThrow().name();
    }
  }

  /** Replaces a remote file by a damaged copy: {@code damage} applied, or cut to half its length when null. */
  private void rewrite(String name, Consumer<byte[]> damage) throws IOException {
    try (RemoteStorage st = openStorage()) {
      byte[] bytes = st.read(name, 0, (int) st.size(name));
      if (damage != null) {
        damage.accept(bytes);
      } else {
        bytes = Arrays.copyOf(bytes, bytes.length / 2);
      }
      Path copy = tmp.resolve("damaged-" + System.nanoTime());
      Files.write(copy, bytes);
      st.delete(name);
      st.publish(name, copy);
    }
  }

  /** Lets {@code allowed} deletes of packs through and fails the next ones. */
  private static final class DeletesOnly extends dev.cairn.storage.ForwardingStorage {
    private int allowed;

    DeletesOnly(RemoteStorage inner, int allowed) {
      super(inner);
      this.allowed = allowed;
    }

    @Override
    public void delete(String name) throws IOException {
      if (name.startsWith(RemoteLayout.PACKS) && allowed-- <= 0) {
        throw new dev.cairn.storage.StorageException("Cannot delete " + name + ": injected", false);
      }
      super.delete(name);
    }
  }

  /**
   * Checks that every object on the remote comes with what it names, records or not: pushes skip
   * what an object vouches for, so a file object without a chunk would make a later push of the
   * same file publish a record whose data is incomplete.
   */
  private void assertEveryObjectHasWhatItNames(String when) throws IOException {
    Path cache = Files.createTempDirectory(tmp, "index");
    try (RemoteStorage storage = openStorage()) {
      RemoteIndex index = RemoteIndex.load(storage, HashAlgorithm.SHA256, cache);
      try (RemoteObjectReader reader = new RemoteObjectReader(storage, index, HashAlgorithm.SHA256)) {
        for (List<dev.cairn.internal.pack.PackEntry> entries : index.packs().values()) {
          for (dev.cairn.internal.pack.PackEntry e : entries) {
            for (dev.cairn.id.ObjectId named : named(reader, e)) {
              assertThat(index.has(named)).as("%s: %s %s names %s, which the remote lacks", when, e.type(), e.id(), named).isTrue();
            }
          }
        }
      }
    }
  }

  private static List<dev.cairn.id.ObjectId> named(RemoteObjectReader reader, dev.cairn.internal.pack.PackEntry e) throws IOException {
    List<dev.cairn.id.ObjectId> out = new ArrayList<>();
    switch (e.type()) {
      case CHUNK -> { }
      case FILE -> dev.cairn.object.FileObjectFormat.decode(reader.open(e.id()).bytes(), e.id()).chunks()
          .forEach(c -> out.add(c.id()));
      case VERSION -> {
        dev.cairn.object.Version v = dev.cairn.object.VersionFormat.decode(reader.open(e.id()).bytes(), e.id());
        out.add(v.root());
        out.addAll(v.parents());
      }
      case TREE -> {
        dev.cairn.manifest.TreeNode n = dev.cairn.manifest.TreeFormat.decode(reader.open(e.id()).bytes(), e.id());
        if (n instanceof dev.cairn.manifest.TreeNode.Inner in) {
          in.children().forEach(c -> out.add(c.id()));
        } else {
          for (dev.cairn.manifest.FileEntry f : ((dev.cairn.manifest.TreeNode.Leaf) n).entries()) {
            if (f.kind() == dev.cairn.manifest.EntryKind.FILE && f.size() > 0) {
              out.add(f.content());
            }
          }
        }
      }
    }
    return out;
  }

  /** Fetches every version the remote lists into a fresh repository: all data must be there. */
  private void assertEveryRecordIsComplete(String when) throws IOException {
    DatasetRepository fresh = DatasetRepository.open(Files.createTempDirectory(tmp, "check"), TestRepos.SMALL);
    try (fresh; Remote r = new Remote(openStorage(), fresh.repository())) {
      for (DatasetRecord rec : r.records()) {
        try {
          Dataset ds = fresh.fetch(rec.id(), Selection.ALL, r, Progress.NONE);
          assertThat(ds.verify()).isEmpty();
        } catch (IOException e) {
          fail(when + ": record " + rec.id() + " is published but its data is not: " + e.getMessage());
        }
      }
    }
  }
}
