package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify's fast mode (clearml-data's --filesize): presence and sizes, no file content read. */
class DatasetVerifySizesTest {
  @TempDir Path tmp;

  Path folder() throws IOException {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("sub"));
    Files.write(src.resolve("big.bin"), TestRepos.random(1, 300_000)); // many chunks: a file object
    Files.write(src.resolve("sub/small.bin"), TestRepos.random(2, 700)); // one chunk
    Files.write(src.resolve("empty"), new byte[0]);
    return src;
  }

  static List<VerifyProblem.Kind> kinds(List<VerifyProblem> problems) {
    return problems.stream().map(VerifyProblem::kind).toList();
  }

  @Test
  void storedSizesIgnoreBytesDamagedInPlace() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "sizes").build());
      ds.addFiles(AddOptions.of(folder()));
      ds.close();
      assertThat(ds.verifySizes()).isEmpty();
      assertThat(ds.verify()).isEmpty();
      // A byte flipped inside chunk data: only a full verify, which reads every byte, sees it.
      Path pack = repo.repository().packs().packFiles().stream().max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
      byte[] b = Files.readAllBytes(pack);
      b[b.length / 3] ^= 0x40;
      Files.write(pack, b);
      assertThat(ds.verify()).isNotEmpty();
      assertThat(ds.verifySizes()).isEmpty();
    }
  }

  @Test
  void aFullVerifySaysHowFarItIs() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "progress").build());
      ds.addFiles(AddOptions.of(folder()));
      ds.close();
      List<String> tasks = new java.util.ArrayList<>();
      long[] bytes = new long[2];
      assertThat(ds.verify(new Progress() {
        @Override
        public void start(String task, long totalBytes) {
          tasks.add(task);
          bytes[0] = totalBytes;
        }

        @Override
        public void advance(long n) {
          bytes[1] += n;
        }
      })).isEmpty();
      assertThat(tasks).containsExactly("verifying 3 files");
      assertThat(bytes[1]).isEqualTo(bytes[0]).isEqualTo(300_700);
    }
  }

  @Test
  void bothChecksReportADamagedVersionObject() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "version").build());
      ds.addFiles(AddOptions.of(folder()));
      ds.close();
      dev.cairn.id.ObjectId versionObject = ds.record().versionObject();
      for (Path pack : repo.repository().packs().packFiles()) {
        try (var pf = dev.cairn.internal.pack.PackFile.open(pack)) {
          for (var e : pf.entries()) {
            if (e.id().equals(versionObject)) {
              byte[] b = Files.readAllBytes(pack);
              b[(int) e.blockOffset() + e.blockLength() / 2] ^= 0x40;
              Files.write(pack, b);
            }
          }
        }
      }
      for (List<VerifyProblem> found : List.of(ds.verify(), ds.verifySizes())) {
        // (the block may hold the manifest's nodes too, which are then reported as well)
        assertThat(found).anySatisfy(p -> {
          assertThat(p.kind()).isEqualTo(VerifyProblem.Kind.DAMAGED);
          assertThat(p.detail()).startsWith("version object " + versionObject.abbreviate(16) + ": ");
        });
      }
    }
  }

  @Test
  void storedSizesFindObjectsThatAreNotHere() throws IOException {
    Path remote = tmp.resolve("remote");
    String id;
    try (DatasetRepository a = DatasetRepository.open(tmp.resolve("a"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(a, CreateOptions.of("p", "shared").build());
      ds.addFiles(AddOptions.of(folder()));
      ds.close();
      ds.upload(remote.toString(), null, Progress.NONE);
      id = ds.id();
    }
    try (DatasetRepository b = DatasetRepository.open(tmp.resolve("b"), TestRepos.SMALL)) {
      Dataset listed = b.fetch(id, Selection.NONE, remote.toString(), null, Progress.NONE);
      List<VerifyProblem> problems = listed.verifySizes();
      assertThat(problems).extracting(VerifyProblem::path).containsExactly("big.bin", "sub/small.bin");
      assertThat(kinds(problems)).containsOnly(VerifyProblem.Kind.NOT_FETCHED);
      b.fetch(id, Selection.ALL, remote.toString(), null, Progress.NONE);
      assertThat(listed.verifySizes()).isEmpty();
    }
  }

  @Test
  void folderSizesFindMissingUnexpectedAndResizedFilesOnly() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "folder").build());
      ds.addFiles(AddOptions.of(folder()));
      ds.close();
      Path copy = ds.getMutableLocalCopy(tmp.resolve("copy"), false);
      assertThat(ds.verifySizes(copy)).isEmpty();
      byte[] big = Files.readAllBytes(copy.resolve("big.bin"));
      big[1000] ^= 1;
      Files.write(copy.resolve("big.bin"), big);
      assertThat(kinds(ds.verify(copy))).containsExactly(VerifyProblem.Kind.CONTENT);
      assertThat(ds.verifySizes(copy)).isEmpty();
      Files.write(copy.resolve("sub/small.bin"), new byte[] {1}, StandardOpenOption.APPEND);
      Files.delete(copy.resolve("empty"));
      Files.writeString(copy.resolve("extra.txt"), "x");
      List<VerifyProblem> problems = ds.verifySizes(copy);
      assertThat(problems).extracting(VerifyProblem::path).containsExactly("empty", "extra.txt", "sub/small.bin");
      assertThat(kinds(problems)).containsExactly(VerifyProblem.Kind.MISSING, VerifyProblem.Kind.UNEXPECTED, VerifyProblem.Kind.SIZE);
      assertThat(problems.get(2).detail()).isEqualTo("701 bytes, expected 700");
    }
  }

  @Test
  void aFullVerifyOfManyFilesFindsEachDamagedOneOnceInPathOrder() throws IOException {
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Path src = tmp.resolve("many");
      for (int i = 0; i < 1500; i++) { // runs of files checked on several threads
        Path f = src.resolve("d" + (i % 7) + "/f" + i + ".bin");
        Files.createDirectories(f.getParent());
        Files.write(f, TestRepos.random(100 + i, 600));
      }
      Dataset ds = Dataset.create(repo, CreateOptions.of("p", "many").build());
      ds.addFiles(AddOptions.of(src));
      ds.close();
      // Damage three blocks far apart: the files whose chunk lies in one of them are damaged, no other.
      Map<dev.cairn.id.ObjectId, String> pathOfChunk = new HashMap<>();
      try (var reader = repo.repository().objects().newReader()) {
        for (var e : new dev.cairn.manifest.Manifest(new dev.cairn.manifest.NodeLoader(reader), ds.record().root())) {
          pathOfChunk.put(reader.chunksOf(e.fileContent()).get(0).id(), e.path());
        }
      }
      Path pack = repo.repository().packs().packFiles().stream().max(Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
      Set<String> damaged = new TreeSet<>();
      byte[] b = Files.readAllBytes(pack);
      try (var pf = dev.cairn.internal.pack.PackFile.open(pack)) {
        List<dev.cairn.internal.pack.PackEntry> chunks = pf.entries().stream().filter(e -> pathOfChunk.containsKey(e.id()))
            .sorted(dev.cairn.internal.pack.PackEntry.STORED_ORDER).toList();
        for (int at : new int[] {chunks.size() / 10, chunks.size() / 2, chunks.size() - 5}) {
          var hit = chunks.get(at);
          b[(int) hit.blockOffset() + hit.blockLength() / 2] ^= 0x40;
          chunks.stream().filter(e -> e.blockOffset() == hit.blockOffset()).forEach(e -> damaged.add(pathOfChunk.get(e.id())));
        }
      }
      Files.write(pack, b);
      List<VerifyProblem> problems = ds.verify();
      assertThat(problems).extracting(VerifyProblem::path)
          .containsExactlyElementsOf(damaged.stream().sorted(dev.cairn.manifest.DatasetPaths::compare).toList());
      assertThat(kinds(problems)).containsOnly(VerifyProblem.Kind.DAMAGED);
      assertThat(ds.verifySizes()).isEmpty();
    }
  }
}
