package dev.cairn.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.manifest.NodeLoader;
import dev.cairn.store.ObjectReader;
import dev.cairn.testing.TestRepos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A draft's change-set summary, kept up to date edit by edit, is always what a diff of its base
 * and its manifest counts: files added, changed back to the parent's content, removed and put
 * back, by add, remove and sync, in any order.
 */
class SummaryPropertiesTest {

  private static void write(Path folder, String name, int content) throws IOException {
    Path p = folder.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "content " + content + "\n".repeat(content)); // sizes differ with content
  }

  @Property(tries = 15)
  void theKeptSummaryIsTheDiffOfBaseAndManifest(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    Path tmp = Files.createTempDirectory("summary-");
    try (DatasetRepository repo = DatasetRepository.open(tmp.resolve("repo"), TestRepos.SMALL)) {
      Path folder = Files.createDirectories(tmp.resolve("src"));
      for (int i = 0; i < 20; i++) {
        write(folder, "d" + r.nextInt(3) + "/f" + i, r.nextInt(3));
      }
      Dataset parent = Dataset.create(repo, CreateOptions.of("p", "n").build());
      parent.syncFolder(SyncOptions.of(folder), Progress.NONE);
      parent.close();
      Dataset draft = Dataset.create(repo, CreateOptions.of("p", "n").parents(List.of(parent.id())).build());
      for (int step = 0; step < 12; step++) {
        switch (r.nextInt(4)) {
          case 0 -> { // rewrite a few files, some back to what the parent held, and add them
            for (int k = 0; k < 1 + r.nextInt(5); k++) {
              write(folder, "d" + r.nextInt(3) + "/f" + r.nextInt(30), r.nextInt(3));
            }
            draft.addFiles(AddOptions.of(folder));
          }
          case 1 -> { // remove what a pattern matches, if anything
            draft.removeFiles(new RemoveOptions(List.of("d" + r.nextInt(3) + "/f" + r.nextInt(30)), true, true), Progress.NONE);
          }
          case 2 -> { // delete a file on disk, then sync
            try (var files = Files.walk(folder)) {
              List<Path> all = files.filter(Files::isRegularFile).toList();
              if (!all.isEmpty()) {
                Files.delete(all.get(r.nextInt(all.size())));
              }
            }
            draft.syncFolder(SyncOptions.of(folder), Progress.NONE);
          }
          default -> { // add one file on its own, under a dataset folder
            write(folder, "one", r.nextInt(3));
            draft.addFiles(folder.resolve("one"), null, "d" + r.nextInt(3), false);
          }
        }
        DatasetRecord now = draft.record();
        try (ObjectReader reader = repo.repository().objects().newReader()) {
          assertThat(now.summary()).as("step %d", step).isEqualTo(VersionLifecycle.summary(new NodeLoader(reader), now.base(), now.root()));
        }
      }
    } finally {
      dev.cairn.internal.fs.Trees.deleteQuietly(tmp);
    }
  }
}
