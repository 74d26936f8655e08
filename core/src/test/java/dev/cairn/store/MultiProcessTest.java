package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Repository;
import dev.cairn.id.ObjectId;
import dev.cairn.internal.pack.PackFile;
import dev.cairn.testing.ChildJvm;
import dev.cairn.testing.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs write to one repository at once; nothing is lost or damaged. */
class MultiProcessTest {
  @TempDir Path tmp;

  @Test
  void twoProcessesWriteOneRepositoryAtOnce() throws Exception {
    Path dir = tmp.resolve("repo");
    TestRepos.create(dir).close();
    List<Process> ps = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      ps.add(ChildJvm.start(ConcurrentWriterMain.class, tmp.resolve("writer" + w + ".log"), dir.toString(), String.valueOf(w)));
    }
    for (int w = 0; w < 2; w++) {
      assertThat(ps.get(w).waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(ps.get(w).exitValue()).as(Files.readString(tmp.resolve("writer" + w + ".log"))).isZero();
    }
    try (Repository repo = Repository.open(dir); ObjectReader reader = repo.objects().newReader()) {
      for (int w = 0; w < 2; w++) {
        for (String line : Files.readAllLines(tmp.resolve("writer" + w + ".log"))) {
          String[] f = line.split(" ");
          ObjectId id = ObjectId.fromHex(f[2]);
          int seed = Integer.parseInt(f[1]);
          if (f[0].equals("chunk")) {
            assertThat(reader.open(id).bytes()).isEqualTo(TestRepos.random(seed, 100 + seed % 3000));
          } else {
            byte[] expected = TestRepos.random(seed, 200_000);
            FileContent c = new FileContent(expected.length, repo.objects().algorithm().hash(expected), id);
            try (var in = reader.openContent(c)) {
              assertThat(in.readAllBytes()).isEqualTo(expected);
            }
          }
        }
      }
      for (Path p : repo.packs().packFiles()) {
        try (PackFile pf = PackFile.open(p)) {
          pf.verifyChecksum();
        }
      }
      try (var s = Files.list(repo.tmpDirectory())) {
        assertThat(s.toList()).isEmpty();
      }
      assertThat(repo.objects().has(repo.objects().algorithm().hash(new byte[] {9}))).isFalse();
      // Small packs were registered pending and merged while the other process read and wrote.
      var index = repo.packs().index();
      assertThat(index.packNames()).hasSize(repo.packs().packFiles().size());
      assertThat(index.pendingPackNames().size()).isLessThan(index.packNames().size());
    }
  }
}
